/*---
id: top_products_by_revenue
section: 02_top
title: {fr: "Top produits par chiffre d'affaires", en: "Top products by revenue"}
description:
  fr: "Les vins qui rapportent le plus depuis le début, hors commandes annulées, par chiffre d'affaires décroissant."
  en: "The wines that brought in the most since the start, cancelled orders excluded, by decreasing revenue."
audience: [manager]
chart: {type: bar, x: PRODUCT_NAME, y: REVENUE}
parameters:
  - name: limit
    type: integer
    default: 10
    min: 1
    max: 1000
    label: {fr: "Nombre de produits", en: "Number of products"}
columns: [PRODUCT_ID, PRODUCT_NAME, UNITS_SOLD, REVENUE, PRODUCT_CATEGORY, ORDER_COUNT, REVENUE_RANK]
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
    row_number() over (order by REVENUE desc, PRODUCT_ID asc) as REVENUE_RANK
from PRODUCT_SALES
qualify REVENUE_RANK <= :limit
order by REVENUE_RANK asc
