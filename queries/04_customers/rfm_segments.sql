/*---
id: rfm_segments
section: 04_customers
title: {fr: "Segmentation RFM", en: "RFM segments"}
description:
  fr: >-
    Récence (jours depuis la dernière commande), fréquence (commandes) et montant (chiffre d'affaires) de chaque
    client, notés de 1 à 5 par rang centile (les ex-aequo ont la même note ; 5 = le meilleur), puis un segment :
    champions, fidèles, nouveaux, prometteurs, à ne pas perdre, à risque, en sommeil, à surveiller. Hors commandes
    annulées.
  en: >-
    Recency (days since the last order), frequency (orders) and monetary value (revenue) of each customer, scored
    1 to 5 by percentile rank (ties share a score; 5 = best), then a segment: Champions, Loyal, New, Promising,
    Can't lose, At risk, Hibernating, Need attention. Cancelled orders excluded.
audience: [manager]
chart: {type: scatter, x: RECENCY_DAYS, y: MONETARY, color: SEGMENT}
parameters: []
columns: [CUSTOMER_ID, RECENCY_DAYS, FREQUENCY, MONETARY, R_SCORE, F_SCORE, M_SCORE, SEGMENT, RFM_CODE]
---*/

with

CLOCK as (

    select convert_timezone('UTC', current_timestamp())::date as TODAY_UTC

),

CUSTOMER_TOTALS as (

    select
        CUSTOMER_ID,
        max(ORDER_DATE) as LAST_ORDER_AT,
        count(ORDER_ID) as FREQUENCY,
        sum(TOTAL_AMOUNT) as MONETARY
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS
    where ORDER_STATUS != 'cancelled'
    group by CUSTOMER_ID

),

RFM as (

    select
        CUS.CUSTOMER_ID,
        datediff(day, CUS.LAST_ORDER_AT::date, CLOCK.TODAY_UTC) as RECENCY_DAYS,
        CUS.FREQUENCY,
        CUS.MONETARY
    from CUSTOMER_TOTALS as CUS
    cross join CLOCK

),

-- percent_rank gives ties the same rank, unlike ntile: two one-order customers always share their F score
SCORED as (

    select
        CUSTOMER_ID,
        RECENCY_DAYS,
        FREQUENCY,
        MONETARY,
        least(5, 1 + floor(5 * percent_rank() over (order by RECENCY_DAYS desc))) as R_SCORE,
        least(5, 1 + floor(5 * percent_rank() over (order by FREQUENCY asc))) as F_SCORE,
        least(5, 1 + floor(5 * percent_rank() over (order by MONETARY asc))) as M_SCORE
    from RFM

)

select
    CUSTOMER_ID,
    RECENCY_DAYS,
    FREQUENCY,
    MONETARY,
    R_SCORE::integer as R_SCORE,
    F_SCORE::integer as F_SCORE,
    M_SCORE::integer as M_SCORE,
    case
        when R_SCORE >= 4 and F_SCORE >= 4 and M_SCORE >= 4 then 'Champions'
        when R_SCORE >= 3 and F_SCORE >= 4 then 'Loyal'
        when R_SCORE >= 4 and F_SCORE = 1 then 'New'
        when R_SCORE >= 4 then 'Promising'
        when R_SCORE <= 2 and F_SCORE >= 4 and M_SCORE >= 4 then 'Can''t lose'
        when R_SCORE <= 2 and (F_SCORE >= 3 or M_SCORE >= 3) then 'At risk'
        when R_SCORE <= 2 then 'Hibernating'
        else 'Need attention'
    end as SEGMENT,
    R_SCORE::integer || F_SCORE::integer || M_SCORE::integer as RFM_CODE
from SCORED
order by MONETARY desc, CUSTOMER_ID asc
