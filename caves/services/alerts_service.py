"""The alerts of deploy_sql/90_alerts.sql, for the console and the CLI: open alerts, history, the rows behind each,
acknowledgements, and suspend / resume / execute like the tasks.

Pure (no Streamlit). Alert names come only from deploy_sql/ (an unknown name is refused before any SQL is built);
values are always bound. What an alert found is in ``OPS.ALERT_LOG`` (one row per offending row and run, with
the run's scheduled time); whether a finding is still open is decided here:

* a ``state`` finding (a wine out of stock, a stale pipeline...) is open while the alert keeps finding it: it is
  in the alert's latest logged run and no later run of the alert found its condition false; it opened at the
  first run of that streak;
* an ``event`` finding (a task that failed) stays open until someone acknowledges it;
* an acknowledgement (``OPS.ALERT_ACKNOWLEDGEMENTS``, audited in ``OPS.ADMIN_AUDIT_LOG``) closes what its check
  had found until then; a row found again after the state cleared opens again.

Snowflake's ALERT_HISTORY function is read for the run states (https://docs.snowflake.com/en/sql-reference/functions/alert_history).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from caves import security
from caves.identity import Viewer
from caves.objects import DATABASE, load_statements
from caves.services.admin_service import AdminAction, AdminResult, AdminService, as_viewer
from caves.warehouse.base import Warehouse

__all__ = [
    "ALERT_LOG",
    "MEASURES",
    "SEVERITIES",
    "AlertBoard",
    "UnknownAlertError",
    "acknowledge",
    "alert_history",
    "alert_names",
    "board",
    "execute_statement",
    "list_alerts",
    "measure_column",
    "plan_alert_action",
    "resolve_alert",
]

ALERT_LOG = f"{DATABASE}.OPS.ALERT_LOG"
ACKS = f"{DATABASE}.OPS.ALERT_ACKNOWLEDGEMENTS"
SEVERITIES = ("critical", "warning", "info")
ALERT_ACTIONS = ("alert_suspend", "alert_resume", "alert_execute")
# Snowflake keeps 7 days of ALERT_HISTORY(); the board looks at the same window of the log.
WINDOW_DAYS = 7
SUCCESSFUL = ("CONDITION_FALSE", "TRIGGERED")


class UnknownAlertError(KeyError):
    """A name that is not one of deploy_sql/'s alerts."""

    def __str__(self) -> str:  # KeyError would print the repr of its argument
        return str(self.args[0]) if self.args else "unknown alert"


@functools.lru_cache(maxsize=1)
def alert_names() -> tuple[str, ...]:
    """The fully-qualified names of deploy_sql/'s alerts, in file order."""
    return tuple(s.name for s in load_statements() if s.kind == "alert")


def resolve_alert(name: str) -> str:
    """deploy_sql/'s fully-qualified name for ``name`` (short or qualified, any case); UnknownAlertError otherwise."""
    wanted = (name or "").strip().upper()
    for fqn in alert_names():
        if wanted in (fqn, fqn.rsplit(".", 1)[-1], fqn.split(".", 1)[-1]):
            return fqn
    raise UnknownAlertError(f"unknown alert {name!r} (one of {', '.join(n.rsplit('.', 1)[-1] for n in alert_names())})")


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _naive_utc(series: pd.Series) -> pd.Series:
    """Timestamps as naive UTC (Snowflake returns TIMESTAMP_LTZ for ALERT_HISTORY, the engine naive UTC)."""
    values = pd.to_datetime(series, errors="coerce")
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    return values


# --- reading ------------------------------------------------------------------------------------------


def list_alerts(warehouse: Warehouse) -> pd.DataFrame:
    """SHOW ALERTS for the pipeline's database: NAME, STATE, SCHEDULE, COMMENT (upper-case columns)."""
    frame = warehouse.query(f"SHOW ALERTS IN DATABASE {DATABASE}")
    frame.columns = [str(c).upper() for c in frame.columns]
    keep = [c for c in ("NAME", "STATE", "SCHEDULE", "COMMENT", "SCHEMA_NAME") if c in frame.columns]
    return frame[keep].sort_values("NAME").reset_index(drop=True)


