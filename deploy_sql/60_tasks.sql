-- The task graph. All tasks live in CAVES_ALBERT_DB.OPS (Snowflake requires the
-- tasks of one graph to share a schema):
--
--   TASK_RAW_TO_STAGING_ORDERS            root, every minute when STREAM_RAW_ORDERS has data
--     └─ TASK_STAGING_TO_PROD_ORDERS
--   TASK_RAW_TO_STAGING_INVENTORY         root, every minute when STREAM_RAW_INVENTORY has data
--     └─ TASK_STAGING_TO_PROD_INVENTORY_HISTORY
--          └─ TASK_STAGING_TO_PROD_INVENTORY_CURRENT
--
-- Deploy through `python -m caves deploy` (caves/dag.py): it suspends the
-- running roots, replaces the tasks, then resumes children first and roots
-- last, only for the graphs that were running. Applied by hand, the two
-- ALTER TASK ... SUSPEND below make this file safe on a live pipeline too (a
-- started root forbids replacing its graph); the graphs are then left
-- suspended: resume them with SELECT SYSTEM$TASK_DEPENDENTS_ENABLE('<root>').
-- Nothing is lost while they are suspended: the streams keep the changes.
--
-- Every body is one Snowflake Scripting block whose statements run in one
-- explicit transaction: all the statements reading a stream see the same rows
-- (repeatable read) and the stream offset moves only at COMMIT. Any error rolls
-- back and re-raises: the streams stay unconsumed and the run is retried on the
-- next schedule (the root suspends itself after 5 consecutive failures).
--
-- Routing (exactly once): every RAW row belongs to exactly one RAW->STAGING
-- task. TASK_RAW_TO_STAGING_INVENTORY owns the rows whose EVENT_DATA is an object
-- with event_type = 'inventory_adjustment' (a string); TASK_RAW_TO_STAGING_ORDERS
-- owns every other row (orders, non-JSON, non-objects, missing or unknown
-- event_type, ...). Both tasks use the same ownership expression, written
-- identically (tests/test_dag.py checks it). Each owned row is first written to
-- STAGING.EVENT_ROUTING_LOG with its destination, then copied to that
-- destination, so each RAW row lands in exactly one of STG_ORDERS,
-- STG_INVENTORY_ADJUSTMENTS and REJECTED_EVENTS.
--
-- Redeliveries: a valid event whose event_id was already routed to staging
-- (ledger, 30-day horizon) or that appears earlier in the same batch (ordered
-- by INGESTION_TIMESTAMP, SOURCE_PARTITION, SOURCE_OFFSET, RAW_ID) goes to
-- REJECTED_EVENTS with REJECT_REASON = 'duplicate event_id'. So the
-- reconciliation RAW_ROWS = STAGED_ORDERS + STAGED_ADJUSTMENTS + REJECTED
-- balances, and the dead-letter table shows how often the producers redeliver.
-- An invalid message is rejected with its own reason every time it arrives. A
-- redelivery older than the ledger horizon is staged again, which is harmless:
-- the PRODUCTION steps are idempotent (see below).
--
-- Validation mirrors shared/contracts/events.schema.json, with the reason
-- vocabulary and rule order of the reference validator (caves/events.py,
-- validate_message): REJECT_REASON names the first failing rule, in this
-- order: empty message; not valid JSON (duplicate key: JSON once duplicate
-- keys are allowed); not valid JSON; not a JSON object; then by depth - the required
-- top-level fields; the required payload fields, then the top-level fields'
-- type, enum (event_type), minLength (event_id) and format (event_timestamp);
-- the payload's properties: types, then enum/const, then minLength/format,
-- then minimum/maxLength - within a depth by the fields' order in the schema;
-- then the rules the schema states in prose (total_amount <= quantity *
-- unit_price + 0.01; quantity_change never 0, > 0 for restock/return, < 0 for
-- sale/breakage). An 'unknown ...' reason shows the offending value. JSON
-- Schema semantics are kept: "missing" means the key is absent (a JSON null is
-- present, with the wrong type), an "integer" is any number with no fractional
-- part (2.0 is one), a date-time is RFC 3339 (offset required, 'T'/'Z' in either
-- case) and must exist in the calendar (TRY_TO_TIMESTAMP_TZ rejects
-- 2026-02-30). Beyond the contract, a value the typed columns cannot hold
-- ('... is out of range') is rejected: loading it would fail the task on every
-- run and block the pipeline. Timestamps are stored converted to UTC
-- TIMESTAMP_NTZ. The validation reads only EVENT_DATA (never the consumer's
-- EVENT_ID/EVENT_TYPE text columns), so it is the same whatever the consumer,
-- and RAW_MESSAGE only to tell why EVENT_DATA is NULL.

-- Idempotent PRODUCTION steps:
--   ORDERS: MERGE of the latest event per ORDER_ID of the batch, applied only if
--     it is newer than the row's (EVENT_TIMESTAMP, then EVENT_ID as the
--     tie-break, the same order inside and across batches);
--   INVENTORY_HISTORY: insert if the ADJUSTMENT_ID is missing (first wins);
--   INVENTORY_CURRENT: recomputed for the touched products as the SUM over
--     INVENTORY_HISTORY, so redeliveries and out-of-order arrivals give the
--     same stock.

alter task if exists CAVES_ALBERT_DB.OPS.TASK_RAW_TO_STAGING_ORDERS suspend;

alter task if exists CAVES_ALBERT_DB.OPS.TASK_RAW_TO_STAGING_INVENTORY suspend;

-- ---------------------------------------------------------------------------
-- Orders graph
-- ---------------------------------------------------------------------------

create or replace task CAVES_ALBERT_DB.OPS.TASK_RAW_TO_STAGING_ORDERS
    user_task_managed_initial_warehouse_size = 'XSMALL'
    schedule = '1 MINUTE'
    allow_overlapping_execution = false
    suspend_task_after_num_failures = 5
    user_task_timeout_ms = 600000
    timezone = 'UTC'
    comment = 'RAW -> STAGING: order events, and every RAW row that is not an inventory_adjustment'
-- The graph also runs when only staging has pending rows (a child that failed and was repaired):
-- without the second condition those rows would wait for the next RAW message.
when
    SYSTEM$STREAM_HAS_DATA('CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_ORDERS')
    or SYSTEM$STREAM_HAS_DATA('CAVES_ALBERT_DB.STAGING.STREAM_STG_ORDERS')
