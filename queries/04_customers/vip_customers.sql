/*---
id: vip_customers
section: 04_customers
title: {fr: "Clients VIP", en: "VIP customers"}
description:
  fr: "Les clients dont le total des achats (hors commandes annulées) dépasse strictement le montant donné, en euros."
  en: "Customers whose total spend (cancelled orders excluded) is strictly above the given amount, in euros."
audience: [manager]
chart: {type: bar, x: CUSTOMER_ID, y: LIFETIME_VALUE}
parameters:
  - name: min_value
    type: number
    default: 1000
    min: 0
    max: 100000000
    label: {fr: "Montant minimum (EUR)", en: "Minimum spend (EUR)"}
columns: [CUSTOMER_ID, ORDER_COUNT, LIFETIME_VALUE, AVG_BASKET, LAST_ORDER_AT]
---*/

with

CUSTOMER_TOTALS as (

    select
        CUSTOMER_ID,
        count(ORDER_ID) as ORDER_COUNT,
        sum(TOTAL_AMOUNT) as LIFETIME_VALUE,
        max(ORDER_DATE) as LAST_ORDER_AT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS != 'cancelled'
    group by CUSTOMER_ID

)

select
    CUSTOMER_ID,
    ORDER_COUNT,
    LIFETIME_VALUE,
    round(LIFETIME_VALUE / ORDER_COUNT, 2) as AVG_BASKET,
    LAST_ORDER_AT
from CUSTOMER_TOTALS
where LIFETIME_VALUE > :min_value
order by LIFETIME_VALUE desc, CUSTOMER_ID asc
