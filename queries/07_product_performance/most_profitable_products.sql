/*---
id: most_profitable_products
section: 07_product_performance
title: {fr: "Produits les plus rentables", en: "Most profitable products"}
description:
  fr: >-
    Les événements ne portent pas le prix d'achat : la contribution nette est donc le chiffre d'affaires (remises
    déduites, commandes annulées exclues) moins la valeur des bouteilles cassées, au prix de vente moyen du vin.
    Les remises accordées sont affichées à part.
  en: >-
    Events carry no purchase cost, so the net contribution is the revenue (after discounts, cancelled orders
    excluded) minus the value of broken bottles at the wine's average selling price. Discounts granted are shown
    separately.
audience: [manager]
chart: {type: bar, x: PRODUCT_NAME, y: NET_CONTRIBUTION}
parameters:
  - name: limit
    type: integer
    default: 10
    min: 1
    max: 1000
    label: {fr: "Nombre de produits", en: "Number of products"}
columns:
  - PRODUCT_ID
  - PRODUCT_NAME
  - PRODUCT_CATEGORY
  - UNITS_SOLD
  - REVENUE
  - DISCOUNT_AMOUNT
  - BREAKAGE_UNITS
  - BREAKAGE_LOSS
  - NET_CONTRIBUTION
  - CONTRIBUTION_RANK
---*/

with

-- A product's name and category are grouped on first, then collapsed with max(): grouping on these short strings
-- is much cheaper than taking their max() over every order.
PRODUCT_NAME_SALES as (

    select
        PRODUCT_ID,
        PRODUCT_NAME,
        PRODUCT_CATEGORY,
        sum(QUANTITY) as UNITS_SOLD,
        sum(TOTAL_AMOUNT) as REVENUE,
        sum(greatest(QUANTITY * UNIT_PRICE - TOTAL_AMOUNT, 0)) as DISCOUNT_AMOUNT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS != 'cancelled'
    group by PRODUCT_ID, PRODUCT_NAME, PRODUCT_CATEGORY

),

PRODUCT_SALES as (

    select
        PRODUCT_ID,
        max(PRODUCT_NAME) as PRODUCT_NAME,
        max(PRODUCT_CATEGORY) as PRODUCT_CATEGORY,
        sum(UNITS_SOLD) as UNITS_SOLD,
        sum(REVENUE) as REVENUE,
        sum(DISCOUNT_AMOUNT) as DISCOUNT_AMOUNT
    from PRODUCT_NAME_SALES
    group by PRODUCT_ID

),

BREAKAGES as (

    select
        PRODUCT_ID,
        -sum(QUANTITY_CHANGE) as BREAKAGE_UNITS
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY
    where ADJUSTMENT_TYPE = 'breakage'
    group by PRODUCT_ID

),

CONTRIBUTIONS as (

    select
        SAL.PRODUCT_ID,
        SAL.PRODUCT_NAME,
        SAL.PRODUCT_CATEGORY,
        SAL.UNITS_SOLD,
        SAL.REVENUE,
        SAL.DISCOUNT_AMOUNT,
        coalesce(BRK.BREAKAGE_UNITS, 0) as BREAKAGE_UNITS,
        round(coalesce(BRK.BREAKAGE_UNITS, 0) * SAL.REVENUE / nullifzero(SAL.UNITS_SOLD), 2) as BREAKAGE_LOSS
    from PRODUCT_SALES as SAL
    left join BREAKAGES as BRK
        on SAL.PRODUCT_ID = BRK.PRODUCT_ID

)

select
    PRODUCT_ID,
    PRODUCT_NAME,
    PRODUCT_CATEGORY,
    UNITS_SOLD,
    REVENUE,
    DISCOUNT_AMOUNT,
    BREAKAGE_UNITS,
    BREAKAGE_LOSS,
    round(REVENUE - coalesce(BREAKAGE_LOSS, 0), 2) as NET_CONTRIBUTION,
    row_number() over (order by REVENUE - coalesce(BREAKAGE_LOSS, 0) desc, PRODUCT_ID asc) as CONTRIBUTION_RANK
from CONTRIBUTIONS
qualify CONTRIBUTION_RANK <= :limit
order by CONTRIBUTION_RANK asc
