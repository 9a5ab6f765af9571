/*---
id: customer_lookup
section: 10_examples
title: {fr: "Fiche client", en: "Customer lookup"}
description:
  fr: >-
    Toutes les commandes d'un client (annulées comprises, avec leur statut), la plus récente d'abord, et sa dépense
    totale hors annulées. Identifiant vide : le client de la dernière commande reçue.
  en: >-
    All orders of one customer (cancelled ones included, with their status), newest first, and their total spend
    excluding cancelled orders. Empty id: the customer of the latest order received.
audience: [manager]
chart: {type: table}
parameters:
  - name: customer_id
    type: string
    default: ""
    max: 100
    label: {fr: "Identifiant client (vide = dernier client)", en: "Customer id (empty = latest customer)"}
columns:
  - CUSTOMER_ID
  - ORDER_ID
  - ORDER_DATE
  - PRODUCT_NAME
  - PRODUCT_CATEGORY
  - QUANTITY
  - TOTAL_AMOUNT
  - PAYMENT_METHOD
  - ORDER_STATUS
  - SHIPPING_COUNTRY
  - LIFETIME_VALUE
---*/

with

LATEST_CUSTOMER as (

    select CUSTOMER_ID
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    order by ORDER_DATE desc, ORDER_ID desc
    limit 1

),

TARGET as (

    select coalesce(nullif(:customer_id, ''), max(CUSTOMER_ID)) as CUSTOMER_ID
    from LATEST_CUSTOMER

)

select
    ORD.CUSTOMER_ID,
    ORD.ORDER_ID,
    ORD.ORDER_DATE,
    ORD.PRODUCT_NAME,
    ORD.PRODUCT_CATEGORY,
    ORD.QUANTITY,
    ORD.TOTAL_AMOUNT,
    ORD.PAYMENT_METHOD,
    ORD.ORDER_STATUS,
    ORD.SHIPPING_COUNTRY,
    sum(iff(ORD.ORDER_STATUS = 'cancelled', 0, ORD.TOTAL_AMOUNT)) over () as LIFETIME_VALUE
from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
inner join TARGET as TGT
    on ORD.CUSTOMER_ID = TGT.CUSTOMER_ID
order by ORD.ORDER_DATE desc, ORD.ORDER_ID desc
