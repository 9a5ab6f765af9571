/*---
id: slow_moving_stock
section: 07_product_performance
title: {fr: "Stock dormant", en: "Slow-moving stock"}
description:
  fr: >-
    Les vins en stock qui ne se sont pas vendus depuis au moins N jours (ou jamais), avec la dernière vente et le
    nombre de jours écoulés : des candidats à une promotion.
  en: >-
    Wines in stock that have not sold for N days or more (or ever), with the latest sale and the days since:
    candidates for a promotion.
audience: [manager, warehouse]
chart: {type: table}
parameters:
  - name: days
    type: integer
    default: 30
    min: 1
    max: 3660
    label: {fr: "Jours sans vente", en: "Days without a sale"}
columns:
  - PRODUCT_ID
  - PRODUCT_NAME
  - PRODUCT_CATEGORY
  - CURRENT_STOCK_LEVEL
  - WAREHOUSE_LOCATION
  - LAST_SALE_AT
  - DAYS_SINCE_LAST_SALE
---*/

with

CLOCK as (

    select
        convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC,
        convert_timezone('UTC', current_timestamp())::date as TODAY_UTC

),

LAST_SALES as (

    select
        PRODUCT_ID,
        max(ORDER_DATE) as LAST_SALE_AT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS != 'cancelled'
    group by PRODUCT_ID

)

select
    INV.PRODUCT_ID,
    INV.PRODUCT_NAME,
    INV.PRODUCT_CATEGORY,
    INV.CURRENT_STOCK_LEVEL,
    INV.WAREHOUSE_LOCATION,
    LST.LAST_SALE_AT,
    datediff(day, LST.LAST_SALE_AT::date, CLOCK.TODAY_UTC) as DAYS_SINCE_LAST_SALE
from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT as INV
left join LAST_SALES as LST
    on INV.PRODUCT_ID = LST.PRODUCT_ID
cross join CLOCK
where
    INV.CURRENT_STOCK_LEVEL > 0
    and (LST.LAST_SALE_AT is null or LST.LAST_SALE_AT < dateadd(day, -:days, CLOCK.NOW_UTC))
order by LST.LAST_SALE_AT asc nulls first, INV.CURRENT_STOCK_LEVEL desc, INV.PRODUCT_ID asc
