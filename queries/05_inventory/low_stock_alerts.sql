/*---
id: low_stock_alerts
section: 05_inventory
title: {fr: "Alertes de stock bas", en: "Low-stock alerts"}
description:
  fr: "Les vins dont le stock est strictement sous le seuil (50 par défaut), ruptures comprises, le plus bas d'abord."
  en: "Wines whose stock is strictly below the threshold (50 by default), stock-outs included, lowest first."
audience: [warehouse, manager]
chart: {type: bar, x: PRODUCT_NAME, y: CURRENT_STOCK_LEVEL}
parameters:
  - name: threshold
    type: integer
    default: 50
    min: 0
    max: 100000
    label: {fr: "Seuil de stock bas", en: "Low-stock threshold"}
columns:
  - PRODUCT_ID
  - PRODUCT_NAME
  - PRODUCT_CATEGORY
  - CURRENT_STOCK_LEVEL
  - WAREHOUSE_LOCATION
  - UNITS_BELOW_THRESHOLD
  - LAST_ADJUSTMENT_AT
---*/

select
    ---------- product
    PRODUCT_ID,
    PRODUCT_NAME,
    PRODUCT_CATEGORY,

    ---------- stock
    CURRENT_STOCK_LEVEL,
    WAREHOUSE_LOCATION,
    :threshold - CURRENT_STOCK_LEVEL as UNITS_BELOW_THRESHOLD,
    LAST_ADJUSTMENT_AT
from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT
where CURRENT_STOCK_LEVEL < :threshold
order by CURRENT_STOCK_LEVEL asc, PRODUCT_ID asc
