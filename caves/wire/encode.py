"""Results on the wire: Snowflake's ``rowtype`` metadata, Arrow IPC (base64) for result sets, a JSON rowset for DML.

The encodings are the ones snowflake-connector-python decodes (its nanoarrow iterator, ``CArrowChunkIterator`` and
``CArrowTableIterator``, read each field's ``logicalType``/``scale``/``byteLength`` metadata):

- FIXED: scaled integers in an ``int64`` (the value times 10^scale, as Snowflake sends NUMBER whatever its declared
  precision), or ``decimal128(38, s)`` when a value does not fit an ``int64``;
- TIMESTAMP_NTZ / TIMESTAMP_LTZ at scale 9: a struct ``{epoch: int64 seconds, fraction: int32 nanoseconds}``;
- TIMESTAMP_TZ at scale 9: ``byteLength`` 16 and a struct ``{epoch, fraction, timezone}``, ``timezone`` being the
  offset in minutes plus 1440;
- DATE: ``date32`` (days); TIME: ``int64`` of 10^-scale seconds; BOOLEAN, REAL, TEXT, BINARY: the Arrow type;
- VARIANT, ARRAY, OBJECT: their JSON text.

The engine's :class:`caves.local.Result` carries DuckDB type names (``Result.types``); where it has none (SHOW,
DESCRIBE, status messages) the Snowflake type is inferred from the values.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

# Snowflake's largest VARCHAR / BINARY: what it reports for a column declared without a length.
TEXT_LENGTH = 16_777_216
BINARY_LENGTH = 8_388_608
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
EPOCH = dt.datetime(1970, 1, 1)
EPOCH_DATE = dt.date(1970, 1, 1)

_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")
_INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
_INTEGERS |= {"UHUGEINT", "INT1", "INT2", "INT4", "INT8"}
_FLOATS = {"FLOAT", "DOUBLE", "REAL"}
_NTZ = {"TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S", "TIMESTAMP_US"}
_TZ = {"TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ", "TIMESTAMPTZ_NS", "TIMESTAMP_TZ"}


@dataclass(frozen=True)
class ColumnType:
    """A column's Snowflake type as ``rowtype`` reports it."""

    type: str  # fixed, real, text, boolean, date, time, timestamp_ntz, timestamp_tz, binary, variant, array, object
    precision: int | None = None
    scale: int | None = None
    length: int | None = None
    byte_length: int | None = None

    def rowtype(self, name: str) -> dict[str, Any]:
        """The ``rowtype`` entry of a column (ResultMetadataV2.from_column reads it)."""
        return {
            "name": name,
            "database": "",
            "schema": "",
            "table": "",
            "nullable": True,
            "type": self.type,
            "byteLength": self.byte_length,
            "length": self.length,
            "scale": self.scale,
            "precision": self.precision,
            "collation": None,
        }


FIXED = ColumnType("fixed", precision=38, scale=0)
TEXT = ColumnType("text", length=TEXT_LENGTH, byte_length=TEXT_LENGTH)
REAL = ColumnType("real")
BOOLEAN = ColumnType("boolean")
DATE = ColumnType("date")
TIME = ColumnType("time", precision=0, scale=9)
NTZ = ColumnType("timestamp_ntz", precision=0, scale=9)
TZ = ColumnType("timestamp_tz", precision=0, scale=9, byte_length=16)
BINARY = ColumnType("binary", length=BINARY_LENGTH, byte_length=BINARY_LENGTH)
VARIANT = ColumnType("variant", length=TEXT_LENGTH, byte_length=TEXT_LENGTH)
ARRAY = ColumnType("array", length=TEXT_LENGTH, byte_length=TEXT_LENGTH)
OBJECT = ColumnType("object", length=TEXT_LENGTH, byte_length=TEXT_LENGTH)


