-- Alerts: pipeline, business and data-quality checks that run on a schedule
-- (Snowflake ALERT objects, https://docs.snowflake.com/en/sql-reference/sql/create-alert).
--
--   ALERT_TASK_FAILURES      every minute   a task failed or was auto-suspended since the last check
--   ALERT_PIPELINE_LATENCY   every 5 min    end-to-end latency above the stale threshold
--   ALERT_STREAM_BACKLOG     every 5 min    a stream's pending changes older than the threshold
--   ALERT_RECONCILIATION     every 5 min    RAW rows in no landing table, older than the latency threshold
--   ALERT_REJECTED_RATE      every 5 min    rejected events above a rate of the messages of the last hour
--   ALERT_STOCKOUT           hourly         a wine out of stock, or running out while no restock arrives
--   ALERT_DATA_QUALITY       hourly         checks on PRODUCTION (totals, stock, products, dates, keys, freshness)
--
-- Each alert's condition reads a view that lists the offending rows (one row per row's key); its action writes
-- them to OPS.ALERT_LOG with the run's scheduled time (SNOWFLAKE.ALERT.SCHEDULED_TIME()) and sends a
-- notification through the notification integration named in config/caves.yaml (alerts.notification_integration;
-- the deploy planner writes it in place of CAVES_ALERTS_NOTIFY). An administrator creates that integration once
-- (README, "Alerts"); until then the actions are ACTION_FAILED in ALERT_HISTORY but the rows are logged first.
-- Thresholds: the defaults are written in the views (coalesce(..., default)); a row of OPS.ALERT_SETTINGS
-- overrides one without a deployment, e.g.
--   insert into CAVES_ALBERT_DB.OPS.ALERT_SETTINGS (SETTING_NAME, SETTING_VALUE)
--   values ('STREAM_BACKLOG_SECONDS', 900);
-- LATENCY_WARNING_SECONDS 120, LATENCY_STALE_SECONDS 300 (config/caves.yaml's pipeline defaults),
-- STREAM_BACKLOG_SECONDS 600, REJECTED_RATE_PCT 5 (of the last hour's messages, at least REJECTED_MIN_MESSAGES 20),
-- STOCKOUT_FORECAST_DAYS 5, RESTOCK_LEAD_DAYS 7, MAX_DISCOUNT_PCT 15 (the simulator's largest discount),
-- FUTURE_TOLERANCE_SECONDS 300, FRESHNESS_SECONDS 21600.
--
-- The stream backlog is measured on the tables the streams track, never by reading the streams: an
-- INSERT ... SELECT that reads a stream would consume it and the pipeline's tasks would lose those changes.
--
-- Deploying again is safe: the tables are only created when missing, the settings only added when missing,
-- and the deploy planner suspends the started alerts before replacing them and resumes them afterwards.

create table if not exists CAVES_ALBERT_DB.OPS.ALERT_SETTINGS (
    SETTING_NAME varchar not null
    comment 'A threshold of the alerts that overrides its default, e.g. LATENCY_STALE_SECONDS',
    SETTING_VALUE number(18, 4) not null,
    DESCRIPTION varchar,
    UPDATED_AT timestamp_ntz not null default convert_timezone('UTC', current_timestamp())::timestamp_ntz
)
comment = 'Overrides of the alerts'' thresholds (one row per setting; the defaults are in the views)';

create table if not exists CAVES_ALBERT_DB.OPS.ALERT_LOG (
    LOG_ID varchar not null default uuid_string(),
    ALERT_NAME varchar not null comment 'The alert that found it, e.g. ALERT_STOCKOUT',
    CHECK_NAME varchar not null comment 'The check, e.g. STOCK_OUT, DQ_NEGATIVE_STOCK',
    CATEGORY varchar not null comment 'pipeline, business or data_quality',
    SEVERITY varchar not null comment 'critical, warning or info',
    KIND varchar not null comment 'state: open while it lasts; event: open until acknowledged',
    TABLE_NAME varchar comment 'The table checked, when there is one',
    OBJECT_KEY varchar comment 'The offending row''s key (ORDER_ID, PRODUCT_ID, task name, stream...)',
    DETAIL varchar comment 'What identifies it for a person: a product name, an error message...',
    MEASURED_VALUE number(18, 2) comment 'The measure that crossed the threshold (seconds, days, percent, rows)',
    DETECTED_AT timestamp_ntz not null comment 'The scheduled time of the alert run that found it (UTC)'
)
comment = 'What each alert found, one row per offending row and run (never purged)';

create table if not exists CAVES_ALBERT_DB.OPS.ALERT_ACKNOWLEDGEMENTS (
    ACK_ID varchar not null default uuid_string(),
    ALERT_NAME varchar not null,
    CHECK_NAME varchar not null,
    OBJECT_KEY varchar comment 'NULL: every row of the check found until ACKNOWLEDGED_AT',
    ACKNOWLEDGED_BY varchar not null,
    ACKNOWLEDGED_AT timestamp_ntz not null default convert_timezone('UTC', current_timestamp())::timestamp_ntz,
    NOTE varchar
)
comment = 'Acknowledgements of open alerts (also written to OPS.ADMIN_AUDIT_LOG)';

-- Pipeline checks (state: open while they last). One row per stream, per unaccounted RAW row (at most 100, the
-- oldest), or one row for latency and rejected rate.
create or replace view CAVES_ALBERT_DB.OPS.VW_PIPELINE_CHECKS
comment = 'Pipeline checks: stale latency, stream backlog, unaccounted RAW rows, rejected rate (offending rows)'
as
with CLOCK as (
    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC
),

SETTINGS as (
    select
        coalesce(max(iff(SETTING_NAME = 'LATENCY_WARNING_SECONDS', SETTING_VALUE, null)), 120)
            as LATENCY_WARNING_SECONDS,
        coalesce(max(iff(SETTING_NAME = 'LATENCY_STALE_SECONDS', SETTING_VALUE, null)), 300) as LATENCY_STALE_SECONDS,
        coalesce(max(iff(SETTING_NAME = 'STREAM_BACKLOG_SECONDS', SETTING_VALUE, null)), 600) as STREAM_BACKLOG_SECONDS,
        coalesce(max(iff(SETTING_NAME = 'REJECTED_RATE_PCT', SETTING_VALUE, null)), 5) as REJECTED_RATE_PCT,
        coalesce(max(iff(SETTING_NAME = 'REJECTED_MIN_MESSAGES', SETTING_VALUE, null)), 20) as REJECTED_MIN_MESSAGES
    from CAVES_ALBERT_DB.OPS.ALERT_SETTINGS
),

BACKLOG as (
    select
        -- the RAW streams' owner by event type (a path into a non-object VARIANT is NULL: the orders stream)
        iff(R.EVENT_DATA:event_type::string = 'inventory_adjustment', 'STREAM_RAW_INVENTORY', 'STREAM_RAW_ORDERS')
            as STREAM_NAME,
        'RAW_DATA.RAW_EVENTS_STREAM' as TABLE_NAME,
        R.INGESTION_TIMESTAMP as PENDING_SINCE,
        R.INGESTION_TIMESTAMP
    from CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM as R
    where
        not exists (
            select 1 from CAVES_ALBERT_DB.STAGING.EVENT_ROUTING_LOG as L
            where L.RAW_ID = R.RAW_ID
        )
    union all
    select
        'STREAM_STG_ORDERS' as STREAM_NAME,
        'STAGING.STG_ORDERS' as TABLE_NAME,
        S.STAGED_AT as PENDING_SINCE,
        S.INGESTION_TIMESTAMP
    from CAVES_ALBERT_DB.STAGING.STG_ORDERS as S
    where
        not exists (
            select 1 from CAVES_ALBERT_DB.PRODUCTION.ORDERS as O
            where
                O.ORDER_ID = S.ORDER_ID
                and (
                    O.LAST_EVENT_TIMESTAMP > S.EVENT_TIMESTAMP
                    or (O.LAST_EVENT_TIMESTAMP = S.EVENT_TIMESTAMP and O.LAST_EVENT_ID >= S.EVENT_ID)
                )
        )
    union all
    select
        'STREAM_STG_INVENTORY' as STREAM_NAME,
        'STAGING.STG_INVENTORY_ADJUSTMENTS' as TABLE_NAME,
        S.STAGED_AT as PENDING_SINCE,
        S.INGESTION_TIMESTAMP
    from CAVES_ALBERT_DB.STAGING.STG_INVENTORY_ADJUSTMENTS as S
    where
        not exists (
            select 1 from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY as H
            where H.ADJUSTMENT_ID = S.ADJUSTMENT_ID
        )
    union all
    select
        'STREAM_INVENTORY_HISTORY' as STREAM_NAME,
        'PRODUCTION.INVENTORY_HISTORY' as TABLE_NAME,
        H.LOADED_AT as PENDING_SINCE,
        H.INGESTION_TIMESTAMP
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY as H
    left join CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT as I
        on H.PRODUCT_ID = I.PRODUCT_ID
    where I.UPDATED_AT is null or H.LOADED_AT > I.UPDATED_AT
),

-- end to end: the oldest message that arrived in RAW and has not reached PRODUCTION yet (rejects excepted)
LATENCY as (
    select min(B.INGESTION_TIMESTAMP) as OLDEST_WAITING
    from BACKLOG as B
),

-- a RAW row in none of the three landing tables (over the 7 days up to the latest arrival: staging keeps 7)
UNACCOUNTED as (
    select
        R.RAW_ID,
        R.INGESTION_TIMESTAMP
    from CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM as R
    where
        R.INGESTION_TIMESTAMP
        >= (select dateadd(day, -7, max(M.INGESTION_TIMESTAMP)) from CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM as M)
        and not exists (
            select 1 from CAVES_ALBERT_DB.STAGING.STG_ORDERS as S
            where S.RAW_ID = R.RAW_ID
        )
        and not exists (
            select 1 from CAVES_ALBERT_DB.STAGING.STG_INVENTORY_ADJUSTMENTS as S
            where S.RAW_ID = R.RAW_ID
        )
        and not exists (
            select 1 from CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS as S
            where S.RAW_ID = R.RAW_ID
        )
),

LAST_HOUR as (
    select
        count(*) as ROUTED,
        count_if(L.ROUTED_TO = 'REJECTED_EVENTS') as REJECTED,
        max(iff(L.ROUTED_TO = 'REJECTED_EVENTS', L.REJECT_REASON, null)) as A_REASON
    from CAVES_ALBERT_DB.STAGING.EVENT_ROUTING_LOG as L
    cross join CLOCK as C
    where L.INGESTION_TIMESTAMP >= dateadd(hour, -1, C.NOW_UTC)
)

select
    'LATENCY_STALE' as CHECK_NAME,
    'critical' as SEVERITY,
    'PRODUCTION' as TABLE_NAME,
    'PIPELINE' as OBJECT_KEY,
    to_varchar(LAT.OLDEST_WAITING) as DETAIL,
    datediff(second, LAT.OLDEST_WAITING, C.NOW_UTC) as MEASURED_VALUE
from LATENCY as LAT
cross join CLOCK as C
cross join SETTINGS as ST
where datediff(second, LAT.OLDEST_WAITING, C.NOW_UTC) > ST.LATENCY_STALE_SECONDS
union all
select
    'STREAM_BACKLOG' as CHECK_NAME,
    'warning' as SEVERITY,
    min(B.TABLE_NAME) as TABLE_NAME,
    B.STREAM_NAME as OBJECT_KEY,
    to_varchar(count(*)) as DETAIL,
    max(datediff(second, B.PENDING_SINCE, C.NOW_UTC)) as MEASURED_VALUE
from BACKLOG as B
cross join CLOCK as C
cross join SETTINGS as ST
group by B.STREAM_NAME
having max(datediff(second, B.PENDING_SINCE, C.NOW_UTC)) > max(ST.STREAM_BACKLOG_SECONDS)
union all
select
    'RECON_UNACCOUNTED' as CHECK_NAME,
    'critical' as SEVERITY,
    'RAW_DATA.RAW_EVENTS_STREAM' as TABLE_NAME,
    U.RAW_ID as OBJECT_KEY,
    to_varchar(U.INGESTION_TIMESTAMP) as DETAIL,
    datediff(second, U.INGESTION_TIMESTAMP, C.NOW_UTC) as MEASURED_VALUE
from UNACCOUNTED as U
cross join CLOCK as C
cross join SETTINGS as ST
where datediff(second, U.INGESTION_TIMESTAMP, C.NOW_UTC) > ST.LATENCY_WARNING_SECONDS
qualify row_number() over (order by U.INGESTION_TIMESTAMP, U.RAW_ID) <= 100
union all
select
    'REJECTED_RATE' as CHECK_NAME,
    'warning' as SEVERITY,
    'STAGING.REJECTED_EVENTS' as TABLE_NAME,
    'LAST_HOUR' as OBJECT_KEY,
    H.A_REASON as DETAIL,
    round(100 * H.REJECTED / H.ROUTED, 2) as MEASURED_VALUE
from LAST_HOUR as H
cross join SETTINGS as ST
where H.ROUTED >= ST.REJECTED_MIN_MESSAGES and 100 * H.REJECTED / H.ROUTED > ST.REJECTED_RATE_PCT;

-- Business checks: a wine out of stock (critical), or forecast to run out within STOCKOUT_FORECAST_DAYS while no
-- supplier restock arrived in the last RESTOCK_LEAD_DAYS (warning). The forecast is VW_INVENTORY_ALERTS' (30 days).
create or replace view CAVES_ALBERT_DB.OPS.VW_STOCK_CHECKS
comment = 'Business checks: wines out of stock, or running out with no restock arriving (one row per wine)'
as
with SETTINGS as (
    select
        coalesce(max(iff(SETTING_NAME = 'STOCKOUT_FORECAST_DAYS', SETTING_VALUE, null)), 5) as STOCKOUT_FORECAST_DAYS,
        coalesce(max(iff(SETTING_NAME = 'RESTOCK_LEAD_DAYS', SETTING_VALUE, null)), 7) as RESTOCK_LEAD_DAYS
    from CAVES_ALBERT_DB.OPS.ALERT_SETTINGS
),

LAST_RESTOCK as (
    select
        H.PRODUCT_ID,
        max(H.EVENT_TIMESTAMP) as LAST_RESTOCK_AT
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY as H
    where H.ADJUSTMENT_TYPE = 'restock'
    group by H.PRODUCT_ID
)

select
    iff(A.CURRENT_STOCK_LEVEL <= 0, 'STOCK_OUT', 'STOCKOUT_FORECAST') as CHECK_NAME,
    iff(A.CURRENT_STOCK_LEVEL <= 0, 'critical', 'warning') as SEVERITY,
    'PRODUCTION.INVENTORY_CURRENT' as TABLE_NAME,
    A.PRODUCT_ID as OBJECT_KEY,
    A.PRODUCT_NAME as DETAIL,
    iff(A.CURRENT_STOCK_LEVEL <= 0, A.CURRENT_STOCK_LEVEL, A.DAYS_OF_STOCK_LEFT) as MEASURED_VALUE
from CAVES_ALBERT_DB.PRODUCTION.VW_INVENTORY_ALERTS as A
cross join SETTINGS as ST
left join LAST_RESTOCK as R
    on A.PRODUCT_ID = R.PRODUCT_ID
where
    A.CURRENT_STOCK_LEVEL <= 0
    or (
        A.DAYS_OF_STOCK_LEFT < ST.STOCKOUT_FORECAST_DAYS
        and (
            R.LAST_RESTOCK_AT is null
            or R.LAST_RESTOCK_AT
            < dateadd(
                day, -ST.RESTOCK_LEAD_DAYS, convert_timezone('UTC', current_timestamp())::timestamp_ntz
            )
        )
    );

-- Data quality on PRODUCTION (the checks of a Great Expectations suite or of Snowflake's data metric functions),
-- one row per offending row, at most 100 per check (the first keys): totals that do not match price x quantity
-- (a discount up to MAX_DISCOUNT_PCT allowed), negative stock, orders for a product the inventory does not know,
-- dates in the future, NULL keys, duplicate keys, and tables not loaded for FRESHNESS_SECONDS.
create or replace view CAVES_ALBERT_DB.PRODUCTION.VW_DATA_QUALITY_CHECKS
comment = 'Data-quality checks on PRODUCTION: one row per offending row (at most 100 per check)'
as
with CLOCK as (
    select convert_timezone('UTC', current_timestamp())::timestamp_ntz as NOW_UTC
),

SETTINGS as (
    select
        coalesce(max(iff(SETTING_NAME = 'MAX_DISCOUNT_PCT', SETTING_VALUE, null)), 15) as MAX_DISCOUNT_PCT,
        coalesce(max(iff(SETTING_NAME = 'FUTURE_TOLERANCE_SECONDS', SETTING_VALUE, null)), 300)
            as FUTURE_TOLERANCE_SECONDS,
        coalesce(max(iff(SETTING_NAME = 'FRESHNESS_SECONDS', SETTING_VALUE, null)), 21600) as FRESHNESS_SECONDS
    from CAVES_ALBERT_DB.OPS.ALERT_SETTINGS
),

FOUND as (
    select
        'DQ_TOTAL_MISMATCH' as CHECK_NAME,
        'warning' as SEVERITY,
        'PRODUCTION.ORDERS' as TABLE_NAME,
        O.ORDER_ID as OBJECT_KEY,
        O.PRODUCT_ID as DETAIL,
        O.TOTAL_AMOUNT - O.QUANTITY * O.UNIT_PRICE as MEASURED_VALUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as O
    cross join SETTINGS as ST
    where
        O.TOTAL_AMOUNT > O.QUANTITY * O.UNIT_PRICE + 0.01
        or O.TOTAL_AMOUNT < O.QUANTITY * O.UNIT_PRICE * (1 - ST.MAX_DISCOUNT_PCT / 100) - 0.01
    union all
    select
        'DQ_NEGATIVE_STOCK' as CHECK_NAME,
        'critical' as SEVERITY,
        'PRODUCTION.INVENTORY_CURRENT' as TABLE_NAME,
        I.PRODUCT_ID as OBJECT_KEY,
        I.PRODUCT_NAME as DETAIL,
        I.CURRENT_STOCK_LEVEL as MEASURED_VALUE
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT as I
    where I.CURRENT_STOCK_LEVEL < 0
    union all
    select
        'DQ_UNKNOWN_PRODUCT' as CHECK_NAME,
        'warning' as SEVERITY,
        'PRODUCTION.ORDERS' as TABLE_NAME,
        O.ORDER_ID as OBJECT_KEY,
        O.PRODUCT_ID as DETAIL,
        O.QUANTITY as MEASURED_VALUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as O
    where
        not exists (
            select 1 from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT as I
            where I.PRODUCT_ID = O.PRODUCT_ID
        )
    union all
    select
        'DQ_FUTURE_DATE' as CHECK_NAME,
        'warning' as SEVERITY,
        'PRODUCTION.ORDERS' as TABLE_NAME,
        O.ORDER_ID as OBJECT_KEY,
        to_varchar(O.ORDER_DATE) as DETAIL,
        datediff(second, C.NOW_UTC, O.ORDER_DATE) as MEASURED_VALUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as O
    cross join CLOCK as C
    cross join SETTINGS as ST
    where O.ORDER_DATE > dateadd(second, ST.FUTURE_TOLERANCE_SECONDS, C.NOW_UTC)
    union all
    select
        'DQ_FUTURE_DATE' as CHECK_NAME,
        'warning' as SEVERITY,
        'PRODUCTION.INVENTORY_HISTORY' as TABLE_NAME,
        H.ADJUSTMENT_ID as OBJECT_KEY,
        to_varchar(H.EVENT_TIMESTAMP) as DETAIL,
        datediff(second, C.NOW_UTC, H.EVENT_TIMESTAMP) as MEASURED_VALUE
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY as H
    cross join CLOCK as C
    cross join SETTINGS as ST
    where H.EVENT_TIMESTAMP > dateadd(second, ST.FUTURE_TOLERANCE_SECONDS, C.NOW_UTC)
    union all
    select
        'DQ_NULL_KEY' as CHECK_NAME,
        'critical' as SEVERITY,
        'PRODUCTION.ORDERS' as TABLE_NAME,
        coalesce(O.ORDER_ID, O.LAST_EVENT_ID) as OBJECT_KEY,
        iff(O.ORDER_ID is null, 'ORDER_ID', iff(O.CUSTOMER_ID is null, 'CUSTOMER_ID', 'PRODUCT_ID')) as DETAIL,
        null as MEASURED_VALUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as O
    where O.ORDER_ID is null or O.CUSTOMER_ID is null or O.PRODUCT_ID is null
    union all
    select
        'DQ_NULL_KEY' as CHECK_NAME,
        'critical' as SEVERITY,
        'PRODUCTION.INVENTORY_HISTORY' as TABLE_NAME,
        coalesce(H.ADJUSTMENT_ID, H.EVENT_ID) as OBJECT_KEY,
        iff(H.ADJUSTMENT_ID is null, 'ADJUSTMENT_ID', 'PRODUCT_ID') as DETAIL,
        null as MEASURED_VALUE
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY as H
    where H.ADJUSTMENT_ID is null or H.PRODUCT_ID is null
    union all
    select
        'DQ_NULL_KEY' as CHECK_NAME,
        'critical' as SEVERITY,
        'PRODUCTION.INVENTORY_CURRENT' as TABLE_NAME,
        I.PRODUCT_NAME as OBJECT_KEY,
        'PRODUCT_ID' as DETAIL,
        null as MEASURED_VALUE
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT as I
    where I.PRODUCT_ID is null
    union all
    select
        'DQ_DUPLICATE_KEY' as CHECK_NAME,
        'critical' as SEVERITY,
        'PRODUCTION.ORDERS' as TABLE_NAME,
        O.ORDER_ID as OBJECT_KEY,
        'ORDER_ID' as DETAIL,
        count(*) as MEASURED_VALUE
    from CAVES_ALBERT_DB.PRODUCTION.ORDERS as O
    where O.ORDER_ID is not null
    group by O.ORDER_ID
    having count(*) > 1
    union all
    select
        'DQ_DUPLICATE_KEY' as CHECK_NAME,
        'critical' as SEVERITY,
        'PRODUCTION.INVENTORY_HISTORY' as TABLE_NAME,
        H.ADJUSTMENT_ID as OBJECT_KEY,
        'ADJUSTMENT_ID' as DETAIL,
        count(*) as MEASURED_VALUE
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY as H
    where H.ADJUSTMENT_ID is not null
    group by H.ADJUSTMENT_ID
    having count(*) > 1
    union all
    select
        'DQ_DUPLICATE_KEY' as CHECK_NAME,
        'critical' as SEVERITY,
        'PRODUCTION.INVENTORY_CURRENT' as TABLE_NAME,
        I.PRODUCT_ID as OBJECT_KEY,
        'PRODUCT_ID' as DETAIL,
        count(*) as MEASURED_VALUE
    from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT as I
    where I.PRODUCT_ID is not null
    group by I.PRODUCT_ID
    having count(*) > 1
    union all
    select
        'DQ_FRESHNESS' as CHECK_NAME,
        'warning' as SEVERITY,
        F.TABLE_NAME,
        F.TABLE_NAME as OBJECT_KEY,
        to_varchar(F.LAST_LOADED_AT) as DETAIL,
        datediff(second, F.LAST_LOADED_AT, C.NOW_UTC) as MEASURED_VALUE
    from (
        select
            'PRODUCTION.ORDERS' as TABLE_NAME,
            max(UPDATED_AT) as LAST_LOADED_AT
        from CAVES_ALBERT_DB.PRODUCTION.ORDERS
        union all
        select
            'PRODUCTION.INVENTORY_HISTORY' as TABLE_NAME,
            max(LOADED_AT) as LAST_LOADED_AT
        from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY
        union all
        select
            'PRODUCTION.INVENTORY_CURRENT' as TABLE_NAME,
            max(UPDATED_AT) as LAST_LOADED_AT
        from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT
    ) as F
    cross join CLOCK as C
    cross join SETTINGS as ST
    -- an empty table is not stale: nothing has been loaded yet (a new deployment)
    where F.LAST_LOADED_AT is not null and datediff(second, F.LAST_LOADED_AT, C.NOW_UTC) > ST.FRESHNESS_SECONDS
)

select
    CHECK_NAME,
    SEVERITY,
    TABLE_NAME,
    OBJECT_KEY,
    DETAIL,
    MEASURED_VALUE
from FOUND
qualify row_number() over (partition by CHECK_NAME, TABLE_NAME order by OBJECT_KEY) <= 100;

alter alert if exists CAVES_ALBERT_DB.OPS.ALERT_TASK_FAILURES suspend;

create or replace alert CAVES_ALBERT_DB.OPS.ALERT_TASK_FAILURES
    schedule = '1 MINUTE'
    comment = 'A task failed or was auto-suspended since the last check'
if (exists (
    select 1
    from table(CAVES_ALBERT_DB.INFORMATION_SCHEMA.TASK_HISTORY(RESULT_LIMIT => 10000)) as TH
    where
        TH.STATE in ('FAILED', 'FAILED_AND_AUTO_SUSPENDED')
        and TH.COMPLETED_TIME
        > coalesce(
            SNOWFLAKE.ALERT.LAST_SUCCESSFUL_SCHEDULED_TIME(), dateadd(hour, -24, SNOWFLAKE.ALERT.SCHEDULED_TIME())
        )
        and TH.COMPLETED_TIME <= SNOWFLAKE.ALERT.SCHEDULED_TIME()
))
then
    begin
        insert into CAVES_ALBERT_DB.OPS.ALERT_LOG (
            ALERT_NAME, CHECK_NAME, CATEGORY, SEVERITY, KIND, TABLE_NAME, OBJECT_KEY, DETAIL, MEASURED_VALUE,
            DETECTED_AT
        )
        select
            'ALERT_TASK_FAILURES' as ALERT_NAME,
            iff(TH.STATE = 'FAILED_AND_AUTO_SUSPENDED', 'TASK_AUTO_SUSPENDED', 'TASK_FAILED') as CHECK_NAME,
            'pipeline' as CATEGORY,
            'critical' as SEVERITY,
            'event' as KIND,
            null as TABLE_NAME,
            TH.NAME || ' @ ' || to_varchar(TH.SCHEDULED_TIME) as OBJECT_KEY,
            left(TH.ERROR_MESSAGE, 500) as DETAIL,
            null as MEASURED_VALUE,
            convert_timezone('UTC', SNOWFLAKE.ALERT.SCHEDULED_TIME())::timestamp_ntz as DETECTED_AT
        from table(CAVES_ALBERT_DB.INFORMATION_SCHEMA.TASK_HISTORY(RESULT_LIMIT => 10000)) as TH
        where
            TH.STATE in ('FAILED', 'FAILED_AND_AUTO_SUSPENDED')
            and TH.COMPLETED_TIME
            > coalesce(
                SNOWFLAKE.ALERT.LAST_SUCCESSFUL_SCHEDULED_TIME(),
                dateadd(hour, -24, SNOWFLAKE.ALERT.SCHEDULED_TIME())
            )
            and TH.COMPLETED_TIME <= SNOWFLAKE.ALERT.SCHEDULED_TIME();
        call SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(
            SNOWFLAKE.NOTIFICATION.TEXT_PLAIN(
                'Les Caves d''Albert: a pipeline task failed (ALERT_TASK_FAILURES). See the console, page Alertes.'
            ),
            SNOWFLAKE.NOTIFICATION.INTEGRATION('CAVES_ALERTS_NOTIFY')
        );
    end;

alter alert if exists CAVES_ALBERT_DB.OPS.ALERT_PIPELINE_LATENCY suspend;

create or replace alert CAVES_ALBERT_DB.OPS.ALERT_PIPELINE_LATENCY
    schedule = '5 MINUTE'
    comment = 'End-to-end latency above the stale threshold (ALERT_SETTINGS.LATENCY_STALE_SECONDS)'
if (exists (
    select 1 from CAVES_ALBERT_DB.OPS.VW_PIPELINE_CHECKS
    where CHECK_NAME = 'LATENCY_STALE'
))
then
    begin
        insert into CAVES_ALBERT_DB.OPS.ALERT_LOG (
            ALERT_NAME, CHECK_NAME, CATEGORY, SEVERITY, KIND, TABLE_NAME, OBJECT_KEY, DETAIL, MEASURED_VALUE,
            DETECTED_AT
        )
        select
            'ALERT_PIPELINE_LATENCY' as ALERT_NAME,
            CHECK_NAME,
            'pipeline' as CATEGORY,
            SEVERITY,
            'state' as KIND,
            TABLE_NAME,
            OBJECT_KEY,
            DETAIL,
            MEASURED_VALUE,
            convert_timezone('UTC', SNOWFLAKE.ALERT.SCHEDULED_TIME())::timestamp_ntz as DETECTED_AT
        from CAVES_ALBERT_DB.OPS.VW_PIPELINE_CHECKS
        where CHECK_NAME = 'LATENCY_STALE';
        call SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(
            SNOWFLAKE.NOTIFICATION.TEXT_PLAIN(
                'Les Caves d''Albert: the pipeline is stale (ALERT_PIPELINE_LATENCY). See the console, page Alertes.'
            ),
            SNOWFLAKE.NOTIFICATION.INTEGRATION('CAVES_ALERTS_NOTIFY')
        );
    end;

alter alert if exists CAVES_ALBERT_DB.OPS.ALERT_STREAM_BACKLOG suspend;

create or replace alert CAVES_ALBERT_DB.OPS.ALERT_STREAM_BACKLOG
    schedule = '5 MINUTE'
    comment = 'A stream has pending changes older than ALERT_SETTINGS.STREAM_BACKLOG_SECONDS'
if (exists (
    select 1 from CAVES_ALBERT_DB.OPS.VW_PIPELINE_CHECKS
    where CHECK_NAME = 'STREAM_BACKLOG'
))
then
    begin
        insert into CAVES_ALBERT_DB.OPS.ALERT_LOG (
            ALERT_NAME, CHECK_NAME, CATEGORY, SEVERITY, KIND, TABLE_NAME, OBJECT_KEY, DETAIL, MEASURED_VALUE,
            DETECTED_AT
        )
        select
            'ALERT_STREAM_BACKLOG' as ALERT_NAME,
            CHECK_NAME,
            'pipeline' as CATEGORY,
            SEVERITY,
            'state' as KIND,
            TABLE_NAME,
            OBJECT_KEY,
            DETAIL,
            MEASURED_VALUE,
            convert_timezone('UTC', SNOWFLAKE.ALERT.SCHEDULED_TIME())::timestamp_ntz as DETECTED_AT
        from CAVES_ALBERT_DB.OPS.VW_PIPELINE_CHECKS
        where CHECK_NAME = 'STREAM_BACKLOG';
        call SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(
            SNOWFLAKE.NOTIFICATION.TEXT_PLAIN(
                'Les Caves d''Albert: a stream is backing up (ALERT_STREAM_BACKLOG). See the console, page Alertes.'
            ),
            SNOWFLAKE.NOTIFICATION.INTEGRATION('CAVES_ALERTS_NOTIFY')
        );
    end;

alter alert if exists CAVES_ALBERT_DB.OPS.ALERT_RECONCILIATION suspend;

create or replace alert CAVES_ALBERT_DB.OPS.ALERT_RECONCILIATION
    schedule = '5 MINUTE'
    comment = 'RAW rows in no landing table, older than ALERT_SETTINGS.LATENCY_WARNING_SECONDS'
if (exists (
    select 1 from CAVES_ALBERT_DB.OPS.VW_PIPELINE_CHECKS
    where CHECK_NAME = 'RECON_UNACCOUNTED'
))
then
    begin
        insert into CAVES_ALBERT_DB.OPS.ALERT_LOG (
            ALERT_NAME, CHECK_NAME, CATEGORY, SEVERITY, KIND, TABLE_NAME, OBJECT_KEY, DETAIL, MEASURED_VALUE,
            DETECTED_AT
        )
        select
            'ALERT_RECONCILIATION' as ALERT_NAME,
            CHECK_NAME,
            'pipeline' as CATEGORY,
            SEVERITY,
            'state' as KIND,
            TABLE_NAME,
            OBJECT_KEY,
            DETAIL,
            MEASURED_VALUE,
            convert_timezone('UTC', SNOWFLAKE.ALERT.SCHEDULED_TIME())::timestamp_ntz as DETECTED_AT
        from CAVES_ALBERT_DB.OPS.VW_PIPELINE_CHECKS
        where CHECK_NAME = 'RECON_UNACCOUNTED';
        call SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(
            SNOWFLAKE.NOTIFICATION.TEXT_PLAIN(
                'Les Caves d''Albert: RAW rows are unaccounted for (ALERT_RECONCILIATION). See the console.'
            ),
            SNOWFLAKE.NOTIFICATION.INTEGRATION('CAVES_ALERTS_NOTIFY')
        );
    end;

alter alert if exists CAVES_ALBERT_DB.OPS.ALERT_REJECTED_RATE suspend;

create or replace alert CAVES_ALBERT_DB.OPS.ALERT_REJECTED_RATE
    schedule = '5 MINUTE'
    comment = 'Rejected events above ALERT_SETTINGS.REJECTED_RATE_PCT of the last hour''s messages'
if (exists (
    select 1 from CAVES_ALBERT_DB.OPS.VW_PIPELINE_CHECKS
    where CHECK_NAME = 'REJECTED_RATE'
))
then
    begin
        insert into CAVES_ALBERT_DB.OPS.ALERT_LOG (
            ALERT_NAME, CHECK_NAME, CATEGORY, SEVERITY, KIND, TABLE_NAME, OBJECT_KEY, DETAIL, MEASURED_VALUE,
            DETECTED_AT
        )
        select
            'ALERT_REJECTED_RATE' as ALERT_NAME,
            CHECK_NAME,
            'pipeline' as CATEGORY,
            SEVERITY,
            'state' as KIND,
            TABLE_NAME,
            OBJECT_KEY,
            DETAIL,
            MEASURED_VALUE,
            convert_timezone('UTC', SNOWFLAKE.ALERT.SCHEDULED_TIME())::timestamp_ntz as DETECTED_AT
        from CAVES_ALBERT_DB.OPS.VW_PIPELINE_CHECKS
        where CHECK_NAME = 'REJECTED_RATE';
        call SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(
            SNOWFLAKE.NOTIFICATION.TEXT_PLAIN(
                'Les Caves d''Albert: many events are rejected (ALERT_REJECTED_RATE). See the console.'
            ),
            SNOWFLAKE.NOTIFICATION.INTEGRATION('CAVES_ALERTS_NOTIFY')
        );
    end;

alter alert if exists CAVES_ALBERT_DB.OPS.ALERT_STOCKOUT suspend;

create or replace alert CAVES_ALBERT_DB.OPS.ALERT_STOCKOUT
    schedule = '60 MINUTE'
    comment = 'A wine out of stock, or running out within STOCKOUT_FORECAST_DAYS with no restock arriving'
if (exists (select 1 from CAVES_ALBERT_DB.OPS.VW_STOCK_CHECKS))
then
    begin
        insert into CAVES_ALBERT_DB.OPS.ALERT_LOG (
            ALERT_NAME, CHECK_NAME, CATEGORY, SEVERITY, KIND, TABLE_NAME, OBJECT_KEY, DETAIL, MEASURED_VALUE,
            DETECTED_AT
        )
        select
            'ALERT_STOCKOUT' as ALERT_NAME,
            CHECK_NAME,
            'business' as CATEGORY,
            SEVERITY,
            'state' as KIND,
            TABLE_NAME,
            OBJECT_KEY,
            DETAIL,
            MEASURED_VALUE,
            convert_timezone('UTC', SNOWFLAKE.ALERT.SCHEDULED_TIME())::timestamp_ntz as DETECTED_AT
        from CAVES_ALBERT_DB.OPS.VW_STOCK_CHECKS;
        call SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(
            SNOWFLAKE.NOTIFICATION.TEXT_PLAIN(
                'Les Caves d''Albert: wines are out of stock or running out (ALERT_STOCKOUT). See the console.'
            ),
            SNOWFLAKE.NOTIFICATION.INTEGRATION('CAVES_ALERTS_NOTIFY')
        );
    end;

alter alert if exists CAVES_ALBERT_DB.OPS.ALERT_DATA_QUALITY suspend;

create or replace alert CAVES_ALBERT_DB.OPS.ALERT_DATA_QUALITY
    schedule = '60 MINUTE'
    comment = 'Data-quality checks on PRODUCTION (PRODUCTION.VW_DATA_QUALITY_CHECKS)'
if (exists (select 1 from CAVES_ALBERT_DB.PRODUCTION.VW_DATA_QUALITY_CHECKS))
then
    begin
        insert into CAVES_ALBERT_DB.OPS.ALERT_LOG (
            ALERT_NAME, CHECK_NAME, CATEGORY, SEVERITY, KIND, TABLE_NAME, OBJECT_KEY, DETAIL, MEASURED_VALUE,
            DETECTED_AT
        )
        select
            'ALERT_DATA_QUALITY' as ALERT_NAME,
            CHECK_NAME,
            'data_quality' as CATEGORY,
            SEVERITY,
            'state' as KIND,
            TABLE_NAME,
            OBJECT_KEY,
            DETAIL,
            MEASURED_VALUE,
            convert_timezone('UTC', SNOWFLAKE.ALERT.SCHEDULED_TIME())::timestamp_ntz as DETECTED_AT
        from CAVES_ALBERT_DB.PRODUCTION.VW_DATA_QUALITY_CHECKS;
        call SYSTEM$SEND_SNOWFLAKE_NOTIFICATION(
            SNOWFLAKE.NOTIFICATION.TEXT_PLAIN(
                'Les Caves d''Albert: data-quality checks failed (ALERT_DATA_QUALITY). See the console.'
            ),
            SNOWFLAKE.NOTIFICATION.INTEGRATION('CAVES_ALERTS_NOTIFY')
        );
    end;
