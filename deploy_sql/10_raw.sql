-- RAW layer: one row per Kafka message, exactly as received.
--
-- The consumer (caves/ingest.py, or a Kafka consumer in production) inserts
-- RAW_MESSAGE, EVENT_DATA = TRY_PARSE_JSON(RAW_MESSAGE), the top-level event_id /
-- event_type / event_timestamp as text (NULL when absent or not JSON) and the
-- Kafka coordinates. RAW_ID and INGESTION_TIMESTAMP come from their defaults.
--
-- The pipeline never updates this table; it only reads it through the two
-- append-only streams (50_streams.sql). The retention task (80_retention.sql)
-- deletes rows older than 30 days once they have been routed.

create table if not exists CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM (
    RAW_MESSAGE varchar not null comment 'The message text as received, always kept (even when not JSON)',
    EVENT_DATA variant comment 'TRY_PARSE_JSON(RAW_MESSAGE); NULL when the message is not JSON',
    EVENT_ID varchar comment 'Top-level event_id as received (text), NULL when absent',
    EVENT_TYPE varchar comment 'Top-level event_type as received (text), NULL when absent',
    EVENT_TIMESTAMP varchar comment 'Top-level event_timestamp as received (text, not validated here)',
    SOURCE_TOPIC varchar comment 'Kafka topic the message was read from',
    SOURCE_PARTITION integer comment 'Kafka partition',
    SOURCE_OFFSET integer comment 'Kafka offset within the partition',
    INGESTION_TIMESTAMP timestamp_ntz not null
    default convert_timezone('UTC', current_timestamp())::timestamp_ntz
    comment 'When the message landed in Snowflake (UTC)',
    RAW_ID varchar not null default uuid_string()
    comment 'Surrogate id of this row; the routing ledger, staging and rejected rows point back to it'
)
comment = 'One row per Kafka message, exactly as received (append-only; retention after 30 days once routed)';
