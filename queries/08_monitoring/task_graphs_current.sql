/*---
id: task_graphs_current
section: 08_monitoring
title: {fr: "Graphes en cours et à venir", en: "Running and upcoming task graphs"}
description:
  fr: >-
    Les graphes de tâches en cours d'exécution et la prochaine exécution planifiée de chaque graphe démarré
    (CURRENT_TASK_GRAPHS) : état, origine, heure prévue et heure de début.
  en: >-
    The task graphs running now and the next scheduled run of each started graph (CURRENT_TASK_GRAPHS): state,
    origin, scheduled time and start time.
audience: [ops, admin]
chart: {type: table}
parameters: []
columns: [ROOT_TASK_NAME, STATE, SCHEDULED_FROM, SCHEDULED_TIME, QUERY_START_TIME]
---*/

select
    CTG.ROOT_TASK_NAME,
    CTG.STATE,
    CTG.SCHEDULED_FROM,
    CTG.SCHEDULED_TIME,
    CTG.QUERY_START_TIME
from table(CAVES_ALBERT_DB.INFORMATION_SCHEMA.CURRENT_TASK_GRAPHS()) as CTG
order by CTG.SCHEDULED_TIME asc, CTG.ROOT_TASK_NAME asc
