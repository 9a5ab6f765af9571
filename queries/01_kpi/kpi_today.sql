/*---
id: kpi_today
section: 01_kpi
title: {fr: "Indicateurs du jour", en: "Today's KPIs"}
description:
  fr: "Commandes, chiffre d'affaires, clients distincts et panier moyen du jour (UTC), hors commandes annulées."
  en: "Orders, revenue, distinct customers and average basket for the current UTC day, cancelled orders excluded."
audience: [manager]
chart: {type: kpi}
parameters: []
columns: [ORDERS_TODAY, REVENUE_TODAY, CUSTOMERS_TODAY, AVG_BASKET_TODAY, UNITS_TODAY]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::date as TODAY_UTC

),

TODAY_ORDERS as (

    select
        ---------- ids
        ORD.ORDER_ID,
        ORD.CUSTOMER_ID,

        ---------- numerics
        ORD.QUANTITY,
        ORD.TOTAL_AMOUNT

    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= CLOCK.TODAY_UTC
        and ORD.ORDER_DATE < dateadd(day, 1, CLOCK.TODAY_UTC)

)

select
    count(ORDER_ID) as ORDERS_TODAY,
    coalesce(sum(TOTAL_AMOUNT), 0) as REVENUE_TODAY,
    count(distinct CUSTOMER_ID) as CUSTOMERS_TODAY,
    round(div0(coalesce(sum(TOTAL_AMOUNT), 0), count(ORDER_ID)), 2) as AVG_BASKET_TODAY,
    coalesce(sum(QUANTITY), 0) as UNITS_TODAY
from TODAY_ORDERS
