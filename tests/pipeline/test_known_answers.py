"""Issue 3, item 1: hand-made event sets with known answers, through `caves ingest` and the task graph.

Every expected value below was worked out by hand from the rules of /work/shared/DESIGN.md ("Event contract",
"Table contract") and shared/contracts/events.schema.json - not computed by code. The messages are built with
small helpers for readability; each one carries, next to it, where it must land and why.

The second part is a property test: a few thousand simulated messages with redeliveries, late and broken
messages; its oracle is the reference validator (caves/events.py validate_message) and a plain-Python fold.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from caves.events import parse_event, validate_message

from .helpers import (
    DB,
    caves,
    caves_json,
    keyed,
    money,
    print_timings,
    read,
    read_many,
    routing_check,
    utc,
    write_lines,
)

R_ORD = "TASK_RAW_TO_STAGING_ORDERS"
R_INV = "TASK_RAW_TO_STAGING_INVENTORY"
DUP = "duplicate event_id"


def dumps(event: dict) -> str:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------------------------------------------------------
# The shop of the known-answer case
# ---------------------------------------------------------------------------------------------------------------

PRODUCTS = {
    "WINE-A": ("Château Témoin Margaux 2018", "Rouge"),
    "WINE-B": ("Domaine Témoin Chablis 2022", "Blanc"),
    "WINE-C": ("Champagne Témoin Brut", "Champagne"),
}


def orders_book(today: str) -> dict[str, dict]:
    """The orders' snapshots (everything but the status). `today` is the current UTC date (for kpi_today)."""

    def o(customer, product, quantity, price, total, method, order_date, country="FR"):
        name, category = PRODUCTS[product]
        payload = {
            "customer_id": customer,
            "product_id": product,
            "product_name": name,
            "product_category": category,
            "quantity": quantity,
            "unit_price": price,
            "total_amount": total,
            "payment_method": method,
            "order_date": order_date,
        }
        if country is not None:
            payload["shipping_country"] = country
        return payload

    return {
        "ORD-1": o("C1", "WINE-A", 2, 25.50, 51.00, "card", "2025-03-02T09:58:00Z"),
        "ORD-2": o("C2", "WINE-B", 1, 18.90, 18.90, "paypal", "2025-03-02T11:55:00Z", "BE"),
        "ORD-3": o("C1", "WINE-C", 6, 40.00, 216.00, "card", "2025-03-03T08:00:00Z"),  # 10 % off 240.00
        "ORD-4": o("C3", "WINE-A", 3, 25.50, 76.50, "apple_pay", "2025-03-02T13:58:00Z"),
        # quantity written 2.0 (a JSON Schema integer); local time +02:00 -> 2025-03-02 22:30 UTC; no country
        "ORD-5": o("C3", "WINE-B", 2.0, 18.90, 37.80, "bank_transfer", "2025-03-03T00:30:00+02:00", None),
        "ORD-6": o("C4", "WINE-B", 1, 18.90, 18.90, "card", f"{today}T00:00:01Z"),
        "ORD-7": o("C5", "WINE-B", 4, 18.90, 75.60, "paypal", f"{today}T00:00:03Z"),
    }


def order_msg(book: dict, event_id: str, ts: str, order_id: str, status: str, source="webshop", **change) -> str:
    event = {"event_id": event_id, "event_type": "order", "event_timestamp": ts}
    if source is not None:
        event["source"] = source
    event["payload"] = {"order_id": order_id, **book[order_id], "order_status": status, **change}
    return dumps(event)


ADJUSTMENTS = {
    # adjustment_id: (event_id, event_timestamp, product, type, quantity_change, reason, location)
    "ADJ-1": ("e-i-1", "2025-03-01T08:00:00Z", "WINE-A", "restock", 120, "stock initial", "CAVE-A-01"),
    "ADJ-2": ("e-i-2", "2025-03-02T10:06:00Z", "WINE-A", "sale", -2, "commande ORD-1", "CAVE-A-01"),
    "ADJ-3": ("e-i-3", "2025-03-04T09:00:00Z", "WINE-A", "correction", -1, "inventaire", "CAVE-A-01"),
    "ADJ-4": ("e-i-4", "2025-03-01T08:10:00Z", "WINE-B", "restock", 24, "stock initial", "CAVE-B-01"),
    "ADJ-5": ("e-i-5", "2025-03-02T12:01:00Z", "WINE-B", "sale", -1, "commande ORD-2", "CAVE-B-01"),
    "ADJ-6": ("e-i-6", "2025-03-03T11:00:00Z", "WINE-B", "breakage", -6, "carton endommagé", "CAVE-B-01"),
    "ADJ-7": ("e-i-7", "2025-03-01T09:00:00Z", "WINE-C", "restock", 6, "stock initial", "CAVE-D-01"),
    "ADJ-8": ("e-i-8", "2025-03-03T08:02:00Z", "WINE-C", "sale", -6, "commande ORD-3", "CAVE-D-01"),
    # the bottles moved to another shelf; no reason given (optional field)
    "ADJ-9": ("e-i-9", "2025-03-05T10:00:00Z", "WINE-A", "return", 1, None, "CAVE-A-02"),
}


def adj_msg(adjustment_id: str, event_id: str | None = None) -> str:
    eid, ts, product, kind, change, reason, location = ADJUSTMENTS[adjustment_id]
    name, category = PRODUCTS[product]
    payload = {
        "adjustment_id": adjustment_id,
        "product_id": product,
        "product_name": name,
        "product_category": category,
        "warehouse_location": location,
        "adjustment_type": kind,
        "quantity_change": change,
    }
    if reason is not None:
        payload["reason"] = reason
    return dumps(
        {
            "event_id": event_id or eid,
            "event_type": "inventory_adjustment",
            "event_timestamp": ts,
            "source": "warehouse-scanner",
            "payload": payload,
        }
    )


_DELETE = object()


