/*---
id: price_by_category
section: 06_finance
title: {fr: "Prix par catégorie", en: "Prices by category"}
description:
  fr: >-
    Bouteilles vendues, prix catalogue moyen, minimum et maximum, et prix réellement payé par bouteille (remises
    déduites) pour chaque catégorie sur les N derniers jours. Hors commandes annulées.
  en: >-
    Bottles sold, average, lowest and highest list price, and price actually paid per bottle (after discounts) for
    each category over the last N days. Cancelled orders excluded.
audience: [manager]
chart: {type: bar, x: PRODUCT_CATEGORY, y: AVG_PRICE_PAID}
parameters:
  - name: days
    type: integer
    default: 90
    min: 1
    max: 3660
    label: {fr: "Nombre de jours", en: "Number of days"}
columns: [PRODUCT_CATEGORY, UNITS_SOLD, AVG_UNIT_PRICE, MIN_UNIT_PRICE, MAX_UNIT_PRICE, AVG_PRICE_PAID]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

)

select
    ORD.PRODUCT_CATEGORY,
    sum(ORD.QUANTITY) as UNITS_SOLD,
    round(sum(ORD.QUANTITY * ORD.UNIT_PRICE) / sum(ORD.QUANTITY), 2) as AVG_UNIT_PRICE,
    min(ORD.UNIT_PRICE) as MIN_UNIT_PRICE,
    max(ORD.UNIT_PRICE) as MAX_UNIT_PRICE,
    round(sum(ORD.TOTAL_AMOUNT) / sum(ORD.QUANTITY), 2) as AVG_PRICE_PAID
from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
cross join CLOCK
where
    ORD.ORDER_STATUS != 'cancelled'
    and ORD.ORDER_DATE >= dateadd(day, -:days, CLOCK.NOW_UTC)
group by ORD.PRODUCT_CATEGORY
order by AVG_UNIT_PRICE desc, ORD.PRODUCT_CATEGORY asc
