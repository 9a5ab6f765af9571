/*---
id: task_cost_by_task
section: 08_monitoring
title: {fr: "Travail et sauts par tâche", en: "Work and skips per task"}
description:
  fr: >-
    Pour chaque tâche sur les N derniers jours : exécutions, exécutions qui ont travaillé, exécutions sautées
    (condition WHEN fausse, aucun crédit d'entrepôt), part des sauts, secondes de travail et durée moyenne d'une
    exécution qui travaille. Les crédits se calculent à partir de ces durées (commande caves cost).
  en: >-
    For each task over the last N days: runs, runs that did work, skipped runs (WHEN condition false, no
    warehouse credit), share of skips, seconds of work and the mean duration of a working run. Credits are
    computed from these durations (the caves cost command).
audience: [ops, admin]
chart: {type: bar, x: NAME, y: [WORK_RUNS, SKIPPED_RUNS]}
parameters:
  - name: days
    type: integer
    default: 1
    min: 1
    max: 7
    label: {fr: "Nombre de jours", en: "Number of days"}
columns:
  - NAME
  - RUNS
  - WORK_RUNS
  - SKIPPED_RUNS
  - SKIPPED_PCT
  - BUSY_SEC
  - AVG_WORK_SEC
---*/

with

RUNS as (

    select
        TH.NAME,
        TH.STATE,
        datediff(millisecond, TH.QUERY_START_TIME, TH.COMPLETED_TIME) / 1000 as DURATION_SEC
    from table(CAVES_ALBERT_DB.INFORMATION_SCHEMA.TASK_HISTORY(RESULT_LIMIT => 10000)) as TH
    where
        TH.STATE not in ('SCHEDULED', 'EXECUTING')
        and TH.SCHEDULED_TIME >= dateadd(day, -:days, current_timestamp())

),

TOTALS as (

    select
        NAME,
        count(*) as RUNS,
        count_if(STATE != 'SKIPPED' and DURATION_SEC is not null) as WORK_RUNS,
        coalesce(sum(iff(STATE = 'SKIPPED', null, DURATION_SEC)), 0) as BUSY_SEC
    from RUNS
    group by NAME

)

select
    NAME,
    RUNS,
    WORK_RUNS,
    RUNS - WORK_RUNS as SKIPPED_RUNS,
    round((RUNS - WORK_RUNS) * 100 / RUNS, 1) as SKIPPED_PCT,
    round(BUSY_SEC, 3) as BUSY_SEC,
    round(BUSY_SEC / nullif(WORK_RUNS, 0), 3) as AVG_WORK_SEC
from TOTALS
order by BUSY_SEC desc, NAME asc
