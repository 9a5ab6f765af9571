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

-- A product's name and category are grouped on first, then collapsed with max(): grouping on these short strings
-- is much cheaper than taking their max() over every order.
PRODUCT_NAME_SALES as (

    select
        PRODUCT_ID,
        PRODUCT_NAME,
        PRODUCT_CATEGORY,
        count(ORDER_ID) as ORDER_COUNT,
        sum(QUANTITY) as UNITS_SOLD,
        sum(TOTAL_AMOUNT) as REVENUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS != 'cancelled'
    group by PRODUCT_ID, PRODUCT_NAME, PRODUCT_CATEGORY

),

PRODUCT_SALES as (

    select
        PRODUCT_ID,
        max(PRODUCT_NAME) as PRODUCT_NAME,
        max(PRODUCT_CATEGORY) as PRODUCT_CATEGORY,
        -- cast back to the type of a count (locally a sum of counts would come out as a wider integer)
        sum(ORDER_COUNT)::bigint as ORDER_COUNT,
        sum(UNITS_SOLD) as UNITS_SOLD,
        sum(REVENUE) as REVENUE
    from PRODUCT_NAME_SALES
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
