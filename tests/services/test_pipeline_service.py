"""caves.services.pipeline_service: task graph, run states, latency grades, streams, reconciliation."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from caves.services import pipeline_service as ps
from caves.services import query_service
from caves.services.format import is_missing as fmt_missing
from caves.warehouse.local import LocalWarehouse

TASKS = pd.DataFrame(
    {
        "NAME": ["ROOT", "CHILD", "GRANDCHILD", "NIGHTLY"],
        "STATE": ["started", "started", "started", "suspended"],
        "SCHEDULE": ["1 MINUTE", None, None, "USING CRON 0 3 * * * UTC"],
        "PREDECESSORS": [(), ("ROOT",), ("CHILD",), ()],
    }
)


@pytest.mark.parametrize(
    ("seconds", "grade"),
    [(0, "ok"), (119.9, "ok"), (120, "warning"), (299, "warning"), (300, "stale"), (None, "unknown")],
)
def test_grade_against_the_thresholds(seconds: float | None, grade: str) -> None:
    assert ps.grade(seconds, 120, 300) == grade


def test_edges_and_dot_show_every_task_with_its_state() -> None:
    assert ps.graph_edges(TASKS) == [("CHILD", "GRANDCHILD"), ("ROOT", "CHILD")]
    dot = ps.graph_dot(TASKS, {"ROOT": "SUCCEEDED", "CHILD": "FAILED"}, state_label=str.upper)
    assert dot.startswith("digraph tasks {") and dot.rstrip().endswith("}")
    assert '"ROOT" -> "CHILD";' in dot and '"CHILD" -> "GRANDCHILD";' in dot
    assert 'label="CHILD\\nSTARTED\\nFAILED", fillcolor="#B0282F"' in dot  # failed: red
    assert 'label="NIGHTLY\\nSUSPENDED · USING CRON 0 3 * * * UTC", fillcolor="#D9D3CC"' in dot  # grey


def test_a_skipped_run_does_not_hide_the_previous_outcome() -> None:
    history = pd.DataFrame(
        {"NAME": ["ROOT", "ROOT", "CHILD", "OTHER"], "STATE": ["SKIPPED", "FAILED", "SUCCEEDED", "SKIPPED"]}
    )
    assert ps.last_run_states(history) == {"ROOT": "FAILED", "CHILD": "SUCCEEDED", "OTHER": "SKIPPED"}


def test_the_next_scheduled_run_is_not_a_last_state() -> None:
    """TASK_HISTORY lists a started root's next run as SCHEDULED (newest first): it is not an outcome."""
    history = pd.DataFrame({"NAME": ["ROOT", "ROOT", "NEW"], "STATE": ["SCHEDULED", "SUCCEEDED", "SCHEDULED"]})
    assert ps.last_run_states(history) == {"ROOT": "SUCCEEDED"}


def test_current_lag() -> None:
    now = dt.datetime(2026, 11, 25, 12, 0, 0)
    caught_up = pd.DataFrame({"LAST_RAW_INGESTION": [now], "LAST_PROD_UPDATE": [now], "IS_CAUGHT_UP": [True]})
    assert ps.current_lag_seconds(caught_up, now) == 0.0
    behind = caught_up.assign(LAST_PROD_UPDATE=[now - dt.timedelta(minutes=3)], IS_CAUGHT_UP=[False])
    assert ps.current_lag_seconds(behind, now) == 180.0
    empty = caught_up.assign(LAST_RAW_INGESTION=[pd.NaT])
    assert ps.current_lag_seconds(empty, now) is None
    assert ps.current_lag_seconds(caught_up.iloc[0:0], now) is None


