/*---
id: stock_by_category
section: 05_inventory
title: {fr: "Stock par catégorie", en: "Stock by category"}
description:
  fr: "Références, bouteilles en stock et ruptures pour chaque catégorie de vin."
  en: "Products, bottles in stock and stock-outs for each wine category."
audience: [warehouse, manager]
chart: {type: bar, x: PRODUCT_CATEGORY, y: TOTAL_UNITS}
parameters: []
columns: [PRODUCT_CATEGORY, PRODUCT_COUNT, TOTAL_UNITS, OUT_OF_STOCK_COUNT, AVG_UNITS_PER_PRODUCT]
---*/

select
    PRODUCT_CATEGORY,
    count(PRODUCT_ID) as PRODUCT_COUNT,
    sum(CURRENT_STOCK_LEVEL) as TOTAL_UNITS,
    count_if(CURRENT_STOCK_LEVEL = 0) as OUT_OF_STOCK_COUNT,
    round(avg(CURRENT_STOCK_LEVEL), 1) as AVG_UNITS_PER_PRODUCT
from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT
group by PRODUCT_CATEGORY
order by TOTAL_UNITS desc, PRODUCT_CATEGORY asc
