"""The shop simulator (caves.simulate): deterministic, valid against the contract, and believable."""

import json
import random
import re
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from statistics import mean
from typing import Any

import pytest

from caves.events import CATEGORIES, validate_message
from caves.simulate import (
    BROKEN_KINDS,
    CATALOGUE,
    LiveSimulator,
    SimConfig,
    generate_history,
    make_broken,
)

MONDAY = datetime(2026, 3, 2, tzinfo=UTC)  # two full weeks before it: Monday 16 Feb .. Sunday 1 Mar
CLEAN = SimConfig(seed=7, orders_per_day=150)
NOISY = SimConfig(seed=7, orders_per_day=150, redelivery_rate=0.05, late_rate=0.1, broken_rate=0.05)
_ORDER_OF_STATUS = {"pending": 0, "confirmed": 1, "shipped": 2, "delivered": 3, "cancelled": 4}


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def history() -> list[tuple[datetime, str]]:
    return list(generate_history(CLEAN, 14, MONDAY))


@pytest.fixture(scope="module")
def events(history) -> list[dict[str, Any]]:
    return [json.loads(text) for _, text in history]


@pytest.fixture(scope="module")
def orders(events) -> dict[str, list[dict[str, Any]]]:
    """Each order's events, in event-time order."""
    by_order = defaultdict(list)
    for event in events:
        if event["event_type"] == "order":
            by_order[event["payload"]["order_id"]].append(event)
    return {order_id: sorted(found, key=lambda e: e["event_timestamp"]) for order_id, found in by_order.items()}


@pytest.fixture(scope="module")
def placed(orders) -> list[dict[str, Any]]:
    """The first snapshot of every order."""
    return [found[0]["payload"] for found in orders.values()]


def test_same_seed_same_messages_other_seed_other_messages():
    """The simulator is a pure function of its config and the times given."""
    first = list(generate_history(SimConfig(seed=3, orders_per_day=80), 2, MONDAY))
    again = list(generate_history(SimConfig(seed=3, orders_per_day=80), 2, MONDAY))
    other = list(generate_history(SimConfig(seed=4, orders_per_day=80), 2, MONDAY))
    assert first == again
    assert [text for _, text in first] != [text for _, text in other]


def test_every_message_is_a_valid_event(history):
    """Without noise, every message passes the reference validator and every event_id is unique."""
    assert len(history) > 5_000
    assert [text for _, text in history if validate_message(text) is not None] == []
    ids = [json.loads(text)["event_id"] for _, text in history]
    assert len(set(ids)) == len(ids)


def test_messages_are_sent_in_time_order_within_the_window(history, events):
    """The history covers [end - days, end), in order, and each message's time is its event_timestamp."""
    times = [moment for moment, _ in history]
    assert times == sorted(times)
    assert MONDAY - timedelta(days=14) <= times[0] and times[-1] < MONDAY
    assert all(_ts(event["event_timestamp"]) == moment for (moment, _), event in zip(history, events, strict=True))


def test_message_format(history):
    """Compact UTF-8 JSON, ISO-8601 UTC timestamps with milliseconds and 'Z', uuid4 ids, 2-decimal amounts."""
    uuid4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
    stamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
    for _, text in history[:3000]:
        event = json.loads(text)
        assert text == json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        assert uuid4.fullmatch(event["event_id"])
        assert stamp.fullmatch(event["event_timestamp"])
        payload = event["payload"]
        if event["event_type"] == "order":
            assert stamp.fullmatch(payload["order_date"])
            assert re.fullmatch(r"ORD-\d{8}-\d{6}", payload["order_id"])
            assert payload["total_amount"] == round(payload["total_amount"], 2)
            assert payload["unit_price"] == round(payload["unit_price"], 2)
        else:
            assert re.fullmatch(r"ADJ-\d{4}-\d\d-\d\d-\d{4}", payload["adjustment_id"])
    assert any("Rosé" in text for _, text in history)


def test_order_lifecycles_are_ordered(orders):
    """pending, then confirmed minutes (bank transfer: hours) later, shipped after 1-2 days, delivered after;
    or cancelled instead; each status once, a new event_id each, the same order snapshot."""
    for found in orders.values():
        statuses = [event["payload"]["order_status"] for event in found]
        assert statuses[0] == "pending"
        assert statuses == sorted(statuses, key=_ORDER_OF_STATUS.get)
        assert len(set(statuses)) == len(statuses)
        assert statuses in (
            ["pending"],
            ["pending", "confirmed"],
            ["pending", "confirmed", "shipped"],
            ["pending", "confirmed", "shipped", "delivered"],
            ["pending", "cancelled"],
            ["pending", "confirmed", "cancelled"],
        )
        assert len({event["event_id"] for event in found}) == len(found)
        assert len({json.dumps({**e["payload"], "order_status": ""}) for e in found}) == 1
        at = {event["payload"]["order_status"]: _ts(event["event_timestamp"]) for event in found}
        assert at["pending"] == _ts(found[0]["payload"]["order_date"])
        if "confirmed" in at:
            limit = (
                timedelta(hours=36)
                if found[0]["payload"]["payment_method"] == "bank_transfer"
                else timedelta(minutes=15)
            )
            assert timedelta(0) < at["confirmed"] - at["pending"] <= limit
        if "shipped" in at:
            assert timedelta(days=1) <= at["shipped"] - at["confirmed"] <= timedelta(days=4)
        if "delivered" in at:
            assert timedelta(days=1) <= at["delivered"] - at["shipped"] <= timedelta(days=6)


