/*---
id: new_customers
section: 04_customers
title: {fr: "Nouveaux clients", en: "New customers"}
description:
  fr: "Les clients dont la première commande (non annulée) date des N derniers jours, avec ce qu'ils ont acheté depuis."
  en: "Customers whose first (non-cancelled) order falls within the last N days, with what they bought since."
audience: [manager]
chart: {type: table}
parameters:
  - name: days
    type: integer
    default: 30
    min: 1
    max: 3660
    label: {fr: "Nombre de jours", en: "Number of days"}
columns: [CUSTOMER_ID, FIRST_ORDER_AT, ORDER_COUNT, LIFETIME_VALUE, FIRST_PRODUCT_NAME]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

),

VALID_ORDERS as (

    select
        CUSTOMER_ID,
        ORDER_ID,
        ORDER_DATE,
        PRODUCT_NAME,
        TOTAL_AMOUNT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS != 'cancelled'

),

FIRST_ORDERS as (

    select
        CUSTOMER_ID,
        ORDER_DATE as FIRST_ORDER_AT,
        PRODUCT_NAME as FIRST_PRODUCT_NAME
    from VALID_ORDERS
    qualify row_number() over (partition by CUSTOMER_ID order by ORDER_DATE asc, ORDER_ID asc) = 1

),

CUSTOMER_TOTALS as (

    select
        CUSTOMER_ID,
        count(ORDER_ID) as ORDER_COUNT,
        sum(TOTAL_AMOUNT) as LIFETIME_VALUE
    from VALID_ORDERS
    group by CUSTOMER_ID

)

select
    FST.CUSTOMER_ID,
    FST.FIRST_ORDER_AT,
    TOT.ORDER_COUNT,
    TOT.LIFETIME_VALUE,
    FST.FIRST_PRODUCT_NAME
from FIRST_ORDERS as FST
inner join CUSTOMER_TOTALS as TOT
    on FST.CUSTOMER_ID = TOT.CUSTOMER_ID
cross join CLOCK
where FST.FIRST_ORDER_AT >= dateadd(day, -:days, CLOCK.NOW_UTC)
order by FST.FIRST_ORDER_AT desc, FST.CUSTOMER_ID asc
