/*---
id: revenue_by_day
section: 03_trends
title: {fr: "Chiffre d'affaires par jour", en: "Revenue by day"}
description:
  fr: >-
    Commandes, bouteilles, clients et chiffre d'affaires de chacun des N derniers jours calendaires UTC (aujourd'hui
    compris) ; les jours sans commande apparaissent à zéro. Hors commandes annulées.
  en: >-
    Orders, bottles, customers and revenue for each of the last N UTC calendar days (today included); days
    without orders show as zero. Cancelled orders excluded.
audience: [manager]
chart: {type: line, x: ORDER_DAY, y: REVENUE}
parameters:
  - name: days
    type: integer
    default: 30
    min: 1
    max: 1000
    label: {fr: "Nombre de jours", en: "Number of days"}
columns: [ORDER_DAY, ORDER_COUNT, UNITS_SOLD, CUSTOMER_COUNT, REVENUE]
---*/

with recursive

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::date as TODAY_UTC

),

CALENDAR (ORDER_DAY, END_DAY) as (

    select
        dateadd(day, 1 - :days, TODAY_UTC)::date as ORDER_DAY,
        TODAY_UTC as END_DAY
    from CLOCK
    union all
    select
        dateadd(day, 1, ORDER_DAY)::date as ORDER_DAY,
        END_DAY
    from CALENDAR
    where ORDER_DAY < END_DAY

),

DAILY_SALES as (

    select
        ORD.ORDER_DATE::date as ORDER_DAY,
        count(ORD.ORDER_ID) as ORDER_COUNT,
        sum(ORD.QUANTITY) as UNITS_SOLD,
        count(distinct ORD.CUSTOMER_ID) as CUSTOMER_COUNT,
        sum(ORD.TOTAL_AMOUNT) as REVENUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= dateadd(day, 1 - :days, CLOCK.TODAY_UTC)
        and ORD.ORDER_DATE < dateadd(day, 1, CLOCK.TODAY_UTC)
    group by ORD.ORDER_DATE::date

)

select
    CAL.ORDER_DAY,
    coalesce(SAL.ORDER_COUNT, 0) as ORDER_COUNT,
    coalesce(SAL.UNITS_SOLD, 0) as UNITS_SOLD,
    coalesce(SAL.CUSTOMER_COUNT, 0) as CUSTOMER_COUNT,
    coalesce(SAL.REVENUE, 0) as REVENUE
from CALENDAR as CAL
left join DAILY_SALES as SAL
    on CAL.ORDER_DAY = SAL.ORDER_DAY
order by CAL.ORDER_DAY asc
