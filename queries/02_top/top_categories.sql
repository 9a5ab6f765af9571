/*---
id: top_categories
section: 02_top
title: {fr: "Catégories les plus vendues", en: "Top categories"}
description:
  fr: >-
    Rouge, Blanc, Champagne... : commandes, bouteilles, chiffre d'affaires et part du chiffre d'affaires de chaque
    catégorie sur les N derniers jours, hors commandes annulées.
  en: >-
    Red, white, Champagne...: orders, bottles, revenue and revenue share of each category over the last N days,
    cancelled orders excluded.
audience: [manager]
chart: {type: pie, x: PRODUCT_CATEGORY, y: REVENUE}
parameters:
  - name: days
    type: integer
    default: 30
    min: 1
    max: 3660
    label: {fr: "Nombre de jours", en: "Number of days"}
columns: [PRODUCT_CATEGORY, ORDER_COUNT, UNITS_SOLD, REVENUE, REVENUE_SHARE_PCT]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

),

CATEGORY_SALES as (

    select
        ORD.PRODUCT_CATEGORY,
        count(ORD.ORDER_ID) as ORDER_COUNT,
        sum(ORD.QUANTITY) as UNITS_SOLD,
        sum(ORD.TOTAL_AMOUNT) as REVENUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= dateadd(day, -:days, CLOCK.NOW_UTC)
    group by ORD.PRODUCT_CATEGORY

)

select
    PRODUCT_CATEGORY,
    ORDER_COUNT,
    UNITS_SOLD,
    REVENUE,
    round(REVENUE * 100 / nullifzero(sum(REVENUE) over ()), 1) as REVENUE_SHARE_PCT
from CATEGORY_SALES
order by REVENUE desc, PRODUCT_CATEGORY asc
