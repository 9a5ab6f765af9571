/*---
id: ingestion_throughput
section: 08_monitoring
title: {fr: "Débit d'ingestion", en: "Ingestion throughput"}
description:
  fr: >-
    Messages arrivés en RAW par heure (UTC) et par type d'événement sur les N dernières heures (unknown : message
    illisible).
  en: >-
    Messages landed in RAW per hour (UTC) and event type over the last N hours (unknown: unreadable message).
audience: [ops]
chart: {type: area, x: INGESTION_HOUR, y: MESSAGE_COUNT, color: EVENT_TYPE}
parameters:
  - name: hours
    type: integer
    default: 24
    min: 1
    max: 8760
    label: {fr: "Nombre d'heures", en: "Number of hours"}
columns: [INGESTION_HOUR, EVENT_TYPE, MESSAGE_COUNT]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

)

select
    date_trunc(hour, RAW.INGESTION_TIMESTAMP) as INGESTION_HOUR,
    coalesce(RAW.EVENT_TYPE, 'unknown') as EVENT_TYPE,
    count(*) as MESSAGE_COUNT
from CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM as RAW
cross join CLOCK
where RAW.INGESTION_TIMESTAMP >= dateadd(hour, -:hours, CLOCK.NOW_UTC)
group by date_trunc(hour, RAW.INGESTION_TIMESTAMP), coalesce(RAW.EVENT_TYPE, 'unknown')
order by INGESTION_HOUR asc, EVENT_TYPE asc