def broken_order(event_id, top=None, **payload_changes) -> str:
    """A valid order (ORD-90: 2 x 25.50 = 51.00) with the given changes (value _DELETE removes the key)."""
    event = {
        "event_id": event_id,
        "event_type": "order",
        "event_timestamp": "2025-03-02T10:00:00Z",
        "payload": {
            "order_id": "ORD-90",
            "customer_id": "C9",
            "product_id": "WINE-A",
            "product_name": "Château Témoin Margaux 2018",
            "product_category": "Rouge",
            "quantity": 2,
            "unit_price": 25.50,
            "total_amount": 51.00,
            "payment_method": "card",
            "order_status": "pending",
            "order_date": "2025-03-02T10:00:00Z",
            "shipping_country": "FR",
        },
    }
    return dumps(_apply(event, top or {}, payload_changes))


def broken_adj(event_id, top=None, **payload_changes) -> str:
    """A valid adjustment (ADJ-90: restock +12 of WINE-A) with the given changes."""
    event = {
        "event_id": event_id,
        "event_type": "inventory_adjustment",
        "event_timestamp": "2025-03-02T10:00:00Z",
        "payload": {
            "adjustment_id": "ADJ-90",
            "product_id": "WINE-A",
            "product_name": "Château Témoin Margaux 2018",
            "product_category": "Rouge",
            "warehouse_location": "CAVE-A-01",
            "adjustment_type": "restock",
            "quantity_change": 12,
            "reason": "livraison",
        },
    }
    return dumps(_apply(event, top or {}, payload_changes))


def _apply(event: dict, top: dict, payload_changes: dict) -> dict:
    for key, value in top.items():
        if value is _DELETE:
            del event[key]
        else:
            event[key] = value
    for key, value in payload_changes.items():
        if value is _DELETE:
            del event["payload"][key]
        else:
            event["payload"][key] = value
    return event


def rej(reason: str, by: str, event_id: str | None, event_type: str | None) -> tuple:
    return ("REJECTED_EVENTS", reason, by, event_id, event_type)


STG_O = ("STG_ORDERS",)
STG_I = ("STG_INVENTORY_ADJUSTMENTS",)

NOT_JSON = "ceci n'est pas du JSON"


