/*---
id: data_quality_results
section: 08_monitoring
title: {fr: "Contrôles qualité des données", en: "Data-quality checks"}
description:
  fr: >-
    Le résultat de chaque contrôle qualité sur PRODUCTION (ceux de l'alerte ALERT_DATA_QUALITY) : total différent
    de prix × quantité (remise jusqu'à 15 % admise), stock négatif, commande d'un produit inconnu, date dans le
    futur, clé vide, clé en double, table pas chargée depuis 6 heures. FAILING_ROWS compte les lignes en cause
    (100 au plus par contrôle), SAMPLE_KEY en montre une.
  en: >-
    The result of each data-quality check on PRODUCTION (those of the ALERT_DATA_QUALITY alert): total other than
    price × quantity (a discount up to 15 % allowed), negative stock, order for an unknown product, date in the
    future, null key, duplicate key, table not loaded for 6 hours. FAILING_ROWS counts the rows at fault (at most
    100 per check), SAMPLE_KEY shows one.
audience: [ops, admin]
chart: {type: table}
parameters: []
columns: [CHECK_NAME, TABLE_NAME, SEVERITY, FAILING_ROWS, SAMPLE_KEY, DQ_STATUS, CHECK_ORDER]
---*/

with

CHECKS as (

    select
        1 as CHECK_ORDER,
        'DQ_TOTAL_MISMATCH' as CHECK_NAME,
        'PRODUCTION.ORDERS' as TABLE_NAME,
        'warning' as SEVERITY
    union all
    select
        2 as CHECK_ORDER,
        'DQ_NEGATIVE_STOCK' as CHECK_NAME,
        'PRODUCTION.INVENTORY_CURRENT' as TABLE_NAME,
        'critical' as SEVERITY
    union all
    select
        3 as CHECK_ORDER,
        'DQ_UNKNOWN_PRODUCT' as CHECK_NAME,
        'PRODUCTION.ORDERS' as TABLE_NAME,
        'warning' as SEVERITY
    union all
    select
        4 as CHECK_ORDER,
        'DQ_FUTURE_DATE' as CHECK_NAME,
        'PRODUCTION.ORDERS' as TABLE_NAME,
        'warning' as SEVERITY
    union all
    select
        5 as CHECK_ORDER,
        'DQ_FUTURE_DATE' as CHECK_NAME,
        'PRODUCTION.INVENTORY_HISTORY' as TABLE_NAME,
        'warning' as SEVERITY
    union all
    select
        6 as CHECK_ORDER,
        'DQ_NULL_KEY' as CHECK_NAME,
        'PRODUCTION.ORDERS' as TABLE_NAME,
        'critical' as SEVERITY
    union all
    select
        7 as CHECK_ORDER,
        'DQ_NULL_KEY' as CHECK_NAME,
        'PRODUCTION.INVENTORY_HISTORY' as TABLE_NAME,
        'critical' as SEVERITY
    union all
    select
        8 as CHECK_ORDER,
        'DQ_NULL_KEY' as CHECK_NAME,
        'PRODUCTION.INVENTORY_CURRENT' as TABLE_NAME,
        'critical' as SEVERITY
    union all
    select
        9 as CHECK_ORDER,
        'DQ_DUPLICATE_KEY' as CHECK_NAME,
        'PRODUCTION.ORDERS' as TABLE_NAME,
        'critical' as SEVERITY
    union all
    select
        10 as CHECK_ORDER,
        'DQ_DUPLICATE_KEY' as CHECK_NAME,
        'PRODUCTION.INVENTORY_HISTORY' as TABLE_NAME,
        'critical' as SEVERITY
    union all
    select
        11 as CHECK_ORDER,
        'DQ_DUPLICATE_KEY' as CHECK_NAME,
        'PRODUCTION.INVENTORY_CURRENT' as TABLE_NAME,
        'critical' as SEVERITY
    union all
    select
        12 as CHECK_ORDER,
        'DQ_FRESHNESS' as CHECK_NAME,
        'PRODUCTION.ORDERS' as TABLE_NAME,
        'warning' as SEVERITY
    union all
    select
        13 as CHECK_ORDER,
        'DQ_FRESHNESS' as CHECK_NAME,
        'PRODUCTION.INVENTORY_HISTORY' as TABLE_NAME,
        'warning' as SEVERITY
    union all
    select
        14 as CHECK_ORDER,
        'DQ_FRESHNESS' as CHECK_NAME,
        'PRODUCTION.INVENTORY_CURRENT' as TABLE_NAME,
        'warning' as SEVERITY

),

FOUND as (

    select
        DQC.CHECK_NAME,
        DQC.TABLE_NAME,
        count(*) as FAILING_ROWS,
        min(DQC.OBJECT_KEY) as SAMPLE_KEY
    from CAVES_ALBERT_DB.PRODUCTION.VW_DATA_QUALITY_CHECKS as DQC
    group by DQC.CHECK_NAME, DQC.TABLE_NAME

)

select
    CHK.CHECK_NAME,
    CHK.TABLE_NAME,
    CHK.SEVERITY,
    coalesce(FND.FAILING_ROWS, 0) as FAILING_ROWS,
    FND.SAMPLE_KEY,
    iff(coalesce(FND.FAILING_ROWS, 0) > 0, 'failing', 'ok') as DQ_STATUS,
    CHK.CHECK_ORDER
from CHECKS as CHK
left join FOUND as FND
    on CHK.CHECK_NAME = FND.CHECK_NAME and CHK.TABLE_NAME = FND.TABLE_NAME
order by CHK.CHECK_ORDER asc
