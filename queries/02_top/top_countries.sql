/*---
id: top_countries
section: 02_top
title: {fr: "Pays de livraison", en: "Top shipping countries"}
description:
  fr: "Les pays de livraison qui pèsent le plus : commandes, clients et chiffre d'affaires, hors commandes annulées."
  en: "The shipping countries that weigh the most: orders, customers and revenue, cancelled orders excluded."
audience: [manager]
chart: {type: bar, x: SHIPPING_COUNTRY, y: REVENUE}
parameters:
  - name: limit
    type: integer
    default: 10
    min: 1
    max: 300
    label: {fr: "Nombre de pays", en: "Number of countries"}
columns: [SHIPPING_COUNTRY, ORDER_COUNT, CUSTOMER_COUNT, REVENUE, REVENUE_SHARE_PCT]
---*/

with

COUNTRY_SALES as (

    select
        coalesce(SHIPPING_COUNTRY, 'unknown') as SHIPPING_COUNTRY,
        count(ORDER_ID) as ORDER_COUNT,
        count(distinct CUSTOMER_ID) as CUSTOMER_COUNT,
        sum(TOTAL_AMOUNT) as REVENUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS != 'cancelled'
    group by coalesce(SHIPPING_COUNTRY, 'unknown')

)

select
    SHIPPING_COUNTRY,
    ORDER_COUNT,
    CUSTOMER_COUNT,
    REVENUE,
    round(REVENUE * 100 / nullifzero(sum(REVENUE) over ()), 1) as REVENUE_SHARE_PCT
from COUNTRY_SALES
qualify row_number() over (order by REVENUE desc, SHIPPING_COUNTRY asc) <= :limit
order by REVENUE desc, SHIPPING_COUNTRY asc