def test_about_five_percent_of_orders_are_cancelled(orders):
    """About 5 % of orders end cancelled, never after being shipped."""
    finished = [found for found in orders.values() if found[0]["event_timestamp"] < "2026-02-27"]
    cancelled = sum(found[-1]["payload"]["order_status"] == "cancelled" for found in finished)
    assert 0.03 < cancelled / len(finished) < 0.07


def test_each_confirmed_order_makes_one_sale_and_a_cancellation_gives_it_back(events, orders):
    """A sale adjustment of -quantity follows each confirmation; a cancelled confirmed order is corrected back."""
    sales = {e["payload"]["reason"].split()[-1]: e for e in events if e["payload"].get("adjustment_type") == "sale"}
    undone = {e["payload"]["reason"].split()[-1] for e in events if e["payload"].get("reason", "").startswith("annul")}
    for order_id, found in orders.items():
        statuses = [event["payload"]["order_status"] for event in found]
        if "confirmed" in statuses and found[-1]["event_timestamp"] < "2026-03-01T23":
            sale = sales[order_id]["payload"]
            assert sale["quantity_change"] == -found[0]["payload"]["quantity"]
            assert sale["product_id"] == found[0]["payload"]["product_id"]
        if statuses[-2:] == ["confirmed", "cancelled"] and found[-1]["event_timestamp"] < "2026-03-01T23":
            assert order_id in undone
        if "confirmed" not in statuses:
            assert order_id not in sales


@pytest.fixture(scope="module")
def adjustments() -> list[dict[str, Any]]:
    """Two months of inventory adjustments, in event-time order."""
    found = []
    for _, text in generate_history(SimConfig(seed=11, orders_per_day=100), 60, MONDAY):
        event = json.loads(text)
        if event["event_type"] == "inventory_adjustment":
            found.append(event["payload"] | {"event_timestamp": event["event_timestamp"]})
    return sorted(found, key=lambda adjustment: adjustment["event_timestamp"])


def test_every_kind_of_adjustment_happens(adjustments):
    """Restocks, sales, returns, breakage and inventory corrections all occur, each with a reason."""
    kinds = Counter(adjustment["adjustment_type"] for adjustment in adjustments)
    assert set(kinds) == {"restock", "sale", "return", "breakage", "correction"}
    assert kinds["restock"] > len(CATALOGUE)  # more than the opening stock: the shop restocks
    assert all(adjustment["reason"] for adjustment in adjustments)


def test_stock_never_goes_negative(adjustments):
    """Summing quantity_change in event-time order, no product ever has negative stock."""
    stock: Counter[str] = Counter()
    for adjustment in adjustments:
        stock[adjustment["product_id"]] += adjustment["quantity_change"]
        assert stock[adjustment["product_id"]] >= 0


def test_every_product_gets_an_initial_stock(events):
    """The history starts with one restock per product of the catalogue."""
    first = events[: len(CATALOGUE)]
    assert {e["payload"]["adjustment_type"] for e in first} == {"restock"}
    assert {e["payload"]["product_id"] for e in first} == {wine.product_id for wine in CATALOGUE}


def test_some_products_end_low_and_a_few_sold_out(adjustments):
    """After two months, some products are under the 50-unit alert threshold and a few at 0."""
    stock = Counter({wine.product_id: 0 for wine in CATALOGUE})
    for adjustment in adjustments:
        stock[adjustment["product_id"]] += adjustment["quantity_change"]
    levels = list(stock.values())
    assert 2 <= levels.count(0) <= 12
    assert 5 <= sum(level < 50 for level in levels) <= 60
    assert sum(level >= 50 for level in levels) >= 60


def test_weekends_are_busier_than_weekdays(placed):
    """Weekly seasonality: the average Saturday/Sunday has more orders than the average weekday."""
    per_day = Counter(_ts(order["order_date"]).date() for order in placed)
    weekend = [count for day, count in per_day.items() if day.weekday() >= 5]
    weekday = [count for day, count in per_day.items() if day.weekday() < 5]
    assert len(weekend) == 4 and len(weekday) == 10
    assert mean(weekend) > 1.15 * mean(weekday)
    assert 0.8 * 150 < len(placed) / 14 < 1.2 * 150


