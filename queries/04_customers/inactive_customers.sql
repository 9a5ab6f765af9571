/*---
id: inactive_customers
section: 04_customers
title: {fr: "Clients inactifs", en: "Inactive customers"}
description:
  fr: >-
    Les clients dont la dernière commande (non annulée) remonte à N jours calendaires UTC ou plus (30 par défaut) :
    des candidats à une relance.
  en: >-
    Customers whose latest (non-cancelled) order is N or more UTC calendar days old (30 by default): candidates
    for a win-back campaign.
audience: [manager]
chart: {type: table}
parameters:
  - name: days
    type: integer
    default: 30
    min: 1
    max: 3660
    label: {fr: "Jours sans commande", en: "Days without an order"}
columns: [CUSTOMER_ID, LAST_ORDER_AT, DAYS_INACTIVE, ORDER_COUNT, LIFETIME_VALUE]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::date as TODAY_UTC

),

CUSTOMER_TOTALS as (

    select
        CUSTOMER_ID,
        max(ORDER_DATE) as LAST_ORDER_AT,
        count(ORDER_ID) as ORDER_COUNT,
        sum(TOTAL_AMOUNT) as LIFETIME_VALUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS != 'cancelled'
    group by CUSTOMER_ID

),

INACTIVITY as (

    select
        CUS.CUSTOMER_ID,
        CUS.LAST_ORDER_AT,
        datediff(day, CUS.LAST_ORDER_AT::date, CLOCK.TODAY_UTC) as DAYS_INACTIVE,
        CUS.ORDER_COUNT,
        CUS.LIFETIME_VALUE
    from CUSTOMER_TOTALS as CUS
    cross join CLOCK

)

select
    CUSTOMER_ID,
    LAST_ORDER_AT,
    DAYS_INACTIVE,
    ORDER_COUNT,
    LIFETIME_VALUE
from INACTIVITY
where DAYS_INACTIVE >= :days
order by LIFETIME_VALUE desc, CUSTOMER_ID asc
