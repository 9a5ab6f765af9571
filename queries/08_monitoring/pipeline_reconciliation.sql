/*---
id: pipeline_reconciliation
section: 08_monitoring
title: {fr: "Rapprochement RAW / STAGING", en: "RAW / STAGING reconciliation"}
description:
  fr: >-
    Chaque message reçu en RAW doit finir dans exactement une table : STG_ORDERS, STG_INVENTORY_ADJUSTMENTS ou
    REJECTED_EVENTS. UNACCOUNTED = messages RAW moins ces trois comptes : positif tant que des messages attendent
    le prochain passage des tâches, anormal s'il le reste (ou s'il est négatif). Le compte porte sur les messages
    arrivés dans les 7 jours précédant la dernière arrivée, la plus courte durée de rétention des couches (la
    purge quotidienne ne fausse donc pas le rapprochement).
  en: >-
    Every message received in RAW must end up in exactly one table: STG_ORDERS, STG_INVENTORY_ADJUSTMENTS or
    REJECTED_EVENTS. UNACCOUNTED = RAW messages minus those three counts: positive while messages await the next
    task run, abnormal if it stays so (or goes negative). The count covers the messages that arrived in the 7 days
    up to the latest arrival, the shortest retention of the layers (so the daily purge does not skew it).
audience: [ops, admin]
chart: {type: kpi}
parameters: []
columns: [RAW_ROWS, STAGED_ORDERS, STAGED_ADJUSTMENTS, REJECTED, UNACCOUNTED, STATUS, WINDOW_START]
---*/

with

WINDOW_BOUNDS as (

    select dateadd(day, -7, max(INGESTION_TIMESTAMP)) as WINDOW_START
    from CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM

),

RAW_COUNT as (

    select count(*) as RAW_ROWS
    from CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM as RAW
    cross join WINDOW_BOUNDS as WB
    where RAW.INGESTION_TIMESTAMP >= WB.WINDOW_START

),

STAGED_ORDER_COUNT as (

    select count(*) as STAGED_ORDERS
    from CAVES_ALBERT_DB.STAGING.STG_ORDERS as STO
    cross join WINDOW_BOUNDS as WB
    where STO.INGESTION_TIMESTAMP >= WB.WINDOW_START

),

STAGED_ADJUSTMENT_COUNT as (

    select count(*) as STAGED_ADJUSTMENTS
    from CAVES_ALBERT_DB.STAGING.STG_INVENTORY_ADJUSTMENTS as STI
    cross join WINDOW_BOUNDS as WB
    where STI.INGESTION_TIMESTAMP >= WB.WINDOW_START

),

REJECTED_COUNT as (

    select count(*) as REJECTED
    from CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS as REJ
    cross join WINDOW_BOUNDS as WB
    where REJ.INGESTION_TIMESTAMP >= WB.WINDOW_START

)

select
    RC.RAW_ROWS,
    SOC.STAGED_ORDERS,
    SAC.STAGED_ADJUSTMENTS,
    REJ.REJECTED,
    RC.RAW_ROWS - SOC.STAGED_ORDERS - SAC.STAGED_ADJUSTMENTS - REJ.REJECTED as UNACCOUNTED,
    case
        when RC.RAW_ROWS - SOC.STAGED_ORDERS - SAC.STAGED_ADJUSTMENTS - REJ.REJECTED = 0 then 'ok'
        when RC.RAW_ROWS - SOC.STAGED_ORDERS - SAC.STAGED_ADJUSTMENTS - REJ.REJECTED > 0 then 'pending'
        else 'over-counted'
    end as STATUS,
    WB.WINDOW_START
from RAW_COUNT as RC
cross join STAGED_ORDER_COUNT as SOC
cross join STAGED_ADJUSTMENT_COUNT as SAC
cross join REJECTED_COUNT as REJ
cross join WINDOW_BOUNDS as WB
