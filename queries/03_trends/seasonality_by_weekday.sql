/*---
id: seasonality_by_weekday
section: 03_trends
title: {fr: "Saisonnalité par jour de la semaine", en: "Seasonality by weekday"}
description:
  fr: >-
    Quels jours de la semaine vend-on le plus ? Commandes, chiffre d'affaires, part et chiffre d'affaires moyen par
    jour (lundi = 1, jour UTC) sur les N derniers jours. Hors commandes annulées.
  en: >-
    Which weekdays sell the most? Orders, revenue, share and average revenue per day (Monday = 1, UTC day) over
    the last N days. Cancelled orders excluded.
audience: [manager]
chart: {type: bar, x: WEEKDAY_NAME, y: REVENUE}
parameters:
  - name: days
    type: integer
    default: 90
    min: 7
    max: 3660
    label: {fr: "Nombre de jours", en: "Number of days"}
columns: [WEEKDAY_ISO, WEEKDAY_NAME, ORDER_COUNT, REVENUE, REVENUE_SHARE_PCT, AVG_REVENUE_PER_DAY]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

),

VALID_ORDERS as (

    select
        ORD.ORDER_ID,
        ORD.TOTAL_AMOUNT,
        ORD.ORDER_DATE::date as ORDER_DAY,
        dayofweekiso(ORD.ORDER_DATE) as WEEKDAY_ISO
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= dateadd(day, -:days, CLOCK.NOW_UTC)

),

WEEKDAY_SALES as (

    select
        WEEKDAY_ISO,
        count(ORDER_ID) as ORDER_COUNT,
        sum(TOTAL_AMOUNT) as REVENUE,
        count(distinct ORDER_DAY) as SELLING_DAYS
    from VALID_ORDERS
    group by WEEKDAY_ISO

)

select
    WEEKDAY_ISO,
    case WEEKDAY_ISO
        when 1 then 'Monday'
        when 2 then 'Tuesday'
        when 3 then 'Wednesday'
        when 4 then 'Thursday'
        when 5 then 'Friday'
        when 6 then 'Saturday'
        else 'Sunday'
    end as WEEKDAY_NAME,
    ORDER_COUNT,
    REVENUE,
    round(REVENUE * 100 / nullifzero(sum(REVENUE) over ()), 1) as REVENUE_SHARE_PCT,
    round(REVENUE / SELLING_DAYS, 2) as AVG_REVENUE_PER_DAY
from WEEKDAY_SALES
order by WEEKDAY_ISO asc
