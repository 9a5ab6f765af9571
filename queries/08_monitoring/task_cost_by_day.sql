/*---
id: task_cost_by_day
section: 08_monitoring
title: {fr: "Travail et sauts des tâches par jour", en: "Task work and skips per day"}
description:
  fr: >-
    Pour chaque jour (UTC) des N derniers jours : exécutions de tâches, celles qui ont travaillé, celles sautées
    (condition WHEN fausse, aucun crédit d'entrepôt), part des sauts et secondes de travail.
  en: >-
    For each day (UTC) of the last N days: task runs, those that did work, those skipped (WHEN condition false,
    no warehouse credit), share of skips and seconds of work.
audience: [ops, admin]
chart: {type: bar, x: RUN_DAY, y: [WORK_RUNS, SKIPPED_RUNS]}
parameters:
  - name: days
    type: integer
    default: 7
    min: 1
    max: 7
    label: {fr: "Nombre de jours", en: "Number of days"}
columns:
  - RUN_DAY
  - RUNS
  - WORK_RUNS
  - SKIPPED_RUNS
  - SKIPPED_PCT
  - BUSY_SEC
---*/

with

RUNS as (

    select
        TH.STATE,
        convert_timezone('UTC', TH.SCHEDULED_TIME)::date as RUN_DAY,
        datediff(millisecond, TH.QUERY_START_TIME, TH.COMPLETED_TIME) / 1000 as DURATION_SEC
    from table(CAVES_ALBERT_DB.INFORMATION_SCHEMA.TASK_HISTORY(RESULT_LIMIT => 10000)) as TH
    where
        TH.STATE not in ('SCHEDULED', 'EXECUTING')
        and TH.SCHEDULED_TIME >= dateadd(day, -:days, current_timestamp())

),

TOTALS as (

    select
        RUN_DAY,
        count(*) as RUNS,
        count_if(STATE != 'SKIPPED' and DURATION_SEC is not null) as WORK_RUNS,
        coalesce(sum(iff(STATE = 'SKIPPED', null, DURATION_SEC)), 0) as BUSY_SEC
    from RUNS
    group by RUN_DAY

)

select
    RUN_DAY,
    RUNS,
    WORK_RUNS,
    RUNS - WORK_RUNS as SKIPPED_RUNS,
    round((RUNS - WORK_RUNS) * 100 / RUNS, 1) as SKIPPED_PCT,
    round(BUSY_SEC, 3) as BUSY_SEC
from TOTALS
order by RUN_DAY asc
