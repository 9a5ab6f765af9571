/*---
id: top_products_today
section: 02_top
title: {fr: "Meilleures ventes du jour", en: "Today's best sellers"}
description:
  fr: "Les vins les plus vendus aujourd'hui (jour UTC), en chiffre d'affaires, hors commandes annulées."
  en: "Today's best-selling wines (UTC day) by revenue, cancelled orders excluded."
audience: [manager, warehouse]
chart: {type: bar, x: PRODUCT_NAME, y: REVENUE}
parameters:
  - name: limit
    type: integer
    default: 10
    min: 1
    max: 1000
    label: {fr: "Nombre de produits", en: "Number of products"}
columns: [PRODUCT_ID, PRODUCT_NAME, UNITS_SOLD, REVENUE, ORDER_COUNT]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::date as TODAY_UTC

),

TODAY_SALES as (

    select
        ORD.PRODUCT_ID,
        max(ORD.PRODUCT_NAME) as PRODUCT_NAME,
        sum(ORD.QUANTITY) as UNITS_SOLD,
        sum(ORD.TOTAL_AMOUNT) as REVENUE,
        count(ORD.ORDER_ID) as ORDER_COUNT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= CLOCK.TODAY_UTC
        and ORD.ORDER_DATE < dateadd(day, 1, CLOCK.TODAY_UTC)
    group by ORD.PRODUCT_ID

)

select
    PRODUCT_ID,
    PRODUCT_NAME,
    UNITS_SOLD,
    REVENUE,
    ORDER_COUNT
from TODAY_SALES
qualify row_number() over (order by REVENUE desc, PRODUCT_ID asc) <= :limit
order by REVENUE desc, PRODUCT_ID asc
