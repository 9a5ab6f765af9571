"""The shop event contract: the JSON Schema and the reference validator.

`validate_message` is the oracle for "is this message a valid event, and if not, why": the pipeline's SQL
validation (RAW -> STAGING / REJECTED_EVENTS) is tested against it. It applies, in this order:

0. the message is not empty (an empty Kafka value, a tombstone, is kept as the empty message): "empty message";
1. strict JSON (RFC 8259, as Snowflake's PARSE_JSON in its default strict mode): no NaN/Infinity, no number
   that overflows a double, no duplicate key in an object. A text that is JSON only once duplicate keys are
   allowed (what Snowflake's ``TRY_PARSE_JSON(text, 'd')`` accepts) is "not valid JSON (duplicate key)";
2. the top level must be an object;
3. the JSON Schema (Draft 2020-12) with `format` asserted: `date-time` is RFC 3339 checked for real
   (`2026-02-30T10:00:00Z` is rejected; any offset is accepted, a leap second `:60` is not);
4. the rules the schema states in prose: `quantity_change` never 0, restock/return > 0, sale/breakage < 0,
   `total_amount` <= `quantity * unit_price + 0.01` (compared as exact decimals of the numbers' text).
"""

import json
import math
import re
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

from jsonschema import Draft202012Validator, FormatChecker, ValidationError

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "contracts" / "events.schema.json"
EXAMPLES_PATH = SCHEMA_PATH.with_name("examples.jsonl")

SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))

_ORDER = SCHEMA["$defs"]["order"]["properties"]
_ADJUSTMENT = SCHEMA["$defs"]["inventory_adjustment"]["properties"]

EVENT_TYPES: tuple[str, ...] = tuple(SCHEMA["properties"]["event_type"]["enum"])
CATEGORIES: tuple[str, ...] = tuple(_ORDER["product_category"]["enum"])
PAYMENT_METHODS: tuple[str, ...] = tuple(_ORDER["payment_method"]["enum"])
ORDER_STATUSES: tuple[str, ...] = tuple(_ORDER["order_status"]["enum"])
ADJUSTMENT_TYPES: tuple[str, ...] = tuple(_ADJUSTMENT["adjustment_type"]["enum"])

# Required fields per event type, in schema order (simulators and tests use them to build broken messages).
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "order": tuple(SCHEMA["$defs"]["order"]["required"]),
    "inventory_adjustment": tuple(SCHEMA["$defs"]["inventory_adjustment"]["required"]),
}

_POSITIVE_ADJUSTMENTS = frozenset({"restock", "return"})
_NEGATIVE_ADJUSTMENTS = frozenset({"sale", "breakage"})
_AMOUNT_TOLERANCE = Decimal("0.01")

# RFC 3339 section 5.6 `date-time`; `T` and `Z` may be lower case. The ranges of month/day/hour/minute/second
# are left to datetime.fromisoformat, which knows the calendar (Feb 30 fails there).
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
    r"(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)


def is_date_time(value: object) -> bool:
    """True when `value` is a string holding a real RFC 3339 date-time (non-strings pass: `type` judges them)."""
    if not isinstance(value, str):
        return True
    if _DATE_TIME.fullmatch(value) is None:
        return False
    try:
        datetime.fromisoformat(value.upper())
    except ValueError:
        return False
    return True


_FORMAT_CHECKER = FormatChecker(formats=())
_FORMAT_CHECKER.checks("date-time")(is_date_time)
_VALIDATOR = Draft202012Validator(SCHEMA, format_checker=_FORMAT_CHECKER)

# When a message breaks several rules, the reason names the most basic one: shallowest field first, then
# missing before wrong type before bad value, then the field's position in the schema.
_RANK = {"required": 0, "type": 1, "enum": 2, "const": 2, "minLength": 3, "format": 3}
_FIELD_POSITION = {name: i for i, name in enumerate(dict.fromkeys([*SCHEMA["properties"], *_ORDER, *_ADJUSTMENT]))}
_TYPE_WORDS = {"object": "an object", "string": "a string", "integer": "an integer", "number": "a number"}


class _DuplicateKeyError(ValueError):
    pass


def _strict_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise _DuplicateKeyError(key)
        seen.add(key)
    return dict(pairs)


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError("number out of range")
    return value


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


# The reasons of the message-level rules; deploy_sql/60_tasks.sql writes the same texts.
EMPTY_MESSAGE = "empty message"
NOT_JSON = "not valid JSON"
DUPLICATE_KEY = "not valid JSON (duplicate key)"


