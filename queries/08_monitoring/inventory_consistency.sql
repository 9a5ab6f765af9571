/*---
id: inventory_consistency
section: 08_monitoring
title: {fr: "Cohérence du stock", en: "Inventory consistency"}
description:
  fr: >-
    Le stock d'un vin doit être la somme des variations de ses mouvements distincts. Liste les vins dont
    INVENTORY_CURRENT diffère de la somme de INVENTORY_HISTORY, ou qui manquent d'un côté. Vide = cohérent (un
    écart passager est normal pendant qu'une tâche tourne).
  en: >-
    A wine's stock must be the sum of the changes of its distinct adjustments. Lists the wines whose
    INVENTORY_CURRENT differs from the sum of INVENTORY_HISTORY, or that are missing on one side. Empty =
    consistent (a passing gap is normal while a task runs).
audience: [ops, admin]
chart: {type: table}
parameters: []
columns: [PRODUCT_ID, CURRENT_STOCK_LEVEL, HISTORY_STOCK_LEVEL, DIFFERENCE, ANOMALY]
---*/

with

HISTORY_TOTALS as (

    select
        PRODUCT_ID,
        sum(QUANTITY_CHANGE) as HISTORY_STOCK_LEVEL
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY
    group by PRODUCT_ID

),

COMPARED as (

    select
        coalesce(INV.PRODUCT_ID, HIS.PRODUCT_ID) as PRODUCT_ID,
        INV.CURRENT_STOCK_LEVEL,
        HIS.HISTORY_STOCK_LEVEL,
        INV.CURRENT_STOCK_LEVEL - HIS.HISTORY_STOCK_LEVEL as DIFFERENCE,
        case
            when INV.PRODUCT_ID is null then 'missing in INVENTORY_CURRENT'
            when HIS.PRODUCT_ID is null then 'no adjustment in INVENTORY_HISTORY'
            when INV.CURRENT_STOCK_LEVEL != HIS.HISTORY_STOCK_LEVEL then 'stock differs from history'
        end as ANOMALY
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT as INV
    full outer join HISTORY_TOTALS as HIS
        on INV.PRODUCT_ID = HIS.PRODUCT_ID

)

select
    PRODUCT_ID,
    CURRENT_STOCK_LEVEL,
    HISTORY_STOCK_LEVEL,
    DIFFERENCE,
    ANOMALY
from COMPARED
where ANOMALY is not null
order by PRODUCT_ID asc
