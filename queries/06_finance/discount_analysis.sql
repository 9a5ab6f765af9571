/*---
id: discount_analysis
section: 06_finance
title: {fr: "Remises accordées", en: "Discounts granted"}
description:
  fr: >-
    Par catégorie sur les N derniers jours : commandes remisées (montant payé inférieur à quantité × prix unitaire),
    montant au prix catalogue, montant payé, remise totale et taux de remise. Hors commandes annulées.
  en: >-
    Per category over the last N days: discounted orders (amount paid below quantity × unit price), list amount,
    amount paid, total discount and discount rate. Cancelled orders excluded.
audience: [manager]
chart: {type: bar, x: PRODUCT_CATEGORY, y: DISCOUNT_AMOUNT}
parameters:
  - name: days
    type: integer
    default: 30
    min: 1
    max: 3660
    label: {fr: "Nombre de jours", en: "Number of days"}
columns:
  - PRODUCT_CATEGORY
  - ORDER_COUNT
  - DISCOUNTED_ORDERS
  - LIST_AMOUNT
  - REVENUE
  - DISCOUNT_AMOUNT
  - DISCOUNT_PCT
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

),

PRICED_ORDERS as (

    select
        ORD.ORDER_ID,
        ORD.PRODUCT_CATEGORY,
        ORD.QUANTITY * ORD.UNIT_PRICE as LIST_AMOUNT,
        ORD.TOTAL_AMOUNT,
        -- amounts are rounded to the cent: a gap of one cent is rounding, not a discount
        greatest(ORD.QUANTITY * ORD.UNIT_PRICE - ORD.TOTAL_AMOUNT, 0) as DISCOUNT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where
        ORD.ORDER_STATUS != 'cancelled'
        and ORD.ORDER_DATE >= dateadd(day, -:days, CLOCK.NOW_UTC)

)

select
    PRODUCT_CATEGORY,
    count(ORDER_ID) as ORDER_COUNT,
    count_if(DISCOUNT > 0.01) as DISCOUNTED_ORDERS,
    sum(LIST_AMOUNT) as LIST_AMOUNT,
    sum(TOTAL_AMOUNT) as REVENUE,
    sum(iff(DISCOUNT > 0.01, DISCOUNT, 0)) as DISCOUNT_AMOUNT,
    round(sum(iff(DISCOUNT > 0.01, DISCOUNT, 0)) * 100 / nullifzero(sum(LIST_AMOUNT)), 2) as DISCOUNT_PCT
from PRICED_ORDERS
group by PRODUCT_CATEGORY
order by DISCOUNT_AMOUNT desc, PRODUCT_CATEGORY asc