def from_duckdb(type_name: str) -> ColumnType:
    """The Snowflake type of a DuckDB result column type (the engine's ``Result.types``)."""
    name = type_name.strip().upper()
    if match := _DECIMAL.fullmatch(name):
        return ColumnType("fixed", precision=int(match[1]), scale=int(match[2]))
    if name.endswith("]"):
        return ARRAY
    if name.startswith(("STRUCT", "MAP", "UNION")):
        return OBJECT
    simple = {"BOOLEAN": BOOLEAN, "DATE": DATE, "TIME": TIME, "BLOB": BINARY, "JSON": VARIANT, "VARCHAR": TEXT}
    if name in simple:
        return simple[name]
    if name in _INTEGERS:
        return FIXED
    if name in _FLOATS:
        return REAL
    if name in _NTZ:
        return NTZ
    if name in _TZ:
        return TZ
    return TEXT  # '"NULL"', UUID, INTERVAL, BIT...: their text


def infer(values: Sequence[Any]) -> ColumnType:
    """The Snowflake type of a column known only by its values (SHOW, DESCRIBE, status rows)."""
    sample = next((v for v in values if v is not None), None)
    if isinstance(sample, bool):
        return BOOLEAN
    if isinstance(sample, int):
        return FIXED
    if isinstance(sample, float):
        return REAL
    if isinstance(sample, decimal.Decimal):
        scale = max((-v.as_tuple().exponent for v in values if isinstance(v, decimal.Decimal)), default=0)
        return ColumnType("fixed", precision=38, scale=max(0, int(scale)))
    if isinstance(sample, dt.datetime):
        return TZ if sample.tzinfo is not None else NTZ
    if isinstance(sample, dt.date):
        return DATE
    if isinstance(sample, dt.time):
        return TIME
    if isinstance(sample, bytes | bytearray):
        return BINARY
    if isinstance(sample, list | tuple):
        return ARRAY
    if isinstance(sample, dict):
        return OBJECT
    return TEXT


def column_types(columns: Sequence[str], rows: Sequence[Sequence[Any]], types: Sequence[str]) -> list[ColumnType]:
    """Each column's Snowflake type: from the DuckDB type names when the result has them, else inferred."""
    if len(types) == len(columns):
        return [from_duckdb(t) for t in types]
    return [infer([row[i] for row in rows]) for i in range(len(columns))]


# --- Arrow -----------------------------------------------------------------------------------------------------


def _json_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, default=str, ensure_ascii=False)


def _scaled(value: Any, scale: int) -> int:
    return int(decimal.Decimal(value).scaleb(scale).to_integral_value(rounding=decimal.ROUND_HALF_UP))


def _fixed_array(values: list[Any], col: ColumnType) -> pa.Array:
    scale = col.scale or 0
    if scale == 0 and all(v is None or (type(v) is int and INT64_MIN <= v <= INT64_MAX) for v in values):
        return pa.array(values, type=pa.int64())  # the common case, without a Decimal per value
    scaled = [None if v is None else _scaled(v, scale) for v in values]
    if all(v is None or INT64_MIN <= v <= INT64_MAX for v in scaled):
        return pa.array(scaled, type=pa.int64())
    exact = [None if v is None else decimal.Decimal(v).scaleb(-scale) for v in scaled]
    return pa.array(exact, type=pa.decimal128(38, scale))


