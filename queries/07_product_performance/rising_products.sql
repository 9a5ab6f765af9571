/*---
id: rising_products
section: 07_product_performance
title: {fr: "Produits en hausse", en: "Rising products"}
description:
  fr: >-
    Les vins dont le chiffre d'affaires des N derniers jours a progressé d'au moins X % par rapport aux N jours
    précédents, et les nouveautés (rien vendu sur la période précédente, DELTA_PCT vide). Hors commandes annulées.
  en: >-
    Wines whose revenue over the last N days grew by at least X % compared with the N days before, plus newcomers
    (nothing sold in the earlier period, empty DELTA_PCT). Cancelled orders excluded.
audience: [manager]
chart: {type: bar, x: PRODUCT_NAME, y: REVENUE_CURRENT}
parameters:
  - name: days
    type: integer
    default: 30
    min: 1
    max: 1830
    label: {fr: "Jours par période", en: "Days per period"}
  - name: min_growth_pct
    type: number
    default: 20
    min: 0
    max: 100000
    label: {fr: "Hausse minimale (%)", en: "Minimum growth (%)"}
columns:
  - PRODUCT_ID
  - PRODUCT_NAME
  - REVENUE_PREVIOUS
  - REVENUE_CURRENT
  - DELTA_PCT
  - UNITS_PREVIOUS
  - UNITS_CURRENT
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

),

TAGGED_ORDERS as (

    select
        ORD.PRODUCT_ID,
        ORD.PRODUCT_NAME,
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

PERIOD_SALES as (

    select
        PRODUCT_ID,
        max(PRODUCT_NAME) as PRODUCT_NAME,
        sum(iff(IS_CURRENT, 0, TOTAL_AMOUNT)) as REVENUE_PREVIOUS,
        sum(iff(IS_CURRENT, TOTAL_AMOUNT, 0)) as REVENUE_CURRENT,
        sum(iff(IS_CURRENT, 0, QUANTITY)) as UNITS_PREVIOUS,
        sum(iff(IS_CURRENT, QUANTITY, 0)) as UNITS_CURRENT
    from TAGGED_ORDERS
    group by PRODUCT_ID

),

CHANGES as (

    select
        PRODUCT_ID,
        PRODUCT_NAME,
        REVENUE_PREVIOUS,
        REVENUE_CURRENT,
        round((REVENUE_CURRENT - REVENUE_PREVIOUS) * 100 / nullifzero(REVENUE_PREVIOUS), 1) as DELTA_PCT,
        UNITS_PREVIOUS,
        UNITS_CURRENT
    from PERIOD_SALES
    where REVENUE_CURRENT > 0

)

select
    PRODUCT_ID,
    PRODUCT_NAME,
    REVENUE_PREVIOUS,
    REVENUE_CURRENT,
    DELTA_PCT,
    UNITS_PREVIOUS,
    UNITS_CURRENT
from CHANGES
where DELTA_PCT is null or DELTA_PCT >= :min_growth_pct
order by DELTA_PCT desc nulls first, REVENUE_CURRENT desc, PRODUCT_ID asc
