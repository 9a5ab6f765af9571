/*---
id: stock_by_warehouse
section: 05_inventory
title: {fr: "Stock par entrepôt", en: "Stock by warehouse"}
description:
  fr: "Références, bouteilles en stock, ruptures et références sous le seuil (strictement) pour chaque entrepôt."
  en: "Products, bottles in stock, stock-outs and products strictly below the threshold for each warehouse."
audience: [warehouse]
chart: {type: bar, x: WAREHOUSE_LOCATION, y: TOTAL_UNITS}
parameters:
  - name: threshold
    type: integer
    default: 50
    min: 0
    max: 100000
    label: {fr: "Seuil de stock bas", en: "Low-stock threshold"}
columns: [WAREHOUSE_LOCATION, PRODUCT_COUNT, TOTAL_UNITS, OUT_OF_STOCK_COUNT, LOW_STOCK_COUNT]
---*/

select
    WAREHOUSE_LOCATION,
    count(PRODUCT_ID) as PRODUCT_COUNT,
    sum(CURRENT_STOCK_LEVEL) as TOTAL_UNITS,
    count_if(CURRENT_STOCK_LEVEL = 0) as OUT_OF_STOCK_COUNT,
    count_if(CURRENT_STOCK_LEVEL < :threshold) as LOW_STOCK_COUNT
from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT
group by WAREHOUSE_LOCATION
order by WAREHOUSE_LOCATION asc
