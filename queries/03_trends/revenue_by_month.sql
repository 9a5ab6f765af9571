/*---
id: revenue_by_month
section: 03_trends
title: {fr: "Chiffre d'affaires par mois", en: "Revenue by month"}
description:
  fr: >-
    Commandes, bouteilles, clients, chiffre d'affaires et panier moyen par mois calendaire (UTC) sur les N derniers
    mois, mois en cours compris. Hors commandes annulées.
  en: >-
    Orders, bottles, customers, revenue and average basket per calendar month (UTC) over the last N months,
    current month included. Cancelled orders excluded.
audience: [manager]
chart: {type: bar, x: MONTH_START, y: REVENUE}
parameters:
  - name: months
    type: integer
    default: 12
    min: 1
    max: 240
    label: {fr: "Nombre de mois", en: "Number of months"}
columns: [MONTH_START, ORDER_COUNT, UNITS_SOLD, CUSTOMER_COUNT, REVENUE, AVG_BASKET]
---*/

with

CLOCK as (

    select date_trunc(month, convert_timezone('UTC', current_timestamp())::date)::date as CURRENT_MONTH_START

),

VALID_ORDERS as (

    select
        ORD.ORDER_ID,
        ORD.CUSTOMER_ID,
        ORD.QUANTITY,
        ORD.TOTAL_AMOUNT,
        date_trunc(month, ORD.ORDER_DATE)::date as MONTH_START
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= dateadd(month, 1 - :months, CLOCK.CURRENT_MONTH_START)

)

select
    MONTH_START,
    count(ORDER_ID) as ORDER_COUNT,
    sum(QUANTITY) as UNITS_SOLD,
    count(distinct CUSTOMER_ID) as CUSTOMER_COUNT,
    sum(TOTAL_AMOUNT) as REVENUE,
    round(sum(TOTAL_AMOUNT) / count(ORDER_ID), 2) as AVG_BASKET
from VALID_ORDERS
group by MONTH_START
order by MONTH_START asc
