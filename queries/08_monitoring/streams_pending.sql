/*---
id: streams_pending
section: 08_monitoring
title: {fr: "Flux en attente", en: "Streams with pending data"}
description:
  fr: >-
    Pour chacun des cinq streams du pipeline : contient-il des changements pas encore consommés
    (SYSTEM$STREAM_HAS_DATA) ? Une lecture qui n'avance pas les offsets. Avec la table suivie et la tâche qui le
    consomme.
  en: >-
    For each of the five pipeline streams: does it hold changes not consumed yet (SYSTEM$STREAM_HAS_DATA)? A read
    that never moves an offset. With the table it tracks and the task that consumes it.
audience: [ops, admin]
chart: {type: table}
parameters: []
columns: [STREAM_NAME, SCHEMA_NAME, HAS_PENDING_DATA, SOURCE_TABLE, CONSUMER_TASK, STREAM_ORDER]
---*/

with

STREAMS as (

    select
        1 as STREAM_ORDER,
        'RAW_DATA' as SCHEMA_NAME,
        'STREAM_RAW_ORDERS' as STREAM_NAME,
        'RAW_EVENTS_STREAM' as SOURCE_TABLE,
        'TASK_RAW_TO_STAGING_ORDERS' as CONSUMER_TASK,
        SYSTEM$STREAM_HAS_DATA('CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_ORDERS') as HAS_PENDING_DATA
    union all
    select
        2 as STREAM_ORDER,
        'RAW_DATA' as SCHEMA_NAME,
        'STREAM_RAW_INVENTORY' as STREAM_NAME,
        'RAW_EVENTS_STREAM' as SOURCE_TABLE,
        'TASK_RAW_TO_STAGING_INVENTORY' as CONSUMER_TASK,
        SYSTEM$STREAM_HAS_DATA('CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_INVENTORY') as HAS_PENDING_DATA
    union all
    select
        3 as STREAM_ORDER,
        'STAGING' as SCHEMA_NAME,
        'STREAM_STG_ORDERS' as STREAM_NAME,
        'STG_ORDERS' as SOURCE_TABLE,
        'TASK_STAGING_TO_PROD_ORDERS' as CONSUMER_TASK,
        SYSTEM$STREAM_HAS_DATA('CAVES_ALBERT_DB.STAGING.STREAM_STG_ORDERS') as HAS_PENDING_DATA
    union all
    select
        4 as STREAM_ORDER,
        'STAGING' as SCHEMA_NAME,
        'STREAM_STG_INVENTORY' as STREAM_NAME,
        'STG_INVENTORY_ADJUSTMENTS' as SOURCE_TABLE,
        'TASK_STAGING_TO_PROD_INVENTORY_HISTORY' as CONSUMER_TASK,
        SYSTEM$STREAM_HAS_DATA('CAVES_ALBERT_DB.STAGING.STREAM_STG_INVENTORY') as HAS_PENDING_DATA
    union all
    select
        5 as STREAM_ORDER,
        'PRODUCTION' as SCHEMA_NAME,
        'STREAM_INVENTORY_HISTORY' as STREAM_NAME,
        'INVENTORY_HISTORY' as SOURCE_TABLE,
        'TASK_STAGING_TO_PROD_INVENTORY_CURRENT' as CONSUMER_TASK,
        SYSTEM$STREAM_HAS_DATA('CAVES_ALBERT_DB.PRODUCTION.STREAM_INVENTORY_HISTORY') as HAS_PENDING_DATA

)

select
    STREAM_NAME,
    SCHEMA_NAME,
    HAS_PENDING_DATA,
    SOURCE_TABLE,
    CONSUMER_TASK,
    STREAM_ORDER
from STREAMS
order by STREAM_ORDER asc
