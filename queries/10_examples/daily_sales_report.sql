/*---
id: daily_sales_report
section: 10_examples
title: {fr: "Ventes d'une journée", en: "Sales of one day"}
description:
  fr: >-
    Commandes, bouteilles, chiffre d'affaires, panier moyen et part de chaque catégorie pour une journée UTC donnée
    (aujourd'hui par défaut). Hors commandes annulées.
  en: >-
    Orders, bottles, revenue, average basket and share of each category for a given UTC day (today by default).
    Cancelled orders excluded.
audience: [manager]
chart: {type: bar, x: PRODUCT_CATEGORY, y: REVENUE}
parameters:
  - name: report_date
    type: date
    default: today
    min: 2000-01-01
    max: today+1
    label: {fr: "Jour (UTC)", en: "Day (UTC)"}
columns: [PRODUCT_CATEGORY, ORDER_COUNT, UNITS_SOLD, REVENUE, AVG_BASKET, REVENUE_SHARE_PCT]
---*/

with

DAY_ORDERS as (

    select
        PRODUCT_CATEGORY,
        ORDER_ID,
        QUANTITY,
        TOTAL_AMOUNT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where
        ORDER_STATUS != 'cancelled'
        and ORDER_DATE >= cast(:report_date as date)
        and ORDER_DATE < dateadd(day, 1, cast(:report_date as date))

),

CATEGORY_SALES as (

    select
        PRODUCT_CATEGORY,
        count(ORDER_ID) as ORDER_COUNT,
        sum(QUANTITY) as UNITS_SOLD,
        sum(TOTAL_AMOUNT) as REVENUE
    from DAY_ORDERS
    group by PRODUCT_CATEGORY

)

select
    PRODUCT_CATEGORY,
    ORDER_COUNT,
    UNITS_SOLD,
    REVENUE,
    round(REVENUE / ORDER_COUNT, 2) as AVG_BASKET,
    round(REVENUE * 100 / nullifzero(sum(REVENUE) over ()), 1) as REVENUE_SHARE_PCT
from CATEGORY_SALES
order by REVENUE desc, PRODUCT_CATEGORY asc
