/*---
id: pipeline_health
section: 08_monitoring
title: {fr: "Santé du pipeline", en: "Pipeline health"}
description:
  fr: >-
    Pour chaque table du pipeline : lignes, dernière activité (arrivée en RAW, rejet, mise à jour en PRODUCTION),
    minutes écoulées depuis, et un statut : empty (vide), stale (rien depuis plus de N minutes) ou ok. Les tables
    de STAGING n'ont pas d'horodatage propre : leur activité est l'arrivée en RAW de leurs lignes.
  en: >-
    For each pipeline table: rows, latest activity (arrival in RAW, rejection, update in PRODUCTION), minutes since,
    and a status: empty, stale (nothing for more than N minutes) or ok. STAGING tables carry no timestamp of their
    own: their activity is the arrival in RAW of their rows.
audience: [ops, admin]
chart: {type: table}
parameters:
  - name: stale_minutes
    type: integer
    default: 60
    min: 1
    max: 100000
    label: {fr: "Inactivité tolérée (minutes)", en: "Tolerated inactivity (minutes)"}
columns: [LAYER_ORDER, SCHEMA_NAME, TABLE_NAME, ROW_COUNT, LAST_ACTIVITY_AT, MINUTES_SINCE_ACTIVITY, STATUS]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

),

ACTIVITY as (

    select
        1 as LAYER_ORDER,
        'RAW_DATA' as SCHEMA_NAME,
        'RAW_EVENTS_STREAM' as TABLE_NAME,
        count(*) as ROW_COUNT,
        max(INGESTION_TIMESTAMP) as LAST_ACTIVITY_AT
    from CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM
    union all
    select
        2 as LAYER_ORDER,
        'STAGING' as SCHEMA_NAME,
        'STG_ORDERS' as TABLE_NAME,
        count(*) as ROW_COUNT,
        max(INGESTION_TIMESTAMP) as LAST_ACTIVITY_AT
    from CAVES_ALBERT_DB.STAGING.STG_ORDERS
    union all
    select
        3 as LAYER_ORDER,
        'STAGING' as SCHEMA_NAME,
        'STG_INVENTORY_ADJUSTMENTS' as TABLE_NAME,
        count(*) as ROW_COUNT,
        max(INGESTION_TIMESTAMP) as LAST_ACTIVITY_AT
    from CAVES_ALBERT_DB.STAGING.STG_INVENTORY_ADJUSTMENTS
    union all
    select
        4 as LAYER_ORDER,
        'STAGING' as SCHEMA_NAME,
        'REJECTED_EVENTS' as TABLE_NAME,
        count(*) as ROW_COUNT,
        max(REJECTED_AT) as LAST_ACTIVITY_AT
    from CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS
    union all
    select
        5 as LAYER_ORDER,
        'PRODUCTION' as SCHEMA_NAME,
        'ORDERS' as TABLE_NAME,
        count(*) as ROW_COUNT,
        max(UPDATED_AT) as LAST_ACTIVITY_AT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    union all
    select
        6 as LAYER_ORDER,
        'PRODUCTION' as SCHEMA_NAME,
        'INVENTORY_HISTORY' as TABLE_NAME,
        count(*) as ROW_COUNT,
        max(LOADED_AT) as LAST_ACTIVITY_AT
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY
    union all
    select
        7 as LAYER_ORDER,
        'PRODUCTION' as SCHEMA_NAME,
        'INVENTORY_CURRENT' as TABLE_NAME,
        count(*) as ROW_COUNT,
        max(UPDATED_AT) as LAST_ACTIVITY_AT
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT

)

select
    ACT.LAYER_ORDER,
    ACT.SCHEMA_NAME,
    ACT.TABLE_NAME,
    ACT.ROW_COUNT,
    ACT.LAST_ACTIVITY_AT,
    datediff(minute, ACT.LAST_ACTIVITY_AT, CLOCK.NOW_UTC) as MINUTES_SINCE_ACTIVITY,
    case
        when ACT.ROW_COUNT = 0 then 'empty'
        when datediff(minute, ACT.LAST_ACTIVITY_AT, CLOCK.NOW_UTC) > :stale_minutes then 'stale'
        else 'ok'
    end as STATUS
from ACTIVITY as ACT
cross join CLOCK
order by ACT.LAYER_ORDER asc
