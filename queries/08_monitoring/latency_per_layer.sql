/*---
id: latency_per_layer
section: 08_monitoring
title: {fr: "Latence par étape", en: "Latency per layer"}
description:
  fr: >-
    Délais des événements arrivés dans les N dernières heures, par étape et par flux (commandes, stock) :
    source → RAW (horodatage de l'événement → arrivée ; inclut le retard du producteur), RAW → STAGING (arrivée →
    STAGED_AT), STAGING → PRODUCTION (STAGED_AT → écriture en production) et RAW → PRODUCTION de bout en bout.
    Moyenne, médiane et maximum en secondes.
  en: >-
    Delays of the events that arrived in the last N hours, per layer and flow (orders, stock): source → RAW (event
    timestamp → arrival; includes producer delay), RAW → STAGING (arrival → STAGED_AT), STAGING → PRODUCTION
    (STAGED_AT → write in production) and RAW → PRODUCTION end to end. Mean, median and maximum in seconds.
audience: [ops]
chart: {type: bar, x: LAYER, y: AVG_LATENCY_SEC, color: FLOW}
parameters:
  - name: hours
    type: integer
    default: 24
    min: 1
    max: 8760
    label: {fr: "Nombre d'heures", en: "Number of hours"}
columns: [LAYER, FLOW, EVENT_COUNT, AVG_LATENCY_SEC, MEDIAN_LATENCY_SEC, MAX_LATENCY_SEC, LAYER_ORDER]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

),

-- one row per staged event of the window, with the time it reached PRODUCTION (null while it has not)
ORDER_EVENTS as (

    select
        STG.EVENT_TIMESTAMP,
        STG.INGESTION_TIMESTAMP,
        STG.STAGED_AT,
        ORD.UPDATED_AT as IN_PRODUCTION_AT
    from CAVES_ALBERT_DB.STAGING.STG_ORDERS as STG
    cross join CLOCK
    left join CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
        on STG.EVENT_ID = ORD.LAST_EVENT_ID
    where STG.INGESTION_TIMESTAMP >= dateadd(hour, -:hours, CLOCK.NOW_UTC)

),

INVENTORY_EVENTS as (

    select
        STG.EVENT_TIMESTAMP,
        STG.INGESTION_TIMESTAMP,
        STG.STAGED_AT,
        HIS.LOADED_AT as IN_PRODUCTION_AT
    from CAVES_ALBERT_DB.STAGING.STG_INVENTORY_ADJUSTMENTS as STG
    cross join CLOCK
    left join CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY as HIS
        on STG.EVENT_ID = HIS.EVENT_ID
    where STG.INGESTION_TIMESTAMP >= dateadd(hour, -:hours, CLOCK.NOW_UTC)

),

EVENTS as (

    select
        'orders' as FLOW,
        EVENT_TIMESTAMP,
        INGESTION_TIMESTAMP,
        STAGED_AT,
        IN_PRODUCTION_AT
    from ORDER_EVENTS
    union all
    select
        'inventory' as FLOW,
        EVENT_TIMESTAMP,
        INGESTION_TIMESTAMP,
        STAGED_AT,
        IN_PRODUCTION_AT
    from INVENTORY_EVENTS

),

SAMPLES as (

    select
        1 as LAYER_ORDER,
        'source_to_raw' as LAYER,
        FLOW,
        datediff(millisecond, EVENT_TIMESTAMP, INGESTION_TIMESTAMP) / 1000 as LATENCY_SEC
    from EVENTS
    union all
    select
        2 as LAYER_ORDER,
        'raw_to_staging' as LAYER,
        FLOW,
        datediff(millisecond, INGESTION_TIMESTAMP, STAGED_AT) / 1000 as LATENCY_SEC
    from EVENTS
    union all
    select
        3 as LAYER_ORDER,
        'staging_to_production' as LAYER,
        FLOW,
        datediff(millisecond, STAGED_AT, IN_PRODUCTION_AT) / 1000 as LATENCY_SEC
    from EVENTS
    where IN_PRODUCTION_AT is not null
    union all
    select
        4 as LAYER_ORDER,
        'raw_to_production' as LAYER,
        FLOW,
        datediff(millisecond, INGESTION_TIMESTAMP, IN_PRODUCTION_AT) / 1000 as LATENCY_SEC
    from EVENTS
    where IN_PRODUCTION_AT is not null

)

select
    LAYER,
    FLOW,
    count(*) as EVENT_COUNT,
    round(avg(LATENCY_SEC), 3) as AVG_LATENCY_SEC,
    round(median(LATENCY_SEC), 3) as MEDIAN_LATENCY_SEC,
    round(max(LATENCY_SEC), 3) as MAX_LATENCY_SEC,
    LAYER_ORDER
from SAMPLES
group by LAYER_ORDER, LAYER, FLOW
order by LAYER_ORDER asc, FLOW asc
