/*---
id: product_search
section: 10_examples
title: {fr: "Recherche de vin", en: "Wine search"}
description:
  fr: >-
    Les vins dont le nom ou l'identifiant contient le texte cherché (sans tenir compte de la casse ; vide = tous),
    avec stock, ventes des 30 derniers jours (hors annulées) et dernière commande.
  en: >-
    Wines whose name or id contains the searched text (case-insensitive; empty = all), with stock, sales over the
    last 30 days (cancelled orders excluded) and latest order.
audience: [manager, warehouse]
chart: {type: table}
parameters:
  - name: search
    type: string
    default: ""
    max: 200
    label: {fr: "Texte cherché", en: "Search text"}
  - name: limit
    type: integer
    default: 50
    min: 1
    max: 10000
    label: {fr: "Lignes au maximum", en: "Maximum rows"}
columns:
  - PRODUCT_ID
  - PRODUCT_NAME
  - PRODUCT_CATEGORY
  - CURRENT_STOCK_LEVEL
  - WAREHOUSE_LOCATION
  - UNITS_SOLD_30D
  - REVENUE_30D
  - LAST_ORDER_AT
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

),

-- One pass over ORDERS, grouped by product and name (grouping on a short string is much cheaper than taking its
-- max() over every order): the names of every product ordered, cancelled orders included, and its sales.
ORDERED_NAMES as (

    select
        ORD.PRODUCT_ID,
        ORD.PRODUCT_NAME,
        ORD.PRODUCT_CATEGORY,
        sum(
            iff(ORD.ORDER_STATUS != 'cancelled' and ORD.ORDER_DATE >= dateadd(day, -30, CLOCK.NOW_UTC), ORD.QUANTITY, 0)
        ) as UNITS_SOLD_30D,
        sum(
            iff(
                ORD.ORDER_STATUS != 'cancelled' and ORD.ORDER_DATE >= dateadd(day, -30, CLOCK.NOW_UTC),
                ORD.TOTAL_AMOUNT,
                0
            )
        ) as REVENUE_30D,
        max(iff(ORD.ORDER_STATUS != 'cancelled', ORD.ORDER_DATE, null)) as LAST_ORDER_AT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    group by ORD.PRODUCT_ID, ORD.PRODUCT_NAME, ORD.PRODUCT_CATEGORY

),

SALES as (

    select
        PRODUCT_ID,
        sum(UNITS_SOLD_30D) as UNITS_SOLD_30D,
        sum(REVENUE_30D) as REVENUE_30D,
        max(LAST_ORDER_AT) as LAST_ORDER_AT
    from ORDERED_NAMES
    group by PRODUCT_ID

),

-- every product seen in stock or in an order
PRODUCT_NAMES as (

    select
        PRODUCT_ID,
        PRODUCT_NAME,
        PRODUCT_CATEGORY
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT
    union all
    select
        PRODUCT_ID,
        PRODUCT_NAME,
        PRODUCT_CATEGORY
    from ORDERED_NAMES

),

PRODUCTS as (

    select
        PRODUCT_ID,
        max(PRODUCT_NAME) as PRODUCT_NAME,
        max(PRODUCT_CATEGORY) as PRODUCT_CATEGORY
    from PRODUCT_NAMES
    group by PRODUCT_ID

)

select
    PRD.PRODUCT_ID,
    PRD.PRODUCT_NAME,
    PRD.PRODUCT_CATEGORY,
    INV.CURRENT_STOCK_LEVEL,
    INV.WAREHOUSE_LOCATION,
    coalesce(SAL.UNITS_SOLD_30D, 0) as UNITS_SOLD_30D,
    coalesce(SAL.REVENUE_30D, 0) as REVENUE_30D,
    SAL.LAST_ORDER_AT
from PRODUCTS as PRD
left join CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT as INV
    on PRD.PRODUCT_ID = INV.PRODUCT_ID
left join SALES as SAL
    on PRD.PRODUCT_ID = SAL.PRODUCT_ID
where
    :search = ''
    or contains(upper(PRD.PRODUCT_NAME), upper(:search))
    or contains(upper(PRD.PRODUCT_ID), upper(:search))
qualify row_number() over (order by PRD.PRODUCT_NAME asc, PRD.PRODUCT_ID asc) <= :limit
order by PRD.PRODUCT_NAME asc, PRD.PRODUCT_ID asc
