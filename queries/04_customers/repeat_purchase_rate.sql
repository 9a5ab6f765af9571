/*---
id: repeat_purchase_rate
section: 04_customers
title: {fr: "Taux de réachat", en: "Repeat purchase rate"}
description:
  fr: >-
    Part des clients qui ont commandé plus d'une fois, commandes moyennes par client et délai moyen entre deux
    commandes d'un même client (en jours). Hors commandes annulées.
  en: >-
    Share of customers who ordered more than once, average orders per customer and average gap between two orders
    of the same customer (in days). Cancelled orders excluded.
audience: [manager]
chart: {type: kpi}
parameters: []
columns: [CUSTOMER_COUNT, REPEAT_CUSTOMERS, REPEAT_RATE_PCT, AVG_ORDERS_PER_CUSTOMER, AVG_DAYS_BETWEEN_ORDERS]
---*/

with

-- The gaps between a customer's consecutive orders add up to the time from the first order to the last one,
-- so their average is that span over (orders - 1): one grouped pass, no sort of every order.
CUSTOMER_TOTALS as (

    select
        CUSTOMER_ID,
        count(ORDER_ID) as ORDER_COUNT,
        datediff(second, min(ORDER_DATE), max(ORDER_DATE)) / 86400 / nullifzero(count(ORDER_ID) - 1) as AVG_GAP_DAYS
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS != 'cancelled'
    group by CUSTOMER_ID

)

select
    count(CUSTOMER_ID) as CUSTOMER_COUNT,
    count_if(ORDER_COUNT > 1) as REPEAT_CUSTOMERS,
    round(count_if(ORDER_COUNT > 1) * 100 / nullifzero(count(CUSTOMER_ID)), 1) as REPEAT_RATE_PCT,
    round(avg(ORDER_COUNT), 2) as AVG_ORDERS_PER_CUSTOMER,
    round(avg(AVG_GAP_DAYS), 1) as AVG_DAYS_BETWEEN_ORDERS
from CUSTOMER_TOTALS
