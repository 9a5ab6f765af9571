/*---
id: rejected_events_by_reason
section: 08_monitoring
title: {fr: "Événements rejetés par motif", en: "Rejected events by reason"}
description:
  fr: >-
    Messages rejetés (JSON invalide ou non conforme au schéma) sur les N dernières heures, groupés par motif et par
    type d'événement (unknown quand le type n'a pas pu être lu), avec le premier et le dernier rejet.
  en: >-
    Messages rejected (invalid JSON or not valid against the schema) in the last N hours, grouped by reason and
    event type (unknown when the type could not be read), with the first and latest rejection.
audience: [ops]
chart: {type: bar, x: REJECT_REASON, y: REJECTED_COUNT, color: EVENT_TYPE}
parameters:
  - name: hours
    type: integer
    default: 24
    min: 1
    max: 87600
    label: {fr: "Nombre d'heures", en: "Number of hours"}
columns: [REJECT_REASON, EVENT_TYPE, REJECTED_COUNT, FIRST_REJECTED_AT, LAST_REJECTED_AT]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

)

select
    REJ.REJECT_REASON,
    coalesce(REJ.EVENT_TYPE, 'unknown') as EVENT_TYPE,
    count(*) as REJECTED_COUNT,
    min(REJ.REJECTED_AT) as FIRST_REJECTED_AT,
    max(REJ.REJECTED_AT) as LAST_REJECTED_AT
from CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS as REJ
cross join CLOCK
where REJ.REJECTED_AT >= dateadd(hour, -:hours, CLOCK.NOW_UTC)
group by REJ.REJECT_REASON, coalesce(REJ.EVENT_TYPE, 'unknown')
order by REJECTED_COUNT desc, REJ.REJECT_REASON asc, EVENT_TYPE asc
