"""The event contract (caves.events): the reference validator that the pipeline's SQL validation must agree with."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from caves import events
from caves.events import (
    ADJUSTMENT_TYPES,
    CATEGORIES,
    ORDER_STATUSES,
    PAYMENT_METHODS,
    example_messages,
    is_date_time,
    parse_event,
    validate_message,
)

_DELETE = object()


def _order() -> dict[str, Any]:
    return json.loads(example_messages()[0])


def _adjustment() -> dict[str, Any]:
    return json.loads(example_messages()[2])


def _text(event: dict[str, Any], **changes: Any) -> str:
    """The event as a message, with `changes` applied; a key names a field path, "__" between levels."""
    event = copy.deepcopy(event)
    for dotted, value in changes.items():
        *parents, name = dotted.split("__")
        target = event
        for parent in parents:
            target = target[parent]
        if value is _DELETE:
            del target[name]
        else:
            target[name] = value
    return json.dumps(event, ensure_ascii=False)


def test_schema_is_loaded_from_the_repository_copy():
    """The code reads contracts/events.schema.json inside the repository, not a copy elsewhere."""
    repo = Path(__file__).resolve().parent.parent
    assert events.SCHEMA_PATH.relative_to(repo) == Path("contracts/events.schema.json")
    assert events.EXAMPLES_PATH.is_file()


def test_every_example_is_valid():
    """Every example of the contract is a valid event."""
    assert len(example_messages()) >= 4
    for message in example_messages():
        assert validate_message(message) is None
        assert parse_event(message) == json.loads(message)


def test_constants_are_read_from_the_schema():
    """The enumerations come from the schema, in schema order."""
    order = events.SCHEMA["$defs"]["order"]["properties"]
    assert order["product_category"]["enum"] == list(CATEGORIES)
    assert CATEGORIES == ("Rouge", "Blanc", "Rosé", "Champagne", "Effervescent", "Liquoreux", "Spiritueux")
    assert order["payment_method"]["enum"] == list(PAYMENT_METHODS)
    assert order["order_status"]["enum"] == list(ORDER_STATUSES)
    assert ADJUSTMENT_TYPES == ("restock", "sale", "return", "breakage", "correction")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty message"),
        (" ", "not valid JSON"),
        ("ceci n'est pas du JSON", "not valid JSON"),
        ('{"event_id": "a"', "not valid JSON"),
        ("{'event_id': 'a'}", "not valid JSON"),
        ('{"event_id": NaN}', "not valid JSON"),
        ('{"event_id": Infinity}', "not valid JSON"),
        ('{"x": 1e400}', "not valid JSON"),
        ('{"a": 1, "a": 2}', "not valid JSON (duplicate key)"),
        ('{"payload": {"order_status": "confirmed", "order_status": "cancelled"}}', "not valid JSON (duplicate key)"),
        ('{"a": 1, "a": 2', "not valid JSON"),  # not JSON even with duplicate keys allowed
        ('{"a": 1, "a": 2} x', "not valid JSON"),
        ('{"a": 1, "a": NaN}', "not valid JSON"),
        ("[]", "not a JSON object"),
        ('[{"event_id": "a"}]', "not a JSON object"),
        ("null", "not a JSON object"),
        ('"order"', "not a JSON object"),
        ("42", "not a JSON object"),
    ],
)
def test_text_that_is_not_a_json_object_is_rejected(text, reason):
    """Only strict JSON (no NaN, no overflow, no duplicate key, as Snowflake's PARSE_JSON) holding an object passes.

    https://docs.snowflake.com/en/sql-reference/functions/parse_json: duplicate keys are refused unless the
    parameter 'd' allows them, so a text that is JSON only with 'd' is "not valid JSON (duplicate key)" (the
    pipeline tells it with TRY_PARSE_JSON(RAW_MESSAGE, 'd')); the empty text (an empty Kafka value) is "empty
    message"; whitespace only is not JSON.
    """
    assert validate_message(text) == reason
    assert parse_event(text) is None


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"event_id": _DELETE}, "missing field event_id"),
        ({"event_type": _DELETE}, "missing field event_type"),
        ({"event_timestamp": _DELETE}, "missing field event_timestamp"),
        ({"payload": _DELETE}, "missing field payload"),
        ({"payload__quantity": _DELETE}, "missing field payload.quantity"),
        ({"payload__order_date": _DELETE}, "missing field payload.order_date"),
        ({"event_id": ""}, "event_id must not be empty"),
        ({"event_id": 42}, "event_id must be a string"),
        ({"event_type": "foo"}, "unknown event_type 'foo'"),
        ({"event_type": "Order"}, "unknown event_type 'Order'"),
        ({"event_timestamp": "yesterday"}, "event_timestamp is not an ISO-8601 date-time"),
        ({"event_timestamp": "2026-02-30T10:00:00Z"}, "event_timestamp is not an ISO-8601 date-time"),
        ({"event_timestamp": 1732000000}, "event_timestamp must be a string"),
        ({"payload__order_date": "2026-11-20"}, "payload.order_date is not an ISO-8601 date-time"),
        ({"source": 1}, "source must be a string"),
        ({"payload": "x"}, "payload must be an object"),
        ({"payload__quantity": 0}, "payload.quantity must be >= 1"),
        ({"payload__quantity": -2}, "payload.quantity must be >= 1"),
        ({"payload__quantity": "2"}, "payload.quantity must be an integer"),
        ({"payload__quantity": 1.5}, "payload.quantity must be an integer"),
        ({"payload__quantity": True}, "payload.quantity must be an integer"),
        ({"payload__unit_price": -34.9}, "payload.unit_price must be > 0"),
        ({"payload__unit_price": 0}, "payload.unit_price must be > 0"),
        ({"payload__unit_price": "34,90"}, "payload.unit_price must be a number"),
        ({"payload__total_amount": -1}, "payload.total_amount must be >= 0"),
        ({"payload__product_category": "Vin"}, "unknown payload.product_category 'Vin'"),
        ({"payload__product_category": "rouge"}, "unknown payload.product_category 'rouge'"),
        ({"payload__payment_method": "cash"}, "unknown payload.payment_method 'cash'"),
        ({"payload__order_status": "returned"}, "unknown payload.order_status 'returned'"),
        ({"payload__currency": "USD"}, "payload.currency must be 'EUR'"),
        ({"payload__shipping_country": "FRA"}, "payload.shipping_country must have at most 2 characters"),
        ({"payload__shipping_country": "F"}, "payload.shipping_country must have at least 2 characters"),
        ({"payload__customer_id": ""}, "payload.customer_id must not be empty"),
        ({"payload__total_amount": 69.82}, "payload.total_amount is higher than quantity * unit_price"),
    ],
)
def test_invalid_order_is_rejected_with_its_reason(changes, reason):
    """Each kind of schema violation of an order gets its own short, readable reason."""
    assert validate_message(_text(_order(), **changes)) == reason


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"payload__adjustment_id": _DELETE}, "missing field payload.adjustment_id"),
        ({"payload__warehouse_location": ""}, "payload.warehouse_location must not be empty"),
        ({"payload__adjustment_type": "theft"}, "unknown payload.adjustment_type 'theft'"),
        ({"payload__quantity_change": "-1"}, "payload.quantity_change must be an integer"),
        ({"payload__quantity_change": -0.5}, "payload.quantity_change must be an integer"),
        ({"payload__quantity_change": 0}, "payload.quantity_change must not be 0"),
        ({"payload__reason": 3}, "payload.reason must be a string"),
    ],
)
def test_invalid_adjustment_is_rejected_with_its_reason(changes, reason):
    """Each kind of schema violation of an inventory adjustment gets its own reason."""
    assert validate_message(_text(_adjustment(), **changes)) == reason


@pytest.mark.parametrize(
    ("kind", "change", "reason"),
    [
        ("restock", 12, None),
        ("restock", -12, "payload.quantity_change must be > 0 for a restock"),
        ("return", 1, None),
        ("return", -1, "payload.quantity_change must be > 0 for a return"),
        ("sale", -2, None),
        ("sale", 2, "payload.quantity_change must be < 0 for a sale"),
        ("breakage", -1, None),
        ("breakage", 1, "payload.quantity_change must be < 0 for a breakage"),
        ("correction", 3, None),
        ("correction", -3, None),
        ("correction", 0, "payload.quantity_change must not be 0"),
        ("sale", 0, "payload.quantity_change must not be 0"),
    ],
)
def test_quantity_change_sign_follows_the_adjustment_type(kind, change, reason):
    """restock/return > 0, sale/breakage < 0, correction either sign, never 0 (the schema's prose rules)."""
    message = _text(_adjustment(), payload__adjustment_type=kind, payload__quantity_change=change)
    assert validate_message(message) == reason


@pytest.mark.parametrize(
    ("quantity", "unit_price", "total_amount", "valid"),
    [
        (2, 34.9, 69.8, True),
        (2, 34.9, 69.81, True),  # the 0.01 rounding tolerance
        (2, 34.9, 69.811, False),
        (3, 19.9, 59.71, True),  # exact in decimal; 3 * 19.9 + 0.01 in floats is 59.709999...
        (3, 19.9, 53.73, True),  # a discount makes it lower
        (3, 19.9, 0, True),
        (1, 10.01, 10.02, True),
        (1, 10.01, 10.03, False),
        (6, 0.1, 0.61, True),
    ],
)
def test_total_amount_is_never_above_quantity_times_price(quantity, unit_price, total_amount, valid):
    """total_amount <= quantity * unit_price + 0.01, compared exactly as decimals (not as binary floats)."""
    message = _text(
        _order(), payload__quantity=quantity, payload__unit_price=unit_price, payload__total_amount=total_amount
    )
    assert (validate_message(message) is None) is valid


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-20T09:14:03Z",
        "2026-11-20T09:14:03.120Z",
        "2026-11-20T09:14:03.123456789Z",
        "2026-11-20T09:14:03+00:00",
        "2026-11-20T10:14:03+01:00",
        "2026-11-20T04:14:03-05:00",
        "2026-11-20t09:14:03z",
        "2024-02-29T00:00:00Z",
        "2026-12-31T23:59:59.999Z",
    ],
)
def test_real_rfc3339_date_times_are_accepted(value):
    """A date-time is RFC 3339: date, 'T', time with seconds, optional fraction, and a 'Z' or ±hh:mm offset."""
    assert is_date_time(value)
    assert validate_message(_text(_order(), event_timestamp=value)) is None
    assert validate_message(_text(_order(), payload__order_date=value)) is None


