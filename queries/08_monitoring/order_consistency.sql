/*---
id: order_consistency
section: 08_monitoring
title: {fr: "Cohérence des commandes", en: "Order consistency"}
description:
  fr: >-
    Chaque commande de PRODUCTION.ORDERS doit refléter son événement le plus récent (plus grand event_timestamp)
    reçu en STAGING. Liste les commandes en retard sur cet événement, en avance, ou absentes de ORDERS. Vide =
    cohérent (un écart passager est normal pendant qu'une tâche tourne).
  en: >-
    Each order in PRODUCTION.ORDERS must reflect its newest event (largest event_timestamp) staged in STAGING.
    Lists the orders behind that event, ahead of it, or missing from ORDERS. Empty = consistent (a passing gap is
    normal while a task runs).
audience: [ops, admin]
chart: {type: table}
parameters:
  - name: limit
    type: integer
    default: 100
    min: 1
    max: 10000
    label: {fr: "Lignes au maximum", en: "Maximum rows"}
columns:
  - ORDER_ID
  - LATEST_EVENT_ID
  - LATEST_EVENT_TIMESTAMP
  - LATEST_STATUS
  - LAST_EVENT_ID
  - LAST_EVENT_TIMESTAMP
  - ORDER_STATUS
  - ANOMALY
---*/

with

LATEST_EVENTS as (

    select
        ORDER_ID,
        EVENT_ID,
        EVENT_TIMESTAMP,
        ORDER_STATUS
    from CAVES_ALBERT_DB.STAGING.STG_ORDERS
    qualify row_number() over (partition by ORDER_ID order by EVENT_TIMESTAMP desc, EVENT_ID desc) = 1

),

COMPARED as (

    select
        LAT.ORDER_ID,
        LAT.EVENT_ID as LATEST_EVENT_ID,
        LAT.EVENT_TIMESTAMP as LATEST_EVENT_TIMESTAMP,
        LAT.ORDER_STATUS as LATEST_STATUS,
        ORD.LAST_EVENT_ID,
        ORD.LAST_EVENT_TIMESTAMP,
        ORD.ORDER_STATUS,
        case
            when ORD.ORDER_ID is null then 'missing in ORDERS'
            when ORD.LAST_EVENT_TIMESTAMP < LAT.EVENT_TIMESTAMP then 'behind its latest event'
            when ORD.LAST_EVENT_TIMESTAMP > LAT.EVENT_TIMESTAMP then 'ahead of staging'
        end as ANOMALY
    from LATEST_EVENTS as LAT
    left join CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
        on LAT.ORDER_ID = ORD.ORDER_ID

)

select
    ORDER_ID,
    LATEST_EVENT_ID,
    LATEST_EVENT_TIMESTAMP,
    LATEST_STATUS,
    LAST_EVENT_ID,
    LAST_EVENT_TIMESTAMP,
    ORDER_STATUS,
    ANOMALY
from COMPARED
where ANOMALY is not null
qualify row_number() over (order by LATEST_EVENT_TIMESTAMP desc, ORDER_ID asc) <= :limit
order by LATEST_EVENT_TIMESTAMP desc, ORDER_ID asc
