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
    row_number() over (order by REVENUE desc, PRODUCT_ID asc) as REVENUE_RANK
from PRODUCT_SALES
qualify REVENUE_RANK <= :limit
order by REVENUE_RANK asc
