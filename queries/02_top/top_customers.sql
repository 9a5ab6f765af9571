/*---
id: top_customers
section: 02_top
title: {fr: "Meilleurs clients", en: "Top customers"}
description:
  fr: "Les clients qui ont le plus dépensé depuis leur première commande, hors commandes annulées."
  en: "The customers who spent the most since their first order, cancelled orders excluded."
audience: [manager]
chart: {type: bar, x: CUSTOMER_ID, y: LIFETIME_VALUE}
parameters:
  - name: limit
    type: integer
    default: 20
    min: 1
    max: 1000
    label: {fr: "Nombre de clients", en: "Number of customers"}
columns: [CUSTOMER_ID, ORDER_COUNT, LIFETIME_VALUE, AVG_BASKET, FIRST_ORDER_AT, LAST_ORDER_AT, VALUE_RANK]
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
    LAST_ORDER_AT,
    row_number() over (order by LIFETIME_VALUE desc, CUSTOMER_ID asc) as VALUE_RANK
from CUSTOMER_TOTALS
qualify VALUE_RANK <= :limit
order by VALUE_RANK asc
