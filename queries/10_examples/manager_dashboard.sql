/*---
id: manager_dashboard
section: 10_examples
title: {fr: "Tableau de bord du gérant", en: "Manager dashboard"}
description:
  fr: >-
    Une ligne pour commencer la journée : commandes, chiffre d'affaires et clients du jour (UTC) contre hier, cumul
    du mois, meilleure vente du jour, commandes à préparer, ruptures et stocks bas, messages rejetés sur 24 h.
    Hors commandes annulées.
  en: >-
    One row to start the day: today's orders, revenue and customers (UTC) against yesterday, month to date, today's
    best seller, orders to prepare, stock-outs and low stock, messages rejected in the last 24 h. Cancelled orders
    excluded.
audience: [manager]
chart: {type: kpi}
parameters:
  - name: threshold
    type: integer
    default: 50
    min: 0
    max: 100000
    label: {fr: "Seuil de stock bas", en: "Low-stock threshold"}
columns:
  - ORDERS_TODAY
  - REVENUE_TODAY
  - CUSTOMERS_TODAY
  - REVENUE_YESTERDAY
  - REVENUE_DELTA_PCT
  - REVENUE_MTD
  - TOP_PRODUCT_TODAY
  - ORDERS_TO_PREPARE
  - OUT_OF_STOCK_PRODUCTS
  - LOW_STOCK_PRODUCTS
  - REJECTED_LAST_24H
---*/

with

CLOCK as (

    select
        convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC,
        convert_timezone('UTC', current_timestamp())::date as TODAY_UTC,
        date_trunc(month, convert_timezone('UTC', current_timestamp())::date)::date as MONTH_START

),

RECENT_ORDERS as (

    select
        ORD.ORDER_ID,
        ORD.CUSTOMER_ID,
        ORD.PRODUCT_ID,
        ORD.PRODUCT_NAME,
        ORD.TOTAL_AMOUNT,
        ORD.ORDER_DATE >= CLOCK.TODAY_UTC as IS_TODAY,
        ORD.ORDER_DATE >= dateadd(day, -1, CLOCK.TODAY_UTC) and ORD.ORDER_DATE < CLOCK.TODAY_UTC as IS_YESTERDAY,
        ORD.ORDER_DATE >= CLOCK.MONTH_START as IS_THIS_MONTH
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= least(CLOCK.MONTH_START, dateadd(day, -1, CLOCK.TODAY_UTC))
        and ORD.ORDER_DATE < dateadd(day, 1, CLOCK.TODAY_UTC)

),

SALES as (

    select
        count(iff(IS_TODAY, ORDER_ID, null)) as ORDERS_TODAY,
        coalesce(sum(iff(IS_TODAY, TOTAL_AMOUNT, 0)), 0) as REVENUE_TODAY,
        count(distinct iff(IS_TODAY, CUSTOMER_ID, null)) as CUSTOMERS_TODAY,
        coalesce(sum(iff(IS_YESTERDAY, TOTAL_AMOUNT, 0)), 0) as REVENUE_YESTERDAY,
        coalesce(sum(iff(IS_THIS_MONTH, TOTAL_AMOUNT, 0)), 0) as REVENUE_MTD
    from RECENT_ORDERS

),

TOP_PRODUCT_RANKED as (

    select
        PRODUCT_ID,
        max(PRODUCT_NAME) as PRODUCT_NAME
    from RECENT_ORDERS
    where IS_TODAY
    group by PRODUCT_ID
    qualify row_number() over (order by sum(TOTAL_AMOUNT) desc, PRODUCT_ID asc) = 1

),

TOP_PRODUCT as (

    select max(PRODUCT_NAME) as TOP_PRODUCT_TODAY
    from TOP_PRODUCT_RANKED

),

TO_PREPARE as (

    select count(*) as ORDERS_TO_PREPARE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS = 'confirmed'

),

STOCK as (

    select
        count_if(CURRENT_STOCK_LEVEL = 0) as OUT_OF_STOCK_PRODUCTS,
        count_if(CURRENT_STOCK_LEVEL < :threshold) as LOW_STOCK_PRODUCTS
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT

),

REJECTIONS as (

    select count(*) as REJECTED_LAST_24H
    from CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS as REJ
    cross join CLOCK
    where REJ.REJECTED_AT >= dateadd(hour, -24, CLOCK.NOW_UTC)

)

select
    SAL.ORDERS_TODAY,
    SAL.REVENUE_TODAY,
    SAL.CUSTOMERS_TODAY,
    SAL.REVENUE_YESTERDAY,
    round((SAL.REVENUE_TODAY - SAL.REVENUE_YESTERDAY) * 100 / nullifzero(SAL.REVENUE_YESTERDAY), 1)
        as REVENUE_DELTA_PCT,
    SAL.REVENUE_MTD,
    TPR.TOP_PRODUCT_TODAY,
    PRE.ORDERS_TO_PREPARE,
    STK.OUT_OF_STOCK_PRODUCTS,
    STK.LOW_STOCK_PRODUCTS,
    REJ.REJECTED_LAST_24H
from SALES as SAL
cross join TOP_PRODUCT as TPR
cross join TO_PREPARE as PRE
cross join STOCK as STK
cross join REJECTIONS as REJ
