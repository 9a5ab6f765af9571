/*---
id: kpi_month_to_date
section: 01_kpi
title: {fr: "Mois en cours", en: "Month to date"}
description:
  fr: >-
    Commandes, chiffre d'affaires, clients et panier moyen depuis le 1er du mois (UTC), comparés à la même période
    du mois précédent. Hors commandes annulées.
  en: >-
    Orders, revenue, customers and average basket since the 1st of the month (UTC), compared with the same span
    of the previous month. Cancelled orders excluded.
audience: [manager]
chart: {type: kpi}
parameters: []
columns: [ORDERS_MTD, REVENUE_MTD, CUSTOMERS_MTD, AVG_BASKET_MTD, REVENUE_PREVIOUS_MTD, REVENUE_DELTA_PCT]
---*/

with

CLOCK as (

    select
        convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC,
        date_trunc(month, convert_timezone('UTC', current_timestamp())::date) as MONTH_START

),

PERIODS as (

    select
        MONTH_START as CURRENT_START,
        NOW_UTC as CURRENT_END,
        dateadd(month, -1, MONTH_START) as PREVIOUS_START,
        dateadd(month, -1, NOW_UTC) as PREVIOUS_END
    from CLOCK

),

TAGGED_ORDERS as (

    select
        ORD.ORDER_ID,
        ORD.CUSTOMER_ID,
        ORD.TOTAL_AMOUNT,
        ORD.ORDER_DATE >= PRD.CURRENT_START as IS_CURRENT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join PERIODS as PRD
    where
        ORD.ORDER_STATUS != 'cancelled'
        -- the same lower bound as a constant expression, which (unlike the join to PERIODS) filters the scan itself
        and ORD.ORDER_DATE >= dateadd(month, -1, date_trunc(month, convert_timezone('UTC', current_timestamp())::date))
        and (
            (ORD.ORDER_DATE >= PRD.CURRENT_START and ORD.ORDER_DATE <= PRD.CURRENT_END)
            or (ORD.ORDER_DATE >= PRD.PREVIOUS_START and ORD.ORDER_DATE <= PRD.PREVIOUS_END)
        )

),

TOTALS as (

    select
        count(iff(IS_CURRENT, ORDER_ID, null)) as ORDERS_MTD,
        coalesce(sum(iff(IS_CURRENT, TOTAL_AMOUNT, 0)), 0) as REVENUE_MTD,
        count(distinct iff(IS_CURRENT, CUSTOMER_ID, null)) as CUSTOMERS_MTD,
        coalesce(sum(iff(not IS_CURRENT, TOTAL_AMOUNT, 0)), 0) as REVENUE_PREVIOUS_MTD
    from TAGGED_ORDERS

)

select
    ORDERS_MTD,
    REVENUE_MTD,
    CUSTOMERS_MTD,
    round(div0(REVENUE_MTD, ORDERS_MTD), 2) as AVG_BASKET_MTD,
    REVENUE_PREVIOUS_MTD,
    round((REVENUE_MTD - REVENUE_PREVIOUS_MTD) * 100 / nullifzero(REVENUE_PREVIOUS_MTD), 1) as REVENUE_DELTA_PCT
from TOTALS
