/*---
id: revenue_moving_average
section: 03_trends
title: {fr: "Chiffre d'affaires et moyenne mobile 7 jours", en: "Revenue with a 7-day moving average"}
description:
  fr: >-
    Chiffre d'affaires et commandes de chacun des N derniers jours UTC, lissés par une moyenne mobile sur 7 jours
    (jours sans commande comptés à zéro). Hors commandes annulées.
  en: >-
    Revenue and orders for each of the last N UTC days, smoothed with a 7-day moving average (days without
    orders count as zero). Cancelled orders excluded.
audience: [manager]
chart: {type: line, x: ORDER_DAY, y: [REVENUE, REVENUE_7D_AVG]}
parameters:
  - name: days
    type: integer
    default: 60
    min: 1
    max: 1000
    label: {fr: "Nombre de jours", en: "Number of days"}
columns: [ORDER_DAY, ORDER_COUNT, REVENUE, ORDERS_7D_AVG, REVENUE_7D_AVG]
---*/

with recursive

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::date as TODAY_UTC

),

-- six extra days before the window so that its first day already has a full 7-day average
CALENDAR (ORDER_DAY, END_DAY) as (

    select
        dateadd(day, -5 - :days, TODAY_UTC)::date as ORDER_DAY,
        TODAY_UTC as END_DAY
    from CLOCK
    union all
    select
        dateadd(day, 1, ORDER_DAY)::date as ORDER_DAY,
        END_DAY
    from CALENDAR
    where ORDER_DAY < END_DAY

),

DAILY_SALES as (

    select
        ORD.ORDER_DATE::date as ORDER_DAY,
        count(ORD.ORDER_ID) as ORDER_COUNT,
        sum(ORD.TOTAL_AMOUNT) as REVENUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= dateadd(day, -5 - :days, CLOCK.TODAY_UTC)
        and ORD.ORDER_DATE < dateadd(day, 1, CLOCK.TODAY_UTC)
    group by ORD.ORDER_DATE::date

),

SERIES as (

    select
        CAL.ORDER_DAY,
        CAL.END_DAY,
        coalesce(SAL.ORDER_COUNT, 0) as ORDER_COUNT,
        coalesce(SAL.REVENUE, 0) as REVENUE
    from CALENDAR as CAL
    left join DAILY_SALES as SAL
        on CAL.ORDER_DAY = SAL.ORDER_DAY

),

SMOOTHED as (

    select
        ORDER_DAY,
        END_DAY,
        ORDER_COUNT,
        REVENUE,
        avg(ORDER_COUNT) over (order by ORDER_DAY asc rows between 6 preceding and current row) as ORDERS_7D_AVG,
        avg(REVENUE) over (order by ORDER_DAY asc rows between 6 preceding and current row) as REVENUE_7D_AVG
    from SERIES

)

select
    ORDER_DAY,
    ORDER_COUNT,
    REVENUE,
    round(ORDERS_7D_AVG, 1) as ORDERS_7D_AVG,
    round(REVENUE_7D_AVG, 2) as REVENUE_7D_AVG
from SMOOTHED
where ORDER_DAY > dateadd(day, -:days, END_DAY)
order by ORDER_DAY asc
