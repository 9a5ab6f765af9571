"""The console's live data stays believable: the live simulator continues the seeded shop (issue [Live shop]).

The console's runtime (caves.runtime.LocalRuntime: deploy, seed, then the live simulator and the task graphs) runs
on a clock the test moves, over the default seeded shop (90 days, 200 orders/day): eight simulated hours of live
shop in half-hour steps, the task graphs run after each step as the scheduler would. The dates are fixed, so the
shop's story is the same on every run (the simulator is deterministic): what is asserted cannot be luck.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from caves.catalog import load_catalog
from caves.local.scheduler import run_until_idle
from caves.runtime import LocalRuntime
from caves.settings import LocalSettings
from caves.shop import SHOP_TOPIC, ShopError, open_shop, read_shop
from caves.simulate import CATALOGUE, LiveSimulator, SimConfig

REPO = Path(__file__).resolve().parent.parent
SEEDED_UNTIL = dt.datetime(2026, 5, 30, 8, 0, tzinfo=dt.UTC)  # a Saturday morning
LIVE_HOURS = 8
STEP = dt.timedelta(minutes=30)
THRESHOLD = 50
CATALOG = load_catalog()
RAW = "CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM"


class Clock:
    """The runtime's "now", moved by the test."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def total_stock(runtime: LocalRuntime) -> int:
    return int(
        runtime.warehouse.query(
            "SELECT COALESCE(SUM(CURRENT_STOCK_LEVEL), 0) FROM CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT"
        ).iloc[0, 0]
    )


def low_stock(runtime: LocalRuntime) -> int:
    sql, params = CATALOG.get("low_stock_alerts").bind({"threshold": THRESHOLD})
    return len(runtime.warehouse.query(sql, params))


def live_orders(runtime: LocalRuntime) -> pd.Series:
    frame = runtime.warehouse.query(
        "SELECT ORDER_DATE FROM CAVES_ALBERT_DB.PRODUCTION.ORDERS WHERE ORDER_STATUS != 'cancelled'"
    )
    return pd.to_datetime(frame["ORDER_DATE"]).sort_values().reset_index(drop=True)


def orders_between(dates: pd.Series, start: dt.datetime, end: dt.datetime) -> int:
    """Orders placed in [start, end]."""
    return int(((dates >= pd.Timestamp(start)) & (dates <= pd.Timestamp(end))).sum())


