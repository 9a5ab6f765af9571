/*---
id: alert_overview
section: 08_monitoring
title: {fr: "Vue d'ensemble des alertes", en: "Alert overview"}
description:
  fr: >-
    Un tableau de bord d'alertes en une requête : ruptures de stock, stock bas (sous le seuil, ruptures non
    comprises), tâches en échec et événements rejetés sur les N dernières heures, messages RAW pas encore traités.
    STATUS vaut alert quand ITEM_COUNT est non nul.
  en: >-
    An alert board in one query: stock-outs, low stock (below the threshold, stock-outs not included), failed
    tasks and rejected events in the last N hours, RAW messages not processed yet. STATUS is alert when
    ITEM_COUNT is not zero.
audience: [ops, manager, warehouse]
chart: {type: table}
parameters:
  - name: threshold
    type: integer
    default: 50
    min: 0
    max: 100000
    label: {fr: "Seuil de stock bas", en: "Low-stock threshold"}
  - name: hours
    type: integer
    default: 24
    min: 1
    max: 168
    label: {fr: "Nombre d'heures", en: "Number of hours"}
columns: [ALERT_NAME, SEVERITY, ITEM_COUNT, STATUS, ALERT_ORDER]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

),

-- RAW messages count +1, their landing rows in STAGING -1: what is left has not been routed yet
-- (over the 7 days up to the latest arrival, the shortest retention of the layers)
WINDOW_BOUNDS as (

    select dateadd(day, -7, max(INGESTION_TIMESTAMP)) as WINDOW_START
    from CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM

),

ROUTING as (

    select
        1 as ROW_SIGN,
        INGESTION_TIMESTAMP
    from CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM
    union all
    select
        -1 as ROW_SIGN,
        INGESTION_TIMESTAMP
    from CAVES_ALBERT_DB.STAGING.STG_ORDERS
    union all
    select
        -1 as ROW_SIGN,
        INGESTION_TIMESTAMP
    from CAVES_ALBERT_DB.STAGING.STG_INVENTORY_ADJUSTMENTS
    union all
    select
        -1 as ROW_SIGN,
        INGESTION_TIMESTAMP
    from CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS

),

ALERTS as (

    select
        1 as ALERT_ORDER,
        'OUT_OF_STOCK' as ALERT_NAME,
        'critical' as SEVERITY,
        count(*) as ITEM_COUNT
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT
    where CURRENT_STOCK_LEVEL = 0
    union all
    select
        2 as ALERT_ORDER,
        'TASK_FAILURES' as ALERT_NAME,
        'critical' as SEVERITY,
        count(*) as ITEM_COUNT
    from table(CAVES_ALBERT_DB.INFORMATION_SCHEMA.TASK_HISTORY(RESULT_LIMIT => 1000)) as TH
    where
        TH.STATE in ('FAILED', 'FAILED_AND_AUTO_SUSPENDED', 'CANCELLED')
        and TH.SCHEDULED_TIME >= dateadd(hour, -:hours, current_timestamp())
    union all
    select
        3 as ALERT_ORDER,
        'LOW_STOCK' as ALERT_NAME,
        'warning' as SEVERITY,
        count(*) as ITEM_COUNT
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT
    where CURRENT_STOCK_LEVEL > 0 and CURRENT_STOCK_LEVEL < :threshold
    union all
    select
        4 as ALERT_ORDER,
        'REJECTED_EVENTS' as ALERT_NAME,
        'warning' as SEVERITY,
        count(*) as ITEM_COUNT
    from CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS as REJ
    cross join CLOCK
    where REJ.REJECTED_AT >= dateadd(hour, -:hours, CLOCK.NOW_UTC)
    union all
    select
        5 as ALERT_ORDER,
        'UNPROCESSED_RAW_MESSAGES' as ALERT_NAME,
        'info' as SEVERITY,
        greatest(coalesce(sum(ROUTING.ROW_SIGN), 0), 0) as ITEM_COUNT
    from ROUTING
    cross join WINDOW_BOUNDS as WB
    where ROUTING.INGESTION_TIMESTAMP >= WB.WINDOW_START

)

select
    ALERT_NAME,
    SEVERITY,
    ITEM_COUNT,
    iff(ITEM_COUNT > 0, 'alert', 'ok') as STATUS,
    ALERT_ORDER
from ALERTS
order by ALERT_ORDER asc
