/*---
id: breakage_report
section: 05_inventory
title: {fr: "Casse et pertes", en: "Breakage and losses"}
description:
  fr: >-
    Bouteilles cassées (mouvements « breakage ») et corrections négatives par vin sur les N derniers jours, avec
    une estimation de la valeur perdue au prix de vente moyen du vin.
  en: >-
    Broken bottles (breakage adjustments) and negative corrections per wine over the last N days, with an estimate
    of the value lost at the wine's average selling price.
audience: [warehouse, manager]
chart: {type: bar, x: PRODUCT_NAME, y: UNITS_LOST}
parameters:
  - name: days
    type: integer
    default: 30
    min: 1
    max: 3660
    label: {fr: "Nombre de jours", en: "Number of days"}
columns:
  - PRODUCT_ID
  - PRODUCT_NAME
  - BREAKAGE_UNITS
  - NEGATIVE_CORRECTION_UNITS
  - UNITS_LOST
  - ESTIMATED_LOSS
  - LAST_LOSS_AT
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

),

LOSSES as (

    select
        HIS.PRODUCT_ID,
        max(HIS.PRODUCT_NAME) as PRODUCT_NAME,
        sum(iff(HIS.ADJUSTMENT_TYPE = 'breakage', -HIS.QUANTITY_CHANGE, 0)) as BREAKAGE_UNITS,
        sum(iff(HIS.ADJUSTMENT_TYPE = 'correction', -HIS.QUANTITY_CHANGE, 0)) as NEGATIVE_CORRECTION_UNITS,
        max(HIS.EVENT_TIMESTAMP) as LAST_LOSS_AT
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY as HIS
    cross join CLOCK
    where
        HIS.EVENT_TIMESTAMP >= dateadd(day, -:days, CLOCK.NOW_UTC)
        and HIS.QUANTITY_CHANGE < 0
        and HIS.ADJUSTMENT_TYPE in ('breakage', 'correction')
    group by HIS.PRODUCT_ID

),

PRICES as (

    select
        PRODUCT_ID,
        sum(TOTAL_AMOUNT) / nullifzero(sum(QUANTITY)) as AVG_SELLING_PRICE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS != 'cancelled'
    group by PRODUCT_ID

)

select
    LOS.PRODUCT_ID,
    LOS.PRODUCT_NAME,
    LOS.BREAKAGE_UNITS,
    LOS.NEGATIVE_CORRECTION_UNITS,
    LOS.BREAKAGE_UNITS + LOS.NEGATIVE_CORRECTION_UNITS as UNITS_LOST,
    round((LOS.BREAKAGE_UNITS + LOS.NEGATIVE_CORRECTION_UNITS) * PRI.AVG_SELLING_PRICE, 2) as ESTIMATED_LOSS,
    LOS.LAST_LOSS_AT
from LOSSES as LOS
left join PRICES as PRI
    on LOS.PRODUCT_ID = PRI.PRODUCT_ID
order by UNITS_LOST desc, LOS.PRODUCT_ID asc
