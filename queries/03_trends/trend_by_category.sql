/*---
id: trend_by_category
section: 03_trends
title: {fr: "Tendance par catégorie", en: "Trend by category"}
description:
  fr: "Chiffre d'affaires et bouteilles par jour (UTC) et par catégorie sur les N derniers jours, hors annulées."
  en: "Revenue and bottles sold per UTC day and category over the last N days, cancelled orders excluded."
audience: [manager]
chart: {type: line, x: ORDER_DAY, y: REVENUE, color: PRODUCT_CATEGORY}
parameters:
  - name: days
    type: integer
    default: 30
    min: 1
    max: 1000
    label: {fr: "Nombre de jours", en: "Number of days"}
columns: [ORDER_DAY, PRODUCT_CATEGORY, ORDER_COUNT, UNITS_SOLD, REVENUE]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::date as TODAY_UTC

),

VALID_ORDERS as (

    select
        ORD.ORDER_ID,
        ORD.PRODUCT_CATEGORY,
        ORD.QUANTITY,
        ORD.TOTAL_AMOUNT,
        ORD.ORDER_DATE::date as ORDER_DAY
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= dateadd(day, 1 - :days, CLOCK.TODAY_UTC)
        and ORD.ORDER_DATE < dateadd(day, 1, CLOCK.TODAY_UTC)

)

select
    ORDER_DAY,
    PRODUCT_CATEGORY,
    count(ORDER_ID) as ORDER_COUNT,
    sum(QUANTITY) as UNITS_SOLD,
    sum(TOTAL_AMOUNT) as REVENUE
from VALID_ORDERS
group by ORDER_DAY, PRODUCT_CATEGORY
order by ORDER_DAY asc, PRODUCT_CATEGORY asc
