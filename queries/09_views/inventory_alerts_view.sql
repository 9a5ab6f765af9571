/*---
id: inventory_alerts_view
section: 09_views
title: {fr: "Vue : alertes de stock", en: "View: inventory alerts"}
description:
  fr: >-
    Lecture de la vue PRODUCTION.VW_INVENTORY_ALERTS : les vins à réapprovisionner (OUT_OF_STOCK, CRITICAL, LOW)
    avec leur rythme de vente et leurs jours de stock restants, les plus urgents d'abord ; filtrable par niveau.
  en: >-
    Reads the PRODUCTION.VW_INVENTORY_ALERTS view: wines to restock (OUT_OF_STOCK, CRITICAL, LOW) with their sales
    pace and days of stock left, most urgent first; can be filtered by level.
audience: [warehouse, manager]
chart: {type: table}
parameters:
  - name: alert_level
    type: enum
    default: all
    choices: [all, OUT_OF_STOCK, CRITICAL, LOW]
    label: {fr: "Niveau d'alerte", en: "Alert level"}
columns:
  - PRODUCT_ID
  - PRODUCT_NAME
  - PRODUCT_CATEGORY
  - WAREHOUSE_LOCATION
  - CURRENT_STOCK_LEVEL
  - AVG_DAILY_UNITS
  - DAYS_OF_STOCK_LEFT
  - ALERT_LEVEL
  - ALERT_RANK
  - LAST_ADJUSTMENT_AT
---*/

select
    ---------- product
    ALR.PRODUCT_ID,
    ALR.PRODUCT_NAME,
    ALR.PRODUCT_CATEGORY,
    ALR.WAREHOUSE_LOCATION,

    ---------- stock
    ALR.CURRENT_STOCK_LEVEL,
    ALR.AVG_DAILY_UNITS,
    ALR.DAYS_OF_STOCK_LEFT,

    ---------- alert
    ALR.ALERT_LEVEL,
    ALR.ALERT_RANK,
    ALR.LAST_ADJUSTMENT_AT
from CAVES_ALBERT_DB.PRODUCTION.VW_INVENTORY_ALERTS as ALR
where :alert_level = 'all' or ALR.ALERT_LEVEL = :alert_level
order by ALR.ALERT_RANK asc, ALR.DAYS_OF_STOCK_LEFT asc nulls last, ALR.PRODUCT_ID asc
