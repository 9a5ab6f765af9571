/*---
id: preparation_queue
section: 05_inventory
title: {fr: "File de préparation", en: "Preparation queue"}
description:
  fr: >-
    Les commandes passées (en attente ou confirmées) et pas encore expédiées, la plus ancienne d'abord, avec le stock
    de leur rayon, chaque commande seule : IN_STOCK dit si le rayon a assez de bouteilles pour elle (un vin jamais
    ajusté compte 0). La page Stock la montre ; orders_to_prepare répartit le stock entre les commandes.
  en: >-
    Orders placed (pending or confirmed) and not shipped yet, oldest first, with the stock on their shelf, each order
    alone: IN_STOCK tells whether the shelf holds enough bottles for it (a wine never adjusted counts 0). The Stock
    page shows it; orders_to_prepare shares the stock out between the orders.
audience: [warehouse]
chart: {type: table}
parameters:
  - name: limit
    type: integer
    default: 500
    min: 1
    max: 100000
    label: {fr: "Nombre de commandes", en: "Number of orders"}
columns:
  - ORDER_ID
  - ORDER_DATE
  - ORDER_STATUS
  - CUSTOMER_ID
  - PRODUCT_ID
  - PRODUCT_NAME
  - QUANTITY
  - TOTAL_AMOUNT
  - SHIPPING_COUNTRY
  - WAREHOUSE_LOCATION
  - CURRENT_STOCK_LEVEL
  - IN_STOCK
  - HOURS_WAITING
---*/

-- Oldest first: the order that has waited longest is prepared first.
select
    ---------- order
    O.ORDER_ID,
    O.ORDER_DATE,
    O.ORDER_STATUS,
    O.CUSTOMER_ID,
    O.PRODUCT_ID,
    O.PRODUCT_NAME,
    O.QUANTITY,
    O.TOTAL_AMOUNT,
    O.SHIPPING_COUNTRY,

    ---------- shelf
    I.WAREHOUSE_LOCATION,
    coalesce(I.CURRENT_STOCK_LEVEL, 0) as CURRENT_STOCK_LEVEL,
    coalesce(I.CURRENT_STOCK_LEVEL, 0) >= O.QUANTITY as IN_STOCK,
    datediff(hour, O.ORDER_DATE, convert_timezone('UTC', current_timestamp())::timestamp_ntz) as HOURS_WAITING
from CAVES_ALBERT_DB.PRODUCTION.ORDERS as O
left join CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT as I
    on O.PRODUCT_ID = I.PRODUCT_ID
where O.ORDER_STATUS in ('pending', 'confirmed')
qualify row_number() over (order by O.ORDER_DATE asc, O.ORDER_ID asc) <= :limit
order by O.ORDER_DATE asc, O.ORDER_ID asc
