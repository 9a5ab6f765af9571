/*---
id: revenue_by_payment_method
section: 06_finance
title: {fr: "Chiffre d'affaires par moyen de paiement", en: "Revenue by payment method"}
description:
  fr: "Commandes, chiffre d'affaires, panier moyen et part de chaque moyen de paiement depuis le début, hors annulées."
  en: "Orders, revenue, average basket and share of each payment method since the start, cancelled orders excluded."
audience: [manager]
chart: {type: pie, x: PAYMENT_METHOD, y: REVENUE}
parameters: []
columns: [PAYMENT_METHOD, ORDER_COUNT, REVENUE, AVG_BASKET, REVENUE_SHARE_PCT]
---*/

with

METHOD_TOTALS as (

    select
        PAYMENT_METHOD,
        count(ORDER_ID) as ORDER_COUNT,
        sum(TOTAL_AMOUNT) as REVENUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS != 'cancelled'
    group by PAYMENT_METHOD

)

select
    PAYMENT_METHOD,
    ORDER_COUNT,
    REVENUE,
    round(REVENUE / ORDER_COUNT, 2) as AVG_BASKET,
    round(REVENUE * 100 / nullifzero(sum(REVENUE) over ()), 1) as REVENUE_SHARE_PCT
from METHOD_TOTALS
order by REVENUE desc, PAYMENT_METHOD asc
