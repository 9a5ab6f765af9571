/*---
id: product_return_rate
section: 07_product_performance
title: {fr: "Taux de retour par vin", en: "Return rate by wine"}
description:
  fr: >-
    Bouteilles vendues (commandes non annulées) et bouteilles revenues en stock par un retour client (mouvements
    « return ») sur les N derniers jours, et le taux de retour de chaque vin.
  en: >-
    Bottles sold (non-cancelled orders) and bottles put back in stock by a customer return (return adjustments)
    over the last N days, and each wine's return rate.
audience: [manager, warehouse]
chart: {type: bar, x: PRODUCT_NAME, y: RETURN_RATE_PCT}
parameters:
  - name: days
    type: integer
    default: 90
    min: 1
    max: 3660
    label: {fr: "Nombre de jours", en: "Number of days"}
columns: [PRODUCT_ID, PRODUCT_NAME, UNITS_SOLD, UNITS_RETURNED, RETURN_RATE_PCT]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

),

SOLD as (

    select
        ORD.PRODUCT_ID,
        max(ORD.PRODUCT_NAME) as PRODUCT_NAME,
        sum(ORD.QUANTITY) as UNITS_SOLD
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= dateadd(day, -:days, CLOCK.NOW_UTC)
    group by ORD.PRODUCT_ID

),

RETURNED as (

    select
        HIS.PRODUCT_ID,
        max(HIS.PRODUCT_NAME) as PRODUCT_NAME,
        sum(HIS.QUANTITY_CHANGE) as UNITS_RETURNED
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY as HIS
    cross join CLOCK
    where
        HIS.ADJUSTMENT_TYPE = 'return'
        and HIS.EVENT_TIMESTAMP >= dateadd(day, -:days, CLOCK.NOW_UTC)
    group by HIS.PRODUCT_ID

)

select
    coalesce(SLD.PRODUCT_ID, RET.PRODUCT_ID) as PRODUCT_ID,
    coalesce(SLD.PRODUCT_NAME, RET.PRODUCT_NAME) as PRODUCT_NAME,
    coalesce(SLD.UNITS_SOLD, 0) as UNITS_SOLD,
    coalesce(RET.UNITS_RETURNED, 0) as UNITS_RETURNED,
    round(coalesce(RET.UNITS_RETURNED, 0) * 100 / nullifzero(SLD.UNITS_SOLD), 1) as RETURN_RATE_PCT
from SOLD as SLD
full outer join RETURNED as RET
    on SLD.PRODUCT_ID = RET.PRODUCT_ID
order by RETURN_RATE_PCT desc nulls first, UNITS_RETURNED desc, PRODUCT_ID asc
