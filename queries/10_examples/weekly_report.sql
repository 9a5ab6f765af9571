/*---
id: weekly_report
section: 10_examples
title: {fr: "Rapport hebdomadaire", en: "Weekly report"}
description:
  fr: >-
    Une ligne par semaine ISO (lundi, UTC) sur les N dernières semaines : commandes, chiffre d'affaires et son
    évolution sur la semaine précédente, clients dont nouveaux clients (première commande cette semaine-là),
    panier moyen et catégorie la plus vendue. Hors commandes annulées.
  en: >-
    One row per ISO week (Monday, UTC) over the last N weeks: orders, revenue and its change on the week before,
    customers including new ones (first order that week), average basket and best-selling category. Cancelled
    orders excluded.
audience: [manager]
chart: {type: bar, x: WEEK_START, y: REVENUE}
parameters:
  - name: weeks
    type: integer
    default: 8
    min: 1
    max: 260
    label: {fr: "Nombre de semaines", en: "Number of weeks"}
columns:
  - WEEK_START
  - ORDER_COUNT
  - REVENUE
  - REVENUE_DELTA_PCT
  - CUSTOMER_COUNT
  - NEW_CUSTOMERS
  - AVG_BASKET
  - TOP_CATEGORY
---*/

with

CLOCK as (

    select date_trunc(week, convert_timezone('UTC', current_timestamp())::date)::date as CURRENT_WEEK_START

),

-- One week more than shown, so that the first week shown has a previous week to compare with. The bound is a
-- constant expression (not a join to CLOCK) so that it filters the scan of ORDERS itself.
WEEKLY as (

    select
        date_trunc(week, ORDER_DATE)::date as WEEK_START,
        count(ORDER_ID) as ORDER_COUNT,
        sum(TOTAL_AMOUNT) as REVENUE,
        count(distinct CUSTOMER_ID) as CUSTOMER_COUNT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where
        ORDER_STATUS != 'cancelled'
        and ORDER_DATE
        >= dateadd(week, -:weeks, date_trunc(week, convert_timezone('UTC', current_timestamp())::date))
    group by date_trunc(week, ORDER_DATE)::date

),

TOP_CATEGORIES as (

    select
        date_trunc(week, ORDER_DATE)::date as WEEK_START,
        PRODUCT_CATEGORY as TOP_CATEGORY
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where
        ORDER_STATUS != 'cancelled'
        and ORDER_DATE
        >= dateadd(week, -:weeks, date_trunc(week, convert_timezone('UTC', current_timestamp())::date))
    group by date_trunc(week, ORDER_DATE)::date, PRODUCT_CATEGORY
    qualify row_number() over (
        partition by date_trunc(week, ORDER_DATE)::date
        order by sum(TOTAL_AMOUNT) desc, PRODUCT_CATEGORY asc
    ) = 1

),

FIRST_ORDERS as (

    select
        CUSTOMER_ID,
        min(ORDER_DATE) as FIRST_ORDER_AT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS != 'cancelled'
    group by CUSTOMER_ID

),

-- a customer is new in the week of their first order, which is also one of the orders of that week
NEW_CUSTOMERS as (

    select
        date_trunc(week, FIRST_ORDER_AT)::date as WEEK_START,
        count(CUSTOMER_ID) as NEW_CUSTOMERS
    from FIRST_ORDERS
    where
        FIRST_ORDER_AT
        >= dateadd(week, -:weeks, date_trunc(week, convert_timezone('UTC', current_timestamp())::date))
    group by date_trunc(week, FIRST_ORDER_AT)::date

),

COMPARED as (

    select
        WKL.WEEK_START,
        CLOCK.CURRENT_WEEK_START,
        WKL.ORDER_COUNT,
        WKL.REVENUE,
        lag(WKL.REVENUE) over (order by WKL.WEEK_START asc) as PREVIOUS_REVENUE,
        lag(WKL.WEEK_START) over (order by WKL.WEEK_START asc) as PREVIOUS_WEEK_START,
        WKL.CUSTOMER_COUNT,
        coalesce(NCU.NEW_CUSTOMERS, 0) as NEW_CUSTOMERS,
        TCA.TOP_CATEGORY
    from WEEKLY as WKL
    inner join TOP_CATEGORIES as TCA
        on WKL.WEEK_START = TCA.WEEK_START
    left join NEW_CUSTOMERS as NCU
        on WKL.WEEK_START = NCU.WEEK_START
    cross join CLOCK

)

select
    WEEK_START,
    ORDER_COUNT,
    REVENUE,
    -- only against the calendar week right before (a week without sales leaves the change empty)
    iff(
        PREVIOUS_WEEK_START = dateadd(week, -1, WEEK_START),
        round((REVENUE - PREVIOUS_REVENUE) * 100 / nullifzero(PREVIOUS_REVENUE), 1),
        null
    ) as REVENUE_DELTA_PCT,
    CUSTOMER_COUNT,
    NEW_CUSTOMERS,
    round(REVENUE / ORDER_COUNT, 2) as AVG_BASKET,
    TOP_CATEGORY
from COMPARED
where WEEK_START > dateadd(week, -:weeks, CURRENT_WEEK_START)
order by WEEK_START asc
