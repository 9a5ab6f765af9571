/*---
id: category_performance
section: 07_product_performance
title: {fr: "Performance par catégorie", en: "Category performance"}
description:
  fr: >-
    Pour chaque catégorie sur les N derniers jours : vins vendus, bouteilles, chiffre d'affaires, prix payé moyen
    par bouteille et évolution du chiffre d'affaires par rapport aux N jours précédents. Hors commandes annulées.
  en: >-
    For each category over the last N days: wines sold, bottles, revenue, average price paid per bottle and change
    in revenue against the N days before. Cancelled orders excluded.
audience: [manager]
chart: {type: bar, x: PRODUCT_CATEGORY, y: REVENUE}
parameters:
  - name: days
    type: integer
    default: 30
    min: 1
    max: 1830
    label: {fr: "Jours par période", en: "Days per period"}
columns:
  - PRODUCT_CATEGORY
  - PRODUCTS_SOLD
  - UNITS_SOLD
  - REVENUE
  - AVG_PRICE_PAID
  - REVENUE_PREVIOUS
  - DELTA_PCT
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

),

TAGGED_ORDERS as (

    select
        ORD.PRODUCT_CATEGORY,
        ORD.PRODUCT_ID,
        ORD.QUANTITY,
        ORD.TOTAL_AMOUNT,
        ORD.ORDER_DATE >= dateadd(day, -:days, CLOCK.NOW_UTC) as IS_CURRENT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= dateadd(day, -2 * :days, CLOCK.NOW_UTC)
        and ORD.ORDER_DATE <= CLOCK.NOW_UTC

),

CATEGORY_SALES as (

    select
        PRODUCT_CATEGORY,
        count(distinct iff(IS_CURRENT, PRODUCT_ID, null)) as PRODUCTS_SOLD,
        sum(iff(IS_CURRENT, QUANTITY, 0)) as UNITS_SOLD,
        sum(iff(IS_CURRENT, TOTAL_AMOUNT, 0)) as REVENUE,
        sum(iff(IS_CURRENT, 0, TOTAL_AMOUNT)) as REVENUE_PREVIOUS
    from TAGGED_ORDERS
    group by PRODUCT_CATEGORY

)

select
    PRODUCT_CATEGORY,
    PRODUCTS_SOLD,
    UNITS_SOLD,
    REVENUE,
    round(REVENUE / nullifzero(UNITS_SOLD), 2) as AVG_PRICE_PAID,
    REVENUE_PREVIOUS,
    round((REVENUE - REVENUE_PREVIOUS) * 100 / nullifzero(REVENUE_PREVIOUS), 1) as DELTA_PCT
from CATEGORY_SALES
order by REVENUE desc, PRODUCT_CATEGORY asc