def naive(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


@pytest.fixture(scope="module")
def live_run(tmp_path_factory):
    """The seeded shop's figures, then every half-hour checkpoint of eight live hours."""
    clock = Clock(SEEDED_UNTIL)
    path = tmp_path_factory.mktemp("live") / "warehouse.duckdb"
    runtime = LocalRuntime(str(path), LocalSettings(seed_days=90, seed_orders_per_day=200, seed=42), clock=clock)
    runtime.prepare()
    history = runtime.warehouse.query(
        "SELECT EVENT_TIMESTAMP, QUANTITY_CHANGE, REASON FROM CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY "
        "ORDER BY EVENT_TIMESTAMP, ADJUSTMENT_ID"
    )
    opening = int((history["REASON"] == "stock initial").sum())
    running = history["QUANTITY_CHANGE"].cumsum().iloc[opening:]  # after the opening inventory is counted
    seeded = {
        "stock_min": int(running.min()),
        "stock_max": int(running.max()),
        "stock": total_stock(runtime),
        "low": low_stock(runtime),
        "opening_adjustments": opening,
    }
    checkpoints = []
    for _ in range(int(LIVE_HOURS * dt.timedelta(hours=1) / STEP)):
        clock.now += STEP
        landed = runtime.simulate_until(clock.now)
        run_until_idle(runtime.engine)
        checkpoints.append(
            {
                "now": naive(clock.now),
                "landed": landed,
                "stock": total_stock(runtime),
                "low": low_stock(runtime),
            }
        )
    dates = live_orders(runtime)
    yield runtime, clock, seeded, checkpoints, dates
    runtime.close()


def test_the_seeded_shop_is_the_shop_the_console_shows(live_run):
    """One opening inventory for the 120 wines, some wines below the low-stock threshold, a warehouse-sized stock."""
    runtime, _clock, seeded, _checkpoints, _dates = live_run
    assert seeded["opening_adjustments"] == len(CATALOGUE) == 120
    assert 0 < seeded["low"] < len(CATALOGUE)
    assert seeded["stock_min"] <= seeded["stock"] <= seeded["stock_max"] < 60_000
    shop = read_shop(runtime.warehouse)
    assert shop is not None and shop.config.seed == 42 and shop.config.orders_per_day == 200
    assert shop.opened_at == SEEDED_UNTIL - dt.timedelta(days=90)


def test_live_hours_keep_one_stock(live_run):
    """Eight live hours: the live shop lands messages, sells from the seeded stock (no second opening stock), the
    total stays within the range the seeded history showed, and some wine is below the threshold at every step."""
    runtime, _clock, seeded, checkpoints, _dates = live_run
    assert sum(c["landed"] for c in checkpoints) > 100
    for checkpoint in checkpoints:
        assert seeded["stock_min"] <= checkpoint["stock"] <= seeded["stock_max"], (checkpoint, seeded)
        assert checkpoint["low"] >= 1, checkpoint
    openings = runtime.warehouse.query(
        "SELECT COUNT(*) FROM CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY WHERE REASON = 'stock initial'"
    ).iloc[0, 0]
    assert openings == len(CATALOGUE)


def usual_so_far(dates: pd.Series, moment: dt.datetime, first_day: dt.date) -> float:
    """The mean of orders placed by `moment`'s time of day on the same weekday, over the seeded history."""
    midnight = dt.datetime.combine(moment.date(), dt.time())
    counts = []
    day = midnight - dt.timedelta(days=7)
    while day.date() >= first_day:
        counts.append(orders_between(dates, day, day + (moment - midnight)))
        day -= dt.timedelta(days=7)
    return sum(counts) / len(counts)


def test_today_compares_with_yesterday_as_the_shop_always_did(live_run):
    """At each checkpoint, today so far and yesterday up to the same time are what the shop usually does on those
    weekdays by that time (the seeded history's mean, within 4 standard deviations of a Poisson count), and so is
    their difference: the live shop runs at the seeded shop's rhythm, not at a rate of its own."""
    _runtime, _clock, _seeded, checkpoints, dates = live_run
    first_day = (SEEDED_UNTIL - dt.timedelta(days=90 - 7)).date()
    day = dt.timedelta(days=1)
    for checkpoint in checkpoints:
        now = checkpoint["now"]
        midnight = dt.datetime.combine(now.date(), dt.time())
        today = orders_between(dates, midnight, now)
        yesterday = orders_between(dates, midnight - day, now - day)
        usual_today, usual_yesterday = usual_so_far(dates, now, first_day), usual_so_far(dates, now - day, first_day)
        assert abs(today - usual_today) <= 4 * usual_today**0.5, (now, today, usual_today)
        assert abs(yesterday - usual_yesterday) <= 4 * usual_yesterday**0.5, (now, yesterday, usual_yesterday)
        spread = 4 * (usual_today + usual_yesterday) ** 0.5
        assert abs((today - yesterday) - (usual_today - usual_yesterday)) <= spread, (now, today, yesterday)


def test_the_live_story_is_the_seeded_story_continued(live_run):
    """RAW holds exactly the shop's story from its opening to now, each message once, in order: no id reused, no
    redelivery, nothing rejected."""
    runtime, clock, _seeded, _checkpoints, _dates = live_run
    shop = read_shop(runtime.warehouse)
    story = LiveSimulator(shop.config, start=shop.opened_at).next_batch(clock.now)
    raw = runtime.warehouse.query(
        f"SELECT RAW_MESSAGE, SOURCE_OFFSET FROM {RAW} WHERE SOURCE_TOPIC = ? ORDER BY SOURCE_OFFSET", [SHOP_TOPIC]
    )
    assert raw["SOURCE_OFFSET"].tolist() == list(range(len(story)))
    assert raw["RAW_MESSAGE"].tolist() == story
    events = [json.loads(text) for text in story]
    assert len({e["event_id"] for e in events}) == len(events)
    pending = [e["payload"]["order_id"] for e in events if e["payload"].get("order_status") == "pending"]
    assert len(set(pending)) == len(pending)
    adjustments = [e["payload"]["adjustment_id"] for e in events if e["event_type"] == "inventory_adjustment"]
    assert len(set(adjustments)) == len(adjustments)
    rejected = runtime.warehouse.query("SELECT COUNT(*) FROM CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS").iloc[0, 0]
    assert rejected == 0


def test_a_restarted_console_catches_up_the_same_shop(live_run):
    """A console restarted on an existing warehouse a day later lands what the shop sent meanwhile: no second
    opening stock, no message twice."""
    runtime, clock, _seeded, _checkpoints, _dates = live_run
    runtime.close()  # the console stops (the fixture's closing again is harmless)
    later = Clock(clock.now + dt.timedelta(days=1))
    restarted = LocalRuntime(runtime.path, LocalSettings(seed_days=90, seed=7, seed_orders_per_day=999), clock=later)
    try:
        report = restarted.prepare()
        assert report.messages > 500  # a day of the shop
        shop = read_shop(restarted.warehouse)
        assert shop.config.seed == 42  # the recorded shop, not the new settings
        story = LiveSimulator(shop.config, start=shop.opened_at).next_batch(later.now)
        counts = restarted.warehouse.query(
            f"SELECT COUNT(*) AS N, COUNT(DISTINCT SOURCE_OFFSET) AS D, MAX(SOURCE_OFFSET) AS M FROM {RAW}"
        ).iloc[0]
        assert (int(counts["N"]), int(counts["D"]), int(counts["M"])) == (len(story), len(story), len(story) - 1)
        openings = restarted.warehouse.query(
            "SELECT COUNT(*) FROM CAVES_ALBERT_DB.PRODUCTION.INVENTORY_HISTORY WHERE REASON = 'stock initial'"
        ).iloc[0, 0]
        assert openings == len(CATALOGUE)
    finally:
        restarted.close()


def caves(*args: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "caves", *args, "--db", str(db)], cwd=REPO, capture_output=True, text=True, timeout=300
    )


