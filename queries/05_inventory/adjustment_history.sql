/*---
id: adjustment_history
section: 05_inventory
title: {fr: "Historique des mouvements de stock", en: "Stock adjustment history"}
description:
  fr: >-
    Le journal des mouvements de stock (réassort, vente, retour, casse, correction) des N derniers jours, le plus
    récent en premier ; filtrable par produit et par type.
  en: >-
    The audit trail of stock movements (restock, sale, return, breakage, correction) over the last N days, newest
    first; can be filtered by product and by type.
audience: [warehouse, ops]
chart: {type: table}
parameters:
  - name: days
    type: integer
    default: 7
    min: 1
    max: 3660
    label: {fr: "Nombre de jours", en: "Number of days"}
  - name: product_id
    type: string
    default: ""
    max: 100
    label: {fr: "Produit (vide = tous)", en: "Product (empty = all)"}
  - name: adjustment_type
    type: enum
    default: all
    choices: [all, restock, sale, return, breakage, correction]
    label: {fr: "Type de mouvement", en: "Adjustment type"}
  - name: limit
    type: integer
    default: 500
    min: 1
    max: 10000
    label: {fr: "Lignes au maximum", en: "Maximum rows"}
columns:
  - EVENT_TIMESTAMP
  - ADJUSTMENT_ID
  - PRODUCT_ID
  - PRODUCT_NAME
  - WAREHOUSE_LOCATION
  - ADJUSTMENT_TYPE
  - QUANTITY_CHANGE
  - REASON
  - EVENT_ID
  - LOADED_AT
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

)

select
    ---------- when
    HIS.EVENT_TIMESTAMP,

    ---------- what
    HIS.ADJUSTMENT_ID,
    HIS.PRODUCT_ID,
    HIS.PRODUCT_NAME,
    HIS.WAREHOUSE_LOCATION,
    HIS.ADJUSTMENT_TYPE,
    HIS.QUANTITY_CHANGE,
    HIS.REASON,

    ---------- lineage
    HIS.EVENT_ID,
    HIS.LOADED_AT
from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY as HIS
cross join CLOCK
where
    HIS.EVENT_TIMESTAMP >= dateadd(day, -:days, CLOCK.NOW_UTC)
    and (:product_id = '' or HIS.PRODUCT_ID = :product_id)
    and (:adjustment_type = 'all' or HIS.ADJUSTMENT_TYPE = :adjustment_type)
qualify row_number() over (order by HIS.EVENT_TIMESTAMP desc, HIS.ADJUSTMENT_ID asc) <= :limit
order by HIS.EVENT_TIMESTAMP desc, HIS.ADJUSTMENT_ID asc