def _utc_naive(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def _epoch_parts(value: dt.datetime) -> tuple[int, int]:
    """Whole seconds since the epoch (floored) and the nanoseconds after them, exactly (no float)."""
    delta = _utc_naive(value) - EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    seconds, rest = divmod(micros, 1_000_000)
    nanos = rest * 1000 + int(getattr(value, "nanosecond", 0))  # a pandas Timestamp keeps its nanoseconds
    return seconds, nanos


def _epoch_arrays(values: list[Any]) -> tuple[pa.Array, pa.Array]:
    """Seconds since the epoch (floored) and the nanoseconds after them, for every value (0 for a NULL)."""
    try:  # vectorised: nanoseconds since the epoch in one int64 array (pandas Timestamps keep theirs)
        naive = [None if v is None else _utc_naive(v) for v in values]
        nanos = pa.array(naive, type=pa.timestamp("ns")).cast(pa.int64()).fill_null(0).to_numpy()
    except (pa.ArrowInvalid, OverflowError, ValueError, TypeError):  # beyond 1677-2262: exact Python arithmetic
        parts = [(0, 0) if v is None else _epoch_parts(v) for v in values]
        return pa.array([p[0] for p in parts], type=pa.int64()), pa.array([p[1] for p in parts], type=pa.int32())
    seconds = np.floor_divide(nanos, 1_000_000_000)
    return pa.array(seconds, type=pa.int64()), pa.array(nanos - seconds * 1_000_000_000, type=pa.int32())


def _timestamp_array(values: list[Any], with_zone: bool) -> pa.Array:
    epoch, fraction = _epoch_arrays(values)
    mask = pa.array([v is None for v in values], type=pa.bool_())
    arrays = [epoch, fraction]
    fields = [pa.field("epoch", pa.int64(), nullable=False), pa.field("fraction", pa.int32(), nullable=False)]
    if with_zone:
        offsets = []
        for v in values:
            offset = v.utcoffset() if v is not None and v.tzinfo is not None else None
            offsets.append(1440 + (int(offset.total_seconds()) // 60 if offset else 0))
        arrays.append(pa.array(offsets, type=pa.int32()))
        fields.append(pa.field("timezone", pa.int32(), nullable=False))
    return pa.StructArray.from_arrays(arrays, fields=fields, mask=mask)


def _time_array(values: list[Any]) -> pa.Array:
    def nanos(t: dt.time) -> int:
        return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000_000 + t.microsecond * 1000

    return pa.array([None if v is None else nanos(v) for v in values], type=pa.int64())


def _date_array(values: list[Any]) -> pa.Array:
    days = [None if v is None else ((v.date() if isinstance(v, dt.datetime) else v) - EPOCH_DATE).days for v in values]
    return pa.array(days, type=pa.int32()).cast(pa.date32())


def _array(values: list[Any], col: ColumnType) -> pa.Array:
    kind = col.type
    if kind == "fixed":
        return _fixed_array(values, col)
    if kind in ("timestamp_ntz", "timestamp_ltz"):
        return _timestamp_array(values, with_zone=False)
    if kind == "timestamp_tz":
        return _timestamp_array(values, with_zone=True)
    if kind == "time":
        return _time_array(values)
    if kind == "date":
        return _date_array(values)
    if kind == "boolean":
        return pa.array([None if v is None else bool(v) for v in values], type=pa.bool_())
    if kind == "real":
        return pa.array([None if v is None else float(v) for v in values], type=pa.float64())
    if kind == "binary":
        return pa.array([None if v is None else bytes(v) for v in values], type=pa.binary())
    if kind in ("variant", "array", "object"):
        return pa.array([_json_text(v) for v in values], type=pa.string())
    return pa.array([None if v is None else v if isinstance(v, str) else str(v) for v in values], type=pa.string())


def _field(name: str, array: pa.Array, col: ColumnType) -> pa.Field:
    metadata = {
        "logicalType": col.type.upper(),
        "precision": str(col.precision if col.precision is not None else 38),
        "scale": str(col.scale or 0),
        "charLength": str(col.length or 0),
    }
    if col.byte_length is not None:
        metadata["byteLength"] = str(col.byte_length)
    return pa.field(name, array.type, nullable=True, metadata=metadata)


def arrow_base64(columns: Sequence[str], rows: Sequence[Sequence[Any]], types: Sequence[ColumnType]) -> str:
    """The rows as one Arrow IPC stream, base64-encoded (``rowsetBase64``); empty text for no rows."""
    if not rows:
        return ""  # the connector reads an empty rowsetBase64 as an empty result
    arrays = [_array([row[i] for row in rows], col) for i, col in enumerate(types)]
    schema = pa.schema([_field(name, a, col) for name, a, col in zip(columns, arrays, types, strict=True)])
    batch = pa.RecordBatch.from_arrays(arrays, schema=schema)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, schema) as writer:
        writer.write_batch(batch)
    return base64.b64encode(sink.getvalue().to_pybytes()).decode("ascii")


# --- JSON rowset ------------------------------------------------------------------------------------------------


def _json_cell(value: Any) -> str | None:
    """A JSON rowset cell: Snowflake sends every value as text (the connector converts it by the rowtype)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def json_rowset(rows: Sequence[Sequence[Any]]) -> list[list[str | None]]:
    """Rows as a JSON ``rowset`` (used for DML counts, as Snowflake does, since the connector reads them there)."""
    return [[_json_cell(v) for v in row] for row in rows]
