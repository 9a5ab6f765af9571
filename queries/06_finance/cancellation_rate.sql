/*---
id: cancellation_rate
section: 06_finance
title: {fr: "Taux d'annulation", en: "Cancellation rate"}
description:
  fr: >-
    Pour chaque jour (UTC) des N derniers jours : commandes passées, commandes aujourd'hui annulées, montant annulé
    et taux d'annulation. Ce sont les commandes exclues de tous les autres indicateurs.
  en: >-
    For each UTC day of the last N days: orders placed, orders now cancelled, cancelled amount and cancellation
    rate. These are the orders every other KPI leaves out.
audience: [manager]
chart: {type: line, x: ORDER_DAY, y: CANCELLATION_RATE_PCT}
parameters:
  - name: days
    type: integer
    default: 30
    min: 1
    max: 3660
    label: {fr: "Nombre de jours", en: "Number of days"}
columns: [ORDER_DAY, ORDER_COUNT, CANCELLED_ORDERS, CANCELLED_AMOUNT, CANCELLATION_RATE_PCT]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::date as TODAY_UTC

)

select
    ORD.ORDER_DATE::date as ORDER_DAY,
    count(ORD.ORDER_ID) as ORDER_COUNT,
    count_if(ORD.ORDER_STATUS = 'cancelled') as CANCELLED_ORDERS,
    coalesce(sum(iff(ORD.ORDER_STATUS = 'cancelled', ORD.TOTAL_AMOUNT, 0)), 0) as CANCELLED_AMOUNT,
    round(count_if(ORD.ORDER_STATUS = 'cancelled') * 100 / count(ORD.ORDER_ID), 1) as CANCELLATION_RATE_PCT
from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
cross join CLOCK
where
    ORD.ORDER_DATE >= dateadd(day, 1 - :days, CLOCK.TODAY_UTC)
    and ORD.ORDER_DATE < dateadd(day, 1, CLOCK.TODAY_UTC)
group by ORD.ORDER_DATE::date
order by ORDER_DAY asc
