/*---
id: payment_method_trend
section: 06_finance
title: {fr: "Moyens de paiement dans le temps", en: "Payment methods over time"}
description:
  fr: "Commandes et chiffre d'affaires par jour (UTC) et par moyen de paiement sur les N derniers jours, hors annulées."
  en: "Orders and revenue per UTC day and payment method over the last N days, cancelled orders excluded."
audience: [manager]
chart: {type: area, x: ORDER_DAY, y: REVENUE, color: PAYMENT_METHOD}
parameters:
  - name: days
    type: integer
    default: 30
    min: 1
    max: 1000
    label: {fr: "Nombre de jours", en: "Number of days"}
columns: [ORDER_DAY, PAYMENT_METHOD, ORDER_COUNT, REVENUE]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::date as TODAY_UTC

)

select
    ORD.ORDER_DATE::date as ORDER_DAY,
    ORD.PAYMENT_METHOD,
    count(ORD.ORDER_ID) as ORDER_COUNT,
    sum(ORD.TOTAL_AMOUNT) as REVENUE
from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
cross join CLOCK
where
    ORD.ORDER_STATUS != 'cancelled'
    and ORD.ORDER_DATE >= dateadd(day, 1 - :days, CLOCK.TODAY_UTC)
    and ORD.ORDER_DATE < dateadd(day, 1, CLOCK.TODAY_UTC)
group by ORD.ORDER_DATE::date, ORD.PAYMENT_METHOD
order by ORDER_DAY asc, ORD.PAYMENT_METHOD asc
