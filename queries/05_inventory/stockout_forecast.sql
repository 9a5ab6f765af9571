/*---
id: stockout_forecast
section: 05_inventory
title: {fr: "Prévision de rupture", en: "Stock-out forecast"}
description:
  fr: >-
    Pour chaque vin : ventes moyennes par jour sur les N derniers jours (commandes non annulées) et nombre de jours
    de stock restant à ce rythme (vide si rien ne s'est vendu), avec la date de rupture estimée. Les plus urgents
    en premier.
  en: >-
    For each wine: average daily sales over the last N days (non-cancelled orders) and the days of stock left at
    that pace (empty when nothing sold), with the estimated stock-out date. Most urgent first.
audience: [warehouse, manager]
chart: {type: bar, x: PRODUCT_ID, y: DAYS_OF_STOCK_LEFT}
parameters:
  - name: days
    type: integer
    default: 30
    min: 1
    max: 365
    label: {fr: "Jours d'historique de ventes", en: "Days of sales history"}
columns:
  - PRODUCT_ID
  - CURRENT_STOCK_LEVEL
  - AVG_DAILY_UNITS
  - DAYS_OF_STOCK_LEFT
  - PRODUCT_NAME
  - PRODUCT_CATEGORY
  - WAREHOUSE_LOCATION
  - UNITS_SOLD
  - STOCKOUT_DATE
---*/

with

CLOCK as (

    select
        convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC,
        convert_timezone('UTC', current_timestamp())::date as TODAY_UTC

),

RECENT_SALES as (

    select
        ORD.PRODUCT_ID,
        sum(ORD.QUANTITY) as UNITS_SOLD
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= dateadd(day, -:days, CLOCK.NOW_UTC)
    group by ORD.PRODUCT_ID

),

DAILY_PACE as (

    select
        INV.PRODUCT_ID,
        INV.PRODUCT_NAME,
        INV.PRODUCT_CATEGORY,
        INV.WAREHOUSE_LOCATION,
        INV.CURRENT_STOCK_LEVEL,
        coalesce(SAL.UNITS_SOLD, 0) as UNITS_SOLD,
        coalesce(SAL.UNITS_SOLD, 0) / :days as AVG_DAILY_UNITS
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT as INV
    left join RECENT_SALES as SAL
        on INV.PRODUCT_ID = SAL.PRODUCT_ID

),

FORECAST as (

    select
        PRODUCT_ID,
        PRODUCT_NAME,
        PRODUCT_CATEGORY,
        WAREHOUSE_LOCATION,
        CURRENT_STOCK_LEVEL,
        UNITS_SOLD,
        AVG_DAILY_UNITS,
        greatest(CURRENT_STOCK_LEVEL, 0) / nullifzero(AVG_DAILY_UNITS) as DAYS_LEFT
    from DAILY_PACE

)

select
    FCS.PRODUCT_ID,
    FCS.CURRENT_STOCK_LEVEL,
    round(FCS.AVG_DAILY_UNITS, 2) as AVG_DAILY_UNITS,
    round(FCS.DAYS_LEFT, 1) as DAYS_OF_STOCK_LEFT,
    FCS.PRODUCT_NAME,
    FCS.PRODUCT_CATEGORY,
    FCS.WAREHOUSE_LOCATION,
    FCS.UNITS_SOLD,
    -- no date beyond 100 years: a product that barely sells would overflow the calendar
    iff(FCS.DAYS_LEFT < 36500, dateadd(day, floor(FCS.DAYS_LEFT), CLOCK.TODAY_UTC)::date, null) as STOCKOUT_DATE
from FORECAST as FCS
cross join CLOCK
order by FCS.DAYS_LEFT asc nulls last, FCS.PRODUCT_ID asc
