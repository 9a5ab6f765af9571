"""The pipeline benchmark's baselines (BENCHMARKS.md): plain DuckDB, no engine.

* :func:`land_floor` - the floor of the machine: the message texts landed in a DuckDB file in Arrow batches, no
  parsing, nothing else. No pipeline can land faster.
* :func:`set_based_pipeline` - the best set-based plain-DuckDB implementation of the pipeline's rules that we can
  write: the texts landed once (no second JSON column), then one transaction that parses each message once (one
  multi-path extraction), decides every message of both event types in one CASE (the rules and reasons of
  deploy_sql/60_tasks.sql, in the same order), writes each target with one INSERT, merges the latest event per
  order, inserts missing adjustments and recomputes the stock of the touched products with a GROUP BY. The bench
  checks that its PRODUCTION tables equal the engine's, row for row.

Both are DuckDB-specific on purpose (``->`` with a list of paths, ``json_type``, ``arg_max``): they measure what
this machine can do, not what the Snowflake SQL can express.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from typing import Any

# The same duplicate-key rule as the engine's TRY_PARSE_JSON (the Python check of caves/local/jsonfuncs.py):
# the baseline applies the same rules, so it pays for this one too.
_TABLES = """
CREATE TABLE RAW (
    RAW_MESSAGE VARCHAR NOT NULL, SOURCE_TOPIC VARCHAR, SOURCE_PARTITION BIGINT, SOURCE_OFFSET BIGINT,
    INGESTION_TIMESTAMP TIMESTAMP_NS NOT NULL, RAW_ID VARCHAR NOT NULL DEFAULT CAST(uuid() AS VARCHAR)
);
CREATE TABLE LEDGER (
    RAW_ID VARCHAR, EVENT_ID VARCHAR, EVENT_TYPE VARCHAR, ROUTED_TO VARCHAR, REJECT_REASON VARCHAR,
    INGESTION_TIMESTAMP TIMESTAMP_NS
);
CREATE TABLE STG_ORDERS (
    EVENT_ID VARCHAR, ORDER_ID VARCHAR, CUSTOMER_ID VARCHAR, PRODUCT_ID VARCHAR, PRODUCT_NAME VARCHAR,
    PRODUCT_CATEGORY VARCHAR, QUANTITY BIGINT, UNIT_PRICE DECIMAL(18, 2), TOTAL_AMOUNT DECIMAL(18, 2),
    CURRENCY VARCHAR, PAYMENT_METHOD VARCHAR, ORDER_STATUS VARCHAR, ORDER_DATE TIMESTAMP_NS, SHIPPING_COUNTRY VARCHAR,
    EVENT_TIMESTAMP TIMESTAMP_NS, EVENT_SOURCE VARCHAR, INGESTION_TIMESTAMP TIMESTAMP_NS, RAW_ID VARCHAR
);
CREATE TABLE STG_INVENTORY_ADJUSTMENTS (
    EVENT_ID VARCHAR, ADJUSTMENT_ID VARCHAR, PRODUCT_ID VARCHAR, PRODUCT_NAME VARCHAR, PRODUCT_CATEGORY VARCHAR,
    WAREHOUSE_LOCATION VARCHAR, ADJUSTMENT_TYPE VARCHAR, QUANTITY_CHANGE BIGINT, REASON VARCHAR,
    EVENT_TIMESTAMP TIMESTAMP_NS, EVENT_SOURCE VARCHAR, INGESTION_TIMESTAMP TIMESTAMP_NS, RAW_ID VARCHAR
);
CREATE TABLE REJECTED_EVENTS (
    RAW_MESSAGE VARCHAR, EVENT_ID VARCHAR, EVENT_TYPE VARCHAR, REJECT_REASON VARCHAR,
    INGESTION_TIMESTAMP TIMESTAMP_NS, RAW_ID VARCHAR
);
CREATE TABLE ORDERS (
    ORDER_ID VARCHAR PRIMARY KEY, CUSTOMER_ID VARCHAR, PRODUCT_ID VARCHAR, PRODUCT_NAME VARCHAR,
    PRODUCT_CATEGORY VARCHAR, QUANTITY BIGINT, UNIT_PRICE DECIMAL(18, 2), TOTAL_AMOUNT DECIMAL(18, 2),
    PAYMENT_METHOD VARCHAR, ORDER_STATUS VARCHAR, ORDER_DATE TIMESTAMP_NS, SHIPPING_COUNTRY VARCHAR,
    LAST_EVENT_ID VARCHAR, LAST_EVENT_TIMESTAMP TIMESTAMP_NS, INGESTION_TIMESTAMP TIMESTAMP_NS
);
CREATE TABLE INVENTORY_HISTORY (
    ADJUSTMENT_ID VARCHAR, EVENT_ID VARCHAR, PRODUCT_ID VARCHAR, PRODUCT_NAME VARCHAR, PRODUCT_CATEGORY VARCHAR,
    WAREHOUSE_LOCATION VARCHAR, ADJUSTMENT_TYPE VARCHAR, QUANTITY_CHANGE BIGINT, REASON VARCHAR,
    EVENT_TIMESTAMP TIMESTAMP_NS, INGESTION_TIMESTAMP TIMESTAMP_NS
);
CREATE TABLE INVENTORY_CURRENT (
    PRODUCT_ID VARCHAR PRIMARY KEY, PRODUCT_NAME VARCHAR, PRODUCT_CATEGORY VARCHAR, WAREHOUSE_LOCATION VARCHAR,
    CURRENT_STOCK_LEVEL BIGINT, ADJUSTMENT_COUNT BIGINT, LAST_ADJUSTMENT_AT TIMESTAMP_NS
);
CREATE TABLE WATERMARK (ROUTED_UP_TO BIGINT);
INSERT INTO WATERMARK VALUES (-1);
"""

# Every path the rules read, extracted in one call per message (X[i] below).
_PATHS = [
    "$.event_id",  # 1
    "$.event_type",  # 2
    "$.event_timestamp",  # 3
    "$.source",  # 4
    "$.payload",  # 5
    "$.payload.order_id",  # 6
    "$.payload.customer_id",  # 7
    "$.payload.product_id",  # 8
    "$.payload.product_name",  # 9
    "$.payload.product_category",  # 10
    "$.payload.quantity",  # 11
    "$.payload.unit_price",  # 12
    "$.payload.total_amount",  # 13
    "$.payload.currency",  # 14
    "$.payload.payment_method",  # 15
    "$.payload.order_status",  # 16
    "$.payload.order_date",  # 17
    "$.payload.shipping_country",  # 18
    "$.payload.adjustment_id",  # 19
    "$.payload.warehouse_location",  # 20
    "$.payload.adjustment_type",  # 21
    "$.payload.quantity_change",  # 22
    "$.payload.reason",  # 23
]
_F = {p.rsplit(".", 1)[1].upper(): i + 1 for i, p in enumerate(_PATHS)}
_RFC3339 = (
    "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    "([.][0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
)
_NUMBER = "('BIGINT', 'UBIGINT', 'DOUBLE')"


def _decided_sql() -> str:
    """One row per new RAW row: its typed fields and its fate (NULL reason = staged), both event types at once."""
    cols = ",\n".join(f"X[{i}] AS F_{name}" for name, i in _F.items())
    types = ",\n".join(f"json_type(F_{name}) AS T_{name}" for name in _F)
    texts = ",\n".join(f"CASE WHEN T_{name} = 'VARCHAR' THEN F_{name} ->> '$' END AS S_{name}" for name in _F)
    nums = ",\n".join(
        f"CASE WHEN T_{n} IN {_NUMBER} THEN CAST(F_{n} AS DOUBLE) END AS N_{n}"
        for n in ("QUANTITY", "UNIT_PRICE", "TOTAL_AMOUNT", "QUANTITY_CHANGE")
    )

    def ts(name: str) -> str:
        return (
            f"CASE WHEN regexp_full_match(S_{name}, '{_RFC3339}') THEN CAST(TRY_CAST(replace(upper(S_{name}), 'Z', "
            f"'+00:00') AS TIMESTAMPTZ_NS) AT TIME ZONE 'UTC' AS TIMESTAMP_NS) END"
        )

    o = "IS_ORDER_OBJECT AND"
    a = "IS_ADJ_OBJECT AND"
    categories = "('Rouge', 'Blanc', 'Rosé', 'Champagne', 'Effervescent', 'Liquoreux', 'Spiritueux')"
    return f"""
