/*---
id: loyal_customers
section: 04_customers
title: {fr: "Clients fidèles", en: "Loyal customers"}
description:
  fr: "Les clients qui ont passé au moins N commandes (5 par défaut), hors commandes annulées."
  en: "Customers who placed at least N orders (5 by default), cancelled orders excluded."
audience: [manager]
chart: {type: bar, x: CUSTOMER_ID, y: ORDER_COUNT}
parameters:
  - name: min_orders
    type: integer
    default: 5
    min: 1
    max: 10000
    label: {fr: "Commandes au minimum", en: "Minimum number of orders"}
columns: [CUSTOMER_ID, ORDER_COUNT, LIFETIME_VALUE, AVG_BASKET, FIRST_ORDER_AT, LAST_ORDER_AT]
---*/

with

CUSTOMER_TOTALS as (

    select
        CUSTOMER_ID,
        count(ORDER_ID) as ORDER_COUNT,
        sum(TOTAL_AMOUNT) as LIFETIME_VALUE,
        min(ORDER_DATE) as FIRST_ORDER_AT,
        max(ORDER_DATE) as LAST_ORDER_AT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS != 'cancelled'
    group by CUSTOMER_ID

)

select
    CUSTOMER_ID,
    ORDER_COUNT,
    LIFETIME_VALUE,
    round(LIFETIME_VALUE / ORDER_COUNT, 2) as AVG_BASKET,
    FIRST_ORDER_AT,
    LAST_ORDER_AT
from CUSTOMER_TOTALS
where ORDER_COUNT >= :min_orders
order by ORDER_COUNT desc, LIFETIME_VALUE desc, CUSTOMER_ID asc
