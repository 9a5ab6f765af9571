/*---
id: revenue_cumulative_month
section: 03_trends
title: {fr: "Cumul du mois contre le mois précédent", en: "Month-to-date cumulative vs last month"}
description:
  fr: >-
    Chiffre d'affaires cumulé jour après jour dans le mois en cours et dans le mois précédent (UTC), pour voir si le
    mois est en avance ou en retard. Hors commandes annulées.
  en: >-
    Revenue accumulated day by day in the current and in the previous month (UTC), to see whether the month is
    ahead or behind. Cancelled orders excluded.
audience: [manager]
chart: {type: line, x: DAY_OF_MONTH, y: [CURRENT_MONTH_CUMULATIVE, PREVIOUS_MONTH_CUMULATIVE]}
parameters: []
columns: [DAY_OF_MONTH, CURRENT_MONTH_CUMULATIVE, PREVIOUS_MONTH_CUMULATIVE]
---*/

with recursive

CLOCK as (

    select
        convert_timezone('UTC', current_timestamp())::date as TODAY_UTC,
        date_trunc(month, convert_timezone('UTC', current_timestamp())::date)::date as MONTH_START

),

MONTH_DAYS (DAY_OF_MONTH) as (

    select 1 as DAY_OF_MONTH
    union all
    select DAY_OF_MONTH + 1 as DAY_OF_MONTH
    from MONTH_DAYS
    where DAY_OF_MONTH < 31

),

DAILY_SALES as (

    select
        dayofmonth(ORD.ORDER_DATE) as DAY_OF_MONTH,
        sum(iff(ORD.ORDER_DATE >= CLOCK.MONTH_START, ORD.TOTAL_AMOUNT, 0)) as CURRENT_REVENUE,
        sum(iff(ORD.ORDER_DATE < CLOCK.MONTH_START, ORD.TOTAL_AMOUNT, 0)) as PREVIOUS_REVENUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= dateadd(month, -1, CLOCK.MONTH_START)
        and ORD.ORDER_DATE < dateadd(day, 1, CLOCK.TODAY_UTC)
    group by dayofmonth(ORD.ORDER_DATE)

),

CUMULATIVE as (

    select
        MD.DAY_OF_MONTH,
        sum(coalesce(SAL.CURRENT_REVENUE, 0)) over (
            order by MD.DAY_OF_MONTH asc rows between unbounded preceding and current row
        ) as CURRENT_MONTH_CUMULATIVE,
        sum(coalesce(SAL.PREVIOUS_REVENUE, 0)) over (
            order by MD.DAY_OF_MONTH asc rows between unbounded preceding and current row
        ) as PREVIOUS_MONTH_CUMULATIVE
    from MONTH_DAYS as MD
    left join DAILY_SALES as SAL
        on MD.DAY_OF_MONTH = SAL.DAY_OF_MONTH

)

select
    CUM.DAY_OF_MONTH,
    iff(CUM.DAY_OF_MONTH <= dayofmonth(CLOCK.TODAY_UTC), CUM.CURRENT_MONTH_CUMULATIVE, null)
        as CURRENT_MONTH_CUMULATIVE,
    iff(
        CUM.DAY_OF_MONTH <= dayofmonth(last_day(dateadd(month, -1, CLOCK.MONTH_START))),
        CUM.PREVIOUS_MONTH_CUMULATIVE,
        null
    ) as PREVIOUS_MONTH_CUMULATIVE
from CUMULATIVE as CUM
cross join CLOCK
order by CUM.DAY_OF_MONTH asc