def test_layers_graded_on_their_worst_event_producer_delay_ungraded() -> None:
    latency = pd.DataFrame(
        {
            "LAYER": ["source_to_raw", "raw_to_staging", "raw_to_staging", "raw_to_production"],
            "FLOW": ["orders", "orders", "inventory", "orders"],
            "MAX_LATENCY_SEC": [9999.0, 10.0, 150.0, 400.0],
            "LAYER_ORDER": [1, 2, 2, 4],
        }
    )
    graded = ps.grade_layers(latency, 120, 300)
    assert graded["GRADE"].tolist() == ["unknown", "ok", "warning", "stale"]
    worst = ps.worst_by_layer(graded)
    assert worst.to_dict("records")[1] == {"LAYER": "raw_to_staging", "MAX_LATENCY_SEC": 150.0, "GRADE": "warning"}


def test_reconciliation_balances_raw_against_its_destinations() -> None:
    recon = pd.DataFrame(
        {
            "RAW_ROWS": [10],
            "STAGED_ORDERS": [6],
            "STAGED_ADJUSTMENTS": [3],
            "REJECTED": [1],
            "UNACCOUNTED": [0],
            "STATUS": ["ok"],
            "WINDOW_START": [pd.Timestamp("2026-11-18")],
        }
    )
    counts = pd.DataFrame({"TABLE_NAME": ["ORDERS", "INVENTORY_HISTORY"], "ROW_COUNT": [4, 3]})
    result = ps.reconciliation(recon, counts)
    assert result is not None and result.balanced
    assert (result.production_orders, result.production_adjustments) == (4, 3)
    assert not ps.reconciliation(recon.assign(UNACCOUNTED=[2]), counts).balanced
    assert ps.reconciliation(recon.iloc[0:0], counts) is None


def test_health_snapshot_on_a_live_warehouse(seeded: LocalWarehouse) -> None:
    snapshot = ps.health_snapshot(seeded, hours=24)
    assert snapshot.errors == {}
    assert set(snapshot.tasks["NAME"]) >= {
        "TASK_RAW_TO_STAGING_ORDERS",
        "TASK_STAGING_TO_PROD_ORDERS",
        "TASK_RAW_TO_STAGING_INVENTORY",
        "TASK_STAGING_TO_PROD_INVENTORY_HISTORY",
        "TASK_STAGING_TO_PROD_INVENTORY_CURRENT",
    }
    assert ("TASK_RAW_TO_STAGING_ORDERS", "TASK_STAGING_TO_PROD_ORDERS") in ps.graph_edges(snapshot.tasks)
    assert snapshot.run_states()["TASK_STAGING_TO_PROD_ORDERS"] == "SUCCEEDED"
    assert snapshot.reconciliation is not None and snapshot.reconciliation.balanced
    assert snapshot.reconciliation.raw_rows > 0
    assert {"STALE", "STALE_AFTER", "PENDING_CHANGES", "OLDEST_PENDING_AGE_SEC"} <= set(snapshot.streams.columns)
    assert (snapshot.streams["PENDING_CHANGES"] == 0).all()  # the pipeline ran until idle
    assert snapshot.streams["OLDEST_PENDING_AGE_SEC"].isna().all()
    assert set(snapshot.latency["GRADE"]) <= set(ps.GRADES)


def test_a_failing_part_is_reported_without_blanking_the_rest(seeded: LocalWarehouse) -> None:
    class NoShowStreams:
        backend = "local"

        def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
            if sql.startswith("SHOW STREAMS"):
                raise RuntimeError("SQL access control error:\nInsufficient privileges")
            return seeded.query(sql, params)

    snapshot = ps.health_snapshot(NoShowStreams(), hours=24)  # type: ignore[arg-type]
    assert snapshot.errors == {"streams": "SHOW STREAMS: SQL access control error:"}
    assert not snapshot.tasks.empty and snapshot.reconciliation is not None
    assert snapshot.streams["STALE"].isna().all()


