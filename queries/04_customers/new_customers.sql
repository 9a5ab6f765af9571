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

-- One grouped pass finds each customer's first order (no window over every order); only the new customers' orders
-- go on to the first-product window and the totals.
FIRST_ORDERS as (

    select
        CUSTOMER_ID,
        min(ORDER_DATE) as FIRST_ORDER_AT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS != 'cancelled'
    group by CUSTOMER_ID

),

NEW_CUSTOMERS as (

    select
        FST.CUSTOMER_ID,
        FST.FIRST_ORDER_AT
    from FIRST_ORDERS as FST
    cross join CLOCK
    where FST.FIRST_ORDER_AT >= dateadd(day, -:days, CLOCK.NOW_UTC)

),

NEW_CUSTOMER_ORDERS as (

    select
        ORD.CUSTOMER_ID,
        ORD.ORDER_ID,
        ORD.ORDER_DATE,
        ORD.PRODUCT_NAME,
        ORD.TOTAL_AMOUNT,
        NCU.FIRST_ORDER_AT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    inner join NEW_CUSTOMERS as NCU
        on ORD.CUSTOMER_ID = NCU.CUSTOMER_ID
    where ORD.ORDER_STATUS != 'cancelled'

),

FIRST_PRODUCTS as (

    select
        CUSTOMER_ID,
        PRODUCT_NAME as FIRST_PRODUCT_NAME
    from NEW_CUSTOMER_ORDERS
    qualify row_number() over (partition by CUSTOMER_ID order by ORDER_DATE asc, ORDER_ID asc) = 1

),

CUSTOMER_TOTALS as (

    select
        CUSTOMER_ID,
        FIRST_ORDER_AT,
        count(ORDER_ID) as ORDER_COUNT,
        sum(TOTAL_AMOUNT) as LIFETIME_VALUE
    from NEW_CUSTOMER_ORDERS
    group by CUSTOMER_ID, FIRST_ORDER_AT

)

select
    TOT.CUSTOMER_ID,
    TOT.FIRST_ORDER_AT,
    TOT.ORDER_COUNT,
    TOT.LIFETIME_VALUE,
    FST.FIRST_PRODUCT_NAME
from CUSTOMER_TOTALS as TOT
inner join FIRST_PRODUCTS as FST
    on TOT.CUSTOMER_ID = FST.CUSTOMER_ID
order by TOT.FIRST_ORDER_AT desc, TOT.CUSTOMER_ID asc