def batches(today: str) -> list[list[tuple[str, tuple]]]:
    """The three batches: (message text, where it must land). Offsets are the positions in each list."""
    book = orders_book(today)
    r14 = broken_order("e-bad-14", product_category="Vin")
    r20 = broken_adj("e-bad-20", adjustment_type="correction", quantity_change=0)
    b1 = [
        (order_msg(book, "e-o1-1", "2025-03-02T10:00:00Z", "ORD-1", "pending", currency="EUR"), STG_O),
        # ORD-1 shipped arrives before confirmed
        (order_msg(book, "e-o1-3", "2025-03-03T09:00:00Z", "ORD-1", "shipped", currency="EUR"), STG_O),
        # redelivery in the same batch: the later copy (offset 2) is the duplicate
        (order_msg(book, "e-o1-1", "2025-03-02T10:00:00Z", "ORD-1", "pending", currency="EUR"),
         rej(DUP, R_ORD, "e-o1-1", "order")),
        (order_msg(book, "e-o2-b", "2025-03-02T12:00:00Z", "ORD-2", "confirmed"), STG_O),
        (order_msg(book, "e-o4-1", "2025-03-02T14:00:00Z", "ORD-4", "pending"), STG_O),
        # adjustments newest first, a sale before its restock
        (adj_msg("ADJ-3"), STG_I),
        (adj_msg("ADJ-2"), STG_I),
        (adj_msg("ADJ-5"), STG_I),
        (adj_msg("ADJ-8"), STG_I),
        (adj_msg("ADJ-2"), rej(DUP, R_INV, "e-i-2", "inventory_adjustment")),
        (NOT_JSON, rej("not valid JSON", R_ORD, None, None)),
        # an invalid message that carries the event_id of a valid event still to come: it is no delivery of it
        (order_msg(book, "e-o1-2", "2025-03-02T10:05:00Z", "ORD-1", "confirmed", product_category="Vin"),
         rej("unknown payload.product_category 'Vin'", R_ORD, "e-o1-2", "order")),
    ]  # fmt: skip
    b2 = [
        # late, older status of ORD-1 (10:05 < shipped 2025-03-03 09:00): staged, never applied
        (order_msg(book, "e-o1-2", "2025-03-02T10:05:00Z", "ORD-1", "confirmed", currency="EUR"), STG_O),
        # redelivery across batches
        (order_msg(book, "e-o1-3", "2025-03-03T09:00:00Z", "ORD-1", "shipped", currency="EUR"),
         rej(DUP, R_ORD, "e-o1-3", "order")),
        # same event_timestamp as e-o2-b; 'e-o2-a' < 'e-o2-b', so this 'cancelled' loses the tie
        (order_msg(book, "e-o2-a", "2025-03-02T12:00:00Z", "ORD-2", "cancelled"), STG_O),
        (order_msg(book, "e-o4-2", "2025-03-02T15:00:00Z", "ORD-4", "cancelled"), STG_O),
        # 00:31 +02:00 = 2025-03-02 22:31 UTC; no "source"
        (order_msg(book, "e-o5-1", "2025-03-03T00:31:00+02:00", "ORD-5", "pending", source=None), STG_O),
        (adj_msg("ADJ-1"), STG_I),
        (adj_msg("ADJ-4"), STG_I),
        (adj_msg("ADJ-7"), STG_I),
        (adj_msg("ADJ-5"), rej(DUP, R_INV, "e-i-5", "inventory_adjustment")),
        (adj_msg("ADJ-6"), STG_I),
        # every kind of broken message; non-JSON and non-inventory rows belong to the orders task
        ('{"event_id":"e-bad-2","event_type":"inventory_adjustment","event_timestamp":"2025-03',
         rej("not valid JSON", R_ORD, None, None)),
        ("[" + broken_order("e-bad-3") + "]", rej("not a JSON object", R_ORD, None, None)),
        (broken_order("e-bad-4", top={"event_type": "refund"}), rej("unknown event_type 'refund'", R_ORD, "e-bad-4", "refund")),
        (broken_order("e-bad-5", quantity=_DELETE), rej("missing field payload.quantity", R_ORD, "e-bad-5", "order")),
        (broken_order("e-bad-6", top={"event_timestamp": _DELETE}),
         rej("missing field event_timestamp", R_ORD, "e-bad-6", "order")),
        (broken_order("e-bad-7", quantity="2"), rej("payload.quantity must be an integer", R_ORD, "e-bad-7", "order")),
        (broken_order("e-bad-8", unit_price="25,50"), rej("payload.unit_price must be a number", R_ORD, "e-bad-8", "order")),
        (broken_order("e-bad-9", top={"event_timestamp": "2026-02-30T10:00:00Z"}),
         rej("event_timestamp is not an ISO-8601 date-time", R_ORD, "e-bad-9", "order")),
        (broken_order("e-bad-10", top={"event_timestamp": "2025-03-02T10:00:00"}),  # no offset
         rej("event_timestamp is not an ISO-8601 date-time", R_ORD, "e-bad-10", "order")),
        (broken_order("e-bad-11", order_date="yesterday"),
         rej("payload.order_date is not an ISO-8601 date-time", R_ORD, "e-bad-11", "order")),
        # quantity 0 (51.00 is then also above 0 x 25.50 + 0.01, but the schema's rules come first)
        (broken_order("e-bad-12", quantity=0), rej("payload.quantity must be >= 1", R_ORD, "e-bad-12", "order")),
        (broken_order("e-bad-13", unit_price=-25.50), rej("payload.unit_price must be > 0", R_ORD, "e-bad-13", "order")),
        (r14, rej("unknown payload.product_category 'Vin'", R_ORD, "e-bad-14", "order")),
        (broken_order(""), rej("event_id must not be empty", R_ORD, "", "order")),
        # 2 x 25.50 + 0.01 = 51.01 < 52.00
        (broken_order("e-bad-16", total_amount=52.00),
         rej("payload.total_amount is higher than quantity * unit_price", R_ORD, "e-bad-16", "order")),
        # event_id 42: the consumer's text extraction gives '42'
        (broken_order(42), rej("event_id must be a string", R_ORD, "42", "order")),
        # two faults at the payload's depth: an enum is checked before a minimum
        (broken_order("e-bad-18", quantity=0, product_category="Vin"),
         rej("unknown payload.product_category 'Vin'", R_ORD, "e-bad-18", "order")),
        (broken_order("e-bad-19", top={"event_timestamp": "2025-02-29T10:00:00Z"}),  # 2025 is no leap year
         rej("event_timestamp is not an ISO-8601 date-time", R_ORD, "e-bad-19", "order")),
        (r20, rej("payload.quantity_change must not be 0", R_INV, "e-bad-20", "inventory_adjustment")),
        (broken_adj("e-bad-21", quantity_change=-5),
         rej("payload.quantity_change must be > 0 for a restock", R_INV, "e-bad-21", "inventory_adjustment")),
        (broken_adj("e-bad-22", adjustment_type="sale", quantity_change=2),
         rej("payload.quantity_change must be < 0 for a sale", R_INV, "e-bad-22", "inventory_adjustment")),
        (broken_adj("e-bad-23", quantity_change=2.5),
         rej("payload.quantity_change must be an integer", R_INV, "e-bad-23", "inventory_adjustment")),
        (broken_adj("e-bad-24", adjustment_type="theft"),
         rej("unknown payload.adjustment_type 'theft'", R_INV, "e-bad-24", "inventory_adjustment")),
        (broken_adj("e-bad-25", warehouse_location=_DELETE),
         rej("missing field payload.warehouse_location", R_INV, "e-bad-25", "inventory_adjustment")),
        (broken_adj("e-bad-26", product_category="rouge"),
         rej("unknown payload.product_category 'rouge'", R_INV, "e-bad-26", "inventory_adjustment")),
        (broken_adj("e-bad-27", top={"event_timestamp": "yesterday"}),
         rej("event_timestamp is not an ISO-8601 date-time", R_INV, "e-bad-27", "inventory_adjustment")),
        (broken_adj(""), rej("event_id must not be empty", R_INV, "", "inventory_adjustment")),
        # an invalid message redelivered in the same batch: rejected again with its own reason, not as a duplicate
        (r20, rej("payload.quantity_change must not be 0", R_INV, "e-bad-20", "inventory_adjustment")),
        (broken_order("e-bad-33", top={"payload": "n/a"}), rej("payload must be an object", R_ORD, "e-bad-33", "order")),
    ]  # fmt: skip
    b3 = [
        # same event_timestamp, 'e-o3-b' > 'e-o3-a': confirmed wins although pending arrives after it
        (order_msg(book, "e-o3-b", "2025-03-03T08:10:00Z", "ORD-3", "confirmed"), STG_O),
        (order_msg(book, "e-o3-a", "2025-03-03T08:10:00Z", "ORD-3", "pending"), STG_O),
        (order_msg(book, "e-o6-1", f"{today}T00:00:02Z", "ORD-6", "confirmed"), STG_O),
        (order_msg(book, "e-o7-1", f"{today}T00:00:04Z", "ORD-7", "pending"), STG_O),
        (order_msg(book, "e-o7-2", f"{today}T00:00:05Z", "ORD-7", "cancelled"), STG_O),
        (adj_msg("ADJ-9"), STG_I),
        (adj_msg("ADJ-8"), rej(DUP, R_INV, "e-i-8", "inventory_adjustment")),
        # ADJ-6 resent under a new event_id: a new event (staged), the same adjustment (counted once)
        (adj_msg("ADJ-6", event_id="e-i-6bis"), STG_I),
        (r14, rej("unknown payload.product_category 'Vin'", R_ORD, "e-bad-14", "order")),
        (NOT_JSON, rej("not valid JSON", R_ORD, None, None)),
    ]  # fmt: skip
    return [b1, b2, b3]


