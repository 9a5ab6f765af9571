/*---
id: customers_by_country
section: 04_customers
title: {fr: "Clients par pays", en: "Customers by country"}
description:
  fr: >-
    Clients distincts, commandes, chiffre d'affaires et dépense moyenne par client pour chaque pays de livraison
    (un client livré dans deux pays compte dans les deux). Hors commandes annulées.
  en: >-
    Distinct customers, orders, revenue and average spend per customer for each shipping country (a customer who
    ships to two countries counts in both). Cancelled orders excluded.
audience: [manager]
chart: {type: bar, x: SHIPPING_COUNTRY, y: CUSTOMER_COUNT}
parameters: []
columns: [SHIPPING_COUNTRY, CUSTOMER_COUNT, ORDER_COUNT, REVENUE, REVENUE_PER_CUSTOMER]
---*/

with

COUNTRY_TOTALS as (

    select
        coalesce(SHIPPING_COUNTRY, 'unknown') as SHIPPING_COUNTRY,
        count(distinct CUSTOMER_ID) as CUSTOMER_COUNT,
        count(ORDER_ID) as ORDER_COUNT,
        sum(TOTAL_AMOUNT) as REVENUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS != 'cancelled'
    group by coalesce(SHIPPING_COUNTRY, 'unknown')

)

select
    SHIPPING_COUNTRY,
    CUSTOMER_COUNT,
    ORDER_COUNT,
    REVENUE,
    round(REVENUE / CUSTOMER_COUNT, 2) as REVENUE_PER_CUSTOMER
from COUNTRY_TOTALS
order by CUSTOMER_COUNT desc, SHIPPING_COUNTRY asc