def test_backlog_and_in_flight_tell_fresh_messages_from_lost_ones(deployed: LocalWarehouse) -> None:
    """Two messages wait in RAW, unprocessed: one arrived now (in flight), one 10 minutes ago (older than the
    latency warning threshold: unaccounted). The streams count both as pending changes, the oldest 10 minutes old.
    stream_backlog answers what Snowflake's SYSTEM$STREAM_BACKLOG is for ("the set of table versions between the
    current offset for a specified stream and the current timestamp", with "the estimated number of change data
    capture (CDC) records": docs.snowflake.com/en/sql-reference/functions/system_stream_backlog) by counting the
    stream's rows with a SELECT, which never moves its offset."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    old = now - dt.timedelta(minutes=10)
    deployed.executemany(
        "insert into CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM (RAW_MESSAGE, INGESTION_TIMESTAMP) values (?, ?)",
        [("not json, just arrived", now), ("not json, ten minutes old", old)],
    )
    recon = query_service.run_query(deployed, "pipeline_reconciliation").iloc[0]
    assert (recon["RAW_ROWS"], recon["IN_FLIGHT"], recon["UNACCOUNTED"]) == (2, 1, 1)
    assert recon["STATUS"] == "unaccounted"

    backlog = query_service.run_query(deployed, "stream_backlog").set_index("STREAM_NAME")
    for stream in ("STREAM_RAW_ORDERS", "STREAM_RAW_INVENTORY"):
        assert backlog.loc[stream, "PENDING_CHANGES"] == 2
        assert pd.Timestamp(backlog.loc[stream, "OLDEST_PENDING_AT"]) == pd.Timestamp(old)
        assert 600 <= backlog.loc[stream, "OLDEST_PENDING_AGE_SEC"] < 660
    assert backlog.loc["STREAM_STG_ORDERS", "PENDING_CHANGES"] == 0
    assert fmt_missing(backlog.loc["STREAM_STG_ORDERS", "OLDEST_PENDING_AT"])
    # reading the backlog consumed nothing: the streams still hold both messages
    again = query_service.run_query(deployed, "stream_backlog").set_index("STREAM_NAME")
    assert again.loc["STREAM_RAW_ORDERS", "PENDING_CHANGES"] == 2


def test_the_task_table_shows_a_suspension_reason_only_on_a_suspended_task() -> None:
    tasks = TASKS.assign(LAST_SUSPENDED_REASON=["USER_SUSPENDED", None, "USER_SUSPENDED", "USER_SUSPENDED"])
    shown = ps.task_table(tasks)
    assert [None if fmt_missing(r) else r for r in shown["LAST_SUSPENDED_REASON"]] == [
        None,
        None,
        None,
        "USER_SUSPENDED",
    ]
    assert [None if fmt_missing(p) else p for p in shown["PREDECESSORS"]] == [None, "ROOT", "CHILD", None]


def test_the_lag_is_the_age_of_the_oldest_waiting_change() -> None:
    """After a quiet hour, a message that arrived 2 s ago puts production 2 s behind, not an hour."""
    now = dt.datetime(2026, 11, 25, 12, 0, 0)
    quiet_hour = pd.DataFrame(
        {
            "LAST_RAW_INGESTION": [now - dt.timedelta(seconds=2)],
            "LAST_PROD_UPDATE": [now - dt.timedelta(hours=1)],
            "IS_CAUGHT_UP": [False],
        }
    )
    backlog = pd.DataFrame(
        {
            "STREAM_NAME": ["STREAM_RAW_ORDERS", "STREAM_STG_ORDERS"],
            "PENDING_CHANGES": [1, 0],
            "OLDEST_PENDING_AT": [now - dt.timedelta(seconds=2), pd.NaT],
        }
    )
    assert ps.current_lag_seconds(quiet_hour, now) == 3600.0  # the latency query alone cannot tell
    assert ps.current_lag_seconds(quiet_hour, now, backlog) == 2.0
    assert ps.current_lag_seconds(quiet_hour, now, backlog.assign(PENDING_CHANGES=0)) == 0.0
    assert ps.current_lag_seconds(quiet_hour, now, backlog.iloc[0:0]) == 3600.0  # no backlog read: the fallback
