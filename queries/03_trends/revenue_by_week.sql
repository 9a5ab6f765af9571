/*---
id: revenue_by_week
section: 03_trends
title: {fr: "Chiffre d'affaires par semaine", en: "Revenue by week"}
description:
  fr: >-
    Commandes, bouteilles, clients, chiffre d'affaires et panier moyen par semaine ISO (du lundi au dimanche, UTC)
    sur les N dernières semaines, semaine en cours comprise. Hors commandes annulées.
  en: >-
    Orders, bottles, customers, revenue and average basket per ISO week (Monday to Sunday, UTC) over the last
    N weeks, current week included. Cancelled orders excluded.
audience: [manager]
chart: {type: bar, x: WEEK_START, y: REVENUE}
parameters:
  - name: weeks
    type: integer
    default: 12
    min: 1
    max: 520
    label: {fr: "Nombre de semaines", en: "Number of weeks"}
columns: [WEEK_START, ORDER_COUNT, UNITS_SOLD, CUSTOMER_COUNT, REVENUE, AVG_BASKET]
---*/

with

CLOCK as (

    select date_trunc(week, convert_timezone('UTC', current_timestamp())::date)::date as CURRENT_WEEK_START

),

VALID_ORDERS as (

    select
        ORD.ORDER_ID,
        ORD.CUSTOMER_ID,
        ORD.QUANTITY,
        ORD.TOTAL_AMOUNT,
        date_trunc(week, ORD.ORDER_DATE)::date as WEEK_START
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= dateadd(week, 1 - :weeks, CLOCK.CURRENT_WEEK_START)

)

select
    WEEK_START,
    count(ORDER_ID) as ORDER_COUNT,
    sum(QUANTITY) as UNITS_SOLD,
    count(distinct CUSTOMER_ID) as CUSTOMER_COUNT,
    sum(TOTAL_AMOUNT) as REVENUE,
    round(sum(TOTAL_AMOUNT) / count(ORDER_ID), 2) as AVG_BASKET
from VALID_ORDERS
group by WEEK_START
order by WEEK_START asc
