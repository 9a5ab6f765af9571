/*---
id: abc_analysis
section: 07_product_performance
title: {fr: "Analyse ABC (Pareto)", en: "ABC analysis (Pareto)"}
description:
  fr: >-
    Les vins classés par chiffre d'affaires décroissant (hors commandes annulées) avec leur part cumulée (de 0 à 1) :
    classe A jusqu'à 80 % du chiffre d'affaires cumulé, B jusqu'à 95 %, C au-delà.
  en: >-
    Wines ranked by decreasing revenue (cancelled orders excluded) with their cumulative share (0 to 1): class A up
    to 80 % of cumulative revenue, B up to 95 %, C beyond.
audience: [manager]
chart: {type: bar, x: PRODUCT_NAME, y: REVENUE, color: ABC_CLASS}
parameters: []
columns:
  - PRODUCT_ID
  - PRODUCT_NAME
  - REVENUE
  - CUMULATIVE_SHARE
  - ABC_CLASS
  - PRODUCT_CATEGORY
  - UNITS_SOLD
  - REVENUE_SHARE
  - REVENUE_RANK
---*/

with

-- A product's name and category are grouped on first, then collapsed with max(): grouping on these short strings
-- is much cheaper than taking their max() over every order.
PRODUCT_NAME_REVENUE as (

    select
        PRODUCT_ID,
        PRODUCT_NAME,
        PRODUCT_CATEGORY,
        sum(QUANTITY) as UNITS_SOLD,
        sum(TOTAL_AMOUNT) as REVENUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS != 'cancelled'
    group by PRODUCT_ID, PRODUCT_NAME, PRODUCT_CATEGORY

),

PRODUCT_REVENUE as (

    select
        PRODUCT_ID,
        max(PRODUCT_NAME) as PRODUCT_NAME,
        max(PRODUCT_CATEGORY) as PRODUCT_CATEGORY,
        sum(UNITS_SOLD) as UNITS_SOLD,
        sum(REVENUE) as REVENUE
    from PRODUCT_NAME_REVENUE
    group by PRODUCT_ID

),

-- a rows frame, so that two products with the same revenue still get distinct cumulative shares
CUMULATED as (

    select
        PRODUCT_ID,
        PRODUCT_NAME,
        PRODUCT_CATEGORY,
        UNITS_SOLD,
        REVENUE,
        row_number() over (order by REVENUE desc, PRODUCT_ID asc) as REVENUE_RANK,
        round(REVENUE / nullifzero(sum(REVENUE) over ()), 6) as REVENUE_SHARE,
        round(
            sum(REVENUE) over (order by REVENUE desc, PRODUCT_ID asc rows between unbounded preceding and current row)
            / nullifzero(sum(REVENUE) over ()),
            6
        ) as CUMULATIVE_SHARE
    from PRODUCT_REVENUE

)

select
    PRODUCT_ID,
    PRODUCT_NAME,
    REVENUE,
    CUMULATIVE_SHARE,
    case
        when CUMULATIVE_SHARE <= 0.80 then 'A'
        when CUMULATIVE_SHARE <= 0.95 then 'B'
        else 'C'
    end as ABC_CLASS,
    PRODUCT_CATEGORY,
    UNITS_SOLD,
    REVENUE_SHARE,
    REVENUE_RANK
from CUMULATED
order by REVENUE_RANK asc
