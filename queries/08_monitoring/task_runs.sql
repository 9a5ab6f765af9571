/*---
id: task_runs
section: 08_monitoring
title: {fr: "Exécutions des tâches (filtrées)", en: "Task runs (filtered)"}
description:
  fr: >-
    Les dernières exécutions des tâches du pipeline lues dans TASK_HISTORY, les plus récentes d'abord, pour une
    tâche (nom court ; vide : toutes) et, sur demande, les seules en échec ; avec la tentative et le groupe
    d'exécution du graphe. C'est ce que montre « caves tasks history ».
  en: >-
    The latest runs of the pipeline tasks read from TASK_HISTORY, newest first, for one task (short name; empty:
    all) and, on request, the failed ones only; with the attempt and the graph run group. This is what
    "caves tasks history" shows.
audience: [ops, admin]
chart: {type: table}
parameters:
  - name: limit
    type: integer
    default: 50
    min: 1
    max: 10000
    label: {fr: "Nombre d'exécutions", en: "Number of runs"}
  - name: task
    type: string
    default: ""
    max: 255
    label: {fr: "Tâche (nom court, vide : toutes)", en: "Task (short name, empty: all)"}
  - name: errors_only
    type: boolean
    default: false
    label: {fr: "Échecs seulement", en: "Failures only"}
columns:
  - NAME
  - STATE
  - SCHEDULED_TIME
  - QUERY_START_TIME
  - COMPLETED_TIME
  - DURATION_SEC
  - ERROR_CODE
  - ERROR_MESSAGE
  - SCHEDULED_FROM
  - ATTEMPT_NUMBER
  - GRAPH_RUN_GROUP_ID
---*/

-- The filters are TASK_HISTORY's own arguments (https://docs.snowflake.com/en/sql-reference/functions/task_history):
-- RESULT_LIMIT caps the rows it returns (at most 10000), TASK_NAME => NULL means every task.
select
    NAME,
    STATE,
    SCHEDULED_TIME,
    QUERY_START_TIME,
    COMPLETED_TIME,
    datediff(millisecond, QUERY_START_TIME, COMPLETED_TIME) / 1000 as DURATION_SEC,
    ERROR_CODE,
    ERROR_MESSAGE,
    SCHEDULED_FROM,
    ATTEMPT_NUMBER,
    GRAPH_RUN_GROUP_ID
from
    table(
        CAVES_ALBERT_DB.INFORMATION_SCHEMA.TASK_HISTORY(
            RESULT_LIMIT => :limit,
            TASK_NAME => nullif(:task, ''),
            ERROR_ONLY => :errors_only
        )
    )
order by SCHEDULED_TIME desc
