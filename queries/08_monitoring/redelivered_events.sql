/*---
id: redelivered_events
section: 08_monitoring
title: {fr: "Messages redélivrés", en: "Redelivered messages"}
description:
  fr: >-
    La livraison est « au moins une fois » : un même event_id peut arriver plusieurs fois (sans autre effet). Par
    type d'événement, sur les messages arrivés dans les N dernières heures : messages, événements distincts,
    redélivrances et leur taux.
  en: >-
    Delivery is at-least-once: the same event_id can arrive more than once (with no further effect). Per event type,
    over the messages that arrived in the last N hours: messages, distinct events, redeliveries and their rate.
audience: [ops]
chart: {type: bar, x: EVENT_TYPE, y: REDELIVERIES}
parameters:
  - name: hours
    type: integer
    default: 24
    min: 1
    max: 87600
    label: {fr: "Nombre d'heures", en: "Number of hours"}
columns: [EVENT_TYPE, MESSAGE_COUNT, DISTINCT_EVENTS, REDELIVERIES, REDELIVERY_RATE_PCT]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

),

IDENTIFIED_MESSAGES as (

    select
        coalesce(RAW.EVENT_TYPE, 'unknown') as EVENT_TYPE,
        RAW.EVENT_ID
    from CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM as RAW
    cross join CLOCK
    where
        RAW.EVENT_ID is not null
        and RAW.INGESTION_TIMESTAMP >= dateadd(hour, -:hours, CLOCK.NOW_UTC)

)

select
    EVENT_TYPE,
    count(*) as MESSAGE_COUNT,
    count(distinct EVENT_ID) as DISTINCT_EVENTS,
    count(*) - count(distinct EVENT_ID) as REDELIVERIES,
    round((count(*) - count(distinct EVENT_ID)) * 100 / count(*), 2) as REDELIVERY_RATE_PCT
from IDENTIFIED_MESSAGES
group by EVENT_TYPE
order by EVENT_TYPE asc
