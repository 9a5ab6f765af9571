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

CUSTOMER_MONTHS as (

    select distinct
        CUSTOMER_ID,
        date_trunc(month, ORDER_DATE)::date as ACTIVITY_MONTH
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS != 'cancelled'

),

COHORTS as (

    select
        CUSTOMER_ID,
        min(ACTIVITY_MONTH) as COHORT_MONTH
    from CUSTOMER_MONTHS
    group by CUSTOMER_ID

),

COHORT_SIZES as (

    select
        COHORT_MONTH,
        count(CUSTOMER_ID) as COHORT_SIZE
    from COHORTS
    group by COHORT_MONTH

),

ACTIVITY as (

    select
        COH.COHORT_MONTH,
        datediff(month, COH.COHORT_MONTH, CM.ACTIVITY_MONTH) as MONTH_NUMBER,
        count(distinct CM.CUSTOMER_ID) as ACTIVE_CUSTOMERS
    from CUSTOMER_MONTHS as CM
    inner join COHORTS as COH
        on CM.CUSTOMER_ID = COH.CUSTOMER_ID
    cross join CLOCK
    where COH.COHORT_MONTH >= dateadd(month, 1 - :months, CLOCK.CURRENT_MONTH_START)
    group by COH.COHORT_MONTH, datediff(month, COH.COHORT_MONTH, CM.ACTIVITY_MONTH)

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