WITH NEW AS (
    SELECT RAW_ID, RAW_MESSAGE, INGESTION_TIMESTAMP, SOURCE_PARTITION, SOURCE_OFFSET, rowid AS POS,
        CASE WHEN json_valid(RAW_MESSAGE) AND CAVES_JSON_DUPLICATE_KEY(RAW_MESSAGE) IS NULL
            THEN CAST(RAW_MESSAGE AS JSON) END AS D
    FROM RAW WHERE rowid > (SELECT ROUTED_UP_TO FROM WATERMARK)
), EXTRACTED AS (
    SELECT *, json_type(D) AS T_DOC, D -> {_PATHS!r} AS X FROM NEW
), FIELDS AS (
    SELECT *, {cols} FROM EXTRACTED
), TYPED AS (
    SELECT *, {types} FROM FIELDS
), TEXTS AS (
    SELECT *, {texts}, {nums} FROM TYPED
), PARSED AS (
    SELECT *, {ts("EVENT_TIMESTAMP")} AS EVENT_TIMESTAMP_UTC, {ts("ORDER_DATE")} AS ORDER_DATE_UTC,
        coalesce(S_EVENT_TYPE = 'order' AND T_PAYLOAD = 'OBJECT', false) AS IS_ORDER_OBJECT,
        coalesce(S_EVENT_TYPE = 'inventory_adjustment' AND T_PAYLOAD = 'OBJECT', false) AS IS_ADJ_OBJECT,
        coalesce(T_DOC = 'OBJECT' AND S_EVENT_TYPE = 'inventory_adjustment', false) AS IS_ADJ
    FROM TEXTS
), CHECKED AS (
    SELECT *, CASE
        WHEN D IS NULL AND RAW_MESSAGE = '' THEN 'empty message'
        WHEN D IS NULL AND json_valid(RAW_MESSAGE) THEN 'not valid JSON (duplicate key)'
        WHEN D IS NULL THEN 'not valid JSON'
        WHEN T_DOC <> 'OBJECT' THEN 'not a JSON object'
        WHEN F_EVENT_ID IS NULL THEN 'missing field event_id'
        WHEN NOT IS_ADJ AND F_EVENT_TYPE IS NULL THEN 'missing field event_type'
        WHEN F_EVENT_TIMESTAMP IS NULL THEN 'missing field event_timestamp'
        WHEN F_PAYLOAD IS NULL THEN 'missing field payload'
        WHEN {o} F_ORDER_ID IS NULL THEN 'missing field payload.order_id'
        WHEN {o} F_CUSTOMER_ID IS NULL THEN 'missing field payload.customer_id'
        WHEN {a} F_ADJUSTMENT_ID IS NULL THEN 'missing field payload.adjustment_id'
        WHEN (IS_ORDER_OBJECT OR IS_ADJ_OBJECT) AND F_PRODUCT_ID IS NULL THEN 'missing field payload.product_id'
        WHEN (IS_ORDER_OBJECT OR IS_ADJ_OBJECT) AND F_PRODUCT_NAME IS NULL THEN 'missing field payload.product_name'
        WHEN (IS_ORDER_OBJECT OR IS_ADJ_OBJECT) AND F_PRODUCT_CATEGORY IS NULL
            THEN 'missing field payload.product_category'
        WHEN {o} F_QUANTITY IS NULL THEN 'missing field payload.quantity'
        WHEN {o} F_UNIT_PRICE IS NULL THEN 'missing field payload.unit_price'
        WHEN {o} F_TOTAL_AMOUNT IS NULL THEN 'missing field payload.total_amount'
        WHEN {o} F_PAYMENT_METHOD IS NULL THEN 'missing field payload.payment_method'
        WHEN {o} F_ORDER_STATUS IS NULL THEN 'missing field payload.order_status'
        WHEN {o} F_ORDER_DATE IS NULL THEN 'missing field payload.order_date'
        WHEN {a} F_WAREHOUSE_LOCATION IS NULL THEN 'missing field payload.warehouse_location'
        WHEN {a} F_ADJUSTMENT_TYPE IS NULL THEN 'missing field payload.adjustment_type'
        WHEN {a} F_QUANTITY_CHANGE IS NULL THEN 'missing field payload.quantity_change'
        WHEN T_EVENT_ID <> 'VARCHAR' THEN 'event_id must be a string'
        WHEN S_EVENT_TIMESTAMP IS NULL THEN 'event_timestamp must be a string'
        WHEN F_SOURCE IS NOT NULL AND T_SOURCE <> 'VARCHAR' THEN 'source must be a string'
        WHEN T_PAYLOAD IS DISTINCT FROM 'OBJECT' THEN 'payload must be an object'
        WHEN NOT IS_ADJ AND coalesce(S_EVENT_TYPE, '') <> 'order' THEN 'unknown event_type'
        WHEN S_EVENT_ID = '' THEN 'event_id must not be empty'
        WHEN EVENT_TIMESTAMP_UTC IS NULL THEN 'event_timestamp is not an ISO-8601 date-time'
        -- orders, depth 2
        WHEN {o} T_ORDER_ID <> 'VARCHAR' THEN 'payload.order_id must be a string'
        WHEN {o} T_CUSTOMER_ID <> 'VARCHAR' THEN 'payload.customer_id must be a string'
        WHEN {o} T_PRODUCT_ID <> 'VARCHAR' THEN 'payload.product_id must be a string'
        WHEN {o} T_PRODUCT_NAME <> 'VARCHAR' THEN 'payload.product_name must be a string'
        WHEN {o} T_QUANTITY NOT IN {_NUMBER} THEN 'payload.quantity must be an integer'
        WHEN {o} N_QUANTITY <> floor(N_QUANTITY) THEN 'payload.quantity must be an integer'
        WHEN {o} T_UNIT_PRICE NOT IN {_NUMBER} THEN 'payload.unit_price must be a number'
        WHEN {o} T_TOTAL_AMOUNT NOT IN {_NUMBER} THEN 'payload.total_amount must be a number'
        WHEN {o} S_ORDER_DATE IS NULL THEN 'payload.order_date must be a string'
        WHEN {o} F_SHIPPING_COUNTRY IS NOT NULL AND T_SHIPPING_COUNTRY <> 'VARCHAR'
            THEN 'payload.shipping_country must be a string'
        WHEN {o} NOT coalesce(S_PRODUCT_CATEGORY IN {categories}, false) THEN 'unknown payload.product_category'
        WHEN {o} F_CURRENCY IS NOT NULL AND S_CURRENCY IS DISTINCT FROM 'EUR' THEN 'payload.currency must be ''EUR'''
        WHEN {o} NOT coalesce(S_PAYMENT_METHOD IN ('card', 'paypal', 'bank_transfer', 'apple_pay'), false)
            THEN 'unknown payload.payment_method'
        WHEN {o} NOT coalesce(S_ORDER_STATUS IN ('pending', 'confirmed', 'shipped', 'delivered', 'cancelled'), false)
            THEN 'unknown payload.order_status'
        WHEN {o} S_ORDER_ID = '' THEN 'payload.order_id must not be empty'
        WHEN {o} S_CUSTOMER_ID = '' THEN 'payload.customer_id must not be empty'
        WHEN {o} S_PRODUCT_ID = '' THEN 'payload.product_id must not be empty'
        WHEN {o} S_PRODUCT_NAME = '' THEN 'payload.product_name must not be empty'
        WHEN {o} ORDER_DATE_UTC IS NULL THEN 'payload.order_date is not an ISO-8601 date-time'
        WHEN {o} length(S_SHIPPING_COUNTRY) < 2 THEN 'payload.shipping_country must have at least 2 characters'
        WHEN {o} N_QUANTITY < 1 THEN 'payload.quantity must be >= 1'
        WHEN {o} N_UNIT_PRICE <= 0 THEN 'payload.unit_price must be > 0'
        WHEN {o} N_TOTAL_AMOUNT < 0 THEN 'payload.total_amount must be >= 0'
        WHEN {o} length(S_SHIPPING_COUNTRY) > 2 THEN 'payload.shipping_country must have at most 2 characters'
        WHEN {o} CASE WHEN N_TOTAL_AMOUNT > 1e20 OR N_QUANTITY * N_UNIT_PRICE > 1e20
                THEN N_TOTAL_AMOUNT > N_QUANTITY * N_UNIT_PRICE + 0.01
            ELSE CAST(CAST(F_TOTAL_AMOUNT AS VARCHAR) AS DECIMAL(38, 12)) > CAST(CAST(F_QUANTITY AS VARCHAR) AS
                DECIMAL(38, 0)) * CAST(CAST(F_UNIT_PRICE AS VARCHAR) AS DECIMAL(38, 12)) + 0.01 END
            THEN 'payload.total_amount is higher than quantity * unit_price'
        WHEN {o} N_QUANTITY >= 1e18 THEN 'payload.quantity is out of range'
        WHEN {o} N_UNIT_PRICE >= 1e16 THEN 'payload.unit_price is out of range'
        WHEN {o} N_TOTAL_AMOUNT >= 1e16 THEN 'payload.total_amount is out of range'
        -- adjustments, depth 2
        WHEN {a} T_PRODUCT_ID <> 'VARCHAR' THEN 'payload.product_id must be a string'
        WHEN {a} T_PRODUCT_NAME <> 'VARCHAR' THEN 'payload.product_name must be a string'
        WHEN {a} T_ADJUSTMENT_ID <> 'VARCHAR' THEN 'payload.adjustment_id must be a string'
        WHEN {a} T_WAREHOUSE_LOCATION <> 'VARCHAR' THEN 'payload.warehouse_location must be a string'
        WHEN {a} T_QUANTITY_CHANGE NOT IN {_NUMBER} THEN 'payload.quantity_change must be an integer'
        WHEN {a} N_QUANTITY_CHANGE <> floor(N_QUANTITY_CHANGE) THEN 'payload.quantity_change must be an integer'
        WHEN {a} F_REASON IS NOT NULL AND T_REASON <> 'VARCHAR' THEN 'payload.reason must be a string'
        WHEN {a} NOT coalesce(S_PRODUCT_CATEGORY IN {categories}, false) THEN 'unknown payload.product_category'
        WHEN {a} NOT coalesce(S_ADJUSTMENT_TYPE IN ('restock', 'sale', 'return', 'breakage', 'correction'), false)
            THEN 'unknown payload.adjustment_type'
        WHEN {a} S_PRODUCT_ID = '' THEN 'payload.product_id must not be empty'
        WHEN {a} S_PRODUCT_NAME = '' THEN 'payload.product_name must not be empty'
        WHEN {a} S_ADJUSTMENT_ID = '' THEN 'payload.adjustment_id must not be empty'
        WHEN {a} S_WAREHOUSE_LOCATION = '' THEN 'payload.warehouse_location must not be empty'
        WHEN {a} N_QUANTITY_CHANGE = 0 THEN 'payload.quantity_change must not be 0'
        WHEN {a} S_ADJUSTMENT_TYPE IN ('restock', 'return') AND N_QUANTITY_CHANGE < 0
            THEN 'payload.quantity_change must be > 0 for a ' || S_ADJUSTMENT_TYPE
        WHEN {a} S_ADJUSTMENT_TYPE IN ('sale', 'breakage') AND N_QUANTITY_CHANGE > 0
            THEN 'payload.quantity_change must be < 0 for a ' || S_ADJUSTMENT_TYPE
        WHEN {a} abs(N_QUANTITY_CHANGE) >= 1e18 THEN 'payload.quantity_change is out of range'
    END AS INVALID_RULE
    FROM PARSED
), NARROW AS (
    -- only what the targets need: the typed values, the reason's inputs (the wide JSON columns stay behind)
    SELECT RAW_ID, INGESTION_TIMESTAMP, SOURCE_PARTITION, SOURCE_OFFSET, POS, IS_ADJ, INVALID_RULE,
    coalesce(CAST(F_EVENT_TYPE ->> '$' AS VARCHAR), S_EVENT_TYPE) AS RAW_EVENT_TYPE,
    {", ".join(f"S_{n}" for n in _F if n != "PAYLOAD")}, N_QUANTITY, N_QUANTITY_CHANGE,
    CAST(F_UNIT_PRICE AS VARCHAR) AS UNIT_PRICE_TEXT, CAST(F_TOTAL_AMOUNT AS VARCHAR) AS TOTAL_AMOUNT_TEXT,
    EVENT_TIMESTAMP_UTC, ORDER_DATE_UTC,
    CASE WHEN INVALID_RULE LIKE 'unknown %' THEN CAST(CASE INVALID_RULE
        WHEN 'unknown event_type' THEN F_EVENT_TYPE
        WHEN 'unknown payload.product_category' THEN F_PRODUCT_CATEGORY
        WHEN 'unknown payload.payment_method' THEN F_PAYMENT_METHOD
        WHEN 'unknown payload.order_status' THEN F_ORDER_STATUS
        WHEN 'unknown payload.adjustment_type' THEN F_ADJUSTMENT_TYPE
    END AS VARCHAR) END AS SHOWN
    FROM CHECKED
), RANKED AS (
    SELECT *,
        CASE INVALID_RULE
            WHEN 'unknown event_type' THEN S_EVENT_TYPE
            WHEN 'unknown payload.product_category' THEN S_PRODUCT_CATEGORY
            WHEN 'unknown payload.payment_method' THEN S_PAYMENT_METHOD
            WHEN 'unknown payload.order_status' THEN S_ORDER_STATUS
            WHEN 'unknown payload.adjustment_type' THEN S_ADJUSTMENT_TYPE
        END AS SHOWN_STRING,
        row_number() OVER (
            PARTITION BY IS_ADJ, S_EVENT_ID, INVALID_RULE IS NULL
            ORDER BY INGESTION_TIMESTAMP, SOURCE_PARTITION, SOURCE_OFFSET, RAW_ID
        ) AS DELIVERY_RANK
    FROM NARROW
)
SELECT K.*,
    coalesce(
        CASE WHEN K.INVALID_RULE LIKE 'unknown %' THEN K.INVALID_RULE || ' ' || coalesce(
            '''' || CASE WHEN length(K.SHOWN_STRING) > 40 THEN left(K.SHOWN_STRING, 39) || '…' ELSE K.SHOWN_STRING END
                || '''',
            CASE WHEN length(K.SHOWN) > 40 THEN left(K.SHOWN, 39) || '…' ELSE K.SHOWN END, 'null')
        ELSE K.INVALID_RULE END,
        CASE WHEN K.DELIVERY_RANK > 1 OR S.EVENT_ID IS NOT NULL THEN 'duplicate event_id' END
    ) AS REJECT_REASON
