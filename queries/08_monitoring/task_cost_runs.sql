/*---
id: task_cost_runs
section: 08_monitoring
title: {fr: "Exécutions des tâches pour le calcul du coût", en: "Task runs for the cost model"}
description:
  fr: >-
    Chaque exécution terminée des tâches sur les N derniers jours (TASK_HISTORY) avec son graphe (la tâche
    racine), ses heures de début et de fin, sa durée et si elle a travaillé ou a été sautée (condition WHEN
    fausse : aucun entrepôt démarré). Ce sont les intervalles dont caves/cost.py calcule les crédits.
  en: >-
    Every finished task run of the last N days (TASK_HISTORY) with its graph (the root task), its start and end
    times, its duration and whether it did work or was skipped (WHEN condition false: no warehouse started).
    These are the intervals caves/cost.py computes the credits of.
audience: [ops, admin]
chart: {type: table}
parameters:
  - name: days
    type: integer
    default: 1
    min: 1
    max: 7
    label: {fr: "Nombre de jours", en: "Number of days"}
columns:
  - NAME
  - GRAPH_NAME
  - STATE
  - SCHEDULED_TIME
  - QUERY_START_TIME
  - COMPLETED_TIME
  - DURATION_SEC
  - DID_WORK
---*/

with

RUNS as (

    select
        TH.NAME,
        TH.ROOT_TASK_ID,
        TH.STATE,
        TH.SCHEDULED_TIME,
        TH.QUERY_START_TIME,
        TH.COMPLETED_TIME
    from table(CAVES_ALBERT_DB.INFORMATION_SCHEMA.TASK_HISTORY(RESULT_LIMIT => 10000)) as TH
    where
        TH.STATE not in ('SCHEDULED', 'EXECUTING')
        and TH.SCHEDULED_TIME >= dateadd(day, -:days, current_timestamp())

),

-- A graph's root runs first in every graph run: the earliest row of its latest run names the graph.
GRAPHS as (

    select
        ROOT_TASK_ID,
        NAME as GRAPH_NAME
    from RUNS
    qualify
        row_number() over (
            partition by ROOT_TASK_ID
            order by SCHEDULED_TIME desc, coalesce(QUERY_START_TIME, COMPLETED_TIME) asc nulls last, NAME asc
        ) = 1

)

select
    RUNS.NAME,
    GRAPHS.GRAPH_NAME,
    RUNS.STATE,
    RUNS.SCHEDULED_TIME,
    RUNS.QUERY_START_TIME,
    RUNS.COMPLETED_TIME,
    coalesce(datediff(millisecond, RUNS.QUERY_START_TIME, RUNS.COMPLETED_TIME) / 1000, 0) as DURATION_SEC,
    RUNS.STATE != 'SKIPPED' and RUNS.QUERY_START_TIME is not null as DID_WORK
from RUNS
left join GRAPHS
    on RUNS.ROOT_TASK_ID = GRAPHS.ROOT_TASK_ID
order by RUNS.SCHEDULED_TIME asc, RUNS.QUERY_START_TIME asc nulls first, RUNS.NAME asc
