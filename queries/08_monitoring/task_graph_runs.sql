/*---
id: task_graph_runs
section: 08_monitoring
title: {fr: "Exécutions des graphes de tâches", en: "Task graph runs"}
description:
  fr: >-
    Une ligne par exécution complète d'un graphe de tâches dans la dernière heure (COMPLETE_TASK_GRAPHS, comme
    Snowsight) : état du graphe, origine (planification, exécution manuelle, reprise), durée de bout en bout et
    première tâche en échec avec son erreur.
  en: >-
    One row per complete run of a task graph in the last hour (COMPLETE_TASK_GRAPHS, as Snowsight shows it):
    graph state, origin (schedule, manual execution, retry), end-to-end duration and the first failed task with
    its error.
audience: [ops, admin]
chart: {type: table}
parameters:
  - name: limit
    type: integer
    default: 100
    min: 1
    max: 10000
    label: {fr: "Nombre d'exécutions", en: "Number of runs"}
columns:
  - ROOT_TASK_NAME
  - STATE
  - SCHEDULED_FROM
  - SCHEDULED_TIME
  - COMPLETED_TIME
  - DURATION_SEC
  - FIRST_ERROR_TASK_NAME
  - FIRST_ERROR_MESSAGE
  - ATTEMPT_NUMBER
---*/

with

GRAPH_RUNS as (

    select
        CTG.ROOT_TASK_NAME,
        CTG.STATE,
        CTG.SCHEDULED_FROM,
        CTG.SCHEDULED_TIME,
        CTG.QUERY_START_TIME,
        CTG.COMPLETED_TIME,
        CTG.FIRST_ERROR_TASK_NAME,
        CTG.FIRST_ERROR_MESSAGE,
        CTG.ATTEMPT_NUMBER
    from table(CAVES_ALBERT_DB.INFORMATION_SCHEMA.COMPLETE_TASK_GRAPHS(RESULT_LIMIT => 10000)) as CTG

)

select
    ROOT_TASK_NAME,
    STATE,
    SCHEDULED_FROM,
    SCHEDULED_TIME,
    COMPLETED_TIME,
    round(datediff(millisecond, QUERY_START_TIME, COMPLETED_TIME) / 1000, 3) as DURATION_SEC,
    FIRST_ERROR_TASK_NAME,
    FIRST_ERROR_MESSAGE,
    ATTEMPT_NUMBER
from GRAPH_RUNS
qualify row_number() over (order by COMPLETED_TIME desc, ROOT_TASK_NAME asc) <= :limit
order by COMPLETED_TIME desc, ROOT_TASK_NAME asc
