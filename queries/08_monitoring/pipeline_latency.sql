/*---
id: pipeline_latency
section: 08_monitoring
title: {fr: "Latence du pipeline", en: "Pipeline latency"}
description:
  fr: >-
    Dernière arrivée d'un message en RAW, dernière mise à jour en PRODUCTION (commandes, journal et niveaux de
    stock) et l'écart en secondes. Positif : la production a été mise à jour après le dernier message (à jour).
    Négatif : des messages plus récents attendent encore (ou ont été rejetés, voir REJECTED_EVENTS).
  en: >-
    Latest message arrival in RAW, latest update in PRODUCTION (orders, stock trail and stock levels) and the gap
    in seconds. Positive: production was updated after the last message (caught up). Negative: newer messages are
    still waiting (or were rejected, see REJECTED_EVENTS).
audience: [ops, admin]
chart: {type: kpi}
parameters: []
columns:
  - LAST_RAW_INGESTION
  - LAST_PROD_UPDATE
  - LATENCY_SECONDS
  - IS_CAUGHT_UP
  - SECONDS_SINCE_LAST_RAW
  - SECONDS_SINCE_LAST_PROD_UPDATE
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

),

RAW_ACTIVITY as (

    select max(INGESTION_TIMESTAMP) as LAST_RAW_INGESTION
    from CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM

),

-- max() over a union rather than greatest(): greatest() returns null on Snowflake as soon as one table is empty
PROD_UPDATES as (

    select max(UPDATED_AT) as UPDATED_AT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    union all
    select max(LOADED_AT) as UPDATED_AT
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY
    union all
    select max(UPDATED_AT) as UPDATED_AT
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT

),

PROD_ACTIVITY as (

    select max(UPDATED_AT) as LAST_PROD_UPDATE
    from PROD_UPDATES

)

select
    RAW.LAST_RAW_INGESTION,
    PRD.LAST_PROD_UPDATE,
    datediff(second, RAW.LAST_RAW_INGESTION, PRD.LAST_PROD_UPDATE) as LATENCY_SECONDS,
    PRD.LAST_PROD_UPDATE >= RAW.LAST_RAW_INGESTION as IS_CAUGHT_UP,
    datediff(second, RAW.LAST_RAW_INGESTION, CLOCK.NOW_UTC) as SECONDS_SINCE_LAST_RAW,
    datediff(second, PRD.LAST_PROD_UPDATE, CLOCK.NOW_UTC) as SECONDS_SINCE_LAST_PROD_UPDATE
from RAW_ACTIVITY as RAW
cross join PROD_ACTIVITY as PRD
cross join CLOCK
