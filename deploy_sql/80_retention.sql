-- Retention: a daily task purges what has been fully processed, and the
-- tables' Time Travel settings.
--
-- Rules (a row that is not yet processed is never deleted):
--   RAW_DATA.RAW_EVENTS_STREAM   older than 30 days AND routed (its RAW_ID is in
--                                STAGING.EVENT_ROUTING_LOG, i.e. it landed in
--                                STG_ORDERS, STG_INVENTORY_ADJUSTMENTS or
--                                REJECTED_EVENTS). The ledger, not the staging
--                                tables, is the proof: staging rows are purged
--                                after 7 days, long before their RAW rows.
--   STAGING.EVENT_ROUTING_LOG    once its RAW row is gone and it is older than 30
--                                days (it is also the 30-day de-duplication
--                                horizon for redelivered event_ids).
--   STAGING.STG_ORDERS           older than 7 days AND reflected in
--                                PRODUCTION.ORDERS: the order's row holds this
--                                event or a newer one (same order as the MERGE).
--   STAGING.STG_INVENTORY_ADJUSTMENTS
--                                older than 7 days AND its ADJUSTMENT_ID is in
--                                PRODUCTION.INVENTORY_HISTORY.
--   STAGING.REJECTED_EVENTS      older than 90 days (dead letters are terminal;
--                                they are kept longer for investigation).
--   PRODUCTION, OPS              never purged.
-- Ages are measured on INGESTION_TIMESTAMP (UTC). All the streams are
-- append-only, so these deletes never flow downstream (and an append-only
-- stream still returns a row inserted then deleted before it was consumed).

alter task if exists CAVES_ALBERT_DB.OPS.TASK_PURGE_RETENTION suspend;

create or replace task CAVES_ALBERT_DB.OPS.TASK_PURGE_RETENTION
    user_task_managed_initial_warehouse_size = 'XSMALL'
    schedule = 'USING CRON 0 3 * * * UTC'
    allow_overlapping_execution = false
    suspend_task_after_num_failures = 3
    user_task_timeout_ms = 1800000
    timezone = 'UTC'
    comment = 'Daily purge of processed RAW (30 days) and STAGING (7 days; rejected 90 days) rows'
as
    begin
        begin transaction;

        delete from CAVES_ALBERT_DB.STAGING.STG_ORDERS as S
        where
            S.INGESTION_TIMESTAMP < dateadd(day, -7, convert_timezone('UTC', current_timestamp())::timestamp_ntz)
            and exists (
                select 1 from CAVES_ALBERT_DB.PRODUCTION.ORDERS as O
                where
                    O.ORDER_ID = S.ORDER_ID
                    and (
                        O.LAST_EVENT_TIMESTAMP > S.EVENT_TIMESTAMP
                        or (O.LAST_EVENT_TIMESTAMP = S.EVENT_TIMESTAMP and O.LAST_EVENT_ID >= S.EVENT_ID)
                    )
            );

        delete from CAVES_ALBERT_DB.STAGING.STG_INVENTORY_ADJUSTMENTS as S
        where
            S.INGESTION_TIMESTAMP < dateadd(day, -7, convert_timezone('UTC', current_timestamp())::timestamp_ntz)
            and exists (
                select 1 from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY as H
                where H.ADJUSTMENT_ID = S.ADJUSTMENT_ID
            );

        delete from CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS as J
        where J.INGESTION_TIMESTAMP < dateadd(day, -90, convert_timezone('UTC', current_timestamp())::timestamp_ntz);

        delete from CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM as R
        where
            R.INGESTION_TIMESTAMP < dateadd(day, -30, convert_timezone('UTC', current_timestamp())::timestamp_ntz)
            and exists (
                select 1 from CAVES_ALBERT_DB.STAGING.EVENT_ROUTING_LOG as L
                where L.RAW_ID = R.RAW_ID
            );

        delete from CAVES_ALBERT_DB.STAGING.EVENT_ROUTING_LOG as L
        where
            L.INGESTION_TIMESTAMP < dateadd(day, -30, convert_timezone('UTC', current_timestamp())::timestamp_ntz)
            and not exists (
                select 1 from CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM as R
                where R.RAW_ID = L.RAW_ID
            );

        commit;
    exception
        when OTHER then
            rollback;
            raise;
    end;

-- Time Travel. 1 day is accepted by every Snowflake edition (Standard allows at
-- most 1); raise PRODUCTION to 7-90 days on Enterprise. Tables read by streams
-- keep the default MAX_DATA_EXTENSION_TIME_IN_DAYS (14): a stream left
-- unconsumed longer than that goes stale (the console's pipeline-health page
-- shows SHOW STREAMS' stale_after).
alter table CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM
set DATA_RETENTION_TIME_IN_DAYS = 1;

alter table CAVES_ALBERT_DB.STAGING.STG_ORDERS
set DATA_RETENTION_TIME_IN_DAYS = 1;

alter table CAVES_ALBERT_DB.STAGING.STG_INVENTORY_ADJUSTMENTS
set DATA_RETENTION_TIME_IN_DAYS = 1;

alter table CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS
set DATA_RETENTION_TIME_IN_DAYS = 1;

alter table CAVES_ALBERT_DB.STAGING.EVENT_ROUTING_LOG
set DATA_RETENTION_TIME_IN_DAYS = 1;

alter table CAVES_ALBERT_DB.PRODUCTION.ORDERS
set DATA_RETENTION_TIME_IN_DAYS = 1;

alter table CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY
set DATA_RETENTION_TIME_IN_DAYS = 1;

alter table CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT
set DATA_RETENTION_TIME_IN_DAYS = 1;

alter table CAVES_ALBERT_DB.OPS.ADMIN_AUDIT_LOG
set DATA_RETENTION_TIME_IN_DAYS = 1;