def test_cli_live_continues_the_warehouse_shop(tmp_path):
    """`caves simulate --live` on a warehouse with history continues its shop (no second opening stock); options
    that would change the shop are refused readably, and so is a second history."""
    db = tmp_path / "cli.duckdb"
    assert caves("init", db=db).returncode == 0
    seeded = caves("simulate", "--days", "3", "--orders-per-day", "120", "--seed", "5", db=db)
    assert seeded.returncode == 0, seeded.stderr
    again = caves("simulate", "--days", "3", db=db)
    assert again.returncode == 1 and "already holds the shop" in again.stderr and "Traceback" not in again.stderr
    faster = caves("simulate", "--live", "--rate", "20", "--duration", "1", db=db)
    assert faster.returncode == 1 and "--rate cannot change it" in faster.stderr
    live = caves("simulate", "--live", "--duration", "2", db=db)
    assert live.returncode == 0, live.stderr
    assert "goes on at its own rhythm, ~120 orders/day" in live.stderr
    from caves.warehouse.local import LocalWarehouse

    wh = LocalWarehouse(str(db))
    try:
        raw = wh.query(f"SELECT RAW_MESSAGE FROM {RAW} ORDER BY SOURCE_OFFSET")["RAW_MESSAGE"].tolist()
        shop = read_shop(wh)
        assert shop.config.seed == 5 and shop.config.orders_per_day == 120
        story = LiveSimulator(shop.config, start=shop.opened_at).next_batch(dt.datetime.now(dt.UTC))
        assert raw == story[: len(raw)] and len(story) - len(raw) < 20  # the story up to the last delivery
        assert sum('"reason":"stock initial"' in text for text in raw) == len(CATALOGUE)
    finally:
        wh.close()


