-- Views the console reads. CREATE OR REPLACE is safe: views hold no data.
-- Revenue, units and order counts exclude orders whose current status is
-- 'cancelled'. Days are UTC days; "today" is the current UTC date.

create or replace view CAVES_ALBERT_DB.PRODUCTION.VW_DAILY_KPI
comment = 'Per UTC order day: orders, revenue, customers, average basket and units (cancelled orders excluded)'
as
select
    to_date(O.ORDER_DATE) as ORDER_DAY,
    count(*) as ORDER_COUNT,
    sum(O.TOTAL_AMOUNT) as REVENUE,
    count(distinct O.CUSTOMER_ID) as CUSTOMER_COUNT,
    round(sum(O.TOTAL_AMOUNT) / count(*), 2) as AVG_BASKET,
    sum(O.QUANTITY) as UNITS_SOLD
from CAVES_ALBERT_DB.PRODUCTION.ORDERS as O
where O.ORDER_STATUS <> 'cancelled'
group by to_date(O.ORDER_DATE);

create or replace view CAVES_ALBERT_DB.PRODUCTION.VW_PRODUCT_PERFORMANCE
comment = 'Per product: orders, units, revenue, customers, revenue rank and current stock (cancelled orders excluded)'
as
with SALES as (
    select
        O.PRODUCT_ID,
        max(O.PRODUCT_NAME) as PRODUCT_NAME,
        max(O.PRODUCT_CATEGORY) as PRODUCT_CATEGORY,
        count(*) as ORDER_COUNT,
        sum(O.QUANTITY) as UNITS_SOLD,
        sum(O.TOTAL_AMOUNT) as REVENUE,
        count(distinct O.CUSTOMER_ID) as CUSTOMER_COUNT,
        min(O.ORDER_DATE) as FIRST_ORDER_AT,
        max(O.ORDER_DATE) as LAST_ORDER_AT
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as O
    where O.ORDER_STATUS <> 'cancelled'
    group by O.PRODUCT_ID
)

select
    S.PRODUCT_ID,
    S.PRODUCT_NAME,
    S.PRODUCT_CATEGORY,
    S.ORDER_COUNT,
    S.UNITS_SOLD,
    S.REVENUE,
    round(S.REVENUE / nullif(S.UNITS_SOLD, 0), 2) as AVG_UNIT_REVENUE,
    S.CUSTOMER_COUNT,
    S.FIRST_ORDER_AT,
    S.LAST_ORDER_AT,
    rank() over (order by S.REVENUE desc) as REVENUE_RANK,
    I.CURRENT_STOCK_LEVEL
from SALES as S
left join CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT as I
    on S.PRODUCT_ID = I.PRODUCT_ID;

create or replace view CAVES_ALBERT_DB.PRODUCTION.VW_INVENTORY_ALERTS
comment = 'Products to restock: OUT_OF_STOCK (<= 0), CRITICAL (< 10 or < 7 days left), LOW (< 50 or < 14 days left)'
as
with RECENT_SALES as (
    -- average units sold per day over the last 30 UTC days (cancelled excluded)
    select
        O.PRODUCT_ID,
        sum(O.QUANTITY) / 30 as AVG_DAILY_UNITS
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as O
    where
        O.ORDER_STATUS <> 'cancelled'
        and O.ORDER_DATE >= dateadd(day, -30, convert_timezone('UTC', current_timestamp())::timestamp_ntz)
    group by O.PRODUCT_ID
),

STOCK as (
    select
        I.PRODUCT_ID,
        I.PRODUCT_NAME,
        I.PRODUCT_CATEGORY,
        I.WAREHOUSE_LOCATION,
        I.CURRENT_STOCK_LEVEL,
        I.LAST_ADJUSTMENT_AT,
        coalesce(R.AVG_DAILY_UNITS, 0) as AVG_DAILY_UNITS,
        iff(
            coalesce(R.AVG_DAILY_UNITS, 0) > 0,
            greatest(I.CURRENT_STOCK_LEVEL, 0) / R.AVG_DAILY_UNITS,
            null
        ) as DAYS_OF_STOCK_LEFT
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT as I
    left join RECENT_SALES as R
        on I.PRODUCT_ID = R.PRODUCT_ID
),

SCORED as (
    select
        S.*,
        case
            when S.CURRENT_STOCK_LEVEL <= 0 then 'OUT_OF_STOCK'
            when S.CURRENT_STOCK_LEVEL < 10 or S.DAYS_OF_STOCK_LEFT < 7 then 'CRITICAL'
            when S.CURRENT_STOCK_LEVEL < 50 or S.DAYS_OF_STOCK_LEFT < 14 then 'LOW'
        end as ALERT_LEVEL
    from STOCK as S
)

select
    SC.PRODUCT_ID,
    SC.PRODUCT_NAME,
    SC.PRODUCT_CATEGORY,
    SC.WAREHOUSE_LOCATION,
    SC.CURRENT_STOCK_LEVEL,
    round(SC.AVG_DAILY_UNITS, 2) as AVG_DAILY_UNITS,
    round(SC.DAYS_OF_STOCK_LEFT, 1) as DAYS_OF_STOCK_LEFT,
    SC.ALERT_LEVEL,
    case SC.ALERT_LEVEL when 'OUT_OF_STOCK' then 1 when 'CRITICAL' then 2 else 3 end as ALERT_RANK,
    SC.LAST_ADJUSTMENT_AT
from SCORED as SC
where SC.ALERT_LEVEL is not null;
