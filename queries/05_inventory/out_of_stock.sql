/*---
id: out_of_stock
section: 05_inventory
title: {fr: "Ruptures de stock", en: "Out of stock"}
description:
  fr: "Les vins dont le stock est à zéro, avec la date du dernier mouvement de stock."
  en: "Wines whose stock is zero, with the time of the latest stock movement."
audience: [warehouse, manager]
chart: {type: table}
parameters: []
columns: [PRODUCT_ID, PRODUCT_NAME, PRODUCT_CATEGORY, CURRENT_STOCK_LEVEL, WAREHOUSE_LOCATION, LAST_ADJUSTMENT_AT]
---*/

select
    ---------- product
    PRODUCT_ID,
    PRODUCT_NAME,
    PRODUCT_CATEGORY,

    ---------- stock
    CURRENT_STOCK_LEVEL,
    WAREHOUSE_LOCATION,
    LAST_ADJUSTMENT_AT
from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT
where CURRENT_STOCK_LEVEL = 0
order by PRODUCT_CATEGORY asc, PRODUCT_NAME asc, PRODUCT_ID asc