def alert_history(warehouse: Warehouse, limit: int = 100, alert: str | None = None) -> pd.DataFrame:
    """The latest alert runs from ALERT_HISTORY(), newest first: NAME, STATE, SCHEDULED_TIME, COMPLETED_TIME,
    SCHEDULED_FROM, ERROR_MESSAGE. Values bound; the alert name checked against deploy_sql/."""
    if not 1 <= limit <= 10_000:
        raise ValueError("limit must be between 1 and 10000")
    short = resolve_alert(alert).rsplit(".", 1)[-1] if alert else None
    frame = warehouse.query(
        f"SELECT * FROM TABLE({DATABASE}.INFORMATION_SCHEMA.ALERT_HISTORY(RESULT_LIMIT => ?, ALERT_NAME => ?)) "
        "ORDER BY SCHEDULED_TIME DESC",
        [limit, short],
    )
    frame.columns = [str(c).upper() for c in frame.columns]
    # The function's error columns are SQL_ERROR_CODE / SQL_ERROR_MESSAGE; the Account Usage view's ERROR_*.
    error = next((c for c in ("SQL_ERROR_MESSAGE", "ERROR_MESSAGE") if c in frame.columns), None)
    out = pd.DataFrame(
        {
            "NAME": frame.get("NAME", pd.Series(dtype=object)),
            "STATE": frame.get("STATE", pd.Series(dtype=object)),
            "SCHEDULED_TIME": _naive_utc(frame.get("SCHEDULED_TIME", pd.Series(dtype="datetime64[ns]"))),
            "COMPLETED_TIME": _naive_utc(frame.get("COMPLETED_TIME", pd.Series(dtype="datetime64[ns]"))),
            "SCHEDULED_FROM": frame.get("SCHEDULED_FROM", pd.Series([None] * len(frame), dtype=object)),
            "ERROR_MESSAGE": frame[error] if error else pd.Series([None] * len(frame), dtype=object),
        }
    )
    return out.reset_index(drop=True)


def _log(warehouse: Warehouse, since: dt.datetime) -> pd.DataFrame:
    frame = warehouse.query(
        "SELECT ALERT_NAME, CHECK_NAME, CATEGORY, SEVERITY, KIND, TABLE_NAME, OBJECT_KEY, DETAIL, MEASURED_VALUE, "
        f"DETECTED_AT FROM {ALERT_LOG} WHERE DETECTED_AT >= ? ORDER BY DETECTED_AT",
        [since],
    )
    frame.columns = [str(c).upper() for c in frame.columns]
    frame["DETECTED_AT"] = _naive_utc(frame["DETECTED_AT"])
    return frame


def _acks(warehouse: Warehouse) -> pd.DataFrame:
    frame = warehouse.query(
        f"SELECT ALERT_NAME, CHECK_NAME, OBJECT_KEY, ACKNOWLEDGED_BY, ACKNOWLEDGED_AT, NOTE FROM {ACKS} "
        "ORDER BY ACKNOWLEDGED_AT"
    )
    frame.columns = [str(c).upper() for c in frame.columns]
    frame["ACKNOWLEDGED_AT"] = _naive_utc(frame["ACKNOWLEDGED_AT"])
    return frame


@dataclass(frozen=True)
class AlertBoard:
    """The alerts as the console shows them.

    ``open_alerts``: one row per open (alert, check): ALERT_NAME, CHECK_NAME, CATEGORY, SEVERITY, KIND,
    ITEM_COUNT, FIRST_SEEN, LAST_SEEN, ordered by severity then age. ``items``: the rows behind them
    (OBJECT_KEY, DETAIL, MEASURED_VALUE, TABLE_NAME, FIRST_SEEN, LAST_SEEN). ``history``: the alert runs.
    """

    open_alerts: pd.DataFrame
    items: pd.DataFrame
    history: pd.DataFrame
    acknowledgements: pd.DataFrame

    @property
    def open_count(self) -> int:
        return len(self.open_alerts)

    def by_severity(self) -> dict[str, int]:
        counts = self.open_alerts["SEVERITY"].value_counts() if len(self.open_alerts) else {}
        return {s: int(counts.get(s, 0)) for s in SEVERITIES}

    def items_of(self, alert: str, check: str) -> pd.DataFrame:
        """The open rows of one (alert, check), with MEASURED_VALUE under the name of what it measures for that
        check (:data:`MEASURES`, e.g. DAYS_OF_STOCK_LEFT) as a float, so that it reads in its unit."""
        rows = self.items[(self.items["ALERT_NAME"] == alert) & (self.items["CHECK_NAME"] == check)]
        rows = rows.drop(columns=["ALERT_NAME", "CHECK_NAME"]).reset_index(drop=True)
        # NUMBER(18, 2) arrives as Decimal objects: as floats the column is numeric and formatted by the console
        measured = pd.to_numeric(rows["MEASURED_VALUE"], errors="coerce").astype(float)
        return rows.drop(columns=["MEASURED_VALUE"]).assign(**{measure_column(check): measured})


