/*---
id: late_order_events
section: 08_monitoring
title: {fr: "Événements de commande arrivés en retard", en: "Late order events"}
description:
  fr: >-
    Les événements de commande arrivés après un événement plus récent de la même commande (livraison dans le
    désordre) sur les N dernières heures. La commande doit garder l'état de l'événement le plus récent :
    CURRENT_STATUS ne doit pas valoir LATE_STATUS sauf coïncidence.
  en: >-
    Order events that arrived after a newer event of the same order (out-of-order delivery) in the last N hours.
    The order must keep the state of the newest event: CURRENT_STATUS should not equal LATE_STATUS except by
    coincidence.
audience: [ops]
chart: {type: table}
parameters:
  - name: hours
    type: integer
    default: 24
    min: 1
    max: 87600
    label: {fr: "Nombre d'heures", en: "Number of hours"}
  - name: limit
    type: integer
    default: 100
    min: 1
    max: 10000
    label: {fr: "Lignes au maximum", en: "Maximum rows"}
columns:
  - ORDER_ID
  - EVENT_ID
  - EVENT_TIMESTAMP
  - INGESTION_TIMESTAMP
  - LATE_STATUS
  - CURRENT_EVENT_ID
  - CURRENT_EVENT_TIMESTAMP
  - CURRENT_EVENT_INGESTED_AT
  - CURRENT_STATUS
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

),

-- first arrival of each staged event (a redelivered event is staged more than once)
STAGED_EVENTS as (

    select
        ORDER_ID,
        EVENT_ID,
        EVENT_TIMESTAMP,
        INGESTION_TIMESTAMP,
        ORDER_STATUS
    from CAVES_ALBERT_DB.STAGING.STG_ORDERS
    qualify row_number() over (partition by EVENT_ID order by INGESTION_TIMESTAMP asc) = 1

),

CURRENT_VERSIONS as (

    select
        ORD.ORDER_ID,
        ORD.LAST_EVENT_ID as CURRENT_EVENT_ID,
        ORD.LAST_EVENT_TIMESTAMP as CURRENT_EVENT_TIMESTAMP,
        WIN.INGESTION_TIMESTAMP as CURRENT_EVENT_INGESTED_AT,
        ORD.ORDER_STATUS as CURRENT_STATUS
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    inner join STAGED_EVENTS as WIN
        on ORD.LAST_EVENT_ID = WIN.EVENT_ID

)

select
    STG.ORDER_ID,
    STG.EVENT_ID,
    STG.EVENT_TIMESTAMP,
    STG.INGESTION_TIMESTAMP,
    STG.ORDER_STATUS as LATE_STATUS,
    CUR.CURRENT_EVENT_ID,
    CUR.CURRENT_EVENT_TIMESTAMP,
    CUR.CURRENT_EVENT_INGESTED_AT,
    CUR.CURRENT_STATUS
from STAGED_EVENTS as STG
inner join CURRENT_VERSIONS as CUR
    on STG.ORDER_ID = CUR.ORDER_ID
cross join CLOCK
where
    STG.EVENT_TIMESTAMP < CUR.CURRENT_EVENT_TIMESTAMP
    and STG.INGESTION_TIMESTAMP > CUR.CURRENT_EVENT_INGESTED_AT
    and STG.INGESTION_TIMESTAMP >= dateadd(hour, -:hours, CLOCK.NOW_UTC)
qualify row_number() over (order by STG.INGESTION_TIMESTAMP desc, STG.EVENT_ID asc) <= :limit
order by STG.INGESTION_TIMESTAMP desc, STG.EVENT_ID asc
