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

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::date as TODAY_UTC

)

select
    KPI.ORDER_DAY,
    KPI.ORDER_COUNT,
    KPI.REVENUE,
    KPI.CUSTOMER_COUNT,
    KPI.AVG_BASKET,
    KPI.UNITS_SOLD
from CAVES_ALBERT_DB.PRODUCTION.VW_DAILY_KPI as KPI
cross join CLOCK
where KPI.ORDER_DAY >= dateadd(day, 1 - :days, CLOCK.TODAY_UTC)
order by KPI.ORDER_DAY asc