# What OPS.ALERT_LOG.MEASURED_VALUE measures, per check of deploy_sql/90_alerts.sql, as a column name whose
# convention tells the console its unit (``*_SECONDS`` a duration, ``*_PCT`` a percent, CURRENT_STOCK_LEVEL bottles,
# ``*_COUNT`` rows, ``*_AMOUNT`` euros).
MEASURES = {
    "LATENCY_STALE": "WAITING_SECONDS",
    "STREAM_BACKLOG": "PENDING_SECONDS",
    "RECON_UNACCOUNTED": "WAITING_SECONDS",
    "REJECTED_RATE": "REJECTED_PCT",
    "STOCK_OUT": "CURRENT_STOCK_LEVEL",
    "STOCKOUT_FORECAST": "DAYS_OF_STOCK_LEFT",
    "DQ_TOTAL_MISMATCH": "GAP_AMOUNT",
    "DQ_NEGATIVE_STOCK": "CURRENT_STOCK_LEVEL",
    "DQ_UNKNOWN_PRODUCT": "QUANTITY",
    "DQ_FUTURE_DATE": "AHEAD_SECONDS",
    "DQ_DUPLICATE_KEY": "DUPLICATE_COUNT",
    "DQ_FRESHNESS": "SINCE_LOAD_SECONDS",
}


def measure_column(check: str) -> str:
    """The column :meth:`AlertBoard.items_of` puts ``check``'s measure in (``MEASURED_VALUE`` for a check with no
    unit of its own, e.g. a task failure, whose measure is empty)."""
    return MEASURES.get(check, "MEASURED_VALUE")


_ITEM_COLUMNS = [
    "ALERT_NAME", "CHECK_NAME", "CATEGORY", "SEVERITY", "KIND", "TABLE_NAME", "OBJECT_KEY", "DETAIL",
    "MEASURED_VALUE", "FIRST_SEEN", "LAST_SEEN",
]  # fmt: skip
_OPEN_COLUMNS = [
    "ALERT_NAME", "CHECK_NAME", "CATEGORY", "SEVERITY", "KIND", "ITEM_COUNT", "FIRST_SEEN", "LAST_SEEN",
]  # fmt: skip


def open_items(log: pd.DataFrame, history: pd.DataFrame, acks: pd.DataFrame) -> pd.DataFrame:
    """The findings still open (see the module's docstring), one row per (alert, check, key)."""
    rows: list[dict] = []
    if log.empty:
        return pd.DataFrame(columns=_ITEM_COLUMNS)
    key = log["OBJECT_KEY"].fillna("")
    log = log.assign(_KEY=key)
    false_runs = history[history["STATE"] == "CONDITION_FALSE"] if len(history) else history
    for alert, runs in log.groupby("ALERT_NAME", sort=False):
        batches = sorted(runs["DETECTED_AT"].unique())
        cleared = sorted(false_runs.loc[false_runs["NAME"] == alert.rsplit(".", 1)[-1], "SCHEDULED_TIME"].dropna())
        for (check, object_key), found in runs.groupby(["CHECK_NAME", "_KEY"], sort=False):
            last = found.iloc[-1]
            seen = set(found["DETECTED_AT"])
            if last["KIND"] == "event":
                first_seen = found["DETECTED_AT"].min()
                is_open = True
            else:
                latest_batch = batches[-1]
                is_open = last["DETECTED_AT"] == latest_batch and not any(t > latest_batch for t in cleared)
                # walk back over the alert's runs while this row was found in each, and no run cleared in between
                first_seen = latest_batch
                for when in reversed(batches[:-1]):
                    if when not in seen or any(when < t < first_seen for t in cleared):
                        break
                    first_seen = when
            if not is_open:
                continue
            covering = acks[
                (acks["ALERT_NAME"] == alert)
                & (acks["CHECK_NAME"] == check)
                & (acks["OBJECT_KEY"].isna() | (acks["OBJECT_KEY"] == object_key))
                & (acks["ACKNOWLEDGED_AT"] >= first_seen)
            ]
            if len(covering):
                continue
            rows.append(
                {
                    **{c: last[c] for c in _ITEM_COLUMNS if c in last.index},
                    "FIRST_SEEN": first_seen,
                    "LAST_SEEN": last["DETECTED_AT"],
                }
            )
    return pd.DataFrame(rows, columns=_ITEM_COLUMNS)


