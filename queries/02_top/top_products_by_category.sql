/*---
id: top_products_by_category
section: 02_top
title: {fr: "Meilleurs vins de chaque catégorie", en: "Best wines in each category"}
description:
  fr: "Les N vins au plus fort chiffre d'affaires dans chaque catégorie, hors commandes annulées."
  en: "The N wines with the highest revenue in each category, cancelled orders excluded."
audience: [manager]
chart: {type: bar, x: PRODUCT_NAME, y: REVENUE, color: PRODUCT_CATEGORY}
parameters:
  - name: per_category
    type: integer
    default: 3
    min: 1
    max: 100
    label: {fr: "Vins par catégorie", en: "Wines per category"}
columns: [PRODUCT_CATEGORY, CATEGORY_RANK, PRODUCT_ID, PRODUCT_NAME, UNITS_SOLD, REVENUE]
---*/

with

-- A product's name is grouped on first, then collapsed with max(): grouping on a short string is much cheaper
-- than taking its max() over every order.
PRODUCT_NAME_SALES as (

    select
        PRODUCT_CATEGORY,
        PRODUCT_ID,
        PRODUCT_NAME,
        sum(QUANTITY) as UNITS_SOLD,
        sum(TOTAL_AMOUNT) as REVENUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS != 'cancelled'
    group by PRODUCT_CATEGORY, PRODUCT_ID, PRODUCT_NAME

),

PRODUCT_SALES as (

    select
        PRODUCT_CATEGORY,
        PRODUCT_ID,
        max(PRODUCT_NAME) as PRODUCT_NAME,
        sum(UNITS_SOLD) as UNITS_SOLD,
        sum(REVENUE) as REVENUE
    from PRODUCT_NAME_SALES
    group by PRODUCT_CATEGORY, PRODUCT_ID

)

select
    PRODUCT_CATEGORY,
    row_number() over (partition by PRODUCT_CATEGORY order by REVENUE desc, PRODUCT_ID asc) as CATEGORY_RANK,
    PRODUCT_ID,
    PRODUCT_NAME,
    UNITS_SOLD,
    REVENUE
from PRODUCT_SALES
qualify CATEGORY_RANK <= :per_category
order by PRODUCT_CATEGORY asc, CATEGORY_RANK asc
