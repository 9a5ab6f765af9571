/*---
id: kpi_last_days
section: 01_kpi
title: {fr: "Indicateurs des N derniers jours", en: "KPIs over the last N days"}
description:
  fr: >-
    Commandes, chiffre d'affaires, clients, panier moyen et bouteilles vendues sur les N derniers jours glissants,
    comparés aux N jours précédents. Hors commandes annulées.
  en: >-
    Orders, revenue, customers, average basket and bottles sold over the last N rolling days, compared with the
    N days before. Cancelled orders excluded.
audience: [manager]
chart: {type: kpi}
parameters:
  - name: days
    type: integer
    default: 7
    min: 1
    max: 366
    label: {fr: "Nombre de jours", en: "Number of days"}
columns: [ORDER_COUNT, REVENUE, CUSTOMER_COUNT, AVG_BASKET, UNITS_SOLD, REVENUE_PREVIOUS, REVENUE_DELTA_PCT]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

),

TAGGED_ORDERS as (

    select
        ORD.ORDER_ID,
        ORD.CUSTOMER_ID,
        ORD.QUANTITY,
        ORD.TOTAL_AMOUNT,
        ORD.ORDER_DATE >= dateadd(day, -:days, CLOCK.NOW_UTC) as IS_CURRENT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= dateadd(day, -2 * :days, CLOCK.NOW_UTC)
        and ORD.ORDER_DATE <= CLOCK.NOW_UTC

),

TOTALS as (

    select
        count(iff(IS_CURRENT, ORDER_ID, null)) as ORDER_COUNT,
        coalesce(sum(iff(IS_CURRENT, TOTAL_AMOUNT, 0)), 0) as REVENUE,
        count(distinct iff(IS_CURRENT, CUSTOMER_ID, null)) as CUSTOMER_COUNT,
        coalesce(sum(iff(IS_CURRENT, QUANTITY, 0)), 0) as UNITS_SOLD,
        coalesce(sum(iff(not IS_CURRENT, TOTAL_AMOUNT, 0)), 0) as REVENUE_PREVIOUS
    from TAGGED_ORDERS

)

select
    ORDER_COUNT,
    REVENUE,
    CUSTOMER_COUNT,
    round(div0(REVENUE, ORDER_COUNT), 2) as AVG_BASKET,
    UNITS_SOLD,
    REVENUE_PREVIOUS,
    round((REVENUE - REVENUE_PREVIOUS) * 100 / nullifzero(REVENUE_PREVIOUS), 1) as REVENUE_DELTA_PCT
from TOTALS
