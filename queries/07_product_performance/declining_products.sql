/*---
id: declining_products
section: 07_product_performance
title: {fr: "Produits en baisse", en: "Declining products"}
description:
  fr: >-
    Les vins dont le chiffre d'affaires des N derniers jours a baissé d'au moins X % par rapport aux N jours
    précédents (vins vendus sur la période précédente seulement ; une vente tombée à zéro compte -100 %). Hors
    commandes annulées.
  en: >-
    Wines whose revenue over the last N days dropped by at least X% compared with the N days before (only wines
    sold in the earlier period; sales that fell to nothing count as -100%). Cancelled orders excluded.
audience: [manager]
chart: {type: bar, x: PRODUCT_NAME, y: DELTA_PCT}
parameters:
  - name: days
    type: integer
    default: 30
    min: 1
    max: 1830
    label: {fr: "Jours par période", en: "Days per period"}
  - name: min_drop_pct
    type: number
    default: 20
    min: 0
    max: 100
    label: {fr: "Baisse minimale (%)", en: "Minimum drop (%)"}
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
        round((REVENUE_CURRENT - REVENUE_PREVIOUS) * 100 / REVENUE_PREVIOUS, 1) as DELTA_PCT,
        UNITS_PREVIOUS,
        UNITS_CURRENT
    from PERIOD_SALES
    where REVENUE_PREVIOUS > 0

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
where DELTA_PCT <= -:min_drop_pct
order by DELTA_PCT asc, REVENUE_PREVIOUS desc, PRODUCT_ID asc
