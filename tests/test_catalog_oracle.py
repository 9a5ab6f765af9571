"""The DESIGN.md contract queries checked against an independent plain-Python computation over hand-made events.

A small event set is written here (16 orders of 3 customers over 6 wines, dated today, yesterday and 10-95 days
ago; a later 'cancelled' status for two orders; a late OLDER event for one order that must not win; one
redelivered order event; inventory adjustments for the 6 wines with one redelivered adjustment; two broken
messages). It is fed through the CLI (`caves init`, `caves ingest`, `caves pipeline run --until-idle`) once per
module. Each expected result is computed from the events themselves — never from another query:
the latest event_timestamp per order wins, a repeated event_id has no effect, cancelled orders are excluded from
revenue/units/order counts, stock = sum of quantity_change over distinct adjustments.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from pipeline.helpers import caves

from caves.catalog import load_catalog
from caves.settings import load_settings
from caves.warehouse.local import LocalWarehouse

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent

logging.getLogger("sqlglot").setLevel(logging.ERROR)

CATALOG = load_catalog()
MONEY = 0.005
SHARE = 1e-6

NOW = dt.datetime.now(dt.UTC).replace(tzinfo=None)
TODAY = NOW.date()
MIDNIGHT = dt.datetime.combine(TODAY, dt.time())

PRODUCTS = {
    "WINE-T01": ("Château Alpha 2018", "Rouge", "CAVE-A-01"),
    "WINE-T02": ("Chablis Beta 2020", "Blanc", "CAVE-A-02"),
    "WINE-T03": ("Champagne Gamma Brut", "Champagne", "CAVE-B-01"),
    "WINE-T04": ("Rosé Delta 2022", "Rosé", "CAVE-B-02"),
    "WINE-T05": ("Sauternes Epsilon 2015", "Liquoreux", "CAVE-C-01"),
    "WINE-T06": ("Cognac Zeta XO", "Spiritueux", "CAVE-C-02"),
}


def iso(ts: dt.datetime) -> str:
    return ts.isoformat(timespec="milliseconds") + "Z"


def today_at(fraction: float) -> dt.datetime:
    """A moment of the current UTC day that is already past (a fraction of the time elapsed since midnight)."""
    return MIDNIGHT + (NOW - MIDNIGHT) * fraction


def days_ago(days: int, hour: int) -> dt.datetime:
    return MIDNIGHT - dt.timedelta(days=days) + dt.timedelta(hours=hour)


# (order_id, customer, product, quantity, unit_price, payment, order_date)
ORDERS = [
    ("ORD-T-01", "CUST-T1", "WINE-T01", 3, 30.0, "card", today_at(0.2)),
    ("ORD-T-02", "CUST-T2", "WINE-T03", 1, 60.0, "paypal", today_at(0.3)),
    ("ORD-T-03", "CUST-T1", "WINE-T02", 3, 25.0, "card", today_at(0.4)),  # cancelled later today
    ("ORD-T-04", "CUST-T3", "WINE-T04", 2, 12.5, "apple_pay", days_ago(1, 9)),
    ("ORD-T-05", "CUST-T2", "WINE-T01", 1, 30.0, "card", days_ago(1, 14)),
    ("ORD-T-06", "CUST-T1", "WINE-T05", 2, 40.0, "bank_transfer", days_ago(10, 12)),
    ("ORD-T-07", "CUST-T3", "WINE-T03", 2, 50.0, "card", days_ago(12, 10)),  # late older event (qty 1) after
    ("ORD-T-08", "CUST-T2", "WINE-T02", 4, 25.0, "paypal", days_ago(20, 16)),
    ("ORD-T-09", "CUST-T1", "WINE-T04", 2, 12.5, "card", days_ago(40, 11)),
    ("ORD-T-10", "CUST-T3", "WINE-T01", 3, 30.0, "card", days_ago(45, 15)),
    ("ORD-T-11", "CUST-T2", "WINE-T05", 1, 40.0, "bank_transfer", days_ago(60, 8)),
    ("ORD-T-12", "CUST-T1", "WINE-T06", 1, 80.0, "card", days_ago(80, 13)),  # cancelled later
    ("ORD-T-14", "CUST-T2", "WINE-T02", 2, 25.0, "card", days_ago(95, 17)),
    ("ORD-T-15", "CUST-T3", "WINE-T05", 3, 40.0, "apple_pay", days_ago(15, 19)),  # redelivered
    ("ORD-T-16", "CUST-T1", "WINE-T01", 1, 30.0, "card", days_ago(1, 18)),
    ("ORD-T-17", "CUST-T2", "WINE-T05", 4, 40.0, "paypal", days_ago(25, 12)),
]

# (adjustment_id, product, type, quantity_change, days ago)
ADJUSTMENTS = [
    ("ADJ-T-01", "WINE-T01", "restock", 150, 50), ("ADJ-T-02", "WINE-T01", "sale", -30, 5),
    ("ADJ-T-03", "WINE-T02", "restock", 60, 50), ("ADJ-T-04", "WINE-T02", "sale", -10, 5),
    ("ADJ-T-05", "WINE-T03", "restock", 20, 50), ("ADJ-T-06", "WINE-T03", "breakage", -3, 7),
    ("ADJ-T-07", "WINE-T03", "sale", -5, 3),
    ("ADJ-T-08", "WINE-T04", "restock", 24, 50), ("ADJ-T-09", "WINE-T04", "sale", -20, 4),
    ("ADJ-T-10", "WINE-T04", "breakage", -4, 2),
    ("ADJ-T-11", "WINE-T05", "restock", 210, 50), ("ADJ-T-12", "WINE-T05", "correction", -10, 6),
    ("ADJ-T-13", "WINE-T06", "restock", 36, 50), ("ADJ-T-14", "WINE-T06", "return", 2, 8),
    ("ADJ-T-15", "WINE-T06", "sale", -8, 3),
]  # fmt: skip

BROKEN = [
    '{"event_id": "broken-1", "event_type": "order", "payload": {',  # not JSON
    json.dumps({"event_id": "broken-2", "event_type": "order", "event_timestamp": "yesterday at noon", "payload": {}}),
]


def order_event(event_id: str, row: tuple, *, status: str, at: dt.datetime, quantity: int | None = None) -> dict:
    order_id, customer, product, qty, price, payment, order_date = row
    qty = qty if quantity is None else quantity
    name, category, _ = PRODUCTS[product]
    return {
        "event_id": event_id, "event_type": "order", "event_timestamp": iso(at), "source": "webshop",
        "payload": {
            "order_id": order_id, "customer_id": customer, "product_id": product, "product_name": name,
            "product_category": category, "quantity": qty, "unit_price": price, "total_amount": round(qty * price, 2),
            "currency": "EUR", "payment_method": payment, "order_status": status, "order_date": iso(order_date),
            "shipping_country": "FR",
        },
    }  # fmt: skip


def build_events() -> list[dict]:
    """The valid events, in delivery order (redeliveries and the late older event included)."""
    events: list[dict] = []
    by_id = {r[0]: r for r in ORDERS}
    for row in ORDERS:
        events.append(order_event(f"EV-{row[0]}-a", row, status="confirmed", at=row[6] + dt.timedelta(seconds=1)))
    # a later 'cancelled' for two orders
    o3 = by_id["ORD-T-03"]
    events.append(order_event("EV-ORD-T-03-b", o3, status="cancelled", at=today_at(0.5)))
    o12 = by_id["ORD-T-12"]
    events.append(order_event("EV-ORD-T-12-b", o12, status="cancelled", at=o12[6] + dt.timedelta(hours=2)))
    # a late OLDER event of ORD-T-07 (pending, one bottle) arrives after the newer one: it must not win
    o7 = by_id["ORD-T-07"]
    events.append(order_event("EV-ORD-T-07-0", o7, status="pending", at=o7[6], quantity=1))
    # a redelivered order event
    events.append(next(e for e in events if e["event_id"] == "EV-ORD-T-15-a"))
    for adj_id, product, kind, change, ago in ADJUSTMENTS:
        name, category, location = PRODUCTS[product]
        events.append({
            "event_id": f"EV-{adj_id}", "event_type": "inventory_adjustment",
            "event_timestamp": iso(days_ago(ago, 7)), "source": "warehouse-scanner",
            "payload": {
                "adjustment_id": adj_id, "product_id": product, "product_name": name, "product_category": category,
                "warehouse_location": location, "adjustment_type": kind, "quantity_change": change, "reason": "test",
            },
        })  # fmt: skip
    # a redelivered adjustment
    events.append(next(e for e in events if e["event_id"] == "EV-ADJ-T-03"))
    return events


EVENTS = build_events()
LINES = [json.dumps(e, ensure_ascii=False) for e in EVENTS] + BROKEN


# ------------------------------------------------------------------------------------------- the oracle


def distinct_events() -> list[dict]:
    seen: dict[str, dict] = {}
    for e in EVENTS:
        seen.setdefault(e["event_id"], e)
    return list(seen.values())


def current_orders() -> dict[str, dict]:
    """Per order_id, the payload of the event with the latest event_timestamp."""
    best: dict[str, tuple[str, dict]] = {}
    for e in distinct_events():
        if e["event_type"] != "order":
            continue
        p = e["payload"]
        if p["order_id"] not in best or e["event_timestamp"] > best[p["order_id"]][0]:
            best[p["order_id"]] = (e["event_timestamp"], p)
    return {k: v[1] for k, v in best.items()}


def live_orders() -> list[dict]:
    return [p for p in current_orders().values() if p["order_status"] != "cancelled"]


def order_day(p: dict) -> dt.date:
    return dt.datetime.fromisoformat(p["order_date"].replace("Z", "")).date()


def order_ts(p: dict) -> dt.datetime:
    return dt.datetime.fromisoformat(p["order_date"].replace("Z", ""))


def stock() -> dict[str, int]:
    levels: dict[str, int] = {}
    for e in distinct_events():
        if e["event_type"] == "inventory_adjustment":
            p = e["payload"]
            levels[p["product_id"]] = levels.get(p["product_id"], 0) + p["quantity_change"]
    return levels


def dec(x: Any) -> Decimal:
    return Decimal(str(x))


def round_half_up(x: Decimal, places: int) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def per_product() -> dict[str, dict]:
    out: dict[str, dict] = {}
    for p in live_orders():
        r = out.setdefault(p["product_id"], {"PRODUCT_NAME": p["product_name"], "UNITS_SOLD": 0, "REVENUE": Decimal(0)})
        r["UNITS_SOLD"] += p["quantity"]
        r["REVENUE"] += dec(p["total_amount"])
    return out


def per_customer() -> dict[str, dict]:
    out: dict[str, dict] = {}
    for p in live_orders():
        r = out.setdefault(p["customer_id"], {"ORDER_COUNT": 0, "LIFETIME_VALUE": Decimal(0), "LAST": None})
        r["ORDER_COUNT"] += 1
        r["LIFETIME_VALUE"] += dec(p["total_amount"])
        r["LAST"] = max(filter(None, [r["LAST"], order_ts(p)]))
    return out


# ------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> LocalWarehouse:
    root = tmp_path_factory.mktemp("catalog_oracle")
    events = root / "events.jsonl"
    events.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    db = root / "warehouse.duckdb"
    caves("init", db=db)
    caves("ingest", str(events), db=db)
    caves("pipeline", "run", "--until-idle", db=db)
    wh = LocalWarehouse(db)
    yield wh
    wh.close()


def run(warehouse: LocalWarehouse, query_id: str, **values: Any) -> list[dict[str, Any]]:
    query = CATALOG.get(query_id)
    sql, params = query.bind(values)
    frame = warehouse.query(sql, params)
    assert list(frame.columns)[: len(query.columns)] == list(query.columns)
    rows = frame.to_dict(orient="records")
    for r in rows:
        for k, v in r.items():
            if hasattr(v, "item") and not isinstance(v, str | bytes):
                r[k] = v.item()  # numpy scalar → Python
    return rows


def money(actual: Any, expected: Any) -> bool:
    return actual is not None and abs(float(actual) - float(expected)) <= MONEY


# ------------------------------------------------------------------------------------- design sanity


def test_hand_made_data_exercises_the_edges():
    """Rule (about the fixture itself): the data was built to hit the boundaries the contract tests rely on —
    total revenue 1000, ABC cumulative shares exactly 0.80 and 0.95, one customer exactly at the VIP threshold,
    one product exactly at the low-stock threshold, one at zero stock."""
    assert sum(r["REVENUE"] for r in per_product().values()) == Decimal(1000)
    assert sorted(r["REVENUE"] for r in per_product().values()) == [50, 150, 160, 240, 400]
    assert sorted(r["LIFETIME_VALUE"] for r in per_customer().values()) == [225, 335, 440]
    assert stock() == {"WINE-T01": 120, "WINE-T02": 50, "WINE-T03": 12, "WINE-T04": 0, "WINE-T05": 200,
                       "WINE-T06": 30}  # fmt: skip
    assert current_orders()["ORD-T-07"]["quantity"] == 2


# ------------------------------------------------------------------------------------------------ KPIs


def pd_timestamp(value: Any) -> dt.datetime:
    return value.to_pydatetime() if hasattr(value, "to_pydatetime") else value


def day_totals(day: dt.date, until: dt.datetime | None = None) -> dict[str, Decimal]:
    """The non-cancelled orders of `day` (only those placed up to `until`, when given)."""
    rows = [p for p in live_orders() if order_day(p) == day and (until is None or order_ts(p) <= until)]
    revenue = sum((dec(p["total_amount"]) for p in rows), Decimal(0))
    orders = len(rows)
    return {
        "ORDERS": Decimal(orders),
        "REVENUE": revenue,
        "CUSTOMERS": Decimal(len({p["customer_id"] for p in rows})),
        "AVG_BASKET": round_half_up(revenue / orders, 2) if orders else Decimal(0),
        "UNITS_SOLD": Decimal(sum(p["quantity"] for p in rows)),
    }


def test_kpi_today(warehouse):
    """Rule: today's KPIs count the non-cancelled orders placed on the current UTC day (the current status of
    each order is its latest event; a later 'cancelled' removes it): orders, revenue, distinct customers and
    the average basket."""
    t = day_totals(TODAY)
    (row,) = run(warehouse, "kpi_today")
    assert row["ORDERS_TODAY"] == int(t["ORDERS"]) == 2
    assert money(row["REVENUE_TODAY"], t["REVENUE"])
    assert row["CUSTOMERS_TODAY"] == int(t["CUSTOMERS"])
    assert money(row["AVG_BASKET_TODAY"], t["AVG_BASKET"])


def test_kpi_today_vs_yesterday(warehouse):
    """Rule: each metric for today so far and for yesterday up to the same time of day (UTC, cancelled
    excluded), so that a partial day compares with a partial day; YESTERDAY_UNTIL is that moment (now - 1 day),
    and DELTA_PCT = round((today - yesterday) * 100 / yesterday, 1), empty when yesterday is 0."""
    asked = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = {r["METRIC"]: r for r in run(warehouse, "kpi_today_vs_yesterday")}
    answered = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    until = {pd_timestamp(r["YESTERDAY_UNTIL"]) for r in rows.values()}
    assert len(until) == 1, until
    (cutoff,) = until
    assert asked - dt.timedelta(days=1) <= cutoff <= answered - dt.timedelta(days=1)
    t, y = day_totals(TODAY), day_totals(TODAY - dt.timedelta(days=1), until=cutoff)
    assert set(rows) >= {"ORDERS", "REVENUE", "CUSTOMERS", "AVG_BASKET"}
    for metric, r in rows.items():
        assert metric in t, metric
        assert money(r["TODAY"], t[metric]), (metric, r, t[metric])
        assert money(r["YESTERDAY"], y[metric]), (metric, r, y[metric])
        if y[metric] == 0:
            assert r["DELTA_PCT"] is None or r["DELTA_PCT"] != r["DELTA_PCT"], (metric, r)
        else:
            delta = round_half_up((t[metric] - y[metric]) * 100 / y[metric], 1)
            assert abs(float(r["DELTA_PCT"]) - float(delta)) <= 1e-6, (metric, r, delta)


def projection_at(now: dt.datetime) -> float:
    """month_end_projection's rule, computed from the events for the moment `now`: revenue so far this month plus
    the hours left at the shop's profile (average revenue per weekday and hour over the last 28 full days, or
    since the first order when the shop is younger), scaled by (month so far + a week of profile) / (what the
    profile expected of the month so far + a week of profile)."""
    orders = [(order_ts(p), float(p["total_amount"])) for p in live_orders()]
    today = now.date()
    month_start = dt.datetime(today.year, today.month, 1)
    next_month = dt.datetime(today.year + (today.month == 12), today.month % 12 + 1, 1)
    window_start = max(dt.datetime.combine(today - dt.timedelta(days=28), dt.time()), min(o for o, _ in orders))
    window_start = dt.datetime.combine(window_start.date(), dt.time())
    window_days = (today - window_start.date()).days
    window_end = dt.datetime.combine(today, dt.time())
    slots: dict[tuple[int, int], float] = {}
    for moment, amount in orders:
        if window_start <= moment < window_end:
            key = (moment.isoweekday(), moment.hour)
            slots[key] = slots.get(key, 0.0) + amount * 7 / window_days
    week = sum(slots.values())
    expected_month = expected_elapsed = 0.0
    hour = month_start
    while hour < next_month:
        slot = slots.get((hour.isoweekday(), hour.hour), 0.0)
        expected_month += slot
        expected_elapsed += slot * min(1.0, max(0.0, (now - hour).total_seconds() / 3600))
        hour += dt.timedelta(hours=1)
    mtd = sum(amount for moment, amount in orders if month_start <= moment <= now)
    return mtd + (expected_month - expected_elapsed) * (mtd + week) / (expected_elapsed + week)


def test_month_end_projection_follows_the_shop_profile(warehouse):
    """Rule: the month-end projection is not a straight line through the month so far: the hours left follow the
    shop's weekday-by-hour profile of the last four weeks, scaled by how the month runs (with a week of profile as
    weight); the previous month is the whole calendar month before, cancelled orders excluded throughout."""
    asked = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    (row,) = run(warehouse, "month_end_projection")
    answered = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    # More of the month elapsed means less left to project: the answer lies between the two moments' projections.
    low, high = sorted((projection_at(answered), projection_at(asked)))
    assert low - MONEY <= float(row["PROJECTED_REVENUE"]) <= high + MONEY, (row, low, high)
    month_start = dt.datetime(TODAY.year, TODAY.month, 1)
    previous_start = dt.datetime(TODAY.year - (TODAY.month == 1), (TODAY.month - 2) % 12 + 1, 1)
    previous = sum(float(p["total_amount"]) for p in live_orders() if previous_start <= order_ts(p) < month_start)
    assert money(row["PREVIOUS_MONTH_REVENUE"], previous)
    mtd = sum(float(p["total_amount"]) for p in live_orders() if month_start <= order_ts(p) <= answered)
    assert money(row["REVENUE_MTD"], mtd)


# ------------------------------------------------------------------------------------------------ tops


def test_top_products_by_revenue(warehouse):
    """Rule: per product, units and revenue of the non-cancelled orders (current status, distinct events),
    ordered by revenue descending; `limit` keeps the first N."""
    expected = sorted(per_product().items(), key=lambda kv: (-kv[1]["REVENUE"], kv[0]))
    for limit in (10, 3):
        rows = run(warehouse, "top_products_by_revenue", limit=limit)
        assert [r["PRODUCT_ID"] for r in rows] == [k for k, _ in expected][:limit]
        for r, (_, e) in zip(rows, expected, strict=False):
            assert r["PRODUCT_NAME"] == e["PRODUCT_NAME"]
            assert r["UNITS_SOLD"] == e["UNITS_SOLD"]
            assert money(r["REVENUE"], e["REVENUE"])


def test_top_products_by_units(warehouse):
    """Rule: per product, units and revenue of the non-cancelled orders, ordered by units sold descending;
    `limit` keeps the first N."""
    expected = sorted(per_product().items(), key=lambda kv: (-kv[1]["UNITS_SOLD"], kv[0]))
    for limit in (10, 2):
        rows = run(warehouse, "top_products_by_units", limit=limit)
        assert [r["PRODUCT_ID"] for r in rows] == [k for k, _ in expected][:limit]
        for r, (_, e) in zip(rows, expected, strict=False):
            assert r["PRODUCT_NAME"] == e["PRODUCT_NAME"]
            assert r["UNITS_SOLD"] == e["UNITS_SOLD"]
            assert money(r["REVENUE"], e["REVENUE"])


def test_top_customers(warehouse):
    """Rule: per customer, the count and value of the non-cancelled orders, highest lifetime value first;
    `limit` keeps the first N."""
    expected = sorted(per_customer().items(), key=lambda kv: (-kv[1]["LIFETIME_VALUE"], kv[0]))
    for limit in (20, 1):
        rows = run(warehouse, "top_customers", limit=limit)
        assert [r["CUSTOMER_ID"] for r in rows] == [k for k, _ in expected][:limit]
        for r, (_, e) in zip(rows, expected, strict=False):
            assert r["ORDER_COUNT"] == e["ORDER_COUNT"]
            assert money(r["LIFETIME_VALUE"], e["LIFETIME_VALUE"])


def test_vip_customers_strictly_above(warehouse):
    """Rule: VIP customers are those whose lifetime value is STRICTLY above `min_value`: a customer exactly at
    the threshold is excluded."""
    customers = per_customer()
    threshold = Decimal(335)
    assert any(c["LIFETIME_VALUE"] == threshold for c in customers.values())
    expected = {k: v for k, v in customers.items() if v["LIFETIME_VALUE"] > threshold}
    rows = run(warehouse, "vip_customers", min_value=335)
    assert {r["CUSTOMER_ID"] for r in rows} == set(expected) == {"CUST-T2"}
    for r in rows:
        assert r["ORDER_COUNT"] == expected[r["CUSTOMER_ID"]]["ORDER_COUNT"]
        assert money(r["LIFETIME_VALUE"], expected[r["CUSTOMER_ID"]]["LIFETIME_VALUE"])
    # the default threshold (1000) is above every customer here
    assert run(warehouse, "vip_customers") == []


# ------------------------------------------------------------------------------------------------- RFM


def percent_rank_scores(values: dict[str, Any], *, descending: bool) -> dict[str, int]:
    """least(5, 1 + floor(5 * percent_rank() over (order by v))) — ties share the rank of their first row."""
    n = len(values)
    ordered = sorted(values.values(), reverse=descending)
    scores = {}
    for key, v in values.items():
        rank = ordered.index(v) + 1
        pr = Decimal(0) if n == 1 else Decimal(rank - 1) / Decimal(n - 1)
        scores[key] = min(5, 1 + int((5 * pr).to_integral_value(rounding="ROUND_FLOOR")))
    return scores


def segment(r: int, f: int, m: int) -> str:
    if r >= 4 and f >= 4 and m >= 4:
        return "Champions"
    if r >= 3 and f >= 4:
        return "Loyal"
    if r >= 4 and f == 1:
        return "New"
    if r >= 4:
        return "Promising"
    if r <= 2 and f >= 4 and m >= 4:
        return "Can't lose"
    if r <= 2 and (f >= 3 or m >= 3):
        return "At risk"
    if r <= 2:
        return "Hibernating"
    return "Need attention"


def test_rfm_segments(warehouse):
    """Rule (from the query's header and SQL): recency = calendar days from the last non-cancelled order's date
    to today (UTC), frequency = non-cancelled orders, monetary = their revenue; each scored
    least(5, 1 + floor(5 * percent_rank)) — recency ordered descending (recent is best), F and M ascending,
    ties sharing a score — then the segment rules of the SQL's CASE."""
    customers = per_customer()
    recency = {k: (TODAY - v["LAST"].date()).days for k, v in customers.items()}
    r_s = percent_rank_scores(recency, descending=True)
    f_s = percent_rank_scores({k: v["ORDER_COUNT"] for k, v in customers.items()}, descending=False)
    m_s = percent_rank_scores({k: v["LIFETIME_VALUE"] for k, v in customers.items()}, descending=False)
    rows = {r["CUSTOMER_ID"]: r for r in run(warehouse, "rfm_segments")}
    assert set(rows) == set(customers)
    for cid, c in customers.items():
        r = rows[cid]
        assert r["RECENCY_DAYS"] == recency[cid], cid
        assert r["FREQUENCY"] == c["ORDER_COUNT"], cid
        assert money(r["MONETARY"], c["LIFETIME_VALUE"]), cid
        assert (r["R_SCORE"], r["F_SCORE"], r["M_SCORE"]) == (r_s[cid], f_s[cid], m_s[cid]), cid
        assert r["SEGMENT"] == segment(r_s[cid], f_s[cid], m_s[cid]), cid


# ------------------------------------------------------------------------------------------------- ABC


def test_abc_analysis(warehouse):
    """Rule: products by revenue descending with their cumulative share of total revenue; class A while the
    cumulative share is <= 0.80 ("up to 80 %", boundary included), B while <= 0.95, C beyond. The data puts
    a product exactly on 0.80 (A) and one exactly on 0.95 (B)."""
    products = per_product()
    total = sum(p["REVENUE"] for p in products.values())
    ranked = sorted(products.items(), key=lambda kv: (-kv[1]["REVENUE"], kv[0]))
    expected, running = [], Decimal(0)
    for pid, p in ranked:
        running += p["REVENUE"]
        share = running / total
        cls = "A" if share <= Decimal("0.80") else "B" if share <= Decimal("0.95") else "C"
        expected.append((pid, p["PRODUCT_NAME"], p["REVENUE"], share, cls))
    assert [e[4] for e in expected] == ["A", "A", "A", "B", "C"]
    rows = run(warehouse, "abc_analysis")
    assert [r["PRODUCT_ID"] for r in rows] == [e[0] for e in expected]
    for r, (pid, name, revenue, share, cls) in zip(rows, expected, strict=True):
        assert r["PRODUCT_NAME"] == name, pid
        assert money(r["REVENUE"], revenue), pid
        assert abs(float(r["CUMULATIVE_SHARE"]) - float(share)) <= SHARE, pid
        assert r["ABC_CLASS"] == cls, (pid, r)


# ----------------------------------------------------------------------------------------------- stock


def stock_rows(keep) -> dict[str, dict]:
    out = {}
    for pid, level in stock().items():
        if keep(level):
            name, category, location = PRODUCTS[pid]
            out[pid] = {"PRODUCT_ID": pid, "PRODUCT_NAME": name, "PRODUCT_CATEGORY": category,
                        "CURRENT_STOCK_LEVEL": level, "WAREHOUSE_LOCATION": location}  # fmt: skip
    return out


CONTRACT_STOCK_COLUMNS = ["PRODUCT_ID", "PRODUCT_NAME", "PRODUCT_CATEGORY", "CURRENT_STOCK_LEVEL", "WAREHOUSE_LOCATION"]


def test_low_stock_alerts_strictly_below(warehouse):
    """Rule: a product is a low-stock alert when its stock (sum of its distinct adjustments — a redelivered
    adjustment counts once) is STRICTLY below `threshold`: a product exactly at the threshold is excluded."""
    assert 50 in stock().values()
    for threshold in (50, 13):
        expected = stock_rows(lambda level, t=threshold: level < t)
        rows = run(warehouse, "low_stock_alerts", threshold=threshold)
        got = {r["PRODUCT_ID"]: {k: r[k] for k in CONTRACT_STOCK_COLUMNS} for r in rows}
        assert len(got) == len(rows)
        assert got == expected, threshold


def test_out_of_stock(warehouse):
    """Rule: out of stock = stock (sum of distinct adjustments) equal to 0."""
    expected = stock_rows(lambda level: level == 0)
    rows = run(warehouse, "out_of_stock")
    assert {r["PRODUCT_ID"]: {k: r[k] for k in CONTRACT_STOCK_COLUMNS} for r in rows} == expected
    assert set(expected) == {"WINE-T04"}


def test_preparation_queue(warehouse):
    """Rule: the orders whose current status (latest event) is pending or confirmed, oldest ORDER_DATE first
    (then ORDER_ID), at most `limit`; each with its product's stock (sum of distinct adjustments, 0 when never
    adjusted) and IN_STOCK = that stock covers the order's quantity, each order on its own (no allocation)."""
    levels = stock()
    waiting = sorted(
        (p for p in current_orders().values() if p["order_status"] in ("pending", "confirmed")),
        key=lambda p: (order_ts(p), p["order_id"]),
    )
    assert len(waiting) == len(ORDERS) - 2  # two orders were cancelled later
    assert {levels.get(p["product_id"], 0) >= p["quantity"] for p in waiting} == {True, False}
    for limit in (500, 3):
        rows = run(warehouse, "preparation_queue", limit=limit)
        assert [r["ORDER_ID"] for r in rows] == [p["order_id"] for p in waiting[:limit]], limit
        for r, p in zip(rows, waiting, strict=False):
            level = levels.get(p["product_id"], 0)
            assert (r["ORDER_STATUS"], r["QUANTITY"], r["CURRENT_STOCK_LEVEL"]) == (
                p["order_status"],
                p["quantity"],
                level,
            )
            assert bool(r["IN_STOCK"]) is (level >= p["quantity"]), r["ORDER_ID"]
            assert money(r["TOTAL_AMOUNT"], p["total_amount"])
            # DATEDIFF(hour, ...) counts hour boundaries crossed; the clock moved on since NOW was read
            boundaries = NOW.replace(minute=0, second=0, microsecond=0) - order_ts(p).replace(
                minute=0, second=0, microsecond=0
            )
            assert 0 <= r["HOURS_WAITING"] - boundaries.total_seconds() // 3600 <= 1, r["ORDER_ID"]


def test_stockout_forecast(warehouse):
    """Rule (from the SQL): AVG_DAILY_UNITS = units of non-cancelled orders with ORDER_DATE within the last
    `days` days (from now) / `days`, rounded to 2 decimals; DAYS_OF_STOCK_LEFT = max(stock, 0) / the unrounded
    average, rounded to 1 decimal, empty when nothing sold; one row per product in stock, most urgent first."""
    levels = stock()
    for days in (30, 11):
        since = NOW - dt.timedelta(days=days)
        units = {pid: 0 for pid in levels}
        for p in live_orders():
            if order_ts(p) >= since and p["product_id"] in units:
                units[p["product_id"]] += p["quantity"]
        expected = {}
        for pid, level in levels.items():
            avg = Decimal(units[pid]) / Decimal(days)
            left = round_half_up(Decimal(max(level, 0)) / avg, 1) if avg else None
            expected[pid] = (level, round_half_up(avg, 2), left)
        rows = run(warehouse, "stockout_forecast", days=days)
        assert [r["PRODUCT_ID"] for r in rows] == sorted(
            expected, key=lambda k: (expected[k][2] is None, expected[k][2] or 0, k)
        ), days
        for r in rows:
            level, avg, left = expected[r["PRODUCT_ID"]]
            assert r["CURRENT_STOCK_LEVEL"] == level, r
            assert abs(float(r["AVG_DAILY_UNITS"]) - float(avg)) <= 1e-6, (days, r, avg)
            if left is None:
                assert r["DAYS_OF_STOCK_LEFT"] is None or r["DAYS_OF_STOCK_LEFT"] != r["DAYS_OF_STOCK_LEFT"], r
            else:
                assert abs(float(r["DAYS_OF_STOCK_LEFT"]) - float(left)) <= 1e-6, (days, r, left)


# ---------------------------------------------------------------------------------------------- finance


def test_revenue_by_payment_method(warehouse):
    """Rule: per payment method, the count and revenue of the non-cancelled orders (current status)."""
    expected: dict[str, list] = {}
    for p in live_orders():
        e = expected.setdefault(p["payment_method"], [0, Decimal(0)])
        e[0] += 1
        e[1] += dec(p["total_amount"])
    rows = run(warehouse, "revenue_by_payment_method")
    assert {r["PAYMENT_METHOD"] for r in rows} == set(expected)
    assert len(rows) == len(expected)
    for r in rows:
        count, revenue = expected[r["PAYMENT_METHOD"]]
        assert r["ORDER_COUNT"] == count, r
        assert money(r["REVENUE"], revenue), r


# ---------------------------------------------------------------------------------------------- pipeline


def expected_counts() -> dict[str, int]:
    """Staging keeps each valid event once; a redelivered copy is a dead letter ('duplicate event_id', the
    project's routing rule in deploy_sql/20_staging.sql), like a broken message."""
    distinct = distinct_events()
    orders_msgs = sum(1 for e in distinct if e["event_type"] == "order")
    adj_msgs = sum(1 for e in distinct if e["event_type"] == "inventory_adjustment")
    redelivered = len(EVENTS) - len(distinct)
    assert redelivered == 2
    return {
        "RAW_EVENTS_STREAM": len(LINES),
        "STG_ORDERS": orders_msgs,
        "STG_INVENTORY_ADJUSTMENTS": adj_msgs,
        "REJECTED_EVENTS": len(BROKEN) + redelivered,
        "ORDERS": len(current_orders()),
        "INVENTORY_HISTORY": len({e["payload"]["adjustment_id"] for e in EVENTS if e["event_type"] != "order"}),
        "INVENTORY_CURRENT": len(stock()),
    }


def test_pipeline_row_counts(warehouse):
    """Rule: one row per pipeline table with its row count: RAW keeps every message; every RAW row lands in
    exactly one of STG_ORDERS / STG_INVENTORY_ADJUSTMENTS (each distinct valid event once) / REJECTED_EVENTS
    (broken messages and redelivered copies); ORDERS has one row per order_id,
    INVENTORY_HISTORY one per distinct adjustment_id, INVENTORY_CURRENT one per product."""
    rows = run(warehouse, "pipeline_row_counts")
    got = {r["TABLE_NAME"]: r["ROW_COUNT"] for r in rows}
    assert len(got) == len(rows) == 7
    assert got == expected_counts()


def test_pipeline_reconciliation(warehouse):
    """Rule: RAW rows = staged orders + staged adjustments + rejected (broken messages and redelivered copies),
    so once the pipeline is idle nothing is unaccounted for, and nothing is in flight either."""
    c = expected_counts()
    (row,) = run(warehouse, "pipeline_reconciliation")
    assert row["RAW_ROWS"] == c["RAW_EVENTS_STREAM"]
    assert row["STAGED_ORDERS"] == c["STG_ORDERS"]
    assert row["STAGED_ADJUSTMENTS"] == c["STG_INVENTORY_ADJUSTMENTS"]
    assert row["REJECTED"] == c["REJECTED_EVENTS"]
    assert row["UNACCOUNTED"] == 0
    assert row["IN_FLIGHT"] == 0
    assert row["STATUS"] == "ok"


def test_pipeline_reconciliation_in_flight_threshold_is_the_latency_warning(warehouse):
    """Rule: a message is "in flight" while younger than the latency warning threshold of config/caves.yaml."""
    (row,) = run(warehouse, "pipeline_reconciliation")
    assert row["IN_FLIGHT_SECONDS"] == load_settings(REPO_ROOT / "config" / "caves.yaml").latency_warning_seconds
