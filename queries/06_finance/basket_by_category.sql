/*---
id: basket_by_category
section: 06_finance
title: {fr: "Panier par catégorie", en: "Basket by category"}
description:
  fr: >-
    Montant des commandes de chaque catégorie sur les N derniers jours : moyenne, médiane, minimum, maximum et
    bouteilles par commande. Hors commandes annulées.
  en: >-
    Order amounts in each category over the last N days: mean, median, minimum, maximum and bottles per order.
    Cancelled orders excluded.
audience: [manager]
chart: {type: bar, x: PRODUCT_CATEGORY, y: AVG_BASKET}
parameters:
  - name: days
    type: integer
    default: 90
    min: 1
    max: 3660
    label: {fr: "Nombre de jours", en: "Number of days"}
columns:
  - PRODUCT_CATEGORY
  - ORDER_COUNT
  - AVG_BASKET
  - MEDIAN_BASKET
  - MIN_BASKET
  - MAX_BASKET
  - AVG_BOTTLES_PER_ORDER
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

)

select
    ORD.PRODUCT_CATEGORY,
    count(ORD.ORDER_ID) as ORDER_COUNT,
    round(avg(ORD.TOTAL_AMOUNT), 2) as AVG_BASKET,
    round(median(ORD.TOTAL_AMOUNT), 2) as MEDIAN_BASKET,
    min(ORD.TOTAL_AMOUNT) as MIN_BASKET,
    max(ORD.TOTAL_AMOUNT) as MAX_BASKET,
    round(avg(ORD.QUANTITY), 2) as AVG_BOTTLES_PER_ORDER
from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
cross join CLOCK
where
    ORD.ORDER_STATUS != 'cancelled'
    and ORD.ORDER_DATE >= dateadd(day, -:days, CLOCK.NOW_UTC)
group by ORD.PRODUCT_CATEGORY
order by AVG_BASKET desc, ORD.PRODUCT_CATEGORY asc
