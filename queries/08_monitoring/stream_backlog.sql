/*---
id: stream_backlog
section: 08_monitoring
title: {fr: "Retard des streams", en: "Stream backlog"}
description:
  fr: >-
    Pour chacun des cinq streams du pipeline : le nombre de changements pas encore consommés et l'âge du plus
    ancien (depuis son écriture dans la table suivie). Une lecture SELECT d'un stream n'avance jamais son offset
    (seul un DML qui le lit le fait) : cette requête ne dérange pas les tâches.
  en: >-
    For each of the five pipeline streams: the number of changes not consumed yet and the age of the oldest (since
    it was written to the tracked table). A SELECT on a stream never moves its offset (only a DML statement that
    reads it does): this query does not disturb the tasks.
audience: [ops, admin]
chart: {type: bar, x: STREAM_NAME, y: PENDING_CHANGES}
parameters: []
columns:
  - STREAM_NAME
  - SCHEMA_NAME
  - SOURCE_TABLE
  - CONSUMER_TASK
  - PENDING_CHANGES
  - OLDEST_PENDING_AT
  - OLDEST_PENDING_AGE_SEC
  - STREAM_ORDER
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

),

PENDING as (

    select
        1 as STREAM_ORDER,
        'RAW_DATA' as SCHEMA_NAME,
        'STREAM_RAW_ORDERS' as STREAM_NAME,
        'RAW_EVENTS_STREAM' as SOURCE_TABLE,
        'TASK_RAW_TO_STAGING_ORDERS' as CONSUMER_TASK,
        count(*) as PENDING_CHANGES,
        min(INGESTION_TIMESTAMP) as OLDEST_PENDING_AT
    from CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_ORDERS
    union all
    select
        2 as STREAM_ORDER,
        'RAW_DATA' as SCHEMA_NAME,
        'STREAM_RAW_INVENTORY' as STREAM_NAME,
        'RAW_EVENTS_STREAM' as SOURCE_TABLE,
        'TASK_RAW_TO_STAGING_INVENTORY' as CONSUMER_TASK,
        count(*) as PENDING_CHANGES,
        min(INGESTION_TIMESTAMP) as OLDEST_PENDING_AT
    from CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_INVENTORY
    union all
    select
        3 as STREAM_ORDER,
        'STAGING' as SCHEMA_NAME,
        'STREAM_STG_ORDERS' as STREAM_NAME,
        'STG_ORDERS' as SOURCE_TABLE,
        'TASK_STAGING_TO_PROD_ORDERS' as CONSUMER_TASK,
        count(*) as PENDING_CHANGES,
        min(STAGED_AT) as OLDEST_PENDING_AT
    from CAVES_ALBERT_DB.STAGING.STREAM_STG_ORDERS
    union all
    select
        4 as STREAM_ORDER,
        'STAGING' as SCHEMA_NAME,
        'STREAM_STG_INVENTORY' as STREAM_NAME,
        'STG_INVENTORY_ADJUSTMENTS' as SOURCE_TABLE,
        'TASK_STAGING_TO_PROD_INVENTORY_HISTORY' as CONSUMER_TASK,
        count(*) as PENDING_CHANGES,
        min(STAGED_AT) as OLDEST_PENDING_AT
    from CAVES_ALBERT_DB.STAGING.STREAM_STG_INVENTORY
    union all
    select
        5 as STREAM_ORDER,
        'PRODUCTION' as SCHEMA_NAME,
        'STREAM_INVENTORY_HISTORY' as STREAM_NAME,
        'INVENTORY_HISTORY' as SOURCE_TABLE,
        'TASK_STAGING_TO_PROD_INVENTORY_CURRENT' as CONSUMER_TASK,
        count(*) as PENDING_CHANGES,
        min(LOADED_AT) as OLDEST_PENDING_AT
    from CAVES_ALBERT_DB.PRODUCTION.STREAM_INVENTORY_HISTORY

)

select
    PND.STREAM_NAME,
    PND.SCHEMA_NAME,
    PND.SOURCE_TABLE,
    PND.CONSUMER_TASK,
    PND.PENDING_CHANGES,
    PND.OLDEST_PENDING_AT,
    datediff(millisecond, PND.OLDEST_PENDING_AT, CLOCK.NOW_UTC) / 1000 as OLDEST_PENDING_AGE_SEC,
    PND.STREAM_ORDER
from PENDING as PND
cross join CLOCK
order by PND.STREAM_ORDER asc
