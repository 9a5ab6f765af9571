-- STAGING layer: every RAW row lands in exactly one of STG_ORDERS,
-- STG_INVENTORY_ADJUSTMENTS and REJECTED_EVENTS. EVENT_ROUTING_LOG is the
-- ledger of that decision (one row per routed RAW row): it makes the routing
-- idempotent (a RAW row is never routed twice, even if a stream is recreated),
-- gives the de-duplication horizon for redelivered event_ids, and proves a RAW
-- row was processed after its staging row has been purged (staging keeps 7
-- days, RAW keeps 30).
--
-- Staging tables are insert-only for the pipeline; only the retention task
-- deletes from them, and their streams are append-only, so purges never flow
-- downstream.

create table if not exists CAVES_ALBERT_DB.STAGING.STG_ORDERS (
    EVENT_ID varchar not null comment 'event_id (unique in this table: redeliveries are rejected as duplicates)',
    ORDER_ID varchar not null,
    CUSTOMER_ID varchar not null,
    PRODUCT_ID varchar not null,
    PRODUCT_NAME varchar not null,
    PRODUCT_CATEGORY varchar not null comment 'Rouge, Blanc, Rosé, Champagne, Effervescent, Liquoreux, Spiritueux',
    QUANTITY integer not null,
    UNIT_PRICE number(18, 2) not null comment 'EUR',
    TOTAL_AMOUNT number(18, 2) not null comment 'EUR, after discounts',
    CURRENCY varchar not null default 'EUR',
    PAYMENT_METHOD varchar not null comment 'card, paypal, bank_transfer, apple_pay',
    ORDER_STATUS varchar not null comment 'pending, confirmed, shipped, delivered, cancelled',
    ORDER_DATE timestamp_ntz not null comment 'When the customer placed the order (UTC)',
    SHIPPING_COUNTRY varchar comment 'ISO 3166-1 alpha-2, optional',
    EVENT_TIMESTAMP timestamp_ntz not null comment 'event_timestamp converted to UTC',
    EVENT_SOURCE varchar comment 'Optional producer name (top-level "source")',
    INGESTION_TIMESTAMP timestamp_ntz not null comment 'RAW ingestion time (UTC)',
    STAGED_AT timestamp_ntz not null default convert_timezone('UTC', current_timestamp())::timestamp_ntz,
    RAW_ID varchar not null comment 'RAW_EVENTS_STREAM.RAW_ID of the message'
)
comment = 'Valid order events, one row per distinct event_id (7 days once merged into PRODUCTION.ORDERS)';

create table if not exists CAVES_ALBERT_DB.STAGING.STG_INVENTORY_ADJUSTMENTS (
    EVENT_ID varchar not null comment 'event_id (unique in this table: redeliveries are rejected as duplicates)',
    ADJUSTMENT_ID varchar not null,
    PRODUCT_ID varchar not null,
    PRODUCT_NAME varchar not null,
    PRODUCT_CATEGORY varchar not null,
    WAREHOUSE_LOCATION varchar not null,
    ADJUSTMENT_TYPE varchar not null comment 'restock, sale, return, breakage, correction',
    QUANTITY_CHANGE integer not null comment 'Signed units, never 0',
    REASON varchar,
    EVENT_TIMESTAMP timestamp_ntz not null comment 'event_timestamp converted to UTC',
    EVENT_SOURCE varchar comment 'Optional producer name (top-level "source")',
    INGESTION_TIMESTAMP timestamp_ntz not null comment 'RAW ingestion time (UTC)',
    STAGED_AT timestamp_ntz not null default convert_timezone('UTC', current_timestamp())::timestamp_ntz,
    RAW_ID varchar not null comment 'RAW_EVENTS_STREAM.RAW_ID of the message'
)
comment = 'Valid inventory adjustment events, one row per distinct event_id (7 days once in INVENTORY_HISTORY)';

create table if not exists CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS (
    RAW_MESSAGE varchar not null comment 'The message text as received',
    EVENT_ID varchar comment 'event_id when one could be read',
    EVENT_TYPE varchar comment 'event_type when one could be read',
    REJECT_REASON varchar not null
    comment 'First failing rule, e.g. ''missing field payload.quantity'', or ''duplicate event_id''',
    INGESTION_TIMESTAMP timestamp_ntz not null comment 'RAW ingestion time (UTC)',
    REJECTED_AT timestamp_ntz not null default convert_timezone('UTC', current_timestamp())::timestamp_ntz,
    REJECTED_BY varchar comment 'The task that routed the message',
    RAW_ID varchar not null comment 'RAW_EVENTS_STREAM.RAW_ID of the message'
)
comment = 'Dead letters: invalid messages and redelivered duplicates, with the reason (kept 90 days)';

create table if not exists CAVES_ALBERT_DB.STAGING.EVENT_ROUTING_LOG (
    RAW_ID varchar not null comment 'RAW_EVENTS_STREAM.RAW_ID; one ledger row per routed RAW row',
    EVENT_ID varchar comment 'event_id when it is a non-empty string',
    EVENT_TYPE varchar,
    ROUTED_TO varchar not null comment 'STG_ORDERS, STG_INVENTORY_ADJUSTMENTS or REJECTED_EVENTS',
    REJECT_REASON varchar comment 'NULL unless ROUTED_TO = REJECTED_EVENTS',
    ROUTED_BY varchar not null comment 'TASK_RAW_TO_STAGING_ORDERS or TASK_RAW_TO_STAGING_INVENTORY',
    INGESTION_TIMESTAMP timestamp_ntz not null comment 'RAW ingestion time (UTC)',
    ROUTED_AT timestamp_ntz not null default convert_timezone('UTC', current_timestamp())::timestamp_ntz
)
comment = 'Routing ledger: where each RAW row went; purged together with its RAW row';
