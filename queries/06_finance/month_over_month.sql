/*---
id: month_over_month
section: 06_finance
title: {fr: "Évolution mois par mois", en: "Month over month"}
description:
  fr: >-
    Chiffre d'affaires et commandes de chacun des N derniers mois calendaires (UTC, mois en cours compris, mois sans
    vente à zéro), comparés au mois précédent. Hors commandes annulées.
  en: >-
    Revenue and orders for each of the last N calendar months (UTC, current month included, months without sales
    at zero), compared with the month before. Cancelled orders excluded.
audience: [manager]
chart: {type: bar, x: MONTH_START, y: REVENUE}
parameters:
  - name: months
    type: integer
    default: 12
    min: 1
    max: 120
    label: {fr: "Nombre de mois", en: "Number of months"}
columns:
  - MONTH_START
  - ORDER_COUNT
  - REVENUE
  - PREVIOUS_MONTH_REVENUE
  - REVENUE_DELTA
  - REVENUE_DELTA_PCT
  - ORDER_DELTA_PCT
---*/

with recursive

CLOCK as (

    select date_trunc(month, convert_timezone('UTC', current_timestamp())::date)::date as CURRENT_MONTH_START

),

-- one month more than shown, so that the first month shown has a previous month to compare with
CALENDAR (MONTH_START, END_MONTH) as (

    select
        dateadd(month, -:months, CURRENT_MONTH_START)::date as MONTH_START,
        CURRENT_MONTH_START as END_MONTH
    from CLOCK
    union all
    select
        dateadd(month, 1, MONTH_START)::date as MONTH_START,
        END_MONTH
    from CALENDAR
    where MONTH_START < END_MONTH

),

MONTHLY_SALES as (

    select
        date_trunc(month, ORD.ORDER_DATE)::date as MONTH_START,
        count(ORD.ORDER_ID) as ORDER_COUNT,
        sum(ORD.TOTAL_AMOUNT) as REVENUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= dateadd(month, -:months, CLOCK.CURRENT_MONTH_START)
    group by date_trunc(month, ORD.ORDER_DATE)::date

),

SERIES as (

    select
        CAL.MONTH_START,
        CAL.END_MONTH,
        coalesce(SAL.ORDER_COUNT, 0) as ORDER_COUNT,
        coalesce(SAL.REVENUE, 0) as REVENUE,
        lag(coalesce(SAL.ORDER_COUNT, 0)) over (order by CAL.MONTH_START asc) as PREVIOUS_ORDER_COUNT,
        lag(coalesce(SAL.REVENUE, 0)) over (order by CAL.MONTH_START asc) as PREVIOUS_MONTH_REVENUE
    from CALENDAR as CAL
    left join MONTHLY_SALES as SAL
        on CAL.MONTH_START = SAL.MONTH_START

)

select
    MONTH_START,
    ORDER_COUNT,
    REVENUE,
    PREVIOUS_MONTH_REVENUE,
    REVENUE - PREVIOUS_MONTH_REVENUE as REVENUE_DELTA,
    round((REVENUE - PREVIOUS_MONTH_REVENUE) * 100 / nullifzero(PREVIOUS_MONTH_REVENUE), 1) as REVENUE_DELTA_PCT,
    round((ORDER_COUNT - PREVIOUS_ORDER_COUNT) * 100 / nullifzero(PREVIOUS_ORDER_COUNT), 1) as ORDER_DELTA_PCT
from SERIES
where MONTH_START > dateadd(month, -:months, END_MONTH)
order by MONTH_START asc
