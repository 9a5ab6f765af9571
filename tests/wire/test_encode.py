"""caves/wire/encode.py and binds.py against the connector's own code: what the server encodes, the connector's
Arrow decoder (``ArrowResultBatch``, its nanoarrow iterator) reads back, and what the connector's converter sends as
binds, the server reads back.

Snowflake's Arrow encodings are the ones the connector's ``CArrowChunkIterator`` / ``CArrowTableIterator`` read
(logicalType, scale and byteLength metadata; TIMESTAMP_TZ's three fields with the offset in minutes + 1440); the
types are those of https://docs.snowflake.com/en/sql-reference/intro-summary-data-types.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pandas as pd
import pytest
from snowflake.connector.arrow_context import ArrowConverterContext
from snowflake.connector.converter import SnowflakeConverter
from snowflake.connector.cursor import ResultMetadataV2
from snowflake.connector.result_batch import ArrowResultBatch

from caves.wire import binds, encode


def decode(columns: list[str], rows: list[tuple], types: list[str]) -> ArrowResultBatch:
    """The rows encoded by the server, as the connector's result batch for them."""
    col_types = encode.column_types(columns, rows, types)
    schema = [ResultMetadataV2.from_column(t.rowtype(c)) for c, t in zip(columns, col_types, strict=True)]
    data = encode.arrow_base64(columns, rows, col_types)
    return ArrowResultBatch.from_data(
        data, len(rows), ArrowConverterContext({"TIMEZONE": "UTC"}), False, False, schema, False
    )


KOLKATA = dt.timezone(dt.timedelta(hours=5, minutes=30))
NEW_YORK = dt.timezone(dt.timedelta(hours=-5))


def test_values_decode_to_what_was_encoded() -> None:
    rows = [
        (
            dt.datetime(2025, 3, 2, 23, 30, 0, 250000, tzinfo=KOLKATA),
            dt.datetime(1969, 12, 31, 23, 59, 59, 999999),  # just before the epoch: epoch -1, fraction 999999000
            10**30,  # beyond an int64: sent as decimal128
            decimal.Decimal("-1.05"),
            dt.time(23, 59, 59, 1),
            dt.date(1900, 3, 1),
            b"\x00\xff",
            {"a": [1, None]},
        ),
        (None,) * 8,
    ]
    columns = ["TZ", "NTZ", "BIG", "D", "T", "DAY", "BIN", "OBJ"]
    types = [
        "TIMESTAMPTZ_NS",
        "TIMESTAMP_NS",
        "HUGEINT",
        "DECIMAL(12,2)",
        "TIME",
        "DATE",
        "BLOB",
        "STRUCT(a INTEGER[])",
    ]
    got = list(decode(columns, rows, types).create_iter())
    assert got[0][:7] == rows[0][:7]
    assert got[0][0].utcoffset() == dt.timedelta(hours=5, minutes=30)  # the offset travels with the value
    assert got[0][7] == '{"a": [1, null]}'  # OBJECT as its JSON text
    assert got[1] == (None,) * 8


def test_nanoseconds_survive_the_wire() -> None:
    """TIMESTAMP_NTZ(9): the struct's fraction holds nanoseconds (pandas reads them; Python datetimes stop at µs)."""
    at = pd.Timestamp("2025-03-02 10:00:00.123456789")
    frame = decode(["AT"], [(at,)], ["TIMESTAMP_NS"]).to_pandas()
    assert frame["AT"].iloc[0] == at


def test_pandas_gets_snowflake_dtypes() -> None:
    frame = decode(
        ["I", "D", "TZ"],
        [(1, decimal.Decimal("2.50"), dt.datetime(2025, 1, 1, 12, tzinfo=NEW_YORK))],
        ["BIGINT", "DECIMAL(10,2)", "TIMESTAMPTZ_NS"],
    ).to_pandas()
    assert pd.api.types.is_integer_dtype(frame["I"])
    assert frame["D"].iloc[0] == 2.5  # a scaled NUMBER becomes float64, as from Snowflake
    assert frame["TZ"].iloc[0] == pd.Timestamp("2025-01-01 17:00", tz="UTC")


def test_types_without_duckdb_names_are_inferred_from_values() -> None:
    """SHOW / DESCRIBE results carry no types: they are read from the values (TIMESTAMP_LTZ shown as TZ)."""
    inferred = encode.column_types(["A", "B", "C", "D"], [(1, "x", dt.datetime(2025, 1, 1, tzinfo=dt.UTC), None)], [])
    assert [t.type for t in inferred] == ["fixed", "text", "timestamp_tz", "text"]


@pytest.mark.parametrize(
    "value",
    [
        42,
        -(2**63),
        decimal.Decimal("12345678901234567890.123"),
        0.1,
        "l'été ; --",
        True,
        b"\x00\x01",
        dt.date(1969, 7, 20),
        dt.time(13, 5, 7, 250),
        dt.datetime(1969, 7, 20, 20, 17, 40, 1),
        dt.datetime(2025, 3, 2, 23, 30, tzinfo=KOLKATA),
        None,
    ],
)
def test_binds_read_back_what_the_connector_sent(value: Any) -> None:
    converter = SnowflakeConverter()
    kind = "TIMESTAMP_TZ" if isinstance(value, dt.datetime) and value.tzinfo else converter.snowflake_type(value)
    sent = converter.to_snowflake_bindings(kind, value) if value is not None else None
    assert binds.decode(kind, sent) == value


def test_array_bindings_become_rows() -> None:
    params, rows = binds.positional(
        {"1": {"type": "FIXED", "value": ["1", "2"]}, "2": {"type": "TEXT", "value": ["a", None]}}
    )
    assert params is None and rows == [[1, "a"], [2, None]]
    with pytest.raises(binds.BindError):
        binds.positional({"name": {"type": "TEXT", "value": "x"}})