as
    begin
        begin transaction;

        -- 1. Decide where each new RAW row owned by this task goes (the only place
        --    where the validation rules live), and record it in the ledger.
        insert into CAVES_ALBERT_DB.STAGING.EVENT_ROUTING_LOG (
            RAW_ID, EVENT_ID, EVENT_TYPE, ROUTED_TO, REJECT_REASON, ROUTED_BY, INGESTION_TIMESTAMP, ROUTED_AT
        )
        with BATCH as (
            -- The watermark of this batch: its first ingestion time. A ledger row carries the INGESTION_TIMESTAMP
            -- of its RAW row, so only ledger rows from that time on can hold a row of this batch, and the lookup
            -- below reads those only (Snowflake prunes the older micro-partitions, DuckDB the older row groups).
            -- The stream offset moves in this transaction, with the ledger rows, so the lookup only matters for a
            -- stream recreated with SHOW_INITIAL_ROWS (see 50_streams.sql).
            select min(B.INGESTION_TIMESTAMP) as FIRST_INGESTED
            from CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_ORDERS as B
            where B.METADATA$ACTION = 'INSERT'
        ),

        ROUTED as (
            select L.RAW_ID
            from CAVES_ALBERT_DB.STAGING.EVENT_ROUTING_LOG as L
            inner join BATCH as W on L.INGESTION_TIMESTAMP >= W.FIRST_INGESTED
        ),

        NEW_ROWS as (
            select
                R.RAW_ID,
                R.RAW_MESSAGE,
                R.EVENT_DATA,
                R.EVENT_TYPE as RAW_EVENT_TYPE,
                R.INGESTION_TIMESTAMP,
                R.SOURCE_PARTITION,
                R.SOURCE_OFFSET,
                -- Every VARIANT path the rules read is extracted here, once, as a column F_<field> holding the
                -- field's VARIANT value (the top-level fields, then the order payload's in the schema's order):
                -- the rules test these small values instead of extracting a path in each WHEN, and the local
                -- engine reads all the paths of this list in one parse of the document (caves/local/optimize.py).
                -- A key holding JSON null gives a VARIANT null (IS NULL is false), an absent key SQL NULL: the
                -- 'missing field ...' rules rely on that difference, which the columns keep. A payload that is
                -- absent or not an object gives NULL for each of its fields.
                R.EVENT_DATA:event_id as F_EVENT_ID,
                R.EVENT_DATA:event_type as F_EVENT_TYPE,
                R.EVENT_DATA:event_timestamp as F_EVENT_TIMESTAMP,
                R.EVENT_DATA:source as F_SOURCE,
                R.EVENT_DATA:payload as F_PAYLOAD,
                R.EVENT_DATA:payload.order_id as F_ORDER_ID,
                R.EVENT_DATA:payload.customer_id as F_CUSTOMER_ID,
                R.EVENT_DATA:payload.product_id as F_PRODUCT_ID,
                R.EVENT_DATA:payload.product_name as F_PRODUCT_NAME,
                R.EVENT_DATA:payload.product_category as F_PRODUCT_CATEGORY,
                R.EVENT_DATA:payload.quantity as F_QUANTITY,
                R.EVENT_DATA:payload.unit_price as F_UNIT_PRICE,
                R.EVENT_DATA:payload.total_amount as F_TOTAL_AMOUNT,
                R.EVENT_DATA:payload.currency as F_CURRENCY,
                R.EVENT_DATA:payload.payment_method as F_PAYMENT_METHOD,
                R.EVENT_DATA:payload.order_status as F_ORDER_STATUS,
                R.EVENT_DATA:payload.order_date as F_ORDER_DATE,
                R.EVENT_DATA:payload.shipping_country as F_SHIPPING_COUNTRY
            from CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_ORDERS as R
            where
                R.METADATA$ACTION = 'INSERT'
                -- owned by TASK_RAW_TO_STAGING_ORDERS: every row that is not an inventory_adjustment
                and not coalesce(
                    is_object(R.EVENT_DATA)
                    and iff(is_varchar(R.EVENT_DATA:event_type), R.EVENT_DATA:event_type::varchar, null)
                    = 'inventory_adjustment',
                    false
                )
                -- not routed yet (a set-based anti-join against the batch's ledger rows, no per-row lookup)
                and R.RAW_ID not in (select D.RAW_ID from ROUTED as D)
        ),

        FIELDS as (
            -- The fields' values as SQL types, each cast or test written once. A string field's text
            -- (S_<field>, or a named text column) is NULL unless the value is a string; a number's FLOAT
            -- (N_<field>) is NULL unless the value is a number (casting another VARIANT to FLOAT fails). Below a
            -- field's 'missing field' rule the field is present, so "S_<field> is null" reads "not a string" and
            -- "N_<field> is null" "not a number". IS_PAYLOAD_OBJECT is NULL when the payload is absent, as
            -- is_object() of it is.
            select
                N.*,
                iff(is_varchar(N.F_EVENT_ID), N.F_EVENT_ID::varchar, null) as PARSED_EVENT_ID,
                iff(is_varchar(N.F_EVENT_TYPE), N.F_EVENT_TYPE::varchar, null) as PARSED_EVENT_TYPE,
                iff(is_varchar(N.F_EVENT_TIMESTAMP), N.F_EVENT_TIMESTAMP::varchar, null) as EVENT_TIMESTAMP_TEXT,
                is_object(N.F_PAYLOAD) as IS_PAYLOAD_OBJECT,
                iff(is_varchar(N.F_ORDER_DATE), N.F_ORDER_DATE::varchar, null) as ORDER_DATE_TEXT,
                iff(is_varchar(N.F_SOURCE), N.F_SOURCE::varchar, null) as S_SOURCE,
                iff(is_varchar(N.F_ORDER_ID), N.F_ORDER_ID::varchar, null) as S_ORDER_ID,
                iff(is_varchar(N.F_CUSTOMER_ID), N.F_CUSTOMER_ID::varchar, null) as S_CUSTOMER_ID,
                iff(is_varchar(N.F_PRODUCT_ID), N.F_PRODUCT_ID::varchar, null) as S_PRODUCT_ID,
                iff(is_varchar(N.F_PRODUCT_NAME), N.F_PRODUCT_NAME::varchar, null) as S_PRODUCT_NAME,
                iff(is_varchar(N.F_PRODUCT_CATEGORY), N.F_PRODUCT_CATEGORY::varchar, null) as S_PRODUCT_CATEGORY,
                iff(is_varchar(N.F_CURRENCY), N.F_CURRENCY::varchar, null) as S_CURRENCY,
                iff(is_varchar(N.F_PAYMENT_METHOD), N.F_PAYMENT_METHOD::varchar, null) as S_PAYMENT_METHOD,
                iff(is_varchar(N.F_ORDER_STATUS), N.F_ORDER_STATUS::varchar, null) as S_ORDER_STATUS,
                iff(is_varchar(N.F_SHIPPING_COUNTRY), N.F_SHIPPING_COUNTRY::varchar, null) as S_SHIPPING_COUNTRY,
                iff(typeof(N.F_QUANTITY) in ('INTEGER', 'DECIMAL', 'DOUBLE'), N.F_QUANTITY::float, null) as N_QUANTITY,
                iff(
                    typeof(N.F_UNIT_PRICE) in ('INTEGER', 'DECIMAL', 'DOUBLE'), N.F_UNIT_PRICE::float, null
                ) as N_UNIT_PRICE,
                iff(
                    typeof(N.F_TOTAL_AMOUNT) in ('INTEGER', 'DECIMAL', 'DOUBLE'), N.F_TOTAL_AMOUNT::float, null
                ) as N_TOTAL_AMOUNT
            from NEW_ROWS as N
        ),

        PARSED as (
            select
                T.*,
                iff(
                    -- RFC 3339 date-time (kept on one line, hence the noqa)
                    regexp_like(
                        T.EVENT_TIMESTAMP_TEXT,
                        '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$'  -- noqa: LT05
                    ),
                    convert_timezone(
                        'UTC', try_to_timestamp_tz(replace(upper(T.EVENT_TIMESTAMP_TEXT), 'Z', '+00:00'))
                    )::timestamp_ntz,
                    null
                ) as EVENT_TIMESTAMP_UTC,
                coalesce(T.PARSED_EVENT_TYPE = 'order' and T.IS_PAYLOAD_OBJECT, false) as IS_ORDER_OBJECT,
                iff(
                    -- RFC 3339 date-time (kept on one line, hence the noqa)
                    regexp_like(
                        T.ORDER_DATE_TEXT,
                        '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$'  -- noqa: LT05
                    ),
                    convert_timezone(
                        'UTC', try_to_timestamp_tz(replace(upper(T.ORDER_DATE_TEXT), 'Z', '+00:00'))
                    )::timestamp_ntz,
                    null
                ) as ORDER_DATE_UTC
            from FIELDS as T
        ),

        CHECKED as (
            select
                P.*,
                case
                    -- the message
                    -- (EVENT_DATA is TRY_PARSE_JSON(RAW_MESSAGE): NULL for an empty text and, in the default strict
                    -- mode, for an object holding a key twice; parameter 'd' allows duplicate keys)
                    when P.EVENT_DATA is null and P.RAW_MESSAGE = '' then 'empty message'
                    when P.EVENT_DATA is null and try_parse_json(P.RAW_MESSAGE, 'd') is not null
                        then 'not valid JSON (duplicate key)'
                    when P.EVENT_DATA is null then 'not valid JSON'
                    when not is_object(P.EVENT_DATA) then 'not a JSON object'
                    -- depth 0: the required top-level fields
                    when P.F_EVENT_ID is null then 'missing field event_id'
                    when P.F_EVENT_TYPE is null then 'missing field event_type'
                    when P.F_EVENT_TIMESTAMP is null then 'missing field event_timestamp'
                    when P.F_PAYLOAD is null then 'missing field payload'
                    -- depth 1: the required payload fields (in the schema's order), then the top-level fields' types,
                    -- enum, minLength and format
                    when P.IS_ORDER_OBJECT and P.F_ORDER_ID is null then 'missing field payload.order_id'
                    when P.IS_ORDER_OBJECT and P.F_CUSTOMER_ID is null then 'missing field payload.customer_id'
                    when P.IS_ORDER_OBJECT and P.F_PRODUCT_ID is null then 'missing field payload.product_id'
                    when P.IS_ORDER_OBJECT and P.F_PRODUCT_NAME is null then 'missing field payload.product_name'
                    when P.IS_ORDER_OBJECT and P.F_PRODUCT_CATEGORY is null
                        then 'missing field payload.product_category'
                    when P.IS_ORDER_OBJECT and P.F_QUANTITY is null then 'missing field payload.quantity'
                    when P.IS_ORDER_OBJECT and P.F_UNIT_PRICE is null then 'missing field payload.unit_price'
                    when P.IS_ORDER_OBJECT and P.F_TOTAL_AMOUNT is null then 'missing field payload.total_amount'
                    when P.IS_ORDER_OBJECT and P.F_PAYMENT_METHOD is null then 'missing field payload.payment_method'
                    when P.IS_ORDER_OBJECT and P.F_ORDER_STATUS is null then 'missing field payload.order_status'
                    when P.IS_ORDER_OBJECT and P.F_ORDER_DATE is null then 'missing field payload.order_date'
                    when P.PARSED_EVENT_ID is null then 'event_id must be a string'
                    when P.EVENT_TIMESTAMP_TEXT is null then 'event_timestamp must be a string'
                    when P.F_SOURCE is not null and P.S_SOURCE is null then 'source must be a string'
                    when not P.IS_PAYLOAD_OBJECT then 'payload must be an object'
                    when coalesce(P.PARSED_EVENT_TYPE, '') <> 'order' then 'unknown event_type'
                    when P.PARSED_EVENT_ID = '' then 'event_id must not be empty'
                    when P.EVENT_TIMESTAMP_UTC is null then 'event_timestamp is not an ISO-8601 date-time'
                    -- depth 2: the payload's properties - types, then enum/const, then minLength/format, then
                    -- minimum/maxLength
                    when P.S_ORDER_ID is null then 'payload.order_id must be a string'
                    when P.S_CUSTOMER_ID is null then 'payload.customer_id must be a string'
                    when P.S_PRODUCT_ID is null then 'payload.product_id must be a string'
                    when P.S_PRODUCT_NAME is null then 'payload.product_name must be a string'
                    when P.N_QUANTITY is null then 'payload.quantity must be an integer'
                    -- N_<field> is compared only below its field's type rule (N_UNIT_PRICE, N_TOTAL_AMOUNT: next two)
                    when P.N_QUANTITY <> floor(P.N_QUANTITY) then 'payload.quantity must be an integer'
                    when P.N_UNIT_PRICE is null then 'payload.unit_price must be a number'
                    when P.N_TOTAL_AMOUNT is null then 'payload.total_amount must be a number'
                    when P.ORDER_DATE_TEXT is null then 'payload.order_date must be a string'
                    when P.F_SHIPPING_COUNTRY is not null and P.S_SHIPPING_COUNTRY is null
                        then 'payload.shipping_country must be a string'
                    when
                        not coalesce(
                            P.S_PRODUCT_CATEGORY in (
                                'Rouge', 'Blanc', 'Rosé', 'Champagne', 'Effervescent', 'Liquoreux', 'Spiritueux'
                            ),
                            false
                        )
                        then 'unknown payload.product_category'
                    when
                        P.F_CURRENCY is not null
                        and not coalesce(P.S_CURRENCY = 'EUR', false)
                        then 'payload.currency must be ''EUR'''
                    when
                        not coalesce(
                            P.S_PAYMENT_METHOD in (
                                'card', 'paypal', 'bank_transfer', 'apple_pay'
                            ),
                            false
                        )
                        then 'unknown payload.payment_method'
                    when
                        not coalesce(
                            P.S_ORDER_STATUS in (
                                'pending', 'confirmed', 'shipped', 'delivered', 'cancelled'
                            ),
                            false
                        )
                        then 'unknown payload.order_status'
                    when P.S_ORDER_ID = '' then 'payload.order_id must not be empty'
                    when P.S_CUSTOMER_ID = '' then 'payload.customer_id must not be empty'
                    when P.S_PRODUCT_ID = '' then 'payload.product_id must not be empty'
                    when P.S_PRODUCT_NAME = '' then 'payload.product_name must not be empty'
                    when P.ORDER_DATE_UTC is null then 'payload.order_date is not an ISO-8601 date-time'
                    when length(P.S_SHIPPING_COUNTRY) < 2
                        then 'payload.shipping_country must have at least 2 characters'
                    when P.N_QUANTITY < 1 then 'payload.quantity must be >= 1'
                    when P.N_UNIT_PRICE <= 0 then 'payload.unit_price must be > 0'
                    when P.N_TOTAL_AMOUNT < 0 then 'payload.total_amount must be >= 0'
                    when length(P.S_SHIPPING_COUNTRY) > 2
                        then 'payload.shipping_country must have at most 2 characters'
                    -- the rule the schema states in prose
                    -- the contract compares exact decimals (in floating point 1 * 2.01 + 0.01 is a hair below
                    -- 2.02): exact NUMBER arithmetic, except for amounts too large for it, which no valid
                    -- order reaches and where the float comparison is exact enough
                    when case
                        when P.N_TOTAL_AMOUNT > 1e20 or P.N_QUANTITY * P.N_UNIT_PRICE > 1e20
                            then P.N_TOTAL_AMOUNT > P.N_QUANTITY * P.N_UNIT_PRICE + 0.01
                        else
                            P.F_TOTAL_AMOUNT::number(38, 12)
                            > P.F_QUANTITY::number(38, 0) * P.F_UNIT_PRICE::number(38, 12) + 0.01
                    end then 'payload.total_amount is higher than quantity * unit_price'
                    -- storage guards, beyond the contract: a value the typed columns cannot hold would make the task
                    -- fail
                    when P.N_QUANTITY >= 1e18 then 'payload.quantity is out of range'
                    when P.N_UNIT_PRICE >= 1e16 then 'payload.unit_price is out of range'
                    when P.N_TOTAL_AMOUNT >= 1e16 then 'payload.total_amount is out of range'
                end as INVALID_RULE
            from PARSED as P
        ),

        RANKED as (
            select
                C.*,
                -- the offending value of an 'unknown ...' rule, shown as the reference validator does:
                -- a string as text, anything else as JSON
                case C.INVALID_RULE
                    when 'unknown event_type' then C.PARSED_EVENT_TYPE
                    when 'unknown payload.product_category'
                        then C.S_PRODUCT_CATEGORY
                    when 'unknown payload.payment_method'
                        then C.S_PAYMENT_METHOD
                    when 'unknown payload.order_status'
                        then C.S_ORDER_STATUS
                end as INVALID_STRING,
                case C.INVALID_RULE
                    when 'unknown event_type' then to_json(C.F_EVENT_TYPE)
                    when 'unknown payload.product_category' then to_json(C.F_PRODUCT_CATEGORY)
                    when 'unknown payload.payment_method' then to_json(C.F_PAYMENT_METHOD)
                    when 'unknown payload.order_status' then to_json(C.F_ORDER_STATUS)
                end as INVALID_JSON,
                row_number() over (
                    partition by C.PARSED_EVENT_ID, C.INVALID_RULE is null
                    order by C.INGESTION_TIMESTAMP, C.SOURCE_PARTITION, C.SOURCE_OFFSET, C.RAW_ID
                ) as DELIVERY_RANK
            from CHECKED as C
        ),

        ALREADY_STAGED as (
            select distinct L.EVENT_ID
            from CAVES_ALBERT_DB.STAGING.EVENT_ROUTING_LOG as L
            where L.ROUTED_TO = 'STG_ORDERS'
        ),

        DECIDED as (
            select
                K.RAW_ID,
                K.PARSED_EVENT_ID,
                K.INGESTION_TIMESTAMP,
                coalesce(K.RAW_EVENT_TYPE, K.PARSED_EVENT_TYPE) as EVENT_TYPE,
                coalesce(
                    iff(
                        K.INVALID_RULE like 'unknown %',
                        K.INVALID_RULE || ' ' || coalesce(
                            '''' || iff(
                                length(K.INVALID_STRING) > 40, left(K.INVALID_STRING, 39) || '…', K.INVALID_STRING
                            ) || '''',
                            iff(length(K.INVALID_JSON) > 40, left(K.INVALID_JSON, 39) || '…', K.INVALID_JSON),
                            'null'
                        ),
                        K.INVALID_RULE
                    ),
                    iff(K.DELIVERY_RANK > 1 or S.EVENT_ID is not null, 'duplicate event_id', null)
                ) as REJECT_REASON
            from RANKED as K
            left join ALREADY_STAGED as S on K.PARSED_EVENT_ID = S.EVENT_ID
        )

        select
            D.RAW_ID,
            D.PARSED_EVENT_ID as EVENT_ID,
            D.EVENT_TYPE,
            iff(D.REJECT_REASON is null, 'STG_ORDERS', 'REJECTED_EVENTS') as ROUTED_TO,
            D.REJECT_REASON,
            'TASK_RAW_TO_STAGING_ORDERS' as ROUTED_BY,
            D.INGESTION_TIMESTAMP,
            convert_timezone('UTC', current_timestamp())::timestamp_ntz as ROUTED_AT
        from DECIDED as D;

        -- 2. Valid, first-seen orders -> STG_ORDERS (typed, timestamps in UTC).
        insert into CAVES_ALBERT_DB.STAGING.STG_ORDERS (
            RAW_ID, EVENT_ID, ORDER_ID, CUSTOMER_ID, PRODUCT_ID, PRODUCT_NAME, PRODUCT_CATEGORY,
            QUANTITY, UNIT_PRICE, TOTAL_AMOUNT, CURRENCY, PAYMENT_METHOD, ORDER_STATUS, ORDER_DATE,
            SHIPPING_COUNTRY, EVENT_TIMESTAMP, EVENT_SOURCE, INGESTION_TIMESTAMP, STAGED_AT
        )
        with BATCH as (
            -- the batch's watermark (see statement 1): older rows of the target are not looked at
            select min(B.INGESTION_TIMESTAMP) as FIRST_INGESTED
            from CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_ORDERS as B
            where B.METADATA$ACTION = 'INSERT'
        ),

        ALREADY_COPIED as (
            -- rows copied by an earlier run (only a stream recreated with SHOW_INITIAL_ROWS returns them again)
            select S.RAW_ID
            from CAVES_ALBERT_DB.STAGING.STG_ORDERS as S
            inner join BATCH as W on S.INGESTION_TIMESTAMP >= W.FIRST_INGESTED
        )

        select
            L.RAW_ID,
            L.EVENT_ID,
            R.EVENT_DATA:payload.order_id::varchar as ORDER_ID,
            R.EVENT_DATA:payload.customer_id::varchar as CUSTOMER_ID,
            R.EVENT_DATA:payload.product_id::varchar as PRODUCT_ID,
            R.EVENT_DATA:payload.product_name::varchar as PRODUCT_NAME,
            R.EVENT_DATA:payload.product_category::varchar as PRODUCT_CATEGORY,
            R.EVENT_DATA:payload.quantity::integer as QUANTITY,
            R.EVENT_DATA:payload.unit_price::number(18, 2) as UNIT_PRICE,
            R.EVENT_DATA:payload.total_amount::number(18, 2) as TOTAL_AMOUNT,
            coalesce(R.EVENT_DATA:payload.currency::varchar, 'EUR') as CURRENCY,
            R.EVENT_DATA:payload.payment_method::varchar as PAYMENT_METHOD,
            R.EVENT_DATA:payload.order_status::varchar as ORDER_STATUS,
            convert_timezone(
                'UTC', try_to_timestamp_tz(replace(upper(R.EVENT_DATA:payload.order_date::varchar), 'Z', '+00:00'))
            )::timestamp_ntz as ORDER_DATE,
            R.EVENT_DATA:payload.shipping_country::varchar as SHIPPING_COUNTRY,
            convert_timezone(
                'UTC', try_to_timestamp_tz(replace(upper(R.EVENT_DATA:event_timestamp::varchar), 'Z', '+00:00'))
            )::timestamp_ntz as EVENT_TIMESTAMP,
            R.EVENT_DATA:source::varchar as EVENT_SOURCE,
            R.INGESTION_TIMESTAMP,
            convert_timezone('UTC', current_timestamp())::timestamp_ntz as STAGED_AT
        from CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_ORDERS as R
        inner join CAVES_ALBERT_DB.STAGING.EVENT_ROUTING_LOG as L
            on R.RAW_ID = L.RAW_ID and R.INGESTION_TIMESTAMP = L.INGESTION_TIMESTAMP
        where
            R.METADATA$ACTION = 'INSERT'
            and L.ROUTED_BY = 'TASK_RAW_TO_STAGING_ORDERS'
            and L.ROUTED_TO = 'STG_ORDERS'
            and R.RAW_ID not in (select C.RAW_ID from ALREADY_COPIED as C);

        -- 3. Everything else this task routed -> REJECTED_EVENTS, with the reason.
        insert into CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS (
            RAW_ID, RAW_MESSAGE, EVENT_ID, EVENT_TYPE, REJECT_REASON, REJECTED_BY, INGESTION_TIMESTAMP, REJECTED_AT
        )
        with BATCH as (
            -- the batch's watermark (see statement 1): older rows of the target are not looked at
            select min(B.INGESTION_TIMESTAMP) as FIRST_INGESTED
            from CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_ORDERS as B
            where B.METADATA$ACTION = 'INSERT'
        ),

        ALREADY_COPIED as (
            -- rows copied by an earlier run (only a stream recreated with SHOW_INITIAL_ROWS returns them again)
            select J.RAW_ID
            from CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS as J
            inner join BATCH as W on J.INGESTION_TIMESTAMP >= W.FIRST_INGESTED
        )

        select
            L.RAW_ID,
            R.RAW_MESSAGE,
            coalesce(L.EVENT_ID, R.EVENT_ID) as EVENT_ID,
            L.EVENT_TYPE,
            L.REJECT_REASON,
            L.ROUTED_BY as REJECTED_BY,
            R.INGESTION_TIMESTAMP,
            convert_timezone('UTC', current_timestamp())::timestamp_ntz as REJECTED_AT
        from CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_ORDERS as R
        inner join CAVES_ALBERT_DB.STAGING.EVENT_ROUTING_LOG as L
            on R.RAW_ID = L.RAW_ID and R.INGESTION_TIMESTAMP = L.INGESTION_TIMESTAMP
        where
            R.METADATA$ACTION = 'INSERT'
            and L.ROUTED_BY = 'TASK_RAW_TO_STAGING_ORDERS'
            and L.ROUTED_TO = 'REJECTED_EVENTS'
            and R.RAW_ID not in (select C.RAW_ID from ALREADY_COPIED as C);

        commit;
    exception
        when OTHER then
            rollback;
            raise;
    end;

create or replace task CAVES_ALBERT_DB.OPS.TASK_STAGING_TO_PROD_ORDERS
    user_task_managed_initial_warehouse_size = 'XSMALL'
    timezone = 'UTC'
    comment = 'STAGING -> PRODUCTION.ORDERS: the latest event per order wins; late older events never overwrite'
    after CAVES_ALBERT_DB.OPS.TASK_RAW_TO_STAGING_ORDERS
as
    begin
        begin transaction;

        merge into CAVES_ALBERT_DB.PRODUCTION.ORDERS as T
        using (
            select
                S.ORDER_ID,
                S.CUSTOMER_ID,
                S.PRODUCT_ID,
                S.PRODUCT_NAME,
                S.PRODUCT_CATEGORY,
                S.QUANTITY,
                S.UNIT_PRICE,
                S.TOTAL_AMOUNT,
                S.PAYMENT_METHOD,
                S.ORDER_STATUS,
                S.ORDER_DATE,
                S.SHIPPING_COUNTRY,
                S.EVENT_ID,
                S.EVENT_TIMESTAMP,
                S.INGESTION_TIMESTAMP
            from CAVES_ALBERT_DB.STAGING.STREAM_STG_ORDERS as S
            where S.METADATA$ACTION = 'INSERT'
            qualify row_number() over (
                partition by S.ORDER_ID order by S.EVENT_TIMESTAMP desc, S.EVENT_ID desc
            ) = 1
        ) as S
            on T.ORDER_ID = S.ORDER_ID
        when matched and (
            S.EVENT_TIMESTAMP > T.LAST_EVENT_TIMESTAMP
            or (S.EVENT_TIMESTAMP = T.LAST_EVENT_TIMESTAMP and S.EVENT_ID > T.LAST_EVENT_ID)
        ) then
            update set
                CUSTOMER_ID = S.CUSTOMER_ID,
                PRODUCT_ID = S.PRODUCT_ID,
                PRODUCT_NAME = S.PRODUCT_NAME,
                PRODUCT_CATEGORY = S.PRODUCT_CATEGORY,
                QUANTITY = S.QUANTITY,
                UNIT_PRICE = S.UNIT_PRICE,
                TOTAL_AMOUNT = S.TOTAL_AMOUNT,
                PAYMENT_METHOD = S.PAYMENT_METHOD,
                ORDER_STATUS = S.ORDER_STATUS,
                ORDER_DATE = S.ORDER_DATE,
                SHIPPING_COUNTRY = S.SHIPPING_COUNTRY,
                LAST_EVENT_ID = S.EVENT_ID,
                LAST_EVENT_TIMESTAMP = S.EVENT_TIMESTAMP,
                INGESTION_TIMESTAMP = S.INGESTION_TIMESTAMP,
                UPDATED_AT = convert_timezone('UTC', current_timestamp())::timestamp_ntz
        when not matched then insert (
            ORDER_ID, CUSTOMER_ID, PRODUCT_ID, PRODUCT_NAME, PRODUCT_CATEGORY, QUANTITY, UNIT_PRICE,
            TOTAL_AMOUNT, PAYMENT_METHOD, ORDER_STATUS, ORDER_DATE, SHIPPING_COUNTRY, LAST_EVENT_ID,
            LAST_EVENT_TIMESTAMP, INGESTION_TIMESTAMP, CREATED_AT, UPDATED_AT
        ) values (
            S.ORDER_ID, S.CUSTOMER_ID, S.PRODUCT_ID, S.PRODUCT_NAME, S.PRODUCT_CATEGORY, S.QUANTITY, S.UNIT_PRICE,
            S.TOTAL_AMOUNT, S.PAYMENT_METHOD, S.ORDER_STATUS, S.ORDER_DATE, S.SHIPPING_COUNTRY, S.EVENT_ID,
            S.EVENT_TIMESTAMP, S.INGESTION_TIMESTAMP,
            convert_timezone('UTC', current_timestamp())::timestamp_ntz,
            convert_timezone('UTC', current_timestamp())::timestamp_ntz
        );

        commit;
    exception
        when OTHER then
            rollback;
            raise;
    end;

-- ---------------------------------------------------------------------------
-- Inventory graph
-- ---------------------------------------------------------------------------

create or replace task CAVES_ALBERT_DB.OPS.TASK_RAW_TO_STAGING_INVENTORY
    user_task_managed_initial_warehouse_size = 'XSMALL'
    schedule = '1 MINUTE'
    allow_overlapping_execution = false
    suspend_task_after_num_failures = 5
    user_task_timeout_ms = 600000
    timezone = 'UTC'
    comment = 'RAW -> STAGING: inventory_adjustment events'
-- Also when only a later step has pending rows (see the orders root).
when
    SYSTEM$STREAM_HAS_DATA('CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_INVENTORY')
    or SYSTEM$STREAM_HAS_DATA('CAVES_ALBERT_DB.STAGING.STREAM_STG_INVENTORY')
    or SYSTEM$STREAM_HAS_DATA('CAVES_ALBERT_DB.PRODUCTION.STREAM_INVENTORY_HISTORY')
as
    begin
        begin transaction;

        -- 1. Decide where each new inventory_adjustment RAW row goes; record it.
        insert into CAVES_ALBERT_DB.STAGING.EVENT_ROUTING_LOG (
            RAW_ID, EVENT_ID, EVENT_TYPE, ROUTED_TO, REJECT_REASON, ROUTED_BY, INGESTION_TIMESTAMP, ROUTED_AT
        )
        with BATCH as (
            -- the batch's watermark, as in TASK_RAW_TO_STAGING_ORDERS
            select min(B.INGESTION_TIMESTAMP) as FIRST_INGESTED
            from CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_INVENTORY as B
            where B.METADATA$ACTION = 'INSERT'
        ),

        ROUTED as (
            select L.RAW_ID
            from CAVES_ALBERT_DB.STAGING.EVENT_ROUTING_LOG as L
            inner join BATCH as W on L.INGESTION_TIMESTAMP >= W.FIRST_INGESTED
        ),

        NEW_ROWS as (
            select
                R.RAW_ID,
                R.EVENT_DATA,
                R.EVENT_TYPE as RAW_EVENT_TYPE,
                R.INGESTION_TIMESTAMP,
                R.SOURCE_PARTITION,
                R.SOURCE_OFFSET,
                -- Every VARIANT path the rules read, extracted once (F_<field>: the top-level fields, then the
                -- inventory_adjustment payload's in the schema's order), as in TASK_RAW_TO_STAGING_ORDERS and for
                -- the same reasons: one parse of the document, a JSON null kept apart from an absent key.
                R.EVENT_DATA:event_id as F_EVENT_ID,
                R.EVENT_DATA:event_type as F_EVENT_TYPE,
                R.EVENT_DATA:event_timestamp as F_EVENT_TIMESTAMP,
                R.EVENT_DATA:source as F_SOURCE,
                R.EVENT_DATA:payload as F_PAYLOAD,
                R.EVENT_DATA:payload.adjustment_id as F_ADJUSTMENT_ID,
                R.EVENT_DATA:payload.product_id as F_PRODUCT_ID,
                R.EVENT_DATA:payload.product_name as F_PRODUCT_NAME,
                R.EVENT_DATA:payload.product_category as F_PRODUCT_CATEGORY,
                R.EVENT_DATA:payload.warehouse_location as F_WAREHOUSE_LOCATION,
                R.EVENT_DATA:payload.adjustment_type as F_ADJUSTMENT_TYPE,
                R.EVENT_DATA:payload.quantity_change as F_QUANTITY_CHANGE,
                R.EVENT_DATA:payload.reason as F_REASON
            from CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_INVENTORY as R
            where
                R.METADATA$ACTION = 'INSERT'
                -- owned by TASK_RAW_TO_STAGING_INVENTORY: objects whose event_type is 'inventory_adjustment'
                and coalesce(
                    is_object(R.EVENT_DATA)
                    and iff(is_varchar(R.EVENT_DATA:event_type), R.EVENT_DATA:event_type::varchar, null)
                    = 'inventory_adjustment',
                    false
                )
                -- not routed yet (anti-join against the batch's ledger rows)
                and R.RAW_ID not in (select D.RAW_ID from ROUTED as D)
        ),

        FIELDS as (
            -- the fields' values as SQL types, each cast or test written once (see TASK_RAW_TO_STAGING_ORDERS)
            select
                N.*,
                iff(is_varchar(N.F_EVENT_ID), N.F_EVENT_ID::varchar, null) as PARSED_EVENT_ID,
                iff(is_varchar(N.F_EVENT_TYPE), N.F_EVENT_TYPE::varchar, null) as PARSED_EVENT_TYPE,
                iff(is_varchar(N.F_EVENT_TIMESTAMP), N.F_EVENT_TIMESTAMP::varchar, null) as EVENT_TIMESTAMP_TEXT,
                is_object(N.F_PAYLOAD) as IS_PAYLOAD_OBJECT,
                iff(is_varchar(N.F_SOURCE), N.F_SOURCE::varchar, null) as S_SOURCE,
                iff(is_varchar(N.F_ADJUSTMENT_ID), N.F_ADJUSTMENT_ID::varchar, null) as S_ADJUSTMENT_ID,
                iff(is_varchar(N.F_PRODUCT_ID), N.F_PRODUCT_ID::varchar, null) as S_PRODUCT_ID,
                iff(is_varchar(N.F_PRODUCT_NAME), N.F_PRODUCT_NAME::varchar, null) as S_PRODUCT_NAME,
                iff(is_varchar(N.F_PRODUCT_CATEGORY), N.F_PRODUCT_CATEGORY::varchar, null) as S_PRODUCT_CATEGORY,
                iff(is_varchar(N.F_WAREHOUSE_LOCATION), N.F_WAREHOUSE_LOCATION::varchar, null) as S_WAREHOUSE_LOCATION,
                iff(is_varchar(N.F_ADJUSTMENT_TYPE), N.F_ADJUSTMENT_TYPE::varchar, null) as S_ADJUSTMENT_TYPE,
                iff(is_varchar(N.F_REASON), N.F_REASON::varchar, null) as S_REASON,
                iff(
                    typeof(N.F_QUANTITY_CHANGE) in ('INTEGER', 'DECIMAL', 'DOUBLE'), N.F_QUANTITY_CHANGE::float, null
                ) as N_QUANTITY_CHANGE
            from NEW_ROWS as N
        ),

        PARSED as (
            select
                T.*,
                iff(
                    -- RFC 3339 date-time (kept on one line, hence the noqa)
                    regexp_like(
                        T.EVENT_TIMESTAMP_TEXT,
                        '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$'  -- noqa: LT05
                    ),
                    convert_timezone(
                        'UTC', try_to_timestamp_tz(replace(upper(T.EVENT_TIMESTAMP_TEXT), 'Z', '+00:00'))
                    )::timestamp_ntz,
                    null
                ) as EVENT_TIMESTAMP_UTC
            from FIELDS as T
        ),

        CHECKED as (
            select
                P.*,
                case
                    -- depth 0: the required top-level fields
                    when P.F_EVENT_ID is null then 'missing field event_id'
                    when P.F_EVENT_TIMESTAMP is null then 'missing field event_timestamp'
                    when P.F_PAYLOAD is null then 'missing field payload'
                    -- depth 1: the required payload fields (in the schema's order), then the top-level fields' types,
                    -- enum, minLength and format
                    when P.IS_PAYLOAD_OBJECT and P.F_ADJUSTMENT_ID is null then 'missing field payload.adjustment_id'
                    when P.IS_PAYLOAD_OBJECT and P.F_PRODUCT_ID is null then 'missing field payload.product_id'
                    when P.IS_PAYLOAD_OBJECT and P.F_PRODUCT_NAME is null then 'missing field payload.product_name'
                    when P.IS_PAYLOAD_OBJECT and P.F_PRODUCT_CATEGORY is null
                        then 'missing field payload.product_category'
                    when P.IS_PAYLOAD_OBJECT and P.F_WAREHOUSE_LOCATION is null
                        then 'missing field payload.warehouse_location'
                    when P.IS_PAYLOAD_OBJECT and P.F_ADJUSTMENT_TYPE is null
                        then 'missing field payload.adjustment_type'
                    when P.IS_PAYLOAD_OBJECT and P.F_QUANTITY_CHANGE is null
                        then 'missing field payload.quantity_change'
                    when P.PARSED_EVENT_ID is null then 'event_id must be a string'
                    when P.EVENT_TIMESTAMP_TEXT is null then 'event_timestamp must be a string'
                    when P.F_SOURCE is not null and P.S_SOURCE is null then 'source must be a string'
                    when not P.IS_PAYLOAD_OBJECT then 'payload must be an object'
                    when P.PARSED_EVENT_ID = '' then 'event_id must not be empty'
                    when P.EVENT_TIMESTAMP_UTC is null then 'event_timestamp is not an ISO-8601 date-time'
                    -- depth 2: the payload's properties - types, then enums, then minLength
                    when P.S_PRODUCT_ID is null then 'payload.product_id must be a string'
                    when P.S_PRODUCT_NAME is null then 'payload.product_name must be a string'
                    when P.S_ADJUSTMENT_ID is null then 'payload.adjustment_id must be a string'
                    when P.S_WAREHOUSE_LOCATION is null then 'payload.warehouse_location must be a string'
                    when P.N_QUANTITY_CHANGE is null then 'payload.quantity_change must be an integer'
                    -- N_QUANTITY_CHANGE is read only below its field's type rule (just above)
                    when P.N_QUANTITY_CHANGE <> floor(P.N_QUANTITY_CHANGE)
                        then 'payload.quantity_change must be an integer'
                    when P.F_REASON is not null and P.S_REASON is null then 'payload.reason must be a string'
                    when
                        not coalesce(
                            P.S_PRODUCT_CATEGORY in (
                                'Rouge', 'Blanc', 'Rosé', 'Champagne', 'Effervescent', 'Liquoreux', 'Spiritueux'
                            ),
                            false
                        )
                        then 'unknown payload.product_category'
                    when
                        not coalesce(
                            P.S_ADJUSTMENT_TYPE in (
                                'restock', 'sale', 'return', 'breakage', 'correction'
                            ),
                            false
                        )
                        then 'unknown payload.adjustment_type'
                    when P.S_PRODUCT_ID = '' then 'payload.product_id must not be empty'
                    when P.S_PRODUCT_NAME = '' then 'payload.product_name must not be empty'
                    when P.S_ADJUSTMENT_ID = '' then 'payload.adjustment_id must not be empty'
                    when P.S_WAREHOUSE_LOCATION = '' then 'payload.warehouse_location must not be empty'
                    -- the rules the schema states in prose
                    when P.N_QUANTITY_CHANGE = 0 then 'payload.quantity_change must not be 0'
                    when
                        P.S_ADJUSTMENT_TYPE in ('restock', 'return')
                        and P.N_QUANTITY_CHANGE < 0
                        then 'payload.quantity_change must be > 0 for a ' || P.S_ADJUSTMENT_TYPE
                    when
                        P.S_ADJUSTMENT_TYPE in ('sale', 'breakage')
                        and P.N_QUANTITY_CHANGE > 0
                        then 'payload.quantity_change must be < 0 for a ' || P.S_ADJUSTMENT_TYPE
                    -- storage guard, beyond the contract: a value QUANTITY_CHANGE cannot hold would make the task
                    -- fail
                    when abs(P.N_QUANTITY_CHANGE) >= 1e18 then 'payload.quantity_change is out of range'
                end as INVALID_RULE
            from PARSED as P
        ),

        RANKED as (
            select
                C.*,
                -- the offending value of an 'unknown ...' rule, shown as the reference validator does:
                -- a string as text, anything else as JSON
                case C.INVALID_RULE
                    when 'unknown payload.product_category'
                        then C.S_PRODUCT_CATEGORY
                    when 'unknown payload.adjustment_type'
                        then C.S_ADJUSTMENT_TYPE
                end as INVALID_STRING,
                case C.INVALID_RULE
                    when 'unknown payload.product_category' then to_json(C.F_PRODUCT_CATEGORY)
                    when 'unknown payload.adjustment_type' then to_json(C.F_ADJUSTMENT_TYPE)
                end as INVALID_JSON,
                row_number() over (
                    partition by C.PARSED_EVENT_ID, C.INVALID_RULE is null
                    order by C.INGESTION_TIMESTAMP, C.SOURCE_PARTITION, C.SOURCE_OFFSET, C.RAW_ID
                ) as DELIVERY_RANK
            from CHECKED as C
        ),

        ALREADY_STAGED as (
            select distinct L.EVENT_ID
            from CAVES_ALBERT_DB.STAGING.EVENT_ROUTING_LOG as L
            where L.ROUTED_TO = 'STG_INVENTORY_ADJUSTMENTS'
        ),

        DECIDED as (
            select
                K.RAW_ID,
                K.PARSED_EVENT_ID,
                K.INGESTION_TIMESTAMP,
                coalesce(K.RAW_EVENT_TYPE, K.PARSED_EVENT_TYPE) as EVENT_TYPE,
                coalesce(
                    iff(
                        K.INVALID_RULE like 'unknown %',
                        K.INVALID_RULE || ' ' || coalesce(
                            '''' || iff(
                                length(K.INVALID_STRING) > 40, left(K.INVALID_STRING, 39) || '…', K.INVALID_STRING
                            ) || '''',
                            iff(length(K.INVALID_JSON) > 40, left(K.INVALID_JSON, 39) || '…', K.INVALID_JSON),
                            'null'
                        ),
                        K.INVALID_RULE
                    ),
                    iff(K.DELIVERY_RANK > 1 or S.EVENT_ID is not null, 'duplicate event_id', null)
                ) as REJECT_REASON
            from RANKED as K
            left join ALREADY_STAGED as S on K.PARSED_EVENT_ID = S.EVENT_ID
        )

        select
            D.RAW_ID,
            D.PARSED_EVENT_ID as EVENT_ID,
            D.EVENT_TYPE,
            iff(D.REJECT_REASON is null, 'STG_INVENTORY_ADJUSTMENTS', 'REJECTED_EVENTS') as ROUTED_TO,
            D.REJECT_REASON,
            'TASK_RAW_TO_STAGING_INVENTORY' as ROUTED_BY,
            D.INGESTION_TIMESTAMP,
            convert_timezone('UTC', current_timestamp())::timestamp_ntz as ROUTED_AT
        from DECIDED as D;

        -- 2. Valid, first-seen adjustments -> STG_INVENTORY_ADJUSTMENTS.
        insert into CAVES_ALBERT_DB.STAGING.STG_INVENTORY_ADJUSTMENTS (
            RAW_ID, EVENT_ID, ADJUSTMENT_ID, PRODUCT_ID, PRODUCT_NAME, PRODUCT_CATEGORY, WAREHOUSE_LOCATION,
            ADJUSTMENT_TYPE, QUANTITY_CHANGE, REASON, EVENT_TIMESTAMP, EVENT_SOURCE, INGESTION_TIMESTAMP, STAGED_AT
        )
        with BATCH as (
            -- the batch's watermark (see statement 1): older rows of the target are not looked at
            select min(B.INGESTION_TIMESTAMP) as FIRST_INGESTED
            from CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_INVENTORY as B
            where B.METADATA$ACTION = 'INSERT'
        ),

        ALREADY_COPIED as (
            -- rows copied by an earlier run (only a stream recreated with SHOW_INITIAL_ROWS returns them again)
            select S.RAW_ID
            from CAVES_ALBERT_DB.STAGING.STG_INVENTORY_ADJUSTMENTS as S
            inner join BATCH as W on S.INGESTION_TIMESTAMP >= W.FIRST_INGESTED
        )

        select
            L.RAW_ID,
            L.EVENT_ID,
            R.EVENT_DATA:payload.adjustment_id::varchar as ADJUSTMENT_ID,
            R.EVENT_DATA:payload.product_id::varchar as PRODUCT_ID,
            R.EVENT_DATA:payload.product_name::varchar as PRODUCT_NAME,
            R.EVENT_DATA:payload.product_category::varchar as PRODUCT_CATEGORY,
            R.EVENT_DATA:payload.warehouse_location::varchar as WAREHOUSE_LOCATION,
            R.EVENT_DATA:payload.adjustment_type::varchar as ADJUSTMENT_TYPE,
            R.EVENT_DATA:payload.quantity_change::integer as QUANTITY_CHANGE,
            R.EVENT_DATA:payload.reason::varchar as REASON,
            convert_timezone(
                'UTC', try_to_timestamp_tz(replace(upper(R.EVENT_DATA:event_timestamp::varchar), 'Z', '+00:00'))
            )::timestamp_ntz as EVENT_TIMESTAMP,
            R.EVENT_DATA:source::varchar as EVENT_SOURCE,
            R.INGESTION_TIMESTAMP,
            convert_timezone('UTC', current_timestamp())::timestamp_ntz as STAGED_AT
        from CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_INVENTORY as R
        inner join CAVES_ALBERT_DB.STAGING.EVENT_ROUTING_LOG as L
            on R.RAW_ID = L.RAW_ID and R.INGESTION_TIMESTAMP = L.INGESTION_TIMESTAMP
        where
            R.METADATA$ACTION = 'INSERT'
            and L.ROUTED_BY = 'TASK_RAW_TO_STAGING_INVENTORY'
            and L.ROUTED_TO = 'STG_INVENTORY_ADJUSTMENTS'
            and R.RAW_ID not in (select C.RAW_ID from ALREADY_COPIED as C);

        -- 3. Invalid adjustments and duplicates -> REJECTED_EVENTS.
        insert into CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS (
            RAW_ID, RAW_MESSAGE, EVENT_ID, EVENT_TYPE, REJECT_REASON, REJECTED_BY, INGESTION_TIMESTAMP, REJECTED_AT
        )
        with BATCH as (
            -- the batch's watermark (see statement 1): older rows of the target are not looked at
            select min(B.INGESTION_TIMESTAMP) as FIRST_INGESTED
            from CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_INVENTORY as B
            where B.METADATA$ACTION = 'INSERT'
        ),

        ALREADY_COPIED as (
            -- rows copied by an earlier run (only a stream recreated with SHOW_INITIAL_ROWS returns them again)
            select J.RAW_ID
            from CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS as J
            inner join BATCH as W on J.INGESTION_TIMESTAMP >= W.FIRST_INGESTED
        )

        select
            L.RAW_ID,
            R.RAW_MESSAGE,
            coalesce(L.EVENT_ID, R.EVENT_ID) as EVENT_ID,
            L.EVENT_TYPE,
            L.REJECT_REASON,
            L.ROUTED_BY as REJECTED_BY,
            R.INGESTION_TIMESTAMP,
            convert_timezone('UTC', current_timestamp())::timestamp_ntz as REJECTED_AT
        from CAVES_ALBERT_DB.RAW_DATA.STREAM_RAW_INVENTORY as R
        inner join CAVES_ALBERT_DB.STAGING.EVENT_ROUTING_LOG as L
            on R.RAW_ID = L.RAW_ID and R.INGESTION_TIMESTAMP = L.INGESTION_TIMESTAMP
        where
            R.METADATA$ACTION = 'INSERT'
            and L.ROUTED_BY = 'TASK_RAW_TO_STAGING_INVENTORY'
            and L.ROUTED_TO = 'REJECTED_EVENTS'
            and R.RAW_ID not in (select C.RAW_ID from ALREADY_COPIED as C);

        commit;
    exception
        when OTHER then
            rollback;
            raise;
    end;

create or replace task CAVES_ALBERT_DB.OPS.TASK_STAGING_TO_PROD_INVENTORY_HISTORY
    user_task_managed_initial_warehouse_size = 'XSMALL'
    timezone = 'UTC'
    comment = 'STAGING -> PRODUCTION.INVENTORY_HISTORY: one row per ADJUSTMENT_ID (insert if missing)'
    after CAVES_ALBERT_DB.OPS.TASK_RAW_TO_STAGING_INVENTORY
as
    begin
        begin transaction;

        insert into CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY (
            ADJUSTMENT_ID, EVENT_ID, PRODUCT_ID, PRODUCT_NAME, PRODUCT_CATEGORY, WAREHOUSE_LOCATION,
            ADJUSTMENT_TYPE, QUANTITY_CHANGE, REASON, EVENT_TIMESTAMP, INGESTION_TIMESTAMP, LOADED_AT
        )
        select
            S.ADJUSTMENT_ID,
            S.EVENT_ID,
            S.PRODUCT_ID,
            S.PRODUCT_NAME,
            S.PRODUCT_CATEGORY,
            S.WAREHOUSE_LOCATION,
            S.ADJUSTMENT_TYPE,
            S.QUANTITY_CHANGE,
            S.REASON,
            S.EVENT_TIMESTAMP,
            S.INGESTION_TIMESTAMP,
            convert_timezone('UTC', current_timestamp())::timestamp_ntz as LOADED_AT
        from CAVES_ALBERT_DB.STAGING.STREAM_STG_INVENTORY as S
        where
            S.METADATA$ACTION = 'INSERT'
            -- insert if missing (first wins): a set-based anti-join by ADJUSTMENT_ID
            and S.ADJUSTMENT_ID not in (select H.ADJUSTMENT_ID from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY as H)
        qualify row_number() over (
            partition by S.ADJUSTMENT_ID order by S.EVENT_TIMESTAMP, S.INGESTION_TIMESTAMP, S.EVENT_ID
        ) = 1;

        commit;
    exception
        when OTHER then
            rollback;
            raise;
    end;

create or replace task CAVES_ALBERT_DB.OPS.TASK_STAGING_TO_PROD_INVENTORY_CURRENT
    user_task_managed_initial_warehouse_size = 'XSMALL'
    timezone = 'UTC'
    comment = 'PRODUCTION.INVENTORY_HISTORY -> INVENTORY_CURRENT: stock recomputed as a SUM for the touched products'
    after CAVES_ALBERT_DB.OPS.TASK_STAGING_TO_PROD_INVENTORY_HISTORY
as
    begin
        begin transaction;

        merge into CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT as T
        using (
            with TOUCHED as (
                -- the products this run's new adjustments touch
                select distinct C.PRODUCT_ID
                from CAVES_ALBERT_DB.PRODUCTION.STREAM_INVENTORY_HISTORY as C
                where C.METADATA$ACTION = 'INSERT'
            ),

            HISTORY as (
                select H.*
                from CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY as H
                inner join TOUCHED as P on H.PRODUCT_ID = P.PRODUCT_ID
            ),

            STOCK as (
                -- each touched product's stock, recomputed from its whole history by one GROUP BY
                select
                    Y.PRODUCT_ID,
                    sum(Y.QUANTITY_CHANGE) as CURRENT_STOCK_LEVEL,
                    count(*) as ADJUSTMENT_COUNT,
                    max(Y.EVENT_TIMESTAMP) as LAST_ADJUSTMENT_AT
                from HISTORY as Y
                group by Y.PRODUCT_ID
            ),

            LATEST as (
                -- descriptive columns come from the latest adjustment of the product
                select
                    Y.PRODUCT_ID,
                    Y.PRODUCT_NAME,
                    Y.PRODUCT_CATEGORY,
                    Y.WAREHOUSE_LOCATION
                from HISTORY as Y
                qualify row_number() over (
                    partition by Y.PRODUCT_ID order by Y.EVENT_TIMESTAMP desc, Y.ADJUSTMENT_ID desc
                ) = 1
            )

            select
                K.PRODUCT_ID,
                D.PRODUCT_NAME,
                D.PRODUCT_CATEGORY,
                D.WAREHOUSE_LOCATION,
                K.CURRENT_STOCK_LEVEL,
                K.ADJUSTMENT_COUNT,
                K.LAST_ADJUSTMENT_AT
            from STOCK as K
            inner join LATEST as D on K.PRODUCT_ID = D.PRODUCT_ID
        ) as S
            on T.PRODUCT_ID = S.PRODUCT_ID
        when matched then
            update set
                PRODUCT_NAME = S.PRODUCT_NAME,
                PRODUCT_CATEGORY = S.PRODUCT_CATEGORY,
                WAREHOUSE_LOCATION = S.WAREHOUSE_LOCATION,
                CURRENT_STOCK_LEVEL = S.CURRENT_STOCK_LEVEL,
                ADJUSTMENT_COUNT = S.ADJUSTMENT_COUNT,
                LAST_ADJUSTMENT_AT = S.LAST_ADJUSTMENT_AT,
                UPDATED_AT = convert_timezone('UTC', current_timestamp())::timestamp_ntz
        when not matched then insert (
            PRODUCT_ID, PRODUCT_NAME, PRODUCT_CATEGORY, WAREHOUSE_LOCATION, CURRENT_STOCK_LEVEL,
            ADJUSTMENT_COUNT, LAST_ADJUSTMENT_AT, UPDATED_AT
        ) values (
            S.PRODUCT_ID, S.PRODUCT_NAME, S.PRODUCT_CATEGORY, S.WAREHOUSE_LOCATION, S.CURRENT_STOCK_LEVEL,
            S.ADJUSTMENT_COUNT, S.LAST_ADJUSTMENT_AT, convert_timezone('UTC', current_timestamp())::timestamp_ntz
        );

        commit;
    exception
        when OTHER then
            rollback;
            raise;
    end;
