-- PRODUCTION layer: the business tables the console and the queries read.
-- No PRIMARY KEY constraints: Snowflake does not enforce them; uniqueness is
-- enforced by the MERGE / insert-if-missing logic of the tasks (60_tasks.sql).

create table if not exists CAVES_ALBERT_DB.PRODUCTION.ORDERS (
    ORDER_ID varchar not null comment 'One row per order',
    CUSTOMER_ID varchar not null,
    PRODUCT_ID varchar not null,
    PRODUCT_NAME varchar not null,
    PRODUCT_CATEGORY varchar not null,
    QUANTITY integer not null,
    UNIT_PRICE number(18, 2) not null comment 'EUR',
    TOTAL_AMOUNT number(18, 2) not null comment 'EUR, after discounts',
    PAYMENT_METHOD varchar not null,
    ORDER_STATUS varchar not null comment 'Status of the latest event; KPIs exclude ''cancelled''',
    ORDER_DATE timestamp_ntz not null comment 'When the customer placed the order (UTC)',
    SHIPPING_COUNTRY varchar,
    LAST_EVENT_ID varchar not null comment 'event_id of the event this row reflects',
    LAST_EVENT_TIMESTAMP timestamp_ntz not null comment 'Its event_timestamp (UTC); an older event never overwrites it',
    INGESTION_TIMESTAMP timestamp_ntz not null comment 'RAW ingestion time of that event (UTC)',
    CREATED_AT timestamp_ntz not null default convert_timezone('UTC', current_timestamp())::timestamp_ntz,
    UPDATED_AT timestamp_ntz not null default convert_timezone('UTC', current_timestamp())::timestamp_ntz
)
cluster by (to_date(ORDER_DATE))
comment = 'Current state of each order: the event with the latest event_timestamp wins';

create table if not exists CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY (
    ADJUSTMENT_ID varchar not null comment 'One row per adjustment (first delivery wins)',
    EVENT_ID varchar not null,
    PRODUCT_ID varchar not null,
    PRODUCT_NAME varchar not null,
    PRODUCT_CATEGORY varchar not null,
    WAREHOUSE_LOCATION varchar not null,
    ADJUSTMENT_TYPE varchar not null,
    QUANTITY_CHANGE integer not null,
    REASON varchar,
    EVENT_TIMESTAMP timestamp_ntz not null comment 'UTC',
    INGESTION_TIMESTAMP timestamp_ntz not null comment 'UTC',
    LOADED_AT timestamp_ntz not null default convert_timezone('UTC', current_timestamp())::timestamp_ntz
)
cluster by (PRODUCT_ID)
comment = 'Audit trail of stock movements, one row per distinct ADJUSTMENT_ID';

create table if not exists CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT (
    PRODUCT_ID varchar not null comment 'One row per product',
    PRODUCT_NAME varchar not null comment 'From the latest adjustment',
    PRODUCT_CATEGORY varchar not null comment 'From the latest adjustment',
    WAREHOUSE_LOCATION varchar not null comment 'From the latest adjustment',
    CURRENT_STOCK_LEVEL integer not null comment 'SUM(QUANTITY_CHANGE) over INVENTORY_HISTORY',
    ADJUSTMENT_COUNT integer not null comment 'Number of distinct adjustments summed',
    LAST_ADJUSTMENT_AT timestamp_ntz not null comment 'Latest adjustment event_timestamp (UTC)',
    UPDATED_AT timestamp_ntz not null default convert_timezone('UTC', current_timestamp())::timestamp_ntz
)
comment = 'Stock per product, recomputed from INVENTORY_HISTORY for every touched product';