def _group(items: pd.DataFrame) -> pd.DataFrame:
    if items.empty:
        return pd.DataFrame(columns=_OPEN_COLUMNS)
    grouped = (
        items.groupby(["ALERT_NAME", "CHECK_NAME"], sort=False)
        .agg(
            CATEGORY=("CATEGORY", "first"),
            SEVERITY=("SEVERITY", lambda s: min(s, key=lambda v: SEVERITIES.index(v) if v in SEVERITIES else 9)),
            KIND=("KIND", "first"),
            ITEM_COUNT=("OBJECT_KEY", "size"),
            FIRST_SEEN=("FIRST_SEEN", "min"),
            LAST_SEEN=("LAST_SEEN", "max"),
        )
        .reset_index()
    )
    rank = grouped["SEVERITY"].map(lambda v: SEVERITIES.index(v) if v in SEVERITIES else 9)
    return (
        grouped.assign(_R=rank)
        .sort_values(["_R", "FIRST_SEEN"])
        .drop(columns="_R")[_OPEN_COLUMNS]
        .reset_index(drop=True)
    )


def board(warehouse: Warehouse, *, now: dt.datetime | None = None, history_limit: int = 500) -> AlertBoard:
    """Open alerts by severity, the rows behind them, the run history and the acknowledgements."""
    since = (now or _utc_now()) - dt.timedelta(days=WINDOW_DAYS)
    history = alert_history(warehouse, limit=history_limit)
    log = _log(warehouse, since)
    acks = _acks(warehouse)
    items = open_items(log, history, acks)
    return AlertBoard(_group(items), items, history, acks)


def open_count(warehouse: Warehouse) -> int:
    """The number of open alerts (the sidebar's badge)."""
    return board(warehouse, history_limit=200).open_count


# --- acting -------------------------------------------------------------------------------------------


def execute_statement(name: str) -> str:
    """``EXECUTE ALERT`` on deploy_sql/'s name for ``name``."""
    return f"EXECUTE ALERT {resolve_alert(name)}"


def plan_alert_action(kind: str, name: str) -> AdminAction:
    """An Administration action on one alert: ``alert_suspend``, ``alert_resume`` or ``alert_execute``; the name
    is deploy_sql/'s own (alert names are identifiers and cannot be bound)."""
    fqn = resolve_alert(name)
    statements = {
        "alert_suspend": f"ALTER ALERT {fqn} SUSPEND",
        "alert_resume": f"ALTER ALERT {fqn} RESUME",
        "alert_execute": f"EXECUTE ALERT {fqn}",
    }
    if kind not in statements:
        raise ValueError(f"unknown alert action {kind!r} (one of {', '.join(ALERT_ACTIONS)})")
    return AdminAction(kind, fqn, (statements[kind],))


