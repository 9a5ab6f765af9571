/*---
id: month_end_projection
section: 06_finance
title: {fr: "Projection de fin de mois", en: "Month-end projection"}
description:
  fr: >-
    Chiffre d'affaires du mois en cours (UTC) et projection linéaire à la fin du mois au rythme observé depuis le
    1er, comparée au mois précédent complet. Hors commandes annulées.
  en: >-
    Revenue of the current month (UTC) and a straight-line projection to the end of the month at the pace seen
    since the 1st, compared with the whole previous month. Cancelled orders excluded.
audience: [manager]
chart: {type: kpi}
parameters: []
columns:
  - MONTH_START
  - REVENUE_MTD
  - DAYS_ELAPSED
  - DAYS_IN_MONTH
  - PROJECTED_REVENUE
  - PREVIOUS_MONTH_REVENUE
  - PROJECTED_DELTA_PCT
---*/

with

CLOCK as (

    select
        convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC,
        date_trunc(month, convert_timezone('UTC', current_timestamp())::date)::date as MONTH_START

),

MONTH_FACTS as (

    select
        NOW_UTC,
        MONTH_START,
        datediff(second, MONTH_START, NOW_UTC) / 86400 as DAYS_ELAPSED,
        dayofmonth(last_day(MONTH_START)) as DAYS_IN_MONTH
    from CLOCK

),

REVENUES as (

    select
        sum(iff(ORD.ORDER_DATE >= MF.MONTH_START, ORD.TOTAL_AMOUNT, 0)) as REVENUE_MTD,
        sum(iff(ORD.ORDER_DATE < MF.MONTH_START, ORD.TOTAL_AMOUNT, 0)) as PREVIOUS_MONTH_REVENUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join MONTH_FACTS as MF
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= dateadd(month, -1, MF.MONTH_START)
        and ORD.ORDER_DATE <= MF.NOW_UTC

)

select
    MF.MONTH_START,
    coalesce(REV.REVENUE_MTD, 0) as REVENUE_MTD,
    round(MF.DAYS_ELAPSED, 2) as DAYS_ELAPSED,
    MF.DAYS_IN_MONTH,
    round(coalesce(REV.REVENUE_MTD, 0) * MF.DAYS_IN_MONTH / nullifzero(MF.DAYS_ELAPSED), 2) as PROJECTED_REVENUE,
    coalesce(REV.PREVIOUS_MONTH_REVENUE, 0) as PREVIOUS_MONTH_REVENUE,
    round(
        (coalesce(REV.REVENUE_MTD, 0) * MF.DAYS_IN_MONTH / nullifzero(MF.DAYS_ELAPSED) - REV.PREVIOUS_MONTH_REVENUE)
        * 100 / nullifzero(REV.PREVIOUS_MONTH_REVENUE),
        1
    ) as PROJECTED_DELTA_PCT
from MONTH_FACTS as MF
cross join REVENUES as REV
