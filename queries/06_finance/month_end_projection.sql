/*---
id: month_end_projection
section: 06_finance
title: {fr: "Projection de fin de mois", en: "Month-end projection"}
description:
  fr: >-
    Chiffre d'affaires du mois en cours (UTC) et projection à la fin du mois, comparée au mois précédent complet.
    La projection suit le profil de la boutique (chiffre d'affaires moyen par jour de la semaine et par heure sur
    les quatre dernières semaines) pour les heures qui restent, mis à l'échelle du mois en cours (pondéré par une
    semaine de profil, pour que les premières heures du mois ne la fassent pas s'envoler). Hors commandes annulées.
  en: >-
    Revenue of the current month (UTC) and its projection to the end of the month, compared with the whole
    previous month. The hours left follow the shop's profile (average revenue by weekday and hour over the last
    four weeks), scaled to how the month runs so far (weighted with one week of profile, so that the first hours
    of a month do not swing it). Cancelled orders excluded.
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
  - EXPECTED_ELAPSED
  - EXPECTED_MONTH
---*/

with

CLOCK as (

    select
        convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC,
        date_trunc(month, NOW_UTC::date)::date as MONTH_START,
        dateadd(month, 1, MONTH_START) as NEXT_MONTH_START,
        NOW_UTC::date as TODAY_UTC,
        datediff(second, MONTH_START, NOW_UTC) / 86400 as DAYS_ELAPSED,
        dayofmonth(last_day(MONTH_START)) as DAYS_IN_MONTH

),

REVENUES as (

    select
        sum(iff(ORD.ORDER_DATE >= CLOCK.MONTH_START, ORD.TOTAL_AMOUNT, 0)) as REVENUE_MTD,
        sum(iff(ORD.ORDER_DATE < CLOCK.MONTH_START, ORD.TOTAL_AMOUNT, 0)) as PREVIOUS_MONTH_REVENUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= dateadd(month, -1, CLOCK.MONTH_START)
        and ORD.ORDER_DATE <= CLOCK.NOW_UTC

),

PROFILE_WINDOW as (

    -- the last four full weeks, or what the shop has of them
    select
        CLOCK.TODAY_UTC as WINDOW_END,
        greatest(dateadd(day, -28, CLOCK.TODAY_UTC), min(ORD.ORDER_DATE)::date) as WINDOW_START,
        datediff(day, WINDOW_START, WINDOW_END) as WINDOW_DAYS
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    group by CLOCK.TODAY_UTC

),

PROFILE as (

    -- the revenue the shop makes in one hour of one weekday, on average
    select
        dayofweekiso(ORD.ORDER_DATE) as WEEKDAY_ISO,
        hour(ORD.ORDER_DATE) as HOUR_OF_DAY,
        sum(ORD.TOTAL_AMOUNT) * 7 / WIN.WINDOW_DAYS as HOURLY_REVENUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join PROFILE_WINDOW as WIN
    where
        ORD.ORDER_STATUS != 'cancelled'
        and WIN.WINDOW_DAYS > 0
        and ORD.ORDER_DATE >= WIN.WINDOW_START
        and ORD.ORDER_DATE < WIN.WINDOW_END
    group by WEEKDAY_ISO, HOUR_OF_DAY, WIN.WINDOW_DAYS

),

MONTH_HOURS as (

    select dateadd(hour, GEN.HOUR_NUMBER, CLOCK.MONTH_START) as HOUR_START
    from (
        select row_number() over (order by 1) - 1 as HOUR_NUMBER
        from table(generator(rowcount => 744))
    ) as GEN
    cross join CLOCK
    where dateadd(hour, GEN.HOUR_NUMBER, CLOCK.MONTH_START) < CLOCK.NEXT_MONTH_START

),

EXPECTED as (

    -- what the profile expects of the month, and of its part already gone (the current hour pro rata)
    select
        sum(PRF.HOURLY_REVENUE) as EXPECTED_MONTH,
        sum(
            PRF.HOURLY_REVENUE
            * least(1, greatest(0, datediff(second, MH.HOUR_START, CLOCK.NOW_UTC) / 3600))
        ) as EXPECTED_ELAPSED,
        (select sum(WEEK.HOURLY_REVENUE) from PROFILE as WEEK) as EXPECTED_WEEK
    from MONTH_HOURS as MH
    cross join CLOCK
    inner join PROFILE as PRF
        on
            dayofweekiso(MH.HOUR_START) = PRF.WEEKDAY_ISO
            and hour(MH.HOUR_START) = PRF.HOUR_OF_DAY

),

PROJECTION as (

    select
        coalesce(REV.REVENUE_MTD, 0) as REVENUE_MTD,
        coalesce(REV.PREVIOUS_MONTH_REVENUE, 0) as PREVIOUS_MONTH_REVENUE,
        EXP.EXPECTED_ELAPSED,
        EXP.EXPECTED_MONTH,
        -- month so far, plus the hours left at the profile scaled by (month so far + a week) / (expected + a week)
        coalesce(REV.REVENUE_MTD, 0)
        + (EXP.EXPECTED_MONTH - EXP.EXPECTED_ELAPSED)
        * (coalesce(REV.REVENUE_MTD, 0) + EXP.EXPECTED_WEEK)
        / nullifzero(EXP.EXPECTED_ELAPSED + EXP.EXPECTED_WEEK) as PROJECTED_REVENUE
    from REVENUES as REV
    cross join EXPECTED as EXP

)

select
    CLOCK.MONTH_START,
    PRJ.REVENUE_MTD,
    round(CLOCK.DAYS_ELAPSED, 2) as DAYS_ELAPSED,
    CLOCK.DAYS_IN_MONTH,
    round(PRJ.PROJECTED_REVENUE, 2) as PROJECTED_REVENUE,
    PRJ.PREVIOUS_MONTH_REVENUE,
    round((PRJ.PROJECTED_REVENUE - PRJ.PREVIOUS_MONTH_REVENUE) * 100 / nullifzero(PRJ.PREVIOUS_MONTH_REVENUE), 1)
        as PROJECTED_DELTA_PCT,
    round(PRJ.EXPECTED_ELAPSED, 2) as EXPECTED_ELAPSED,
    round(PRJ.EXPECTED_MONTH, 2) as EXPECTED_MONTH
from CLOCK
cross join PROJECTION as PRJ
