/*---
id: inventory_turnover
section: 05_inventory
title: {fr: "Rotation des stocks", en: "Inventory turnover"}
description:
  fr: >-
    Pour chaque vin sur les N derniers jours : bouteilles vendues, stock moyen (moyenne du stock au début de la
    période, reconstitué depuis le journal des mouvements, et du stock actuel), taux de rotation (ventes / stock
    moyen) et couverture en jours. Hors commandes annulées.
  en: >-
    For each wine over the last N days: bottles sold, average stock (mean of the stock at the start of the period,
    rebuilt from the adjustment trail, and the current stock), turnover ratio (sales / average stock) and days of
    cover. Cancelled orders excluded.
audience: [warehouse, manager]
chart: {type: bar, x: PRODUCT_NAME, y: TURNOVER_RATIO}
parameters:
  - name: days
    type: integer
    default: 30
    min: 1
    max: 365
    label: {fr: "Nombre de jours", en: "Number of days"}
columns:
  - PRODUCT_ID
  - PRODUCT_NAME
  - PRODUCT_CATEGORY
  - UNITS_SOLD
  - STARTING_STOCK
  - CURRENT_STOCK_LEVEL
  - AVG_STOCK
  - TURNOVER_RATIO
  - DAYS_OF_COVER
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

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

RECENT_MOVEMENTS as (

    select
        HIS.PRODUCT_ID,
        sum(HIS.QUANTITY_CHANGE) as NET_CHANGE
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY as HIS
    cross join CLOCK
    where HIS.EVENT_TIMESTAMP >= dateadd(day, -:days, CLOCK.NOW_UTC)
    group by HIS.PRODUCT_ID

),

STOCK_LEVELS as (

    select
        INV.PRODUCT_ID,
        INV.PRODUCT_NAME,
        INV.PRODUCT_CATEGORY,
        coalesce(SAL.UNITS_SOLD, 0) as UNITS_SOLD,
        INV.CURRENT_STOCK_LEVEL - coalesce(MOV.NET_CHANGE, 0) as STARTING_STOCK,
        INV.CURRENT_STOCK_LEVEL,
        (2 * INV.CURRENT_STOCK_LEVEL - coalesce(MOV.NET_CHANGE, 0)) / 2 as AVG_STOCK,
        coalesce(SAL.UNITS_SOLD, 0) / :days as AVG_DAILY_UNITS
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT as INV
    left join RECENT_SALES as SAL
        on INV.PRODUCT_ID = SAL.PRODUCT_ID
    left join RECENT_MOVEMENTS as MOV
        on INV.PRODUCT_ID = MOV.PRODUCT_ID

)

select
    PRODUCT_ID,
    PRODUCT_NAME,
    PRODUCT_CATEGORY,
    UNITS_SOLD,
    STARTING_STOCK,
    CURRENT_STOCK_LEVEL,
    round(AVG_STOCK, 1) as AVG_STOCK,
    round(UNITS_SOLD / nullif(greatest(AVG_STOCK, 0), 0), 2) as TURNOVER_RATIO,
    round(greatest(AVG_STOCK, 0) / nullifzero(AVG_DAILY_UNITS), 1) as DAYS_OF_COVER
from STOCK_LEVELS
order by TURNOVER_RATIO desc nulls last, PRODUCT_ID asc
