/*---
id: top_products_by_units
section: 02_top
title: {fr: "Top produits par bouteilles vendues", en: "Top products by units sold"}
description:
  fr: "Les vins les plus vendus en nombre de bouteilles depuis le début, hors commandes annulées."
  en: "The wines sold in the largest number of bottles since the start, cancelled orders excluded."
audience: [manager, warehouse]
chart: {type: bar, x: PRODUCT_NAME, y: UNITS_SOLD}
parameters:
  - name: limit
    type: integer
    default: 10
    min: 1
    max: 1000
    label: {fr: "Nombre de produits", en: "Number of products"}
columns: [PRODUCT_ID, PRODUCT_NAME, UNITS_SOLD, REVENUE, PRODUCT_CATEGORY, ORDER_COUNT, UNITS_RANK]
---*/

with

VALID_ORDERS as (

    select
        ---------- ids
        ORDER_ID,
        PRODUCT_ID,

        ---------- product
        PRODUCT_NAME,
        PRODUCT_CATEGORY,

        ---------- numerics
        QUANTITY,
        TOTAL_AMOUNT

    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS != 'cancelled'

),

PRODUCT_SALES as (

    select
        PRODUCT_ID,
        max(PRODUCT_NAME) as PRODUCT_NAME,
        max(PRODUCT_CATEGORY) as PRODUCT_CATEGORY,
        count(ORDER_ID) as ORDER_COUNT,
        sum(QUANTITY) as UNITS_SOLD,
        sum(TOTAL_AMOUNT) as REVENUE
    from VALID_ORDERS
    group by PRODUCT_ID

)

select
    PRODUCT_ID,
    PRODUCT_NAME,
    UNITS_SOLD,
    REVENUE,
    PRODUCT_CATEGORY,
    ORDER_COUNT,
    row_number() over (order by UNITS_SOLD desc, REVENUE desc, PRODUCT_ID asc) as UNITS_RANK
from PRODUCT_SALES
qualify UNITS_RANK <= :limit
order by UNITS_RANK asc