def test_evenings_are_busier_than_nights(placed):
    """Daily seasonality: 19h-21h has several times the orders of 2h-4h."""
    hours = Counter(_ts(order["order_date"]).hour for order in placed)
    assert hours[19] + hours[20] + hours[21] > 5 * (hours[2] + hours[3] + hours[4])
    assert max(hours, key=hours.get) in (19, 20, 21)


def test_mix_of_categories_payments_quantities_countries(placed):
    """All 7 categories sell; payments ~60/20/12/8 %; quantities 1-6, mostly 1-2; customers mostly in France."""
    categories = Counter(order["product_category"] for order in placed)
    assert set(categories) == set(CATEGORIES)
    assert categories.most_common(1)[0][0] == "Rouge"
    payments = Counter(order["payment_method"] for order in placed)
    shares = {method: count / len(placed) for method, count in payments.items()}
    assert shares["card"] == pytest.approx(0.60, abs=0.04)
    assert shares["paypal"] == pytest.approx(0.20, abs=0.03)
    assert shares["apple_pay"] == pytest.approx(0.12, abs=0.03)
    assert shares["bank_transfer"] == pytest.approx(0.08, abs=0.03)
    quantities = Counter(order["quantity"] for order in placed)
    assert set(quantities) <= set(range(1, 7))
    assert (quantities[1] + quantities[2]) / len(placed) > 0.65
    countries = Counter(order["shipping_country"] for order in placed)
    assert countries["FR"] / len(placed) > 0.7 and len(countries) >= 5


