/*---
id: task_failures
section: 08_monitoring
title: {fr: "Échecs des tâches", en: "Task failures"}
description:
  fr: >-
    Les exécutions de tâches en échec, annulées ou suspendues automatiquement après trop d'échecs sur les N
    dernières heures, avec le code et le message d'erreur.
  en: >-
    Task runs that failed, were cancelled or were auto-suspended after too many failures in the last N hours,
    with the error code and message.
audience: [ops, admin]
chart: {type: table}
parameters:
  - name: hours
    type: integer
    default: 24
    min: 1
    max: 168
    label: {fr: "Nombre d'heures", en: "Number of hours"}
columns: [NAME, STATE, SCHEDULED_TIME, COMPLETED_TIME, ERROR_CODE, ERROR_MESSAGE]
---*/

select
    TH.NAME,
    TH.STATE,
    TH.SCHEDULED_TIME,
    TH.COMPLETED_TIME,
    TH.ERROR_CODE,
    TH.ERROR_MESSAGE
from table(CAVES_ALBERT_DB.INFORMATION_SCHEMA.TASK_HISTORY(RESULT_LIMIT => 1000)) as TH
where
    TH.STATE in ('FAILED', 'FAILED_AND_AUTO_SUSPENDED', 'CANCELLED')
    and TH.SCHEDULED_TIME >= dateadd(hour, -:hours, current_timestamp())
order by TH.SCHEDULED_TIME desc, TH.NAME asc
