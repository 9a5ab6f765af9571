/*---
id: product_performance_view
section: 09_views
title: {fr: "Vue : performance des produits", en: "View: product performance"}
description:
  fr: >-
    Lecture de la vue PRODUCTION.VW_PRODUCT_PERFORMANCE : commandes, bouteilles, chiffre d'affaires, clients, rang
    et stock actuel de chaque vin (hors commandes annulées), les N premiers par chiffre d'affaires.
  en: >-
    Reads the PRODUCTION.VW_PRODUCT_PERFORMANCE view: orders, bottles, revenue, customers, rank and current stock
    of each wine (cancelled orders excluded), the top N by revenue.
audience: [manager]
chart: {type: bar, x: PRODUCT_NAME, y: REVENUE}
parameters:
  - name: limit
    type: integer
    default: 50
    min: 1
    max: 10000
    label: {fr: "Nombre de produits", en: "Number of products"}
columns:
  - PRODUCT_ID
  - PRODUCT_NAME
  - PRODUCT_CATEGORY
  - ORDER_COUNT
  - UNITS_SOLD
  - REVENUE
  - AVG_UNIT_REVENUE
  - CUSTOMER_COUNT
  - FIRST_ORDER_AT
  - LAST_ORDER_AT
  - REVENUE_RANK
  - CURRENT_STOCK_LEVEL
---*/

select
    ---------- product
    PERF.PRODUCT_ID,
    PERF.PRODUCT_NAME,
    PERF.PRODUCT_CATEGORY,

    ---------- sales
    PERF.ORDER_COUNT,
    PERF.UNITS_SOLD,
    PERF.REVENUE,
    PERF.AVG_UNIT_REVENUE,
    PERF.CUSTOMER_COUNT,

    ---------- timestamps
    PERF.FIRST_ORDER_AT,
    PERF.LAST_ORDER_AT,

    ---------- rank and stock
    PERF.REVENUE_RANK,
    PERF.CURRENT_STOCK_LEVEL
from CAVES_ALBERT_DB.PRODUCTION.VW_PRODUCT_PERFORMANCE as PERF
qualify row_number() over (order by PERF.REVENUE_RANK asc, PERF.PRODUCT_ID asc) <= :limit
order by PERF.REVENUE_RANK asc, PERF.PRODUCT_ID asc
