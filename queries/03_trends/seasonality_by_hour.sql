/*---
id: seasonality_by_hour
section: 03_trends
title: {fr: "Saisonnalité par heure", en: "Seasonality by hour of day"}
description:
  fr: >-
    À quelle heure (UTC) les clients commandent-ils ? Commandes, chiffre d'affaires et part de chaque heure sur les
    N derniers jours. Hors commandes annulées.
  en: >-
    At what time of day (UTC) do customers order? Orders, revenue and share of each hour over the last N days.
    Cancelled orders excluded.
audience: [manager]
chart: {type: bar, x: HOUR_OF_DAY, y: ORDER_COUNT}
parameters:
  - name: days
    type: integer
    default: 30
    min: 1
    max: 3660
    label: {fr: "Nombre de jours", en: "Number of days"}
columns: [HOUR_OF_DAY, ORDER_COUNT, REVENUE, ORDER_SHARE_PCT, AVG_BASKET]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

),

HOURLY_SALES as (

    select
        hour(ORD.ORDER_DATE) as HOUR_OF_DAY,
        count(ORD.ORDER_ID) as ORDER_COUNT,
        sum(ORD.TOTAL_AMOUNT) as REVENUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= dateadd(day, -:days, CLOCK.NOW_UTC)
    group by hour(ORD.ORDER_DATE)

)

select
    HOUR_OF_DAY,
    ORDER_COUNT,
    REVENUE,
    round(ORDER_COUNT * 100 / nullifzero(sum(ORDER_COUNT) over ()), 1) as ORDER_SHARE_PCT,
    round(REVENUE / ORDER_COUNT, 2) as AVG_BASKET
from HOURLY_SALES
order by HOUR_OF_DAY asc