def _loads(text: str) -> tuple[Any, str | None]:
    """Parse strictly; return (value, None) or (None, reason)."""
    if text == "":
        return None, EMPTY_MESSAGE
    try:
        value = json.loads(
            text, object_pairs_hook=_strict_object, parse_float=_finite_float, parse_constant=_reject_constant
        )
    except _DuplicateKeyError:
        # Duplicate keys are found while the text is still being read: it is "JSON with a duplicate key" only
        # if the whole text is JSON once duplicates are allowed (Snowflake's PARSE_JSON parameter 'd').
        try:
            json.loads(text, parse_float=_finite_float, parse_constant=_reject_constant)
        except (ValueError, RecursionError):
            return None, NOT_JSON
        return None, DUPLICATE_KEY
    except (ValueError, RecursionError):
        return None, NOT_JSON
    return value, None


def _show(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if len(text) > 40:
        text = text[:39] + "…"
    return f"'{text}'" if isinstance(value, str) else text


def _dotted(path: list[Any]) -> str:
    return ".".join(str(part) for part in path) or "event"


def _sort_key(error: ValidationError) -> tuple[int, int, int]:
    path = list(error.absolute_path)
    field = _missing_field(error) if error.validator == "required" else (path[-1] if path else "")
    return len(path), _RANK.get(str(error.validator), 9), _FIELD_POSITION.get(str(field), len(_FIELD_POSITION))


def _missing_field(error: ValidationError) -> str:
    return next(name for name in error.validator_value if name not in error.instance)


def _reason(error: ValidationError) -> str:
    path = list(error.absolute_path)
    where = _dotted(path)
    kind, expected = error.validator, error.validator_value
    if kind == "required":
        return f"missing field {_dotted([*path, _missing_field(error)])}"
    if kind == "type":
        return f"{where} must be {_TYPE_WORDS.get(expected, expected)}"
    if kind == "enum":
        return f"unknown {where} {_show(error.instance)}"
    if kind == "const":
        return f"{where} must be {_show(expected)}"
    if kind == "minimum":
        return f"{where} must be >= {expected}"
    if kind == "exclusiveMinimum":
        return f"{where} must be > {expected}"
    if kind == "minLength":
        return f"{where} must not be empty" if expected == 1 else f"{where} must have at least {expected} characters"
    if kind == "maxLength":
        return f"{where} must have at most {expected} characters"
    if kind == "format":
        return f"{where} is not an ISO-8601 date-time"
    return f"{where}: {error.message}"


def _decimal(number: float) -> Decimal:
    # repr gives the shortest text that reads back as the same float: the number as written in the message.
    return Decimal(repr(number))


def _order_rule(payload: dict[str, Any]) -> str | None:
    ceiling = _decimal(payload["quantity"]) * _decimal(payload["unit_price"]) + _AMOUNT_TOLERANCE
    if _decimal(payload["total_amount"]) > ceiling:
        return "payload.total_amount is higher than quantity * unit_price"
    return None


def _adjustment_rule(payload: dict[str, Any]) -> str | None:
    change, kind = payload["quantity_change"], payload["adjustment_type"]
    if change == 0:
        return "payload.quantity_change must not be 0"
    if kind in _POSITIVE_ADJUSTMENTS and change < 0:
        return f"payload.quantity_change must be > 0 for a {kind}"
    if kind in _NEGATIVE_ADJUSTMENTS and change > 0:
        return f"payload.quantity_change must be < 0 for a {kind}"
    return None


def _check(text: str) -> tuple[dict[str, Any] | None, str | None]:
    value, reason = _loads(text)
    if reason is not None:
        return None, reason
    if not isinstance(value, dict):
        return None, "not a JSON object"
    errors = sorted(_VALIDATOR.iter_errors(value), key=_sort_key)
    if errors:
        return None, _reason(errors[0])
    rule = _order_rule if value["event_type"] == "order" else _adjustment_rule
    reason = rule(value["payload"])
    return (None, reason) if reason else (value, None)


def validate_message(text: str) -> str | None:
    """Return None when `text` is one valid event, else a short English reason.

    Reasons look like "empty message", "not valid JSON", "not valid JSON (duplicate key)",
    "missing field payload.quantity", "payload.quantity must be >= 1",
    "event_timestamp is not an ISO-8601 date-time", "unknown event_type 'foo'".
    """
    return _check(text)[1]


def parse_event(text: str) -> dict[str, Any] | None:
    """Return the event as a dict when `text` is a valid event, else None."""
    return _check(text)[0]


@cache
def example_messages() -> tuple[str, ...]:
    """The contract's example events, one message text each (all valid)."""
    lines = EXAMPLES_PATH.read_text(encoding="utf-8").splitlines()
    return tuple(line for line in lines if line.strip())
