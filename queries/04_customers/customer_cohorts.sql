/*---
id: customer_cohorts
section: 04_customers
title: {fr: "Cohortes de clients (rétention)", en: "Customer cohorts (retention)"}
description:
  fr: >-
    Les clients sont groupés par mois de première commande (cohorte) ; pour chaque mois suivant, la part de la
    cohorte qui a recommandé. Cohortes des N derniers mois, hors commandes annulées.
  en: >-
    Customers are grouped by the month of their first order (cohort); for each following month, the share of the
    cohort that ordered again. Cohorts of the last N months, cancelled orders excluded.
audience: [manager]
chart: {type: line, x: MONTH_NUMBER, y: RETENTION_PCT, color: COHORT_MONTH}
parameters:
  - name: months
    type: integer
    default: 6
    min: 1
    max: 60
    label: {fr: "Nombre de mois", en: "Number of months"}
columns: [COHORT_MONTH, MONTH_NUMBER, COHORT_SIZE, ACTIVE_CUSTOMERS, RETENTION_PCT]
---*/

with

CLOCK as (

    select date_trunc(month, convert_timezone('UTC', current_timestamp())::date)::date as CURRENT_MONTH_START

),

-- a customer's cohort is the month of their first (non-cancelled) order
COHORTS as (

    select
        CUSTOMER_ID,
        date_trunc(month, min(ORDER_DATE))::date as COHORT_MONTH
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS != 'cancelled'
    group by CUSTOMER_ID

),

RECENT_COHORTS as (

    select
        COH.CUSTOMER_ID,
        COH.COHORT_MONTH
    from COHORTS as COH
    cross join CLOCK
    where COH.COHORT_MONTH >= dateadd(month, 1 - :months, CLOCK.CURRENT_MONTH_START)

),

COHORT_SIZES as (

    select
        COHORT_MONTH,
        count(CUSTOMER_ID) as COHORT_SIZE
    from RECENT_COHORTS
    group by COHORT_MONTH

),

-- A recent cohort's orders are all recent: the bound (a constant expression, so that it filters the scan) only
-- spares reading older orders, and the join keeps the recent cohorts' customers before anything is counted.
ACTIVITY as (

    select
        COH.COHORT_MONTH,
        datediff(month, COH.COHORT_MONTH, date_trunc(month, ORD.ORDER_DATE)::date) as MONTH_NUMBER,
        count(distinct ORD.CUSTOMER_ID) as ACTIVE_CUSTOMERS
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    inner join RECENT_COHORTS as COH
        on ORD.CUSTOMER_ID = COH.CUSTOMER_ID
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE
        >= dateadd(month, 1 - :months, date_trunc(month, convert_timezone('UTC', current_timestamp())::date))
    group by COH.COHORT_MONTH, datediff(month, COH.COHORT_MONTH, date_trunc(month, ORD.ORDER_DATE)::date)

)

select
    ACT.COHORT_MONTH,
    ACT.MONTH_NUMBER,
    SIZ.COHORT_SIZE,
    ACT.ACTIVE_CUSTOMERS,
    round(ACT.ACTIVE_CUSTOMERS * 100 / SIZ.COHORT_SIZE, 1) as RETENTION_PCT
from ACTIVITY as ACT
inner join COHORT_SIZES as SIZ
    on ACT.COHORT_MONTH = SIZ.COHORT_MONTH
order by ACT.COHORT_MONTH asc, ACT.MONTH_NUMBER asc