FROM RANKED AS K
LEFT JOIN (
    SELECT DISTINCT EVENT_ID, ROUTED_TO FROM LEDGER WHERE ROUTED_TO <> 'REJECTED_EVENTS'
) AS S ON S.EVENT_ID = K.S_EVENT_ID
    AND S.ROUTED_TO = CASE WHEN K.IS_ADJ THEN 'STG_INVENTORY_ADJUSTMENTS' ELSE 'STG_ORDERS' END
"""


_TRANSFORM = [
    f"CREATE OR REPLACE TEMP TABLE DECIDED AS {_decided_sql()}",
    """INSERT INTO LEDGER SELECT RAW_ID, S_EVENT_ID,
        RAW_EVENT_TYPE,
        CASE WHEN REJECT_REASON IS NOT NULL THEN 'REJECTED_EVENTS' WHEN IS_ADJ THEN 'STG_INVENTORY_ADJUSTMENTS'
            ELSE 'STG_ORDERS' END, REJECT_REASON, INGESTION_TIMESTAMP FROM DECIDED""",
    """INSERT INTO STG_ORDERS SELECT S_EVENT_ID, S_ORDER_ID, S_CUSTOMER_ID, S_PRODUCT_ID, S_PRODUCT_NAME,
        S_PRODUCT_CATEGORY, CAST(N_QUANTITY AS BIGINT), CAST(UNIT_PRICE_TEXT AS DECIMAL(18, 2)),
        CAST(TOTAL_AMOUNT_TEXT AS DECIMAL(18, 2)), coalesce(S_CURRENCY, 'EUR'), S_PAYMENT_METHOD,
        S_ORDER_STATUS, ORDER_DATE_UTC, S_SHIPPING_COUNTRY, EVENT_TIMESTAMP_UTC, S_SOURCE, INGESTION_TIMESTAMP, RAW_ID
        FROM DECIDED WHERE REJECT_REASON IS NULL AND NOT IS_ADJ""",
    """INSERT INTO STG_INVENTORY_ADJUSTMENTS SELECT S_EVENT_ID, S_ADJUSTMENT_ID, S_PRODUCT_ID, S_PRODUCT_NAME,
        S_PRODUCT_CATEGORY, S_WAREHOUSE_LOCATION, S_ADJUSTMENT_TYPE, CAST(N_QUANTITY_CHANGE AS BIGINT), S_REASON,
        EVENT_TIMESTAMP_UTC, S_SOURCE, INGESTION_TIMESTAMP, RAW_ID
        FROM DECIDED WHERE REJECT_REASON IS NULL AND IS_ADJ""",
    # the message text is read back from RAW for the rejected rows only (the decided rows do not carry it)
    """INSERT INTO REJECTED_EVENTS SELECT R.RAW_MESSAGE, D.S_EVENT_ID, D.RAW_EVENT_TYPE, D.REJECT_REASON,
        D.INGESTION_TIMESTAMP, D.RAW_ID
        FROM DECIDED AS D JOIN RAW AS R ON R.rowid = D.POS WHERE D.REJECT_REASON IS NOT NULL""",
    "UPDATE WATERMARK SET ROUTED_UP_TO = (SELECT coalesce(max(POS), ROUTED_UP_TO) FROM DECIDED)",
    """INSERT INTO ORDERS SELECT ORDER_ID, CUSTOMER_ID, PRODUCT_ID, PRODUCT_NAME, PRODUCT_CATEGORY, QUANTITY,
        UNIT_PRICE, TOTAL_AMOUNT, PAYMENT_METHOD, ORDER_STATUS, ORDER_DATE, SHIPPING_COUNTRY, EVENT_ID,
        EVENT_TIMESTAMP, INGESTION_TIMESTAMP
        FROM DECIDED_ORDERS
        ON CONFLICT (ORDER_ID) DO UPDATE SET CUSTOMER_ID = EXCLUDED.CUSTOMER_ID, PRODUCT_ID = EXCLUDED.PRODUCT_ID,
            PRODUCT_NAME = EXCLUDED.PRODUCT_NAME, PRODUCT_CATEGORY = EXCLUDED.PRODUCT_CATEGORY,
            QUANTITY = EXCLUDED.QUANTITY, UNIT_PRICE = EXCLUDED.UNIT_PRICE, TOTAL_AMOUNT = EXCLUDED.TOTAL_AMOUNT,
            PAYMENT_METHOD = EXCLUDED.PAYMENT_METHOD, ORDER_STATUS = EXCLUDED.ORDER_STATUS,
            ORDER_DATE = EXCLUDED.ORDER_DATE, SHIPPING_COUNTRY = EXCLUDED.SHIPPING_COUNTRY,
            LAST_EVENT_ID = EXCLUDED.LAST_EVENT_ID, LAST_EVENT_TIMESTAMP = EXCLUDED.LAST_EVENT_TIMESTAMP,
            INGESTION_TIMESTAMP = EXCLUDED.INGESTION_TIMESTAMP
        WHERE EXCLUDED.LAST_EVENT_TIMESTAMP > ORDERS.LAST_EVENT_TIMESTAMP
            OR (EXCLUDED.LAST_EVENT_TIMESTAMP = ORDERS.LAST_EVENT_TIMESTAMP
                AND EXCLUDED.LAST_EVENT_ID > ORDERS.LAST_EVENT_ID)""",
    """INSERT INTO INVENTORY_HISTORY SELECT S.ADJUSTMENT_ID, S.EVENT_ID, S.PRODUCT_ID, S.PRODUCT_NAME,
        S.PRODUCT_CATEGORY, S.WAREHOUSE_LOCATION, S.ADJUSTMENT_TYPE, S.QUANTITY_CHANGE, S.REASON, S.EVENT_TIMESTAMP,
        S.INGESTION_TIMESTAMP
        FROM STG_INVENTORY_ADJUSTMENTS AS S ANTI JOIN INVENTORY_HISTORY AS H ON H.ADJUSTMENT_ID = S.ADJUSTMENT_ID
        WHERE S.RAW_ID IN (SELECT RAW_ID FROM DECIDED WHERE IS_ADJ AND REJECT_REASON IS NULL)
        QUALIFY row_number() OVER (
            PARTITION BY S.ADJUSTMENT_ID ORDER BY S.EVENT_TIMESTAMP, S.INGESTION_TIMESTAMP, S.EVENT_ID) = 1""",
    """INSERT OR REPLACE INTO INVENTORY_CURRENT
        SELECT PRODUCT_ID, arg_max(PRODUCT_NAME, (EVENT_TIMESTAMP, ADJUSTMENT_ID)),
            arg_max(PRODUCT_CATEGORY, (EVENT_TIMESTAMP, ADJUSTMENT_ID)),
            arg_max(WAREHOUSE_LOCATION, (EVENT_TIMESTAMP, ADJUSTMENT_ID)),
            sum(QUANTITY_CHANGE), count(*), max(EVENT_TIMESTAMP)
        FROM INVENTORY_HISTORY
        WHERE PRODUCT_ID IN (SELECT S_PRODUCT_ID FROM DECIDED WHERE IS_ADJ AND REJECT_REASON IS NULL)
        GROUP BY PRODUCT_ID""",
]

# The latest staged event of each order in this batch (an ON CONFLICT source must hold one row per key).
_DECIDED_ORDERS = """CREATE OR REPLACE TEMP VIEW DECIDED_ORDERS AS
    SELECT * FROM STG_ORDERS WHERE RAW_ID IN (SELECT RAW_ID FROM DECIDED WHERE NOT IS_ADJ AND REJECT_REASON IS NULL)
    QUALIFY row_number() OVER (PARTITION BY ORDER_ID ORDER BY EVENT_TIMESTAMP DESC, EVENT_ID DESC) = 1"""


def _arrow_batches(batches: Iterable[list], full: bool) -> Iterable[Any]:
    import pyarrow as pa

    for batch in batches:
        columns = {"RAW_MESSAGE": pa.array([m.text for m in batch], pa.string())}
        if full:
            columns |= {
                "SOURCE_TOPIC": pa.array([m.topic for m in batch], pa.string()),
                "SOURCE_PARTITION": pa.array([m.partition for m in batch], pa.int64()),
                "SOURCE_OFFSET": pa.array([m.offset for m in batch], pa.int64()),
            }
        yield pa.table(columns)


def land_floor(db: str, batches: Iterable[list]) -> dict[str, float]:
    """The message texts into a DuckDB file in Arrow batches: no parsing, no other column."""
    import duckdb

    con = duckdb.connect(db)
    con.execute("SET enable_progress_bar = false")
    con.execute("CREATE TABLE RAW (RAW_MESSAGE VARCHAR NOT NULL)")
    start = time.perf_counter()
    count = 0
    for arrow in _arrow_batches(batches, full=False):
        con.register("BATCH", arrow)
        con.execute("INSERT INTO RAW SELECT RAW_MESSAGE FROM BATCH")
        con.unregister("BATCH")
        count += arrow.num_rows
    landed = time.perf_counter()
    con.close()
    return {"ingest_s": landed - start, "total_s": landed - start, "messages": count}


def set_based_pipeline(db: str, batches: Iterable[list]) -> dict[str, float]:
    """Land the texts (and their Kafka coordinates), then RAW -> PRODUCTION set-based, in one transaction."""
    import duckdb

    from .local import jsonfuncs

    con = duckdb.connect(db)
    jsonfuncs.register(con)
    # the engine's own memory budget (CAVES_MEMORY_LIMIT, caves/local/engine.py), so that peak RSS compares too
    con.execute("SET memory_limit = ?", [os.environ.get("CAVES_MEMORY_LIMIT", "1GB")])
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")
    con.execute(_TABLES)
    start = time.perf_counter()
    for arrow in _arrow_batches(batches, full=True):
        con.register("BATCH", arrow)
        con.execute(
            "INSERT INTO RAW (RAW_MESSAGE, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET, INGESTION_TIMESTAMP) "
            "SELECT *, CAST(now() AS TIMESTAMP_NS) FROM BATCH"
        )
        con.unregister("BATCH")
    landed = time.perf_counter()
    con.execute("BEGIN TRANSACTION")
    con.execute(_TRANSFORM[0])
    con.execute(_DECIDED_ORDERS)
    for sql in _TRANSFORM[1:]:
        con.execute(sql)
    con.execute("COMMIT")
    done = time.perf_counter()
    orders = con.execute("SELECT count(*) FROM ORDERS").fetchone()[0]
    con.close()
    return {
        "ingest_s": landed - start,
        "transform_s": done - landed,
        "total_s": done - start,
        "orders": orders,
    }


# The PRODUCTION columns the two implementations must agree on (write times and ingestion times differ by run).
COMPARED = {
    "ORDERS": "ORDER_ID, CUSTOMER_ID, PRODUCT_ID, PRODUCT_NAME, PRODUCT_CATEGORY, QUANTITY, UNIT_PRICE, TOTAL_AMOUNT, "
    "PAYMENT_METHOD, ORDER_STATUS, ORDER_DATE, SHIPPING_COUNTRY, LAST_EVENT_ID, LAST_EVENT_TIMESTAMP",
    "INVENTORY_HISTORY": "ADJUSTMENT_ID, EVENT_ID, PRODUCT_ID, PRODUCT_NAME, PRODUCT_CATEGORY, WAREHOUSE_LOCATION, "
    "ADJUSTMENT_TYPE, QUANTITY_CHANGE, REASON, EVENT_TIMESTAMP",
    "INVENTORY_CURRENT": "PRODUCT_ID, PRODUCT_NAME, PRODUCT_CATEGORY, WAREHOUSE_LOCATION, CURRENT_STOCK_LEVEL, "
    "ADJUSTMENT_COUNT, LAST_ADJUSTMENT_AT",
}


def compare_production(engine_db: str, baseline_db: str) -> dict[str, int]:
    """Row-for-row comparison of the engine's PRODUCTION tables with the baseline's; raises on any difference."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"ATTACH '{engine_db}' AS E (READ_ONLY)")  # paths of the bench's own temporary files
    con.execute(f"ATTACH '{baseline_db}' AS B (READ_ONLY)")
    counts = {}
    for table, cols in COMPARED.items():
        engine_rows = f'SELECT {cols} FROM E."CAVES_ALBERT_DB.PRODUCTION"."{table}"'
        base_rows = f"SELECT {cols} FROM B.main.{table}"
        missing = con.execute(f"SELECT count(*) FROM ({engine_rows} EXCEPT ALL {base_rows})").fetchone()[0]
        extra = con.execute(f"SELECT count(*) FROM ({base_rows} EXCEPT ALL {engine_rows})").fetchone()[0]
        if missing or extra:
            raise RuntimeError(f"{table}: engine and set-based baseline differ ({missing} vs {extra} rows)")
        counts[table] = con.execute(f"SELECT count(*) FROM ({engine_rows})").fetchone()[0]
    con.close()
    return counts