def dec(text: str) -> Decimal:
    return Decimal(text)


def ntz(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def expected_orders(today: str) -> dict[str, dict]:
    """PRODUCTION.ORDERS after the three batches (by hand); INGESTION_TIMESTAMP is the batch number here."""
    cols = ("CUSTOMER_ID", "PRODUCT_ID", "PRODUCT_NAME", "PRODUCT_CATEGORY", "QUANTITY", "UNIT_PRICE", "TOTAL_AMOUNT",
            "PAYMENT_METHOD", "ORDER_STATUS", "ORDER_DATE", "SHIPPING_COUNTRY", "LAST_EVENT_ID", "LAST_EVENT_TIMESTAMP",
            "INGESTION_TIMESTAMP")  # fmt: skip
    a, b, c = (PRODUCTS[p][0] for p in ("WINE-A", "WINE-B", "WINE-C"))
    rows = {
        "ORD-1": ("C1", "WINE-A", a, "Rouge", 2, dec("25.50"), dec("51.00"), "card", "shipped",
                  ntz("2025-03-02 09:58:00"), "FR", "e-o1-3", ntz("2025-03-03 09:00:00"), 1),
        "ORD-2": ("C2", "WINE-B", b, "Blanc", 1, dec("18.90"), dec("18.90"), "paypal", "confirmed",
                  ntz("2025-03-02 11:55:00"), "BE", "e-o2-b", ntz("2025-03-02 12:00:00"), 1),
        "ORD-3": ("C1", "WINE-C", c, "Champagne", 6, dec("40.00"), dec("216.00"), "card", "confirmed",
                  ntz("2025-03-03 08:00:00"), "FR", "e-o3-b", ntz("2025-03-03 08:10:00"), 3),
        "ORD-4": ("C3", "WINE-A", a, "Rouge", 3, dec("25.50"), dec("76.50"), "apple_pay", "cancelled",
                  ntz("2025-03-02 13:58:00"), "FR", "e-o4-2", ntz("2025-03-02 15:00:00"), 2),
        "ORD-5": ("C3", "WINE-B", b, "Blanc", 2, dec("18.90"), dec("37.80"), "bank_transfer", "pending",
                  ntz("2025-03-02 22:30:00"), None, "e-o5-1", ntz("2025-03-02 22:31:00"), 2),
        "ORD-6": ("C4", "WINE-B", b, "Blanc", 1, dec("18.90"), dec("18.90"), "card", "confirmed",
                  ntz(f"{today} 00:00:01"), "FR", "e-o6-1", ntz(f"{today} 00:00:02"), 3),
        "ORD-7": ("C5", "WINE-B", b, "Blanc", 4, dec("18.90"), dec("75.60"), "paypal", "cancelled",
                  ntz(f"{today} 00:00:03"), "FR", "e-o7-2", ntz(f"{today} 00:00:05"), 3),
    }  # fmt: skip
    return {k: dict(zip(cols, v, strict=True)) for k, v in rows.items()}


def expected_history() -> dict[str, dict]:
    """PRODUCTION.INVENTORY_HISTORY: one row per ADJUSTMENT_ID, the first delivery's event (ADJ-6: e-i-6)."""
    batch_of = {"ADJ-2": 1, "ADJ-3": 1, "ADJ-5": 1, "ADJ-8": 1, "ADJ-1": 2, "ADJ-4": 2, "ADJ-6": 2, "ADJ-7": 2,
                "ADJ-9": 3}  # fmt: skip
    out = {}
    for adj, (eid, ts, product, kind, change, reason, location) in ADJUSTMENTS.items():
        out[adj] = {
            "EVENT_ID": eid,
            "PRODUCT_ID": product,
            "PRODUCT_NAME": PRODUCTS[product][0],
            "PRODUCT_CATEGORY": PRODUCTS[product][1],
            "WAREHOUSE_LOCATION": location,
            "ADJUSTMENT_TYPE": kind,
            "QUANTITY_CHANGE": change,
            "REASON": reason,
            "EVENT_TIMESTAMP": utc(ts),
            "INGESTION_TIMESTAMP": batch_of[adj],
        }
    return out


def current_row(product, location, stock, count, last):
    name, category = PRODUCTS[product]
    return {
        "PRODUCT_NAME": name,
        "PRODUCT_CATEGORY": category,
        "WAREHOUSE_LOCATION": location,
        "CURRENT_STOCK_LEVEL": stock,
        "ADJUSTMENT_COUNT": count,
        "LAST_ADJUSTMENT_AT": ntz(last),
    }


# INVENTORY_CURRENT after each batch, by hand (stock = sum of the distinct adjustments received so far).
EXPECTED_CURRENT = {
    # batch 1: ADJ-3 (-1), ADJ-2 (-2) | ADJ-5 (-1) | ADJ-8 (-6): negative until the restocks arrive
    1: {
        "WINE-A": current_row("WINE-A", "CAVE-A-01", -3, 2, "2025-03-04 09:00:00"),
        "WINE-B": current_row("WINE-B", "CAVE-B-01", -1, 1, "2025-03-02 12:01:00"),
        "WINE-C": current_row("WINE-C", "CAVE-D-01", -6, 1, "2025-03-03 08:02:00"),
    },
    # batch 2: + ADJ-1 (+120) | + ADJ-4 (+24), ADJ-6 (-6) | + ADJ-7 (+6)
    2: {
        "WINE-A": current_row("WINE-A", "CAVE-A-01", 117, 3, "2025-03-04 09:00:00"),
        "WINE-B": current_row("WINE-B", "CAVE-B-01", 17, 3, "2025-03-03 11:00:00"),
        "WINE-C": current_row("WINE-C", "CAVE-D-01", 0, 2, "2025-03-03 08:02:00"),
    },
    # batch 3: + ADJ-9 (+1, latest, new shelf CAVE-A-02) | ADJ-6 again under e-i-6bis: not counted twice
    3: {
        "WINE-A": current_row("WINE-A", "CAVE-A-02", 118, 4, "2025-03-05 10:00:00"),
        "WINE-B": current_row("WINE-B", "CAVE-B-01", 17, 3, "2025-03-03 11:00:00"),
        "WINE-C": current_row("WINE-C", "CAVE-D-01", 0, 2, "2025-03-03 08:02:00"),
    },
}


def _norm(value):
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def assert_rows(got: dict, want: dict, what: str) -> None:
    assert set(got) == set(want), f"{what}: keys {sorted(got)} != {sorted(want)}"
    for key, columns in want.items():
        for column, value in columns.items():
            assert _norm(got[key][column]) == _norm(value), (what, key, column, got[key][column], value)


def _snapshot(db: Path) -> dict[str, list[dict]]:
    return read_many(
        db,
        {
            "raw": f"select RAW_ID, RAW_MESSAGE, SOURCE_TOPIC, SOURCE_OFFSET, INGESTION_TIMESTAMP "
            f"from {DB}.RAW_DATA.RAW_EVENTS_STREAM",
            "stg_orders": f"select * from {DB}.STAGING.STG_ORDERS",
            "stg_adj": f"select * from {DB}.STAGING.STG_INVENTORY_ADJUSTMENTS",
            "rejected": f"select * from {DB}.STAGING.REJECTED_EVENTS",
            "orders": f"select * from {DB}.PRODUCTION.ORDERS",
            "history": f"select * from {DB}.PRODUCTION.INVENTORY_HISTORY",
            "current": f"select * from {DB}.PRODUCTION.INVENTORY_CURRENT",
            "kpi": f"select * from {DB}.PRODUCTION.VW_DAILY_KPI",
            "perf": f"select * from {DB}.PRODUCTION.VW_PRODUCT_PERFORMANCE",
            "alerts": f"select * from {DB}.PRODUCTION.VW_INVENTORY_ALERTS",
        },
    )


def test_known_answers_through_cli_and_task_graph(fresh_db, tmp_path):
    """DESIGN.md event contract, every rule, on a hand-made case fed through `caves ingest` + the task graph.

    Proves: latest event_timestamp wins and a late older event never overwrites (ORD-1, UPDATED_AT untouched);
    equal timestamps tie-break by event_id inside and across batches (ORD-2, ORD-3); cancelled orders are left
    out of revenue/units/order counts in VW_DAILY_KPI, VW_PRODUCT_PERFORMANCE, VW_INVENTORY_ALERTS and the
    kpi_today / top_products_by_revenue queries (ORD-4, ORD-7); stock = sum of distinct adjustments whatever
    the order of arrival and redeliveries (checked after every batch); a redelivered event has no further
    effect (rejected as 'duplicate event_id'); every kind of broken message is kept in STAGING.REJECTED_EVENTS
    with its exact REJECT_REASON (an invalid message redelivered is rejected again with its own reason); and the
    table contract's "every RAW row lands in exactly one of STG_ORDERS / STG_INVENTORY_ADJUSTMENTS /
    REJECTED_EVENTS", row by row.
    """
    today = dt.datetime.now(dt.UTC).date().isoformat()
    plan = batches(today)

    # The hand-written reasons agree with the reference validator (a check of the hand work, not its source).
    for number, batch in enumerate(plan, start=1):
        for text, where in batch:
            want = where[1] if where[0] == "REJECTED_EVENTS" and where[1] != DUP else None
            assert validate_message(text) == want, (number, text[:90])

    snapshots = {}
    for number, batch in enumerate(plan, start=1):
        path = write_lines(tmp_path / f"batch{number}.jsonl", [text for text, _ in batch])
        out = caves("ingest", str(path), db=fresh_db).stdout
        assert f"Ingested {len(batch)} messages" in out
        caves("pipeline", "run", "--until-idle", db=fresh_db)
        snapshots[number] = _snapshot(fresh_db)
        current = keyed(snapshots[number]["current"], "PRODUCT_ID")
        assert_rows(current, EXPECTED_CURRENT[number], f"INVENTORY_CURRENT after batch {number}")

    final = snapshots[3]
    batch_time = {}
    raw_by_id = {}
    for r in final["raw"]:
        number = int(r["SOURCE_TOPIC"].removeprefix("file:batch").removesuffix(".jsonl"))
        batch_time.setdefault(number, r["INGESTION_TIMESTAMP"])
        assert batch_time[number] == r["INGESTION_TIMESTAMP"]  # one ingest batch, one timestamp
        raw_by_id[r["RAW_ID"]] = (number, r["SOURCE_OFFSET"], r)
    assert len(final["raw"]) == sum(len(b) for b in plan) == 61
    assert batch_time[1] < batch_time[2] < batch_time[3]

    # --- every RAW row: its text kept, and routed to exactly the expected place -----------------------------
    assert routing_check(fresh_db) == {"STG_ORDERS": 13, "STG_INVENTORY_ADJUSTMENTS": 10, "REJECTED_EVENTS": 38}
    landed = {}
    for table, key in (("stg_orders", "STG_ORDERS"), ("stg_adj", "STG_INVENTORY_ADJUSTMENTS")):
        for r in final[table]:
            landed[r["RAW_ID"]] = (key,)
    for r in final["rejected"]:
        landed[r["RAW_ID"]] = ("REJECTED_EVENTS", r["REJECT_REASON"], r["REJECTED_BY"], r["EVENT_ID"], r["EVENT_TYPE"])
        assert r["RAW_MESSAGE"] == raw_by_id[r["RAW_ID"]][2]["RAW_MESSAGE"]
        assert r["INGESTION_TIMESTAMP"] == raw_by_id[r["RAW_ID"]][2]["INGESTION_TIMESTAMP"]
        assert r["REJECTED_AT"] is not None
    for raw_id, (number, offset, raw) in raw_by_id.items():
        text, where = plan[number - 1][offset]
        assert raw["RAW_MESSAGE"] == text, (number, offset)
        assert landed[raw_id] == where, (number, offset, text[:90], landed[raw_id], where)

    # --- STG_ORDERS: typed, UTC -------------------------------------------------------------------------------
    stg = keyed(final["stg_orders"], "EVENT_ID")
    assert sorted(stg) == sorted(
        ["e-o1-1", "e-o1-3", "e-o2-b", "e-o4-1", "e-o1-2", "e-o2-a", "e-o4-2", "e-o5-1", "e-o3-b", "e-o3-a",
         "e-o6-1", "e-o7-1", "e-o7-2"]
    )  # fmt: skip
    e5 = stg["e-o5-1"]
    assert (e5["ORDER_ID"], e5["QUANTITY"], e5["UNIT_PRICE"], e5["TOTAL_AMOUNT"], e5["CURRENCY"]) == (
        "ORD-5", 2, dec("18.90"), dec("37.80"), "EUR",
    )  # fmt: skip
    assert e5["ORDER_DATE"] == ntz("2025-03-02 22:30:00") and e5["EVENT_TIMESTAMP"] == ntz("2025-03-02 22:31:00")
    assert e5["SHIPPING_COUNTRY"] is None and e5["EVENT_SOURCE"] is None
    assert stg["e-o1-3"]["EVENT_SOURCE"] == "webshop" and stg["e-o1-3"]["ORDER_STATUS"] == "shipped"
    assert sorted(r["EVENT_ID"] for r in final["stg_adj"]) == sorted(
        ["e-i-3", "e-i-2", "e-i-5", "e-i-8", "e-i-1", "e-i-4", "e-i-7", "e-i-6", "e-i-9", "e-i-6bis"]
    )

    # --- PRODUCTION.ORDERS, every row and column -----------------------------------------------------------
    want_orders = expected_orders(today)
    for row in want_orders.values():
        row["INGESTION_TIMESTAMP"] = batch_time[row["INGESTION_TIMESTAMP"]]
    orders = keyed(final["orders"], "ORDER_ID")
    assert_rows(orders, want_orders, "ORDERS")
    for r in orders.values():
        assert r["CREATED_AT"] is not None and r["CREATED_AT"] <= r["UPDATED_AT"]
    # After batch 1: ORD-1 shipped (the newest of the batch), ORD-2 confirmed, ORD-4 pending.
    first = keyed(snapshots[1]["orders"], "ORDER_ID")
    assert {k: (v["ORDER_STATUS"], v["LAST_EVENT_ID"]) for k, v in first.items()} == {
        "ORD-1": ("shipped", "e-o1-3"), "ORD-2": ("confirmed", "e-o2-b"), "ORD-4": ("pending", "e-o4-1"),
    }  # fmt: skip
    # The late older event (ORD-1) and the tie lost (ORD-2) wrote nothing at all.
    for order_id in ("ORD-1", "ORD-2"):
        assert orders[order_id]["UPDATED_AT"] == first[order_id]["UPDATED_AT"], order_id

    # --- PRODUCTION.INVENTORY_HISTORY and INVENTORY_CURRENT ---------------------------------------------------
    want_history = expected_history()
    for row in want_history.values():
        row["INGESTION_TIMESTAMP"] = batch_time[row["INGESTION_TIMESTAMP"]]
    history = keyed(final["history"], "ADJUSTMENT_ID")
    assert_rows(history, want_history, "INVENTORY_HISTORY")
    assert all(r["LOADED_AT"] is not None for r in history.values())
    assert_rows(keyed(final["current"], "PRODUCT_ID"), EXPECTED_CURRENT[3], "INVENTORY_CURRENT")

    # --- the views --------------------------------------------------------------------------------------------
    # 2025-03-02: ORD-1 51.00 (2) + ORD-2 18.90 (1) + ORD-5 37.80 (2, 22:30 UTC); ORD-4 cancelled, left out.
    # 2025-03-03: ORD-3 216.00 (6). Today: ORD-6 18.90 (1); ORD-7 cancelled, left out.
    kpi = {str(r["ORDER_DAY"]): r for r in final["kpi"]}
    assert_rows(
        kpi,
        {
            "2025-03-02": {"ORDER_COUNT": 3, "REVENUE": dec("107.70"), "CUSTOMER_COUNT": 3, "AVG_BASKET": dec("35.90"),
                           "UNITS_SOLD": 5},
            "2025-03-03": {"ORDER_COUNT": 1, "REVENUE": dec("216.00"), "CUSTOMER_COUNT": 1, "AVG_BASKET": dec("216.00"),
                           "UNITS_SOLD": 6},
            today: {"ORDER_COUNT": 1, "REVENUE": dec("18.90"), "CUSTOMER_COUNT": 1, "AVG_BASKET": dec("18.90"),
                    "UNITS_SOLD": 1},
        },
        "VW_DAILY_KPI",
    )  # fmt: skip
    # WINE-A: ORD-1 only (ORD-4 cancelled). WINE-B: ORD-2 + ORD-5 + ORD-6 (ORD-7 cancelled). WINE-C: ORD-3.
    assert_rows(
        keyed(final["perf"], "PRODUCT_ID"),
        {
            "WINE-A": {"ORDER_COUNT": 1, "UNITS_SOLD": 2, "REVENUE": dec("51.00"), "AVG_UNIT_REVENUE": dec("25.50"),
                       "CUSTOMER_COUNT": 1, "FIRST_ORDER_AT": ntz("2025-03-02 09:58:00"),
                       "LAST_ORDER_AT": ntz("2025-03-02 09:58:00"), "REVENUE_RANK": 3, "CURRENT_STOCK_LEVEL": 118},
            "WINE-B": {"ORDER_COUNT": 3, "UNITS_SOLD": 4, "REVENUE": dec("75.60"), "AVG_UNIT_REVENUE": dec("18.90"),
                       "CUSTOMER_COUNT": 3, "FIRST_ORDER_AT": ntz("2025-03-02 11:55:00"),
                       "LAST_ORDER_AT": ntz(f"{today} 00:00:01"), "REVENUE_RANK": 2, "CURRENT_STOCK_LEVEL": 17},
            "WINE-C": {"ORDER_COUNT": 1, "UNITS_SOLD": 6, "REVENUE": dec("216.00"), "AVG_UNIT_REVENUE": dec("36.00"),
                       "CUSTOMER_COUNT": 1, "FIRST_ORDER_AT": ntz("2025-03-03 08:00:00"),
                       "LAST_ORDER_AT": ntz("2025-03-03 08:00:00"), "REVENUE_RANK": 1, "CURRENT_STOCK_LEVEL": 0},
        },
        "VW_PRODUCT_PERFORMANCE",
    )  # fmt: skip
    # Alerts. WINE-A: 118, no sale in the last 30 days -> no alert. WINE-B: 17 < 50 -> LOW; sold in the last 30
    # days: ORD-6 1 unit (ORD-7's 4 are cancelled) -> 1/30 = 0.03 a day, 17 / (1/30) = 510.0 days.
    # WINE-C: 0 -> OUT_OF_STOCK, no recent sale (ORD-3 was in 2025).
    assert_rows(
        keyed(final["alerts"], "PRODUCT_ID"),
        {
            "WINE-B": {"ALERT_LEVEL": "LOW", "ALERT_RANK": 3, "CURRENT_STOCK_LEVEL": 17, "AVG_DAILY_UNITS": dec("0.03"),
                       "DAYS_OF_STOCK_LEFT": dec("510.0"), "WAREHOUSE_LOCATION": "CAVE-B-01"},
            "WINE-C": {"ALERT_LEVEL": "OUT_OF_STOCK", "ALERT_RANK": 1, "CURRENT_STOCK_LEVEL": 0,
                       "AVG_DAILY_UNITS": dec("0.00"), "DAYS_OF_STOCK_LEFT": None},
        },
        "VW_INVENTORY_ALERTS",
    )  # fmt: skip

    # --- catalog queries through the CLI (numbers as JSON numbers) ---------------------------------------------
    assert caves_json("query", "kpi_today", db=fresh_db) == [
        {"ORDERS_TODAY": 1, "REVENUE_TODAY": 18.9, "CUSTOMERS_TODAY": 1, "AVG_BASKET_TODAY": 18.9, "UNITS_TODAY": 1}
    ]
    top = caves_json("query", "top_products_by_revenue", db=fresh_db)
    assert [(r["PRODUCT_ID"], r["UNITS_SOLD"], r["REVENUE"]) for r in top] == [
        ("WINE-C", 6, 216.0), ("WINE-B", 4, 75.6), ("WINE-A", 2, 51.0),
    ]  # fmt: skip
    rec = caves_json("query", "pipeline_reconciliation", db=fresh_db)
    assert {k: rec[0][k] for k in ("RAW_ROWS", "STAGED_ORDERS", "STAGED_ADJUSTMENTS", "REJECTED", "UNACCOUNTED")} == {
        "RAW_ROWS": 61, "STAGED_ORDERS": 13, "STAGED_ADJUSTMENTS": 10, "REJECTED": 38, "UNACCOUNTED": 0,
    }  # fmt: skip
    print_timings("known answers")


def test_total_amount_tolerance_is_exact(fresh_db, tmp_path):
    """DESIGN.md / events.schema.json: total_amount is "never higher than quantity * unit_price + 0.01".

    A total of exactly quantity * unit_price + 0.01 is valid (by hand: 1 x 2.01 + 0.01 = 2.02; 3 x 33.33 + 0.01 =
    100.00; 2 x 25.50 + 0.01 = 51.01; 1 x 0.10 + 0.01 = 0.11), anything more is not (2.03, 100.01, 51.02, and
    2.0200005: the schema's total_amount is any number, not a whole number of cents).
    The reference validator compares exact decimals; the pipeline must route these the same way.
    """

    def order(eid, quantity, price, total):
        return broken_order(eid, quantity=quantity, unit_price=price, total_amount=total, order_id=f"ORD-{eid}")

    too_high = "payload.total_amount is higher than quantity * unit_price"
    cases = [
        (order("t1", 1, 2.01, 2.02), None),
        (order("t2", 3, 33.33, 100.00), None),
        (order("t3", 2, 25.50, 51.01), None),
        (order("t4", 1, 0.10, 0.11), None),
        (order("t5", 1, 2.01, 2.03), too_high),
        (order("t6", 3, 33.33, 100.01), too_high),
        (order("t7", 2, 25.50, 51.02), too_high),
        (order("t8", 1, 2.01, 2.0200005), too_high),  # half a thousandth of a cent too high is too high
    ]
    for text, reason in cases:
        assert validate_message(text) == reason, text
    path = write_lines(tmp_path / "tolerance.jsonl", [text for text, _ in cases])
    caves("ingest", str(path), db=fresh_db)
    caves("pipeline", "run", "--until-idle", db=fresh_db)
    got = {
        json.loads(r["RAW_MESSAGE"])["event_id"]: r["REJECT_REASON"]
        for r in read(fresh_db, f"select RAW_MESSAGE, REJECT_REASON from {DB}.STAGING.REJECTED_EVENTS")
    }
    assert got == {"t5": too_high, "t6": too_high, "t7": too_high, "t8": too_high}
    staged = {r["EVENT_ID"] for r in read(fresh_db, f"select EVENT_ID from {DB}.STAGING.STG_ORDERS")}
    assert staged == {"t1", "t2", "t3", "t4"}


# ---------------------------------------------------------------------------------------------------------------
# Property test on simulated traffic
# ---------------------------------------------------------------------------------------------------------------


def _order_key(event: dict) -> tuple:
    return utc(event["event_timestamp"]), event["event_id"]


def test_simulated_traffic_matches_the_reference_validator_and_a_plain_fold(fresh_db, tmp_path):
    """DESIGN.md event contract on a few thousand simulated messages (redeliveries, late and broken messages).

    Oracle: the set of rejected RAW rows and their REJECT_REASON equals caves.events.validate_message over the
    RAW messages, plus 'duplicate event_id' for every valid event already delivered before (in arrival order:
    INGESTION_TIMESTAMP, then SOURCE_OFFSET); every other RAW row is staged once. PRODUCTION.ORDERS equals a
    plain-Python fold (the event with the latest event_timestamp per order_id, ties by event_id), and
    INVENTORY_CURRENT the sum of quantity_change over the distinct adjustments (first delivery of each
    adjustment_id). Delivered in three ingest batches with a pipeline run after the first and after the last,
    so redeliveries hit both the same stream read and an earlier run.
    """
    sim = tmp_path / "sim.jsonl"
    caves("simulate", "--days", "4", "--orders-per-day", "180", "--seed", "20260", "--redelivery-rate", "0.06",
          "--late-rate", "0.25", "--broken-rate", "0.05", "--output", str(sim), db=None)  # fmt: skip
    lines = sim.read_text(encoding="utf-8").split("\n")[:-1]
    third = len(lines) // 3
    chunks = [lines[:third], lines[third : 2 * third], lines[2 * third :]]
    for number, chunk in enumerate(chunks, start=1):
        caves("ingest", str(write_lines(tmp_path / f"chunk{number}.jsonl", chunk)), db=fresh_db)
        if number != 2:
            caves("pipeline", "run", "--until-idle", db=fresh_db)

    got = read_many(
        fresh_db,
        {
            "raw": f"select RAW_ID, RAW_MESSAGE, SOURCE_TOPIC, SOURCE_OFFSET from {DB}.RAW_DATA.RAW_EVENTS_STREAM "
            "order by INGESTION_TIMESTAMP, SOURCE_PARTITION, SOURCE_OFFSET, RAW_ID",
            "rejected": f"select RAW_ID, REJECT_REASON from {DB}.STAGING.REJECTED_EVENTS",
            "stg_orders": f"select RAW_ID from {DB}.STAGING.STG_ORDERS",
            "stg_adj": f"select RAW_ID from {DB}.STAGING.STG_INVENTORY_ADJUSTMENTS",
            "orders": f"select * from {DB}.PRODUCTION.ORDERS",
            "current": f"select * from {DB}.PRODUCTION.INVENTORY_CURRENT",
            "history": f"select ADJUSTMENT_ID, EVENT_ID from {DB}.PRODUCTION.INVENTORY_HISTORY",
        },
    )
    raw = got["raw"]
    assert len(raw) >= 2500
    # RAW holds every message exactly as sent (an empty line is the empty message: kept, then rejected).
    assert [r["RAW_MESSAGE"] for r in raw] == lines

    # The oracle, in arrival order.
    want_rejected: dict[str, str] = {}
    want_staged: dict[str, set[str]] = {"order": set(), "inventory_adjustment": set()}
    seen: set[str] = set()
    orders: dict[str, dict] = {}
    adjustments: dict[str, dict] = {}
    late = 0
    for r in raw:
        reason = validate_message(r["RAW_MESSAGE"])
        if reason is not None:
            want_rejected[r["RAW_ID"]] = reason
            continue
        event = parse_event(r["RAW_MESSAGE"])
        if event["event_id"] in seen:
            want_rejected[r["RAW_ID"]] = DUP
            continue
        seen.add(event["event_id"])
        want_staged[event["event_type"]].add(r["RAW_ID"])
        payload = event["payload"]
        if event["event_type"] == "order":
            current = orders.get(payload["order_id"])
            if current is None or _order_key(event) > _order_key(current):
                orders[payload["order_id"]] = event
            else:
                late += 1
        else:
            adjustments.setdefault(payload["adjustment_id"], event)

    reasons = collections.Counter(want_rejected.values())
    print(f"\n{len(raw)} RAW rows; rejected by reason: {dict(reasons)}; late older order events: {late}")
    assert reasons[DUP] > 20 and late > 20 and len(reasons) >= 8  # the sample exercises what it claims to

    assert {r["RAW_ID"]: r["REJECT_REASON"] for r in got["rejected"]} == want_rejected
    assert {r["RAW_ID"] for r in got["stg_orders"]} == want_staged["order"]
    assert len(got["stg_orders"]) == len(want_staged["order"])
    assert {r["RAW_ID"] for r in got["stg_adj"]} == want_staged["inventory_adjustment"]
    assert len(got["stg_adj"]) == len(want_staged["inventory_adjustment"])

    want_orders = {}
    for order_id, event in orders.items():
        p = event["payload"]
        want_orders[order_id] = {
            "CUSTOMER_ID": p["customer_id"], "PRODUCT_ID": p["product_id"], "PRODUCT_NAME": p["product_name"],
            "PRODUCT_CATEGORY": p["product_category"], "QUANTITY": int(p["quantity"]),
            "UNIT_PRICE": money(p["unit_price"]), "TOTAL_AMOUNT": money(p["total_amount"]),
            "PAYMENT_METHOD": p["payment_method"], "ORDER_STATUS": p["order_status"],
            "ORDER_DATE": utc(p["order_date"]), "SHIPPING_COUNTRY": p.get("shipping_country"),
            "LAST_EVENT_ID": event["event_id"], "LAST_EVENT_TIMESTAMP": utc(event["event_timestamp"]),
        }  # fmt: skip
    assert_rows(keyed(got["orders"], "ORDER_ID"), want_orders, "ORDERS vs fold")

    assert {r["ADJUSTMENT_ID"]: r["EVENT_ID"] for r in got["history"]} == {
        k: e["event_id"] for k, e in adjustments.items()
    }
    stock: dict[str, int] = collections.Counter()
    count: dict[str, int] = collections.Counter()
    for event in adjustments.values():
        stock[event["payload"]["product_id"]] += event["payload"]["quantity_change"]
        count[event["payload"]["product_id"]] += 1
    current = keyed(got["current"], "PRODUCT_ID")
    assert {k: (v["CURRENT_STOCK_LEVEL"], v["ADJUSTMENT_COUNT"]) for k, v in current.items()} == {
        k: (stock[k], count[k]) for k in stock
    }
    print_timings("simulated traffic")
