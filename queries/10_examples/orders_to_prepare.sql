/*---
id: orders_to_prepare
section: 10_examples
title: {fr: "Commandes à préparer", en: "Orders to prepare"}
description:
  fr: >-
    Les commandes confirmées (et, sur demande, en attente) pas encore expédiées, la plus ancienne d'abord, avec
    l'entrepôt, le stock actuel et si ce stock couvre la commande quand on sert les commandes du même vin dans
    l'ordre d'arrivée (ready) ou non (short).
  en: >-
    Confirmed orders (and, on request, pending ones) not shipped yet, oldest first, with the warehouse, the
    current stock and whether that stock covers the order when orders for the same wine are served in order of
    arrival (ready) or not (short).
audience: [warehouse]
chart: {type: table}
parameters:
  - name: include_pending
    type: boolean
    default: false
    label: {fr: "Inclure les commandes en attente", en: "Include pending orders"}
columns:
  - ORDER_ID
  - ORDER_DATE
  - HOURS_WAITING
  - ORDER_STATUS
  - CUSTOMER_ID
  - PRODUCT_ID
  - PRODUCT_NAME
  - QUANTITY
  - SHIPPING_COUNTRY
  - WAREHOUSE_LOCATION
  - CURRENT_STOCK_LEVEL
  - STOCK_STATUS
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

),

OPEN_ORDERS as (

    select
        ORDER_ID,
        ORDER_DATE,
        ORDER_STATUS,
        CUSTOMER_ID,
        PRODUCT_ID,
        PRODUCT_NAME,
        QUANTITY,
        SHIPPING_COUNTRY
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where
        ORDER_STATUS = 'confirmed'
        or (:include_pending and ORDER_STATUS = 'pending')

),

ALLOCATED as (

    select
        OPN.ORDER_ID,
        OPN.ORDER_DATE,
        OPN.ORDER_STATUS,
        OPN.CUSTOMER_ID,
        OPN.PRODUCT_ID,
        OPN.PRODUCT_NAME,
        OPN.QUANTITY,
        OPN.SHIPPING_COUNTRY,
        INV.WAREHOUSE_LOCATION,
        coalesce(INV.CURRENT_STOCK_LEVEL, 0) as CURRENT_STOCK_LEVEL,
        sum(OPN.QUANTITY) over (
            partition by OPN.PRODUCT_ID
            order by OPN.ORDER_DATE asc, OPN.ORDER_ID asc
            rows between unbounded preceding and current row
        ) as UNITS_NEEDED_SO_FAR
    from OPEN_ORDERS as OPN
    left join CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT as INV
        on OPN.PRODUCT_ID = INV.PRODUCT_ID

)

select
    ALC.ORDER_ID,
    ALC.ORDER_DATE,
    round(datediff(minute, ALC.ORDER_DATE, CLOCK.NOW_UTC) / 60, 1) as HOURS_WAITING,
    ALC.ORDER_STATUS,
    ALC.CUSTOMER_ID,
    ALC.PRODUCT_ID,
    ALC.PRODUCT_NAME,
    ALC.QUANTITY,
    ALC.SHIPPING_COUNTRY,
    ALC.WAREHOUSE_LOCATION,
    ALC.CURRENT_STOCK_LEVEL,
    iff(ALC.UNITS_NEEDED_SO_FAR <= ALC.CURRENT_STOCK_LEVEL, 'ready', 'short') as STOCK_STATUS
from ALLOCATED as ALC
cross join CLOCK
order by ALC.ORDER_DATE asc, ALC.ORDER_ID asc
