/*---
id: pipeline_row_counts
section: 08_monitoring
title: {fr: "Lignes par table du pipeline", en: "Pipeline row counts"}
description:
  fr: "Nombre de lignes de chacune des sept tables du pipeline, de RAW à PRODUCTION."
  en: "Row count of each of the seven pipeline tables, from RAW to PRODUCTION."
audience: [ops, admin]
chart: {type: bar, x: TABLE_NAME, y: ROW_COUNT}
parameters: []
columns: [TABLE_NAME, ROW_COUNT, SCHEMA_NAME, LAYER_ORDER]
---*/

with

COUNTS as (

    select
        1 as LAYER_ORDER,
        'RAW_DATA' as SCHEMA_NAME,
        'RAW_EVENTS_STREAM' as TABLE_NAME,
        count(*) as ROW_COUNT
    from CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM
    union all
    select
        2 as LAYER_ORDER,
        'STAGING' as SCHEMA_NAME,
        'STG_ORDERS' as TABLE_NAME,
        count(*) as ROW_COUNT
    from CAVES_ALBERT_DB.STAGING.STG_ORDERS
    union all
    select
        3 as LAYER_ORDER,
        'STAGING' as SCHEMA_NAME,
        'STG_INVENTORY_ADJUSTMENTS' as TABLE_NAME,
        count(*) as ROW_COUNT
    from CAVES_ALBERT_DB.STAGING.STG_INVENTORY_ADJUSTMENTS
    union all
    select
        4 as LAYER_ORDER,
        'STAGING' as SCHEMA_NAME,
        'REJECTED_EVENTS' as TABLE_NAME,
        count(*) as ROW_COUNT
    from CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS
    union all
    select
        5 as LAYER_ORDER,
        'PRODUCTION' as SCHEMA_NAME,
        'ORDERS' as TABLE_NAME,
        count(*) as ROW_COUNT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    union all
    select
        6 as LAYER_ORDER,
        'PRODUCTION' as SCHEMA_NAME,
        'INVENTORY_HISTORY' as TABLE_NAME,
        count(*) as ROW_COUNT
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY
    union all
    select
        7 as LAYER_ORDER,
        'PRODUCTION' as SCHEMA_NAME,
        'INVENTORY_CURRENT' as TABLE_NAME,
        count(*) as ROW_COUNT
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT

)

select
    TABLE_NAME,
    ROW_COUNT,
    SCHEMA_NAME,
    LAYER_ORDER
from COUNTS
order by LAYER_ORDER asc