def test_no_shop_opens_on_foreign_history(tmp_path):
    """A warehouse that holds events from elsewhere (an ingested file, an older version's second shop) gets no
    simulated shop on top: the console keeps its live simulator off and says why; the CLI refuses."""
    db = tmp_path / "foreign.duckdb"
    assert caves("init", db=db).returncode == 0
    events = tmp_path / "events.jsonl"
    events.write_text((REPO / "contracts" / "examples.jsonl").read_text(encoding="utf-8"))
    if not events.read_text().strip():
        pytest.fail("contracts/examples.jsonl is empty")
    assert caves("ingest", str(events), db=db).returncode == 0
    refused = caves("simulate", "--days", "2", db=db)
    assert refused.returncode == 1 and "not from a recorded simulated shop" in refused.stderr
    runtime = LocalRuntime(str(db), LocalSettings(seed_days=2))
    try:
        runtime.prepare()
        assert runtime.feed is None and "live simulator stays off" in runtime.simulator_blocked
        with pytest.raises(ShopError):
            runtime.simulate_until(dt.datetime.now(dt.UTC))
        with pytest.raises(ShopError, match="not from a recorded simulated shop"):
            open_shop(runtime.warehouse, SimConfig(), dt.datetime.now(dt.UTC))
    finally:
        runtime.close()


def test_with_the_live_simulator_off_the_figures_stay_put(tmp_path):
    """CAVES_BACKGROUND=off (the tests' switch): a restart does not catch the shop up, so what a test reads
    does not move under it; the next start with the simulator on catches up."""
    clock = Clock(SEEDED_UNTIL)
    path = str(tmp_path / "still.duckdb")
    first = LocalRuntime(path, LocalSettings(seed_days=2, seed_orders_per_day=100), clock=clock)
    try:
        first.prepare()
    finally:
        first.close()
    clock.now += dt.timedelta(hours=6)
    still = LocalRuntime(path, LocalSettings(seed_days=2), clock=clock)
    try:
        assert still.prepare(catch_up=False).messages == 0
    finally:
        still.close()
    moving = LocalRuntime(path, LocalSettings(seed_days=2), clock=clock)
    try:
        assert moving.prepare().messages > 10
    finally:
        moving.close()


def test_accelerated_demo_is_a_bigger_shop_from_its_opening(tmp_path):
    """The accelerated demo is explicit (settings `demo_factor`) and recorded with the shop: the volume is
    multiplied from the opening on, history included, so today still compares with yesterday."""
    runtime = LocalRuntime(
        str(tmp_path / "demo.duckdb"),
        LocalSettings(seed_days=1, seed_orders_per_day=50, demo_factor=4),
        clock=Clock(SEEDED_UNTIL),
    )
    try:
        runtime.prepare()
        shop = read_shop(runtime.warehouse)
        assert (shop.demo_factor, shop.config.orders_per_day, runtime.demo_factor) == (4, 200, 4)
    finally:
        runtime.close()


@pytest.mark.parametrize(
    ("local", "message"),
    [
        ({"live_rate": 3.0}, "'local.live_rate' is gone"),
        ({"demo_factor": 0}, "'local.demo_factor' must be a whole number"),
        ({"demo_factor": 2.5}, "'local.demo_factor' must be a whole number"),
    ],
)
def test_settings_refuse_a_flat_live_rate_and_odd_demo_factors(tmp_path, local, message):
    """The flat live rate that made a second, 260x busier shop is refused with a readable line, not ignored."""
    import yaml

    from caves.settings import load_settings

    path = tmp_path / "caves.yaml"
    path.write_text(yaml.safe_dump({"local": local}), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_settings(path)


def test_the_console_checks_its_alerts_when_it_starts(tmp_path):
    """Start-up runs each alert once (EXECUTE ALERT) instead of an interval after its resume: the simulator's
    discontinued wines are out of stock, so the hourly stock-out alert has fired before anyone opens the page,
    and the clean shop raises no other alert."""
    runtime = LocalRuntime(str(tmp_path / "w.duckdb"), LocalSettings(seed_days=30, seed_orders_per_day=60, live=False))
    try:
        runtime.prepare()
        runs = runtime.warehouse.query(
            "select NAME, STATE from table(CAVES_ALBERT_DB.INFORMATION_SCHEMA.ALERT_HISTORY()) "
            "where SCHEDULED_FROM = 'EXECUTE ALERT'"
        )
    finally:
        runtime.close()
    states = dict(zip(runs["NAME"], runs["STATE"], strict=True))
    assert len(runs) == len(states) == 7
    assert states.pop("ALERT_STOCKOUT") == "TRIGGERED"
    assert set(states.values()) == {"CONDITION_FALSE"}
