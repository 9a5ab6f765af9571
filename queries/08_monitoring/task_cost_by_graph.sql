/*---
id: task_cost_by_graph
section: 08_monitoring
title: {fr: "Travail et sauts par graphe de tâches", en: "Work and skips per task graph"}
description:
  fr: >-
    Pour chaque graphe (nommé par sa tâche racine) sur les N derniers jours : exécutions du graphe, celles qui
    ont travaillé et celles sautées par la condition WHEN de la racine, part des sauts, exécutions de tâches et
    secondes de travail de tout le graphe.
  en: >-
    For each graph (named after its root task) over the last N days: graph runs, those that did work and those
    skipped by the root's WHEN condition, share of skips, task runs and seconds of work of the whole graph.
audience: [ops, admin]
chart: {type: bar, x: GRAPH_NAME, y: [WORK_GRAPH_RUNS, SKIPPED_GRAPH_RUNS]}
parameters:
  - name: days
    type: integer
    default: 1
    min: 1
    max: 7
    label: {fr: "Nombre de jours", en: "Number of days"}
columns:
  - GRAPH_NAME
  - GRAPH_RUNS
  - WORK_GRAPH_RUNS
  - SKIPPED_GRAPH_RUNS
  - SKIPPED_PCT
  - TASK_RUNS
  - BUSY_SEC
---*/

with

RUNS as (

    select
        TH.NAME,
        TH.ROOT_TASK_ID,
        TH.STATE,
        TH.SCHEDULED_TIME,
        TH.QUERY_START_TIME,
        TH.COMPLETED_TIME,
        datediff(millisecond, TH.QUERY_START_TIME, TH.COMPLETED_TIME) / 1000 as DURATION_SEC
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

),

ROOT_RUNS as (

    select
        RUNS.ROOT_TASK_ID,
        count(*) as GRAPH_RUNS,
        count_if(RUNS.STATE != 'SKIPPED') as WORK_GRAPH_RUNS
    from RUNS
    inner join GRAPHS
        on
            RUNS.ROOT_TASK_ID = GRAPHS.ROOT_TASK_ID
            and RUNS.NAME = GRAPHS.GRAPH_NAME
    group by RUNS.ROOT_TASK_ID

),

WORK as (

    select
        ROOT_TASK_ID,
        count(*) as TASK_RUNS,
        coalesce(sum(iff(STATE = 'SKIPPED', null, DURATION_SEC)), 0) as BUSY_SEC
    from RUNS
    group by ROOT_TASK_ID

)

select
    GRAPHS.GRAPH_NAME,
    ROOT_RUNS.GRAPH_RUNS,
    ROOT_RUNS.WORK_GRAPH_RUNS,
    ROOT_RUNS.GRAPH_RUNS - ROOT_RUNS.WORK_GRAPH_RUNS as SKIPPED_GRAPH_RUNS,
    round((ROOT_RUNS.GRAPH_RUNS - ROOT_RUNS.WORK_GRAPH_RUNS) * 100 / ROOT_RUNS.GRAPH_RUNS, 1) as SKIPPED_PCT,
    WORK.TASK_RUNS,
    round(WORK.BUSY_SEC, 3) as BUSY_SEC
from GRAPHS
inner join ROOT_RUNS
    on GRAPHS.ROOT_TASK_ID = ROOT_RUNS.ROOT_TASK_ID
inner join WORK
    on GRAPHS.ROOT_TASK_ID = WORK.ROOT_TASK_ID
order by WORK.BUSY_SEC desc, GRAPHS.GRAPH_NAME asc
