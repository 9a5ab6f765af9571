/*---
id: adjustments_by_type
section: 05_inventory
title: {fr: "Mouvements de stock par type", en: "Stock movements by type"}
description:
  fr: "Nombre de mouvements, bouteilles entrées et sorties et variation nette par type de mouvement sur N jours."
  en: "Number of movements, bottles in and out and net change per adjustment type over the last N days."
audience: [warehouse, ops]
chart: {type: bar, x: ADJUSTMENT_TYPE, y: NET_CHANGE}
parameters:
  - name: days
    type: integer
    default: 30
    min: 1
    max: 3660
    label: {fr: "Nombre de jours", en: "Number of days"}
columns: [ADJUSTMENT_TYPE, ADJUSTMENT_COUNT, PRODUCT_COUNT, UNITS_IN, UNITS_OUT, NET_CHANGE]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

)

select
    HIS.ADJUSTMENT_TYPE,
    count(HIS.ADJUSTMENT_ID) as ADJUSTMENT_COUNT,
    count(distinct HIS.PRODUCT_ID) as PRODUCT_COUNT,
    sum(iff(HIS.QUANTITY_CHANGE > 0, HIS.QUANTITY_CHANGE, 0)) as UNITS_IN,
    sum(iff(HIS.QUANTITY_CHANGE < 0, -HIS.QUANTITY_CHANGE, 0)) as UNITS_OUT,
    sum(HIS.QUANTITY_CHANGE) as NET_CHANGE
from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY as HIS
cross join CLOCK
where HIS.EVENT_TIMESTAMP >= dateadd(day, -:days, CLOCK.NOW_UTC)
group by HIS.ADJUSTMENT_TYPE
order by ADJUSTMENT_COUNT desc, HIS.ADJUSTMENT_TYPE asc
