/*---
id: rejected_events_recent
section: 08_monitoring
title: {fr: "Derniers événements rejetés", en: "Latest rejected events"}
description:
  fr: "Les derniers messages rejetés, les plus récents d'abord, avec leur motif et le début du message brut."
  en: "The latest rejected messages, newest first, with their reason and the start of the raw message."
audience: [ops]
chart: {type: table}
parameters:
  - name: limit
    type: integer
    default: 50
    min: 1
    max: 10000
    label: {fr: "Nombre de messages", en: "Number of messages"}
columns: [REJECTED_AT, EVENT_ID, EVENT_TYPE, REJECT_REASON, RAW_MESSAGE_PREVIEW, INGESTION_TIMESTAMP]
---*/

select
    REJECTED_AT,
    EVENT_ID,
    EVENT_TYPE,
    REJECT_REASON,
    left(RAW_MESSAGE, 200) as RAW_MESSAGE_PREVIEW,
    INGESTION_TIMESTAMP
from CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS
qualify row_number() over (order by REJECTED_AT desc, INGESTION_TIMESTAMP desc, EVENT_ID asc) <= :limit
order by REJECTED_AT desc, INGESTION_TIMESTAMP desc, EVENT_ID asc
