-- Streams (change data capture), one per consumer.
--
-- CREATE STREAM IF NOT EXISTS only: re-deploying never resets an offset
-- (CREATE OR REPLACE would drop the changes not yet consumed).
--
-- All streams are APPEND_ONLY: the pipeline only ever inserts into their source
-- tables, and the retention deletes must not flow downstream.
--
-- SHOW_INITIAL_ROWS = TRUE: if a stream ever has to be recreated (for example
-- after it went stale), its first read returns the rows already in the table.
-- Every consumer is idempotent (routing ledger keyed by RAW_ID, MERGE that only
-- moves forward in event time, insert-if-missing by ADJUSTMENT_ID, stock
-- recomputed as a SUM), so re-reading rows already processed changes nothing
-- and rows never processed are picked up. On a first deploy the tables are
-- empty and the option has no effect.

create stream if not exists CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_ORDERS
on table CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM
append_only = true
show_initial_rows = true
comment = 'RAW rows for TASK_RAW_TO_STAGING_ORDERS (orders and every row that is not an inventory_adjustment)';

create stream if not exists CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_INVENTORY
on table CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM
append_only = true
show_initial_rows = true
comment = 'RAW rows for TASK_RAW_TO_STAGING_INVENTORY (inventory_adjustment events)';

create stream if not exists CAVES_ALBERT_DB.STAGING.STREAM_STG_ORDERS
on table CAVES_ALBERT_DB.STAGING.STG_ORDERS
append_only = true
show_initial_rows = true
comment = 'New staged orders for TASK_STAGING_TO_PROD_ORDERS';

create stream if not exists CAVES_ALBERT_DB.STAGING.STREAM_STG_INVENTORY
on table CAVES_ALBERT_DB.STAGING.STG_INVENTORY_ADJUSTMENTS
append_only = true
show_initial_rows = true
comment = 'New staged adjustments for TASK_STAGING_TO_PROD_INVENTORY_HISTORY';

create stream if not exists CAVES_ALBERT_DB.PRODUCTION.STREAM_INVENTORY_HISTORY
on table CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY
append_only = true
show_initial_rows = true
comment = 'New adjustments for TASK_STAGING_TO_PROD_INVENTORY_CURRENT (products to recompute)';
