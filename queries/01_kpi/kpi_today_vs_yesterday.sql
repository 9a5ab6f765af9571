/*---
id: kpi_today_vs_yesterday
section: 01_kpi
title: {fr: "Aujourd'hui contre hier", en: "Today vs yesterday"}
description:
  fr: >-
    Commandes, chiffre d'affaires, clients, panier moyen et bouteilles vendues : journée en cours (UTC) contre
    hier jusqu'à la même heure (YESTERDAY_UNTIL), avec l'écart en pourcentage (vide si hier vaut zéro), pour
    qu'une journée commencée se compare à une journée commencée. Hors commandes annulées.
  en: >-
    Orders, revenue, customers, average basket and bottles sold: the current UTC day so far against yesterday
    up to the same time of day (YESTERDAY_UNTIL), with the change in percent (empty when yesterday is zero), so
    that a partial day compares with a partial day. Cancelled orders excluded.
audience: [manager]
chart: {type: bar, x: METRIC, y: [TODAY, YESTERDAY]}
parameters: []
columns: [METRIC, TODAY, YESTERDAY, DELTA_PCT, METRIC_ORDER, YESTERDAY_UNTIL]
---*/

with

CLOCK as (

    select
        convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC,
        NOW_UTC::date as TODAY_UTC,
        dateadd(day, -1, NOW_UTC) as YESTERDAY_UNTIL

),

RECENT_ORDERS as (

    select
        ORD.ORDER_ID,
        ORD.CUSTOMER_ID,
        ORD.QUANTITY,
        ORD.TOTAL_AMOUNT,
        ORD.ORDER_DATE >= CLOCK.TODAY_UTC as IS_TODAY
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= dateadd(day, -1, CLOCK.TODAY_UTC)
        and ORD.ORDER_DATE <= CLOCK.NOW_UTC
        -- yesterday only up to the same time of day
        and (ORD.ORDER_DATE >= CLOCK.TODAY_UTC or ORD.ORDER_DATE <= CLOCK.YESTERDAY_UNTIL)

),

DAY_TOTALS as (

    select
        ---------- today
        count(iff(IS_TODAY, ORDER_ID, null)) as ORDERS_T,
        coalesce(sum(iff(IS_TODAY, TOTAL_AMOUNT, 0)), 0) as REVENUE_T,
        count(distinct iff(IS_TODAY, CUSTOMER_ID, null)) as CUSTOMERS_T,
        coalesce(sum(iff(IS_TODAY, QUANTITY, 0)), 0) as UNITS_T,

        ---------- yesterday
        count(iff(not IS_TODAY, ORDER_ID, null)) as ORDERS_Y,
        coalesce(sum(iff(not IS_TODAY, TOTAL_AMOUNT, 0)), 0) as REVENUE_Y,
        count(distinct iff(not IS_TODAY, CUSTOMER_ID, null)) as CUSTOMERS_Y,
        coalesce(sum(iff(not IS_TODAY, QUANTITY, 0)), 0) as UNITS_Y
    from RECENT_ORDERS

),

METRICS as (

    select
        1 as METRIC_ORDER,
        'ORDERS' as METRIC,
        ORDERS_T::number(14, 2) as TODAY,
        ORDERS_Y::number(14, 2) as YESTERDAY
    from DAY_TOTALS
    union all
    select
        2 as METRIC_ORDER,
        'REVENUE' as METRIC,
        REVENUE_T::number(14, 2) as TODAY,
        REVENUE_Y::number(14, 2) as YESTERDAY
    from DAY_TOTALS
    union all
    select
        3 as METRIC_ORDER,
        'CUSTOMERS' as METRIC,
        CUSTOMERS_T::number(14, 2) as TODAY,
        CUSTOMERS_Y::number(14, 2) as YESTERDAY
    from DAY_TOTALS
    union all
    select
        4 as METRIC_ORDER,
        'AVG_BASKET' as METRIC,
        round(div0(REVENUE_T, ORDERS_T), 2)::number(14, 2) as TODAY,
        round(div0(REVENUE_Y, ORDERS_Y), 2)::number(14, 2) as YESTERDAY
    from DAY_TOTALS
    union all
    select
        5 as METRIC_ORDER,
        'UNITS_SOLD' as METRIC,
        UNITS_T::number(14, 2) as TODAY,
        UNITS_Y::number(14, 2) as YESTERDAY
    from DAY_TOTALS

)

select
    METRICS.METRIC,
    METRICS.TODAY,
    METRICS.YESTERDAY,
    round((METRICS.TODAY - METRICS.YESTERDAY) * 100 / nullifzero(METRICS.YESTERDAY), 1) as DELTA_PCT,
    METRICS.METRIC_ORDER,
    CLOCK.YESTERDAY_UNTIL
from METRICS
cross join CLOCK
order by METRICS.METRIC_ORDER asc
