/*---
id: alert_history
section: 08_monitoring
title: {fr: "Historique des alertes", en: "Alert history"}
description:
  fr: >-
    Les dernières exécutions des alertes Snowflake du pipeline (INFORMATION_SCHEMA.ALERT_HISTORY, 7 jours au plus),
    la plus récente en tête : condition fausse, déclenchée, condition ou action en échec, et la prochaine planifiée.
  en: >-
    The latest runs of the pipeline's Snowflake alerts (INFORMATION_SCHEMA.ALERT_HISTORY, 7 days at most), newest
    first: condition false, triggered, condition or action failed, and the next scheduled one.
audience: [ops, admin]
chart: {type: table}
parameters:
  - name: limit
    type: integer
    default: 100
    min: 1
    max: 10000
    label: {fr: "Nombre d'exécutions", en: "Number of runs"}
columns: [ALERT_NAME, STATE, SCHEDULED_TIME, COMPLETED_TIME, DURATION_SEC]
---*/

select
    AH.NAME as ALERT_NAME,
    AH.STATE,
    AH.SCHEDULED_TIME,
    AH.COMPLETED_TIME,
    datediff(millisecond, AH.SCHEDULED_TIME, AH.COMPLETED_TIME) / 1000 as DURATION_SEC
from table(CAVES_ALBERT_DB.INFORMATION_SCHEMA.ALERT_HISTORY(RESULT_LIMIT => :limit)) as AH
order by AH.SCHEDULED_TIME desc