@pytest.mark.parametrize(
    "value",
    [
        "2026-02-30T10:00:00Z",  # no such day
        "2025-02-29T10:00:00Z",  # not a leap year
        "2026-13-01T08:00:00Z",
        "2026-00-10T08:00:00Z",
        "2026-11-20T24:00:00Z",
        "2026-11-20T10:60:00Z",
        "2026-12-31T23:59:60Z",  # a leap second cannot be stored in a TIMESTAMP
        "0000-01-01T00:00:00Z",
        "2026-11-20T10:00:00",  # no offset
        "2026-11-20 10:00:00Z",  # space instead of T
        "2026-11-20T10:00Z",  # no seconds
        "2026-11-20",
        "2026-11-20T10:00:00.Z",
        "2026-11-20T10:00:00+0100",
        "2026-11-20T10:00:00+24:00",
        "2026-11-20T10:00:00+01:60",
        "20/11/2026 10:00",
        "yesterday",
        "",
        " 2026-11-20T10:00:00Z",
        "2026-11-20T10:00:00Z\n",
        "２026-11-20T10:00:00Z",  # a full-width digit
    ],
)
def test_date_times_that_are_not_real_are_rejected(value):
    """Shape and calendar are both checked: a well-shaped but impossible date-time is rejected too."""
    assert not is_date_time(value)
    assert validate_message(_text(_order(), event_timestamp=value)) == "event_timestamp is not an ISO-8601 date-time"
    assert validate_message(_text(_order(), payload__order_date=value)) == (
        "payload.order_date is not an ISO-8601 date-time"
    )


