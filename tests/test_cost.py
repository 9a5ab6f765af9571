"""The cost model (caves/cost.py) on hand-made run histories, with credits computed by hand.

Billing rules under test, and where they come from:
- per-second billing with a 60-second minimum each time a warehouse starts or resumes, credits per hour by size
  XSMALL = 1, SMALL = 2, MEDIUM = 4 ...: https://docs.snowflake.com/en/user-guide/cost-understanding-compute and
  https://docs.snowflake.com/en/user-guide/warehouses-overview
- a warehouse keeps running (and billing) until AUTO_SUSPEND seconds after its last query, so close runs share one
  resume: https://docs.snowflake.com/en/user-guide/cost-understanding-compute
- a run whose WHEN SYSTEM$STREAM_HAS_DATA is false is skipped and starts no warehouse:
  https://docs.snowflake.com/en/sql-reference/functions/system_stream_has_data
- serverless tasks are billed for the compute they use (https://docs.snowflake.com/en/user-guide/tasks-intro), at
  a multiplier of the Service Consumption Table (a setting here).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from caves import cost
from caves.cost import CostModel, TaskRun
from caves.settings import CostSettings, load_settings

REPO_ROOT = Path(__file__).resolve().parent.parent

T0 = dt.datetime(2026, 11, 30, 12, 0, 0)
HOUR = 3600.0


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def ran(start: float, end: float, name: str = "ROOT", scheduled: float | None = None, graph: str = "ROOT") -> TaskRun:
    """A run that did work from ``start`` to ``end`` seconds after T0 (scheduled at its start unless given)."""
    return TaskRun(name, "SUCCEEDED", at(start if scheduled is None else scheduled), at(start), at(end), graph)


def skipped(scheduled: float, name: str = "ROOT") -> TaskRun:
    """A run whose WHEN condition was false: no query start, completed when evaluated."""
    return TaskRun(name, "SKIPPED", at(scheduled), None, at(scheduled + 0.05), name)


# ------------------------------------------------------------------------------------------- warehouse billing


def test_one_short_run_is_billed_the_60_second_minimum():
    """A 10-s run on an XSMALL warehouse suspending right after: 10 s of use, 60 s billed = 60/3600 credit."""
    assert cost.warehouse_credits([ran(0, 10)], "XSMALL", auto_suspend_s=0) == pytest.approx(60 / HOUR)


def test_auto_suspend_idle_tail_is_billed():
    """The warehouse runs 60 s more before suspending: 10 + 60 = 70 s billed (above the minimum)."""
    assert cost.warehouse_credits([ran(0, 10)], "XSMALL", auto_suspend_s=60) == pytest.approx(70 / HOUR)


def test_runs_within_auto_suspend_share_one_resume():
    """Runs 0–10 s and 40–50 s with AUTO_SUSPEND 60: the warehouse never suspends between them, one session from
    0 to 50 + 60 = 110 s; far apart (200–210 s) they are two sessions of 70 s each = 140 s."""
    close = [ran(0, 10), ran(40, 50)]
    far = [ran(0, 10), ran(200, 210)]
    assert len(cost.warehouse_sessions(close, 60)) == 1
    assert cost.warehouse_credits(close, "XSMALL", 60) == pytest.approx(110 / HOUR)
    assert len(cost.warehouse_sessions(far, 60)) == 2
    assert cost.warehouse_credits(far, "XSMALL", 60) == pytest.approx(140 / HOUR)


def test_each_resume_pays_its_own_minimum():
    """Two 5-s runs 100 s apart with AUTO_SUSPEND 0: two resumes, each billed 60 s = 120 s, not 10 s."""
    assert cost.warehouse_credits([ran(0, 5), ran(100, 105)], "XSMALL", 0) == pytest.approx(120 / HOUR)


def test_overlapping_runs_are_one_session():
    """A 0–30 s and a 10–20 s run overlap: one session ending at 30 s (+0), billed the 60-s minimum once."""
    runs = [ran(0, 30, "A"), ran(10, 20, "B")]
    sessions = cost.warehouse_sessions(runs, 0)
    assert [s.runs for s in sessions] == [(0, 1)]
    assert cost.warehouse_credits(runs, "XSMALL", 0) == pytest.approx(60 / HOUR)


def test_bigger_sizes_double_the_rate():
    """SMALL bills 2 credits an hour, MEDIUM 4, X6LARGE 512 (warehouses-overview)."""
    runs = [ran(0, 600)]
    assert cost.warehouse_credits(runs, "SMALL", 0) == pytest.approx(2 * 600 / HOUR)
    assert cost.warehouse_credits(runs, "M", 0) == pytest.approx(4 * 600 / HOUR)
    assert cost.credits_per_hour("X6LARGE") == 512
    assert [cost.credits_per_hour(s) for s in cost.SIZES] == [2**i for i in range(10)]


def test_skipped_runs_cost_nothing_and_never_resume_the_warehouse():
    """A history of only SKIPPED runs costs 0 on both models; adding skips to a history changes nothing, even one
    right after a run (a skip inside the idle tail does not extend it)."""
    skips = [skipped(60 * k) for k in range(1, 30)]
    assert cost.warehouse_credits(skips, "XSMALL", 600) == 0
    assert cost.warehouse_sessions(skips, 600) == []
    assert cost.serverless_credits(skips, multiplier=1.5) == 0
    work = [ran(0, 10)]
    assert cost.warehouse_credits(work + skips, "XSMALL", 60) == pytest.approx(
        cost.warehouse_credits(work, "XSMALL", 60)
    )


def test_session_credits_are_shared_in_proportion_to_run_durations():
    """Runs of 10 s and 30 s in one session of 0 → 50 + 60 = 110 s: 110/3600 credit split 1 : 3."""
    runs = [ran(0, 10, "A"), ran(20, 50, "B"), skipped(55, "A")]
    shares = cost.warehouse_run_credits(runs, "XSMALL", 60)
    assert shares == pytest.approx([27.5 / HOUR, 82.5 / HOUR, 0.0])
    assert sum(shares) == pytest.approx(cost.warehouse_credits(runs, "XSMALL", 60))


# ------------------------------------------------------------------------------------------- serverless billing


def test_serverless_is_per_second_with_the_multiplier_and_no_minimum():
    """30 s + 90 s of serverless XSMALL compute at a 1.5 multiplier: 120 × 1 × 1.5 / 3600 = 0.05 credit; a 1-s run
    is billed 1 s (no 60-s minimum)."""
    assert cost.serverless_credits([ran(0, 30), ran(100, 190)], multiplier=1.5) == pytest.approx(0.05)
    assert cost.serverless_credits([ran(0, 1)], multiplier=1.0) == pytest.approx(1 / HOUR)
    assert cost.serverless_credits([ran(0, 60)], multiplier=1.0, size="SMALL") == pytest.approx(2 * 60 / HOUR)


def test_run_table_and_aggregates_per_task_graph_and_day():
    """Per task, per graph and per day totals add up the per-run credits; skipped shares are counted."""
    runs = [
        ran(0, 36, "ROOT"),
        ran(36, 72, "CHILD", scheduled=0),
        skipped(60),
        skipped(120),
        TaskRun("ROOT", "SUCCEEDED", at(86400), at(86400), at(86400 + 72), "ROOT"),  # the next day
    ]
    model = CostModel(compute_model="serverless", serverless_multiplier=1.0, price_per_credit=2.0)
    table = cost.run_table(runs, model)
    assert table["CREDITS"].sum() == pytest.approx((36 + 36 + 72) / HOUR)
    by_task = cost.aggregate(table, "NAME").set_index("NAME")
    assert by_task.loc["ROOT", "RUNS"] == 4 and by_task.loc["ROOT", "SKIPPED_RUNS"] == 2
    assert by_task.loc["ROOT", "SKIPPED_PCT"] == pytest.approx(50.0)
    assert by_task.loc["ROOT", "CREDITS"] == pytest.approx(108 / HOUR)
    assert by_task.loc["CHILD", "COST"] == pytest.approx(2.0 * 36 / HOUR)
    by_graph = cost.aggregate(table, "GRAPH_NAME")
    assert list(by_graph["GRAPH_NAME"]) == ["ROOT"] and by_graph["RUNS"].iloc[0] == 5
    by_day = cost.aggregate(table, "DAY")
    assert list(by_day["DAY"]) == [T0.date(), (T0 + dt.timedelta(days=1)).date()]
    assert list(by_day["CREDITS"]) == pytest.approx([72 / HOUR, 72 / HOUR])
    summary = cost.summary(runs, model, window_days=2.0)
    assert summary.skipped_share == pytest.approx(2 / 5)
    assert summary.credits_per_day == pytest.approx(72 / HOUR)
    assert summary.cost_per_day == pytest.approx(2.0 * 72 / HOUR)


def test_warehouse_model_through_run_table():
    """The warehouse model of a CostModel bills the timeline: one 10-s run, AUTO_SUSPEND 60 on SMALL = 70 × 2 s."""
    model = CostModel(compute_model="warehouse", warehouse_size="SMALL", auto_suspend_seconds=60)
    assert cost.run_table([ran(0, 10)], model)["CREDITS"].sum() == pytest.approx(140 / HOUR)


# ------------------------------------------------------------------------------------------- what-if


def every_minute(count: int, seconds: float, name: str = "ROOT") -> list[TaskRun]:
    """``count`` runs scheduled each minute from T0, each starting 1 s late and working ``seconds``."""
    return [ran(60 * k + 1, 60 * k + 1 + seconds, name, scheduled=60 * k) for k in range(count)]


def test_reschedule_coalesces_runs_and_pays_the_overhead_once():
    """Five 2-s runs a minute apart (overhead 1 s each) under a 5-minute schedule: one run of
    1 + 5 × (2 − 1) = 6 s instead of 10 s of work; serverless credits 10/3600 → 6/3600."""
    runs = every_minute(5, 2.0)
    moved = cost.reschedule(runs, 300, overhead_s=1.0)
    assert len(moved) == 1 and moved[0].did_work
    assert moved[0].duration_s == pytest.approx(6.0)
    assert moved[0].scheduled_time == at(300)  # the end of the interval the runs fell in
    assert moved[0].query_start_time == at(301)  # as late after its schedule as the first absorbed run
    assert cost.serverless_credits(runs, 1.0) == pytest.approx(10 / HOUR)
    assert cost.serverless_credits(moved, 1.0) == pytest.approx(6 / HOUR)


def test_reschedule_estimates_the_overhead_from_the_shortest_working_run():
    """Runs of 1, 3 and 2 s in one interval: the overhead defaults to the shortest (1 s), so the coalesced run lasts
    1 + (0 + 2 + 1) = 4 s; a second interval with only skipped runs stays one skipped run."""
    runs = [ran(1, 2, scheduled=0), ran(61, 64, scheduled=60), ran(121, 123, scheduled=120)]
    runs += [skipped(300), skipped(360), skipped(420)]
    moved = cost.reschedule(runs, 300)
    assert [r.state for r in moved] == ["SUCCEEDED", "SKIPPED"]
    assert moved[0].duration_s == pytest.approx(4.0)
    assert cost.per_run_overhead(runs) == {"ROOT": pytest.approx(1.0)}


def test_reschedule_on_a_warehouse_lets_it_suspend():
    """On XSMALL with AUTO_SUSPEND 60, five 2-s runs a minute apart never let the warehouse suspend: one session
    from 1 s to 243 + 60 = 303 s, 302 s billed. Every 5 minutes: one 6-s run, 6 + 60 = 66 s billed."""
    runs = every_minute(5, 2.0)
    assert cost.warehouse_credits(runs, "XSMALL", 60) == pytest.approx(302 / HOUR)
    moved = cost.reschedule(runs, 300, overhead_s=1.0)
    assert cost.warehouse_credits(moved, "XSMALL", 60) == pytest.approx(66 / HOUR)


def test_resize_halves_parallel_work_per_size_step():
    """Fully parallel work (p = 1): a 120-s XSMALL run takes 60 s on SMALL, the same 120/3600 credit; a 10-s run
    takes 5 s but the 60-s minimum now costs 2 credits/hour, so it doubles to 120/3600. With p = 0.5 two steps
    (XSMALL → MEDIUM) give d × (0.5/4 + 0.5) = 0.625 d."""
    long_run, short_run = [ran(0, 120)], [ran(0, 10)]
    small_long = cost.resize(long_run, "XSMALL", "SMALL")
    assert small_long[0].duration_s == pytest.approx(60)
    assert cost.warehouse_credits(small_long, "SMALL", 0) == pytest.approx(cost.warehouse_credits(long_run, "XS", 0))
    small_short = cost.resize(short_run, "XSMALL", "SMALL")
    assert small_short[0].duration_s == pytest.approx(5)
    assert cost.warehouse_credits(small_short, "SMALL", 0) == pytest.approx(120 / HOUR)
    assert cost.resize([ran(0, 80)], "XSMALL", "MEDIUM", parallel_fraction=0.5)[0].duration_s == pytest.approx(50)
    assert cost.resize([ran(0, 80)], "MEDIUM", "XSMALL")[0].duration_s == pytest.approx(320)
    assert cost.resize([skipped(0)], "XSMALL", "LARGE") == [skipped(0)]


# ------------------------------------------------------------------------------------------- inputs and settings


def test_sizes_and_intervals_are_parsed():
    assert cost.normalize_size("x-small") == "XSMALL" and cost.normalize_size("2XL") == "XXLARGE"
    with pytest.raises(ValueError, match="unknown warehouse size"):
        cost.normalize_size("HUGE")
    assert cost.parse_interval("5m") == 300 and cost.parse_interval("5 MINUTE") == 300
    assert cost.parse_interval("90s") == 90 and cost.parse_interval("1h") == 3600 and cost.parse_interval("2") == 120
    for bad in ("soon", "0m", "5 weeks"):
        with pytest.raises(ValueError, match="schedule interval"):
            cost.parse_interval(bad)


def test_runs_from_a_task_history_frame():
    """NULL starts (skipped runs), NaT and time-zone-aware timestamps are read; unfinished runs are left out."""
    frame = pd.DataFrame(
        {
            "NAME": ["ROOT", "ROOT", "CHILD", "ROOT"],
            "GRAPH_NAME": ["ROOT", "ROOT", "ROOT", "ROOT"],
            "STATE": ["SKIPPED", "SUCCEEDED", "SUCCEEDED", "EXECUTING"],
            "SCHEDULED_TIME": [at(0), at(60), at(60), at(120)],
            "QUERY_START_TIME": [None, pd.Timestamp(at(61), tz="UTC"), at(63), at(121)],
            "COMPLETED_TIME": [at(0.1), pd.Timestamp(at(63), tz="UTC"), pd.NaT, None],
        }
    )
    runs = cost.runs_from_frame(frame)
    assert [(r.name, r.state, r.did_work) for r in runs] == [
        ("ROOT", "SKIPPED", False),
        ("ROOT", "SUCCEEDED", True),
        ("CHILD", "SUCCEEDED", False),  # no completion time: no interval to bill
    ]
    assert runs[1].duration_s == pytest.approx(2.0) and runs[1].query_start_time == at(61)


def test_cost_settings_from_the_config_file(tmp_path: Path):
    """The cost: section of config/caves.yaml gives the model; bad values are refused readably."""
    defaults = load_settings(tmp_path / "missing.yaml").cost
    assert defaults == CostSettings()
    assert defaults.model().compute_model == "serverless" and defaults.model().auto_suspend_seconds == 60
    good = tmp_path / "good.yaml"
    good.write_text(
        textwrap.dedent(
            """
            cost:
              price_per_credit: 2.5
              compute_model: Warehouse
              warehouse_size: small
              auto_suspend_seconds: 300
              serverless_multiplier: 0.9
              per_run_overhead_seconds: 0.5
            """
        ),
        encoding="utf-8",
    )
    model = load_settings(good).cost.model()
    assert (model.compute_model, model.warehouse_size, model.auto_suspend_seconds) == ("warehouse", "SMALL", 300)
    assert (model.price_per_credit, model.serverless_multiplier, model.per_run_overhead_seconds) == (2.5, 0.9, 0.5)
    bad_lines = ("compute_model: mainframe", "warehouse_size: HUGE", "parallel_fraction: 2", "auto_suspend_seconds: 0")
    for line in (*bad_lines, "price_per_credit: cheap"):
        bad = tmp_path / "bad.yaml"
        bad.write_text(f"cost:\n  {line}\n", encoding="utf-8")
        with pytest.raises(ValueError, match="settings: cost"):
            load_settings(bad)


def test_the_shipped_config_prices_serverless_xsmall():
    """config/caves.yaml: serverless tasks (deploy_sql/ gives them no WAREHOUSE), CAVES_WH XSMALL, AUTO_SUSPEND 60
    (deploy_sql/roles/roles.sql)."""
    model = load_settings(REPO_ROOT / "config" / "caves.yaml").cost.model()
    assert (model.compute_model, model.warehouse_size, model.auto_suspend_seconds) == ("serverless", "XSMALL", 60)
