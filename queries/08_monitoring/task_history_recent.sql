/*---
id: task_history_recent
section: 08_monitoring
title: {fr: "Dernières exécutions des tâches", en: "Recent task runs"}
description:
  fr: >-
    Les dernières exécutions des tâches du pipeline (TASK_HISTORY), les plus récentes d'abord : état, heures
    prévue, de début et de fin, durée en secondes et message d'erreur éventuel.
  en: >-
    The latest runs of the pipeline tasks (TASK_HISTORY), newest first: state, scheduled, start and completion
    times, duration in seconds and error message if any.
audience: [ops, admin]
chart: {type: table}
parameters:
  - name: limit
    type: integer
    default: 50
    min: 1
    max: 1000
    label: {fr: "Nombre d'exécutions", en: "Number of runs"}
columns:
  - NAME
  - STATE
  - SCHEDULED_TIME
  - COMPLETED_TIME
  - DURATION_SEC
  - ERROR_MESSAGE
  - QUERY_START_TIME
  - ERROR_CODE
---*/

with

RUNS as (

    select
        TH.NAME,
        TH.STATE,
        TH.SCHEDULED_TIME,
        TH.QUERY_START_TIME,
        TH.COMPLETED_TIME,
        datediff(millisecond, TH.QUERY_START_TIME, TH.COMPLETED_TIME) / 1000 as DURATION_SEC,
        TH.ERROR_CODE,
        TH.ERROR_MESSAGE
    from table(CAVES_ALBERT_DB.INFORMATION_SCHEMA.TASK_HISTORY(RESULT_LIMIT => 1000)) as TH

)

select
    NAME,
    STATE,
    SCHEDULED_TIME,
    COMPLETED_TIME,
    round(DURATION_SEC, 3) as DURATION_SEC,
    ERROR_MESSAGE,
    QUERY_START_TIME,
    ERROR_CODE
from RUNS
qualify row_number() over (order by SCHEDULED_TIME desc, NAME asc) <= :limit
order by SCHEDULED_TIME desc, NAME asc
