"""Issue 3, item 5: the simulator's shop, through the whole pipeline, gives believable figures.

DESIGN.md, "The system": the local engine is for demos and tests and is "fed by a built-in event simulator";
the figures the console shows must look like a real French wine shop. Everything goes through the CLI:
`caves simulate --days 90 --orders-per-day 200 --seed 42`, `caves pipeline run --until-idle`, then catalog
queries with `caves query ID --format json`. The figures are printed (they go into the issue note).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

import pytest

from .helpers import caves, caves_json, print_timings

CATEGORIES = {"Rouge", "Blanc", "Rosé", "Champagne", "Effervescent", "Liquoreux", "Spiritueux"}


@pytest.mark.slow
def test_ninety_days_of_shop_look_like_a_wine_shop(fresh_db):
    """Believable figures after 90 simulated days at 200 orders a day (seed 42), cancelled orders excluded
    from revenue and basket (DESIGN.md): orders per day ~ 200 (+-30 %), average basket 40-120 EUR, all seven
    categories sold with Rouge the largest, 3-8 % of orders cancelled, some low-stock alerts (threshold 50) and
    at least one product out of stock, and weekend days busier than weekdays.
    """
    steps: dict[str, float] = {}

    def step(name, *args):
        start = time.perf_counter()
        result = caves_json(*args, db=fresh_db) if args[0] == "query" else caves(*args, db=fresh_db).stdout
        steps[name] = time.perf_counter() - start
        return result

    step("simulate 90 days", "simulate", "--days", "90", "--orders-per-day", "200", "--seed", "42")
    out = step("pipeline run --until-idle", "pipeline", "run", "--until-idle")
    assert ", 0 failed." in out, out

    kpi = step("query kpi_last_days", "query", "kpi_last_days", "--param", "days=90")[0]
    by_day = step("query cancellation_rate", "query", "cancellation_rate", "--param", "days=91")
    categories = step("query top_categories", "query", "top_categories", "--param", "days=90")
    low = step("query low_stock_alerts", "query", "low_stock_alerts", "--param", "threshold=50")
    out_of_stock = step("query out_of_stock", "query", "out_of_stock")

    # Whole UTC days only: the history starts 90 days ago at this time of day and ends now.
    full_days = by_day[1:-1]
    assert len(full_days) >= 88
    orders_per_day = statistics.mean(r["ORDER_COUNT"] for r in full_days)
    placed = sum(r["ORDER_COUNT"] for r in by_day)
    cancelled = sum(r["CANCELLED_ORDERS"] for r in by_day)
    cancelled_share = cancelled / placed
    share = {r["PRODUCT_CATEGORY"]: r["REVENUE_SHARE_PCT"] for r in categories}
    orders_by_category = {r["PRODUCT_CATEGORY"]: r["ORDER_COUNT"] for r in categories}
    weekday, weekend = [], []
    for r in full_days:
        day = dt.date.fromisoformat(str(r["ORDER_DAY"])[:10])
        (weekend if day.isoweekday() >= 6 else weekday).append(r["ORDER_COUNT"])

    print("\nBelievable shop (simulate --days 90 --orders-per-day 200 --seed 42):")
    print(f"  orders per day (placed, whole days): {orders_per_day:.1f}")
    print(f"  revenue over 90 days (cancelled excluded): {kpi['REVENUE']:,.2f} EUR from {kpi['ORDER_COUNT']} orders")
    print(f"  average basket: {kpi['AVG_BASKET']:.2f} EUR; units sold: {kpi['UNITS_SOLD']}; "
          f"customers: {kpi['CUSTOMER_COUNT']}")  # fmt: skip
    print(f"  cancelled: {cancelled} of {placed} orders = {100 * cancelled_share:.1f} %")
    print("  category mix (revenue share %, orders): " + ", ".join(
        f"{c} {share[c]} % ({orders_by_category[c]})" for c in sorted(share, key=share.get, reverse=True)))  # fmt: skip
    print(f"  orders/day Monday-Friday {statistics.mean(weekday):.1f}, Saturday-Sunday {statistics.mean(weekend):.1f}")
    print(f"  stock alerts: {len(low)} products below 50 units, {len(out_of_stock)} out of stock")
    print("  timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()))

    assert 140 <= orders_per_day <= 260
    assert 40 <= kpi["AVG_BASKET"] <= 120
    assert set(share) == CATEGORIES
    assert max(share, key=share.get) == "Rouge" and max(orders_by_category, key=orders_by_category.get) == "Rouge"
    assert 0.03 <= cancelled_share <= 0.08
    assert len(low) >= 1 and all(r["CURRENT_STOCK_LEVEL"] < 50 for r in low)
    assert len(out_of_stock) >= 1 and all(r["CURRENT_STOCK_LEVEL"] == 0 for r in out_of_stock)
    assert {r["PRODUCT_ID"] for r in out_of_stock} <= {r["PRODUCT_ID"] for r in low}
    assert statistics.mean(weekend) > statistics.mean(weekday)
    print_timings("believable shop")
