/*---
id: order_status_breakdown
section: 01_kpi
title: {fr: "Répartition des commandes par statut", en: "Orders by status"}
description:
  fr: >-
    Commandes passées sur les N derniers jours, par statut actuel (annulées comprises : c'est l'objet de cette
    vue), avec leur part et leur montant.
  en: >-
    Orders placed over the last N days by current status (cancelled included: that is the point of this view),
    with their share and amount.
audience: [manager, warehouse]
chart: {type: pie, x: ORDER_STATUS, y: ORDER_COUNT}
parameters:
  - name: days
    type: integer
    default: 30
    min: 1
    max: 3660
    label: {fr: "Nombre de jours", en: "Number of days"}
columns: [ORDER_STATUS, ORDER_COUNT, SHARE_PCT, TOTAL_AMOUNT]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC

),

STATUS_COUNTS as (

    select
        ORD.ORDER_STATUS,
        count(ORD.ORDER_ID) as ORDER_COUNT,
        sum(ORD.TOTAL_AMOUNT) as TOTAL_AMOUNT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as ORD
    cross join CLOCK
    where ORD.ORDER_DATE >= dateadd(day, -:days, CLOCK.NOW_UTC)
    group by ORD.ORDER_STATUS

)

select
    ORDER_STATUS,
    ORDER_COUNT,
    round(ORDER_COUNT * 100 / nullifzero(sum(ORDER_COUNT) over ()), 1) as SHARE_PCT,
    TOTAL_AMOUNT
from STATUS_COUNTS
order by ORDER_COUNT desc, ORDER_STATUS asc
