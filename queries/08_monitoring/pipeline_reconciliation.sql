/*---
id: pipeline_reconciliation
section: 08_monitoring
title: {fr: "Rapprochement RAW / STAGING", en: "RAW / STAGING reconciliation"}
description:
  fr: >-
    Chaque message reçu en RAW doit finir dans exactement une table : STG_ORDERS, STG_INVENTORY_ADJUSTMENTS ou
    REJECTED_EVENTS (chacune garde l'heure d'arrivée du message en RAW). Les messages RAW absents de ces trois
    tables sont IN_FLIGHT s'ils sont arrivés il y a moins de IN_FLIGHT_SECONDS secondes (le seuil d'alerte de
    latence : les tâches ne les ont pas encore traités) et UNACCOUNTED au-delà : anormal (négatif : compté deux
    fois). Le compte porte sur les messages arrivés dans les 7 jours précédant la dernière arrivée, la plus courte
    durée de rétention des couches (la purge quotidienne ne fausse donc pas le rapprochement).
  en: >-
    Every message received in RAW must end up in exactly one table: STG_ORDERS, STG_INVENTORY_ADJUSTMENTS or
    REJECTED_EVENTS (each keeps the time the message reached RAW). The RAW messages missing from all three are
    IN_FLIGHT when they arrived less than IN_FLIGHT_SECONDS seconds ago (the latency warning threshold: the tasks
    have not processed them yet) and UNACCOUNTED beyond: abnormal (negative: counted twice). The count covers the
    messages that arrived in the 7 days up to the latest arrival, the shortest retention of the layers (so the
    daily purge does not skew it).
audience: [ops, admin]
chart: {type: kpi}
parameters: []
columns:
  - RAW_ROWS
  - STAGED_ORDERS
  - STAGED_ADJUSTMENTS
  - REJECTED
  - UNACCOUNTED
  - IN_FLIGHT
  - IN_FLIGHT_SECONDS
  - STATUS
  - WINDOW_START
---*/

with

-- IN_FLIGHT_SECONDS is config/caves.yaml's default pipeline.latency_warning_seconds (tests/test_catalog_oracle.py
-- checks that they agree): a message younger than that is still on its way.
BOUNDS as (

    select
        dateadd(day, -7, max(INGESTION_TIMESTAMP)) as WINDOW_START,
        120 as IN_FLIGHT_SECONDS,
        dateadd(
            second, -120, convert_timezone('UTC', current_timestamp())::timestamp_ntz
        ) as IN_FLIGHT_SINCE
    from CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM

),

-- one row per message, in RAW (+1) or in one of its destinations (-1), with its arrival time in RAW
LEDGER as (

    select
        'RAW' as LAYER,
        INGESTION_TIMESTAMP
    from CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM
    union all
    select
        'ORDERS' as LAYER,
        INGESTION_TIMESTAMP
    from CAVES_ALBERT_DB.STAGING.STG_ORDERS
    union all
    select
        'ADJUSTMENTS' as LAYER,
        INGESTION_TIMESTAMP
    from CAVES_ALBERT_DB.STAGING.STG_INVENTORY_ADJUSTMENTS
    union all
    select
        'REJECTED' as LAYER,
        INGESTION_TIMESTAMP
    from CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS

),

COUNTS as (

    select
        count_if(LED.LAYER = 'RAW') as RAW_ROWS,
        count_if(LED.LAYER = 'ORDERS') as STAGED_ORDERS,
        count_if(LED.LAYER = 'ADJUSTMENTS') as STAGED_ADJUSTMENTS,
        count_if(LED.LAYER = 'REJECTED') as REJECTED,
        count_if(LED.LAYER = 'RAW' and LED.INGESTION_TIMESTAMP < BND.IN_FLIGHT_SINCE)
        - count_if(LED.LAYER != 'RAW' and LED.INGESTION_TIMESTAMP < BND.IN_FLIGHT_SINCE) as UNACCOUNTED,
        count_if(LED.LAYER = 'RAW' and LED.INGESTION_TIMESTAMP >= BND.IN_FLIGHT_SINCE)
        - count_if(LED.LAYER != 'RAW' and LED.INGESTION_TIMESTAMP >= BND.IN_FLIGHT_SINCE) as IN_FLIGHT
    from LEDGER as LED
    cross join BOUNDS as BND
    where LED.INGESTION_TIMESTAMP >= BND.WINDOW_START

)

select
    CNT.RAW_ROWS,
    CNT.STAGED_ORDERS,
    CNT.STAGED_ADJUSTMENTS,
    CNT.REJECTED,
    CNT.UNACCOUNTED,
    CNT.IN_FLIGHT,
    BND.IN_FLIGHT_SECONDS,
    case
        when CNT.UNACCOUNTED < 0 or CNT.IN_FLIGHT < 0 then 'over-counted'
        when CNT.UNACCOUNTED > 0 then 'unaccounted'
        when CNT.IN_FLIGHT > 0 then 'in_flight'
        else 'ok'
    end as STATUS,
    BND.WINDOW_START
from COUNTS as CNT
cross join BOUNDS as BND
