/*---
id: task_run_summary
section: 08_monitoring
title: {fr: "Bilan des tâches", en: "Task run summary"}
description:
  fr: >-
    Pour chaque tâche sur les N dernières heures : exécutions terminées, réussies, en échec, sautées (condition
    WHEN fausse : rien à traiter), taux de réussite, durées moyenne et maximale, et dernier état connu.
  en: >-
    For each task over the last N hours: finished runs, successes, failures, skips (WHEN condition false: nothing
    to process), success rate, mean and longest duration, and the latest known state.
audience: [ops, admin]
chart: {type: bar, x: NAME, y: [SUCCEEDED, FAILED, SKIPPED]}
parameters:
  - name: hours
    type: integer
    default: 24
    min: 1
    max: 168
    label: {fr: "Nombre d'heures", en: "Number of hours"}
columns:
  - NAME
  - RUNS
  - SUCCEEDED
  - FAILED
  - SKIPPED
  - SUCCESS_RATE_PCT
  - AVG_DURATION_SEC
  - MAX_DURATION_SEC
  - LAST_SCHEDULED_TIME
  - LAST_STATE
---*/

with

FINISHED_RUNS as (

    select
        TH.NAME,
        TH.STATE,
        TH.SCHEDULED_TIME,
        datediff(millisecond, TH.QUERY_START_TIME, TH.COMPLETED_TIME) / 1000 as DURATION_SEC
    from table(CAVES_ALBERT_DB.INFORMATION_SCHEMA.TASK_HISTORY(RESULT_LIMIT => 1000)) as TH
    where
        TH.STATE not in ('SCHEDULED', 'EXECUTING')
        and TH.SCHEDULED_TIME >= dateadd(hour, -:hours, current_timestamp())

),

LAST_RUNS as (

    select
        NAME,
        SCHEDULED_TIME as LAST_SCHEDULED_TIME,
        STATE as LAST_STATE
    from FINISHED_RUNS
    qualify row_number() over (partition by NAME order by SCHEDULED_TIME desc) = 1

),

TOTALS as (

    select
        NAME,
        count(*) as RUNS,
        count_if(STATE = 'SUCCEEDED') as SUCCEEDED,
        count_if(STATE in ('FAILED', 'FAILED_AND_AUTO_SUSPENDED', 'CANCELLED')) as FAILED,
        count_if(STATE = 'SKIPPED') as SKIPPED,
        avg(iff(STATE = 'SKIPPED', null, DURATION_SEC)) as AVG_DURATION_SEC,
        max(iff(STATE = 'SKIPPED', null, DURATION_SEC)) as MAX_DURATION_SEC
    from FINISHED_RUNS
    group by NAME

)

select
    TOT.NAME,
    TOT.RUNS,
    TOT.SUCCEEDED,
    TOT.FAILED,
    TOT.SKIPPED,
    round(TOT.SUCCEEDED * 100 / nullifzero(TOT.SUCCEEDED + TOT.FAILED), 1) as SUCCESS_RATE_PCT,
    round(TOT.AVG_DURATION_SEC, 3) as AVG_DURATION_SEC,
    round(TOT.MAX_DURATION_SEC, 3) as MAX_DURATION_SEC,
    LST.LAST_SCHEDULED_TIME,
    LST.LAST_STATE
from TOTALS as TOT
inner join LAST_RUNS as LST
    on TOT.NAME = LST.NAME
order by TOT.NAME asc
