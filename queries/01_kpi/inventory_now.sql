/*---
id: inventory_now
section: 01_kpi
title: {fr: "Stock en ce moment", en: "Inventory right now"}
description:
  fr: >-
    Nombre de références, bouteilles en stock, références en rupture (stock nul) et sous le seuil d'alerte
    (strictement), dernier mouvement de stock.
  en: >-
    Number of products, bottles in stock, products out of stock (zero stock) and strictly below the alert
    threshold, latest stock movement.
audience: [manager, warehouse]
chart: {type: kpi}
parameters:
  - name: threshold
    type: integer
    default: 50
    min: 0
    max: 100000
    label: {fr: "Seuil de stock bas", en: "Low-stock threshold"}
columns: [PRODUCT_COUNT, TOTAL_UNITS, OUT_OF_STOCK_COUNT, LOW_STOCK_COUNT, LAST_ADJUSTMENT_AT]
---*/

select
    count(INV.PRODUCT_ID) as PRODUCT_COUNT,
    coalesce(sum(INV.CURRENT_STOCK_LEVEL), 0) as TOTAL_UNITS,
    count_if(INV.CURRENT_STOCK_LEVEL = 0) as OUT_OF_STOCK_COUNT,
    count_if(INV.CURRENT_STOCK_LEVEL < :threshold) as LOW_STOCK_COUNT,
    max(INV.LAST_ADJUSTMENT_AT) as LAST_ADJUSTMENT_AT
from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT as INV
