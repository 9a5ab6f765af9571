/*---
id: restock_suggestions
section: 10_examples
title: {fr: "Suggestions de réassort", en: "Restock suggestions"}
description:
  fr: >-
    Combien commander pour couvrir C jours de ventes au rythme des N derniers jours (commandes non annulées) :
    quantité suggérée = ventes moyennes par jour × C − stock actuel, arrondie au-dessus, pour les vins qui en ont
    besoin. Les plus urgents d'abord.
  en: >-
    How much to order to cover C days of sales at the pace of the last N days (non-cancelled orders): suggested
    quantity = average daily sales × C − current stock, rounded up, for the wines that need it. Most urgent first.
audience: [warehouse, manager]
chart: {type: bar, x: PRODUCT_NAME, y: SUGGESTED_QUANTITY}
parameters:
  - name: days
    type: integer
    default: 30
    min: 1
    max: 365
    label: {fr: "Jours d'historique de ventes", en: "Days of sales history"}
  - name: cover_days
    type: integer
    default: 14
    min: 1
    max: 365
    label: {fr: "Jours à couvrir", en: "Days to cover"}
columns:
  - PRODUCT_ID
  - PRODUCT_NAME
  - PRODUCT_CATEGORY
  - WAREHOUSE_LOCATION
  - CURRENT_STOCK_LEVEL
  - AVG_DAILY_UNITS
  - DAYS_OF_STOCK_LEFT
  - SUGGESTED_QUANTITY
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

NEEDS as (

    select
        INV.PRODUCT_ID,
        INV.PRODUCT_NAME,
        INV.PRODUCT_CATEGORY,
        INV.WAREHOUSE_LOCATION,
        INV.CURRENT_STOCK_LEVEL,
        SAL.UNITS_SOLD / :days as AVG_DAILY_UNITS,
        SAL.UNITS_SOLD * :cover_days / :days as UNITS_TO_COVER
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT as INV
    inner join RECENT_SALES as SAL
        on INV.PRODUCT_ID = SAL.PRODUCT_ID

)

select
    PRODUCT_ID,
    PRODUCT_NAME,
    PRODUCT_CATEGORY,
    WAREHOUSE_LOCATION,
    CURRENT_STOCK_LEVEL,
    round(AVG_DAILY_UNITS, 2) as AVG_DAILY_UNITS,
    round(greatest(CURRENT_STOCK_LEVEL, 0) / AVG_DAILY_UNITS, 1) as DAYS_OF_STOCK_LEFT,
    ceil(UNITS_TO_COVER - CURRENT_STOCK_LEVEL) as SUGGESTED_QUANTITY
from NEEDS
where UNITS_TO_COVER > CURRENT_STOCK_LEVEL
order by DAYS_OF_STOCK_LEFT asc, PRODUCT_ID asc
