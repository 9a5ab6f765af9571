/*---
id: daily_kpi_view
section: 09_views
title: {fr: "Vue : indicateurs quotidiens", en: "View: daily KPIs"}
description:
  fr: >-
    Lecture de la vue PRODUCTION.VW_DAILY_KPI (commandes, chiffre d'affaires, clients, panier moyen et bouteilles
    par jour UTC, hors commandes annulées) pour les N derniers jours.
  en: >-
    Reads the PRODUCTION.VW_DAILY_KPI view (orders, revenue, customers, average basket and bottles per UTC day,
    cancelled orders excluded) for the last N days.
audience: [manager]
chart: {type: line, x: ORDER_DAY, y: REVENUE}
parameters:
  - name: days
    type: integer
    default: 30
    min: 1
    max: 3660
    label: {fr: "Nombre de jours", en: "Number of days"}
columns: [ORDER_DAY, ORDER_COUNT, REVENUE, CUSTOMER_COUNT, AVG_BASKET, UNITS_SOLD]
---*/

with

-- The window's first day is a constant expression rather than a join to a CLOCK CTE, so that the filter
-- reaches the view's scan of ORDERS instead of waiting for every day to be aggregated.
DAILY_KPI as (

    select
        ORDER_DAY,
        ORDER_COUNT,
        REVENUE,
        CUSTOMER_COUNT,
        AVG_BASKET,
        UNITS_SOLD
    from CAVES_ALBERT_DB.PRODUCTION.VW_DAILY_KPI
    where ORDER_DAY >= dateadd(day, 1 - :days, convert_timezone('UTC', current_timestamp())::date)

)

select
    ORDER_DAY,
    ORDER_COUNT,
    REVENUE,
    CUSTOMER_COUNT,
    AVG_BASKET,
    UNITS_SOLD
from DAILY_KPI
order by ORDER_DAY asc