def test_a_few_customers_buy_a_lot(placed):
    """Long tail: the top 20 % of buyers place about half of the orders; some customers come back often."""
    per_customer = sorted(Counter(order["customer_id"] for order in placed).values(), reverse=True)
    top = per_customer[: len(per_customer) // 5]
    assert 0.35 < sum(top) / sum(per_customer) < 0.75
    assert per_customer[0] >= 5


def test_champagne_sells_more_in_december():
    """Seasonality: Champagne's share of orders in December is at least twice its share in October."""

    def champagne_share(end: datetime) -> float:
        placed = [
            json.loads(text)["payload"]
            for _, text in generate_history(SimConfig(seed=5, orders_per_day=100), 10, end)
            if '"order_status":"pending"' in text
        ]
        return sum(order["product_category"] == "Champagne" for order in placed) / len(placed)

    assert champagne_share(datetime(2026, 12, 20, tzinfo=UTC)) > 2 * champagne_share(datetime(2026, 10, 20, tzinfo=UTC))


def test_catalogue_looks_like_a_french_wine_shop():
    """~120 wines, ids WINE-0001.., unique names, 7 categories, prices fitting each category, cellar locations."""
    assert len(CATALOGUE) == 120
    assert [wine.product_id for wine in CATALOGUE] == [f"WINE-{n:04d}" for n in range(1, 121)]
    assert len({wine.name for wine in CATALOGUE}) == 120
    assert {wine.category for wine in CATALOGUE} == set(CATEGORIES)
    ranges = {"Rosé": (8, 25), "Champagne": (28, 120), "Spiritueux": (35, 150), "Effervescent": (9, 30)}
    for wine in CATALOGUE:
        low, high = ranges.get(wine.category, (8, 100))
        assert low <= wine.unit_price <= high, wine
        assert re.fullmatch(r"CAVE-[A-G]-\d\d", wine.warehouse_location)
    assert len({wine.warehouse_location for wine in CATALOGUE}) == 120
    assert 3 <= sum(wine.discontinued for wine in CATALOGUE) <= 10


@pytest.mark.parametrize("event_type", sorted(BROKEN_KINDS))
def test_every_broken_kind_is_rejected_with_the_right_reason(event_type, events):
    """Each kind of malformed message fails validation, for the reason its kind names."""
    expected = {
        "not_json": "not valid JSON",
        "truncated_json": "not valid JSON",
        "json_array": "not a JSON object",
        "unknown_event_type": "unknown event_type",
        "missing_field": "missing field",
        "wrong_type": "must be a",
        "bad_timestamp": "is not an ISO-8601 date-time",
        "bad_category": "unknown payload.product_category",
        "empty_event_id": "event_id must not be empty",
        "quantity_zero": "payload.quantity must be >= 1",
        "negative_price": "payload.unit_price must be > 0",
        "total_too_high": "payload.total_amount is higher",
        "quantity_change_zero": "payload.quantity_change must not be 0",
        "wrong_sign": "payload.quantity_change must be",
    }
    samples = [event for event in events if event["event_type"] == event_type][:200]
    rng = random.Random(1)
    for kind in BROKEN_KINDS[event_type]:
        for event in samples[:40]:
            text = make_broken(kind, event, rng)
            reason = validate_message(text)
            # not_json includes the empty message (an empty Kafka value), which has its own reason.
            want = "empty message" if text == "" else expected[kind]
            assert reason is not None and want in reason, (kind, reason)


def test_make_broken_refuses_a_kind_foreign_to_the_event_type(events):
    """quantity_change_zero has no meaning for an order."""
    order = next(event for event in events if event["event_type"] == "order")
    with pytest.raises(ValueError, match="quantity_change_zero"):
        make_broken("quantity_change_zero", order, random.Random(0))


@pytest.fixture(scope="module")
def noisy() -> list[tuple[datetime, str]]:
    return list(generate_history(NOISY, 3, MONDAY))


def test_noise_is_added_on_top_of_the_same_shop_story(noisy):
    """With redeliveries, late and broken messages, the valid messages are the clean run's messages, except
    status events still held back at the end of the window (they are sent after the next status)."""
    clean = {text for _, text in generate_history(CLEAN, 3, MONDAY)}
    valid = {text for _, text in noisy if validate_message(text) is None}
    assert valid <= clean
    held = [json.loads(text)["payload"] for text in clean - valid]
    assert all(payload.get("order_status") in ("pending", "confirmed", "shipped") for payload in held)
    assert len(held) < 0.05 * len(clean)
    assert [moment for moment, _ in noisy] == sorted(moment for moment, _ in noisy)


def test_redeliveries_repeat_an_earlier_message_verbatim(noisy):
    """A redelivery is the same text, same event_id, sent again later; about redelivery_rate of messages."""
    valid = [text for _, text in noisy if validate_message(text) is None]
    repeated = len(valid) - len(set(valid))
    assert 0.03 * len(valid) < repeated < 0.07 * len(valid)


def test_some_status_events_arrive_after_a_newer_one(noisy):
    """Late delivery: for some orders an older status event is sent after a newer one."""
    last_sent: dict[str, str] = {}
    late = 0
    for _, text in noisy:
        event = json.loads(text) if validate_message(text) is None else None
        if event is None or event["event_type"] != "order":
            continue
        order_id = event["payload"]["order_id"]
        if event["event_timestamp"] < last_sent.get(order_id, ""):
            late += 1
        last_sent[order_id] = max(last_sent.get(order_id, ""), event["event_timestamp"])
    assert late > 20


def test_broken_messages_come_in_every_kind(noisy):
    """broken_rate adds malformed messages of many kinds (about 5 % here), every one of them rejected."""
    reasons = [reason for _, text in noisy if (reason := validate_message(text)) is not None]
    assert 0.03 * len(noisy) < len(reasons) < 0.07 * len(noisy)
    assert {"not valid JSON", "not a JSON object", "event_id must not be empty"} <= set(reasons)
    assert any(reason.startswith("missing field") for reason in reasons)
    assert any(reason.endswith("is not an ISO-8601 date-time") for reason in reasons)


def test_live_continues_the_history_whatever_the_batches():
    """A LiveSimulator opened when the history's shop opened carries on where generate_history stopped,
    however its calls are spaced."""
    config = SimConfig(seed=9, orders_per_day=120)
    start = MONDAY - timedelta(days=1)
    expected = [text for moment, text in generate_history(config, 3, MONDAY) if moment >= start]
    live = LiveSimulator(config, start, opened_at=MONDAY - timedelta(days=3))
    got = []
    moment = start
    step = random.Random(0)
    while moment < MONDAY - timedelta(milliseconds=1):
        moment = min(moment + timedelta(minutes=step.randint(1, 90)), MONDAY - timedelta(milliseconds=1))
        got += live.next_batch(moment)
    assert got == expected
    assert live.next_batch(moment) == []


def test_live_rate_drives_the_number_of_events():
    """A fresh shop records its opening stock, then with rate=R events/s places about R / 4.9 orders per second."""
    start = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)  # a quiet night: `rate` replaces the daily profile
    live = LiveSimulator(SimConfig(seed=2, rate=2.0), start)
    opening = live.next_batch(start + timedelta(minutes=10))
    assert sum('"reason":"stock initial"' in text for text in opening) == len(CATALOGUE)
    batch = live.next_batch(start + timedelta(minutes=40))
    placed = sum('"order_status":"pending"' in text for text in batch)
    assert placed == pytest.approx(2 / 4.9 * 1800, rel=0.15)
    assert all(validate_message(text) is None for text in opening + batch)


@pytest.mark.parametrize(
    "changes", [{"broken_rate": 1.5}, {"redelivery_rate": -0.1}, {"orders_per_day": 0}, {"rate": 0}, {"customers": 0}]
)
def test_config_rejects_impossible_values(changes):
    """Rates are probabilities; volumes are positive."""
    with pytest.raises(ValueError):
        SimConfig(**changes)