def test_the_most_basic_problem_is_reported_first():
    """With several problems: top-level fields before payload fields, missing before wrong type before bad value."""
    order = _order()
    assert validate_message(_text(order, event_type=_DELETE, payload__quantity=0)) == "missing field event_type"
    assert validate_message(_text(order, event_timestamp="x", payload__quantity=0)) == (
        "event_timestamp is not an ISO-8601 date-time"
    )
    assert validate_message(_text(order, payload__quantity=0, payload__customer_id=_DELETE)) == (
        "missing field payload.customer_id"
    )
    assert validate_message(_text(order, payload__unit_price="x", payload__quantity=0)) == (
        "payload.unit_price must be a number"
    )
    assert validate_message(_text(order, payload__quantity=0, payload__unit_price=-1)) == (
        "payload.quantity must be >= 1"
    )


def test_what_the_schema_allows_is_accepted():
    """Optional fields may be absent, unknown fields are allowed, an integer-valued number is an integer."""
    order, adjustment = _order(), _adjustment()
    assert validate_message(_text(order, source=_DELETE, payload__currency=_DELETE)) is None
    assert validate_message(_text(order, payload__shipping_country=_DELETE)) is None
    assert validate_message(_text(order, extra={"a": 1}, payload__coupon="NOEL")) is None
    assert validate_message(_text(order, payload__quantity=2.0)) is None
    assert validate_message(_text(adjustment, payload__reason=_DELETE)) is None
    assert validate_message(json.dumps(order, indent=2)) is None
    assert validate_message(" " + json.dumps(order) + "\n") is None


def test_an_order_payload_under_the_adjustment_type_is_rejected():
    """The payload is checked against the definition its event_type names."""
    message = _text(_order(), event_type="inventory_adjustment")
    assert validate_message(message) == "missing field payload.adjustment_id"


def test_parse_event_returns_the_event_or_none():
    """parse_event gives the decoded event for a valid message and None otherwise."""
    assert parse_event(example_messages()[1])["payload"]["order_status"] == "shipped"
    assert parse_event(_text(_order(), payload__quantity=0)) is None
    assert parse_event("not json") is None