def acknowledge(
    service: AdminService,
    actor: Viewer | str,
    alert: str,
    check: str,
    *,
    object_key: str | None = None,
    note: str | None = None,
) -> AdminResult:
    """Acknowledge an open alert (all the rows its check found so far, or one row): an administrator only,
    written to OPS.ALERT_ACKNOWLEDGEMENTS and audited in OPS.ADMIN_AUDIT_LOG (action ``acknowledge``)."""
    fqn_alert = resolve_alert(alert).rsplit(".", 1)[-1]
    check = (check or "").strip().upper()
    if not check or len(check) > 100:
        raise ValueError("acknowledge: the check name is required")
    viewer = as_viewer(actor)
    started = _utc_now()
    action = AdminAction("acknowledge", f"{fqn_alert}.{check}", ())
    details = {"object_key": object_key, "note": (note or "")[:500]}
    if service.source == "console" and not service.allowed(viewer):
        error = "not an administrator"
        audit_id = service._audit(viewer.label, action, "refused", error, started, started, details)
        return AdminResult(action, viewer.label, "refused", error, started, started, audit_id)
    error = None
    try:
        service.warehouse.execute(
            f"INSERT INTO {ACKS} (ALERT_NAME, CHECK_NAME, OBJECT_KEY, ACKNOWLEDGED_BY, ACKNOWLEDGED_AT, NOTE) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [fqn_alert, check, object_key, viewer.label, started, (note or None) and note[:500]],
        )
    except Exception as exc:  # each backend raises its own errors; the user gets one readable line
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        error = security.redact(lines[0] if lines else type(exc).__name__)
    finished = _utc_now()
    outcome = "failed" if error else "succeeded"
    audit_id = service._audit(viewer.label, action, outcome, error, started, finished, details)
    return AdminResult(action, viewer.label, outcome, error, started, finished, audit_id)


def short_names(names: Sequence[str]) -> list[str]:
    """``CAVES_ALBERT_DB.OPS.ALERT_X`` -> ``ALERT_X``."""
    return [n.rsplit(".", 1)[-1] for n in names]


def outbox(warehouse: Warehouse, limit: int = 50) -> pd.DataFrame:
    """The local engine's notification outbox, newest first (notifications are recorded, not sent, locally)."""
    frame = warehouse.query(
        f"SELECT SENT_AT, ALERT_NAME, PROCEDURE_NAME, INTEGRATION_NAME, SUBJECT, MESSAGE "
        f"FROM TABLE({DATABASE}.INFORMATION_SCHEMA.NOTIFICATION_OUTBOX(RESULT_LIMIT => ?))",
        [limit],
    )
    frame.columns = [str(c).upper() for c in frame.columns]
    frame["ALERT_NAME"] = frame["ALERT_NAME"].map(lambda n: n.rsplit(".", 1)[-1] if isinstance(n, str) else n)
    frame["MESSAGE"] = frame["MESSAGE"].map(_message_text)
    return frame


def _message_text(message: object) -> object:
    """A SYSTEM$SEND_SNOWFLAKE_NOTIFICATION message (``{"text/plain": "..."}``) as its text; other values as they are."""
    if not isinstance(message, str) or not message.startswith("{"):
        return message
    try:
        parsed = json.loads(message)
    except ValueError:
        return message
    if isinstance(parsed, dict) and parsed:
        return "\n".join(str(v) for v in parsed.values())
    return message


def display_alerts(frame: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """SHOW ALERTS or ALERT_HISTORY rows with the alert's name in ALERT_NAME (the column its labels are keyed on) and,
    for SHOW ALERTS, what each alert watches in ``lang`` (ALERT_DESCRIPTION; deploy_sql/'s COMMENT is English)."""
    from caves.i18n import TEXTS, t

    out = frame.rename(columns={"NAME": "ALERT_NAME", "CATEGORY": "ALERT_CATEGORY"})
    if "COMMENT" in out.columns:
        out = out.assign(
            ALERT_DESCRIPTION=[
                t(f"alert_help.{name}", lang) if f"alert_help.{name}" in TEXTS else comment
                for name, comment in zip(out["ALERT_NAME"], out["COMMENT"], strict=True)
            ]
        )
    return out


def plan(service: AdminService, kind: str, target: str | None = None) -> AdminAction:
    """The Administration page's plans: the alert actions here, every other one from :class:`AdminService`."""
    if kind in ALERT_ACTIONS:
        return plan_alert_action(kind, target or "")
    return service.plan(kind, target)
