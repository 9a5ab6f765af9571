"""``python -m caves``: the command line over the warehouse, the pipeline and the catalog."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .settings import default_db_path

if TYPE_CHECKING:  # the commands import what they need when they run (a fast start for every command)
    from .local import Engine
    from .services.admin_service import AdminAction, AdminResult, AdminService
    from .shop import ShopFeed
    from .simulate import SimConfig
    from .warehouse.base import Warehouse
    from .warehouse.local import LocalWarehouse

log = logging.getLogger("caves")


class CliError(Exception):
    """A user-facing error: printed on stderr without a traceback."""


def _integer(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high`` (argparse names the flag when it refuses)."""

    def parse(text: str) -> int:
        digits = text.strip().lstrip("+-")
        if not digits.isascii() or not digits.isdigit() or len(digits) > 19:
            raise argparse.ArgumentTypeError(f"expected a whole number from {low} to {high}, got {text!r}")
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not between {low} and {high}")
        return value

    parse.__name__ = "integer"
    return parse


def _number(low: float, high: float, *, low_open: bool = False) -> Callable[[str], float]:
    """An argparse type: a finite number from ``low`` (excluded with ``low_open``) to ``high``."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if not math.isfinite(value) or value > high or value < low or (low_open and value == low):
            bound = f"above {low:g}" if low_open else f"from {low:g}"
            raise argparse.ArgumentTypeError(f"{text!r} is not a number {bound} to {high:g}")
        return value

    parse.__name__ = "number"
    return parse


# Generous bounds: past them a flag is a typo, and would exhaust memory or overflow a date.
_DAYS = _integer(0, 3660)
_COUNT = _integer(1, 10_000_000)
_SEED = _integer(-(2**63), 2**63 - 1)
_RATE = _number(0.0, 1_000_000.0, low_open=True)
_SECONDS = _number(0.0, 10_000_000.0, low_open=True)
_SHARE = _number(0.0, 1.0)


def _engine(args: argparse.Namespace) -> Engine:
    if args.target != "local":
        raise CliError(f"--target {args.target} is not available for this command yet; use --target local.")
    from .local import Engine

    path = args.db or default_db_path()
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    return Engine(path)


def cmd_sql(args: argparse.Namespace) -> int:
    from .output import format_rows
    from .sqlscript import statement_texts

    if args.file:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
        statements = statement_texts(text)
    elif args.statement:
        statements = [args.statement]
    else:
        raise CliError('give a statement ("SELECT 1") or -f FILE')
    if args.target == "snowflake":
        from .output import format_frame
        from .targets import warehouse_for

        wh = warehouse_for(args)
        try:
            frame = None
            for stmt in statements:
                frame = wh.query(stmt)
            if frame is not None:
                print(format_frame(frame, args.format))
        finally:
            wh.close()
        return 0
    engine = _engine(args)
    try:
        with engine.session() as session:
            result = None
            for stmt in statements:
                result = session.execute(stmt)
            if result is not None:
                print(format_rows(result.columns, result.rows, args.format))
    finally:
        engine.close()
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from .deploy import deploy

    if args.target != "local":
        raise CliError("init creates the local warehouse; on Snowflake use: caves deploy --target snowflake")
    wh = _local_warehouse(args)
    try:
        applied = deploy(wh, resume_new_graphs=True)
        print(f"Local warehouse ready at {wh.path} ({len(applied)} deployment statements applied).")
    finally:
        wh.close()
    return 0


def cmd_deploy(args: argparse.Namespace) -> int:
    from .deploy import deploy
    from .targets import warehouse_for

    wh = warehouse_for(args)
    try:
        if args.dry_run:
            for stmt in deploy(wh, dry_run=True):
                print(stmt.rstrip().rstrip(";") + ";\n")
        else:
            admin = _admin_service(wh, args)
            result = _run_audited(admin, admin.plan_deploy())
            print(f"Deployed: {len(result.applied)} statements applied.")
    finally:
        wh.close()
    return 0


def shell_user() -> str:
    """The OS account of the shell running the command: the actor of its audit rows."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no LOGNAME/USER (a bare container)
        import os

        return f"uid:{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def _admin_service(wh: Warehouse, args: argparse.Namespace) -> AdminService:
    """The admin actions of the CLI: the console's own service, audited with source ``cli``."""
    from .services.admin_service import AdminService
    from .settings import load_settings

    return AdminService(wh, load_settings(), args.target, source="cli")


def _run_audited(admin: AdminService, action: AdminAction) -> AdminResult:
    """Run ``action`` as the shell's OS user, audited in OPS.ADMIN_AUDIT_LOG; a failure is a CliError."""
    result = admin.run(action, shell_user())
    if not result.ok:
        hint = ""
        if result.blocked_by_root:
            root = result.blocked_by_root
            hint = (
                f"\nIts graph is running: `caves tasks {action.kind} {root}` acts on the whole graph (root first "
                f"to suspend, root last to resume); to change this task alone, `caves tasks suspend {root}` first, "
                f"then `caves tasks resume {root}` after."
            )
        raise CliError(f"{action.kind} {action.target} failed: {result.error}{hint}")
    return result


def _local_warehouse(args: argparse.Namespace) -> LocalWarehouse:
    from .warehouse.local import LocalWarehouse

    return LocalWarehouse(args.db or default_db_path(), engine=_engine(args))


def _warehouse(args: argparse.Namespace) -> Warehouse:
    """The warehouse of ``--target``: the local engine on ``--db``, or Snowflake (caves.targets)."""
    if args.target == "local":
        return _local_warehouse(args)
    from .targets import warehouse_for

    return warehouse_for(args)


def cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest import ingest, lines_as_messages

    wh = _warehouse(args)
    try:
        if args.file == "-":
            report = ingest(wh, lines_as_messages(sys.stdin, topic=args.topic or "stdin"), args.batch_size)
        else:
            path = Path(args.file)
            if not path.exists():
                raise CliError(f"no such file: {path}")
            with path.open(encoding="utf-8", errors="backslashreplace") as fh:
                report = ingest(wh, lines_as_messages(fh, topic=args.topic or f"file:{path.name}"), args.batch_size)
        print(f"Ingested {report.messages} messages in {report.batches} batches ({report.per_second:,.0f} msg/s).")
    finally:
        wh.close()
    return 0


_SHOP_FLAGS = ("seed", "orders_per_day", "rate", "redelivery_rate", "late_rate", "broken_rate")


def _sim_config(args: argparse.Namespace) -> SimConfig:
    from .simulate import SimConfig

    try:
        return SimConfig(
            seed=42 if args.seed is None else args.seed,
            orders_per_day=200.0 if args.orders_per_day is None else args.orders_per_day,
            rate=args.rate if args.live else None,
            redelivery_rate=args.redelivery_rate or 0.0,
            late_rate=args.late_rate or 0.0,
            broken_rate=args.broken_rate or 0.0,
        )
    except ValueError as exc:
        raise CliError(str(exc)) from None


def _shop_feed(args: argparse.Namespace, wh: Warehouse, now: dt.datetime) -> ShopFeed:
    """The warehouse's shop, continued; or a new one opened (history: ``--days`` ago; live: now)."""
    from .shop import ShopError, ShopFeed, open_shop, read_shop

    record = read_shop(wh)
    if record is not None:
        given = [f"--{name.replace('_', '-')}" for name in _SHOP_FLAGS if getattr(args, name) is not None]
        if not args.live:
            raise CliError(
                f"this warehouse already holds the shop opened on {record.opened_at:%Y-%m-%d %H:%M} UTC; "
                "its history is not made again (that would be a second opening stock): "
                "`caves simulate --live` continues it"
            )
        if given:
            raise CliError(
                f"this warehouse's shop (opened {record.opened_at:%Y-%m-%d}, seed {record.config.seed}, "
                f"{record.config.orders_per_day:g} orders/day) is continued as it is: {', '.join(given)} cannot "
                "change it; drop the option, or simulate into another --db"
            )
        return ShopFeed(wh, record)
    opened_at = now - dt.timedelta(days=args.days) if not args.live else now
    try:
        return ShopFeed(wh, open_shop(wh, _sim_config(args), opened_at))
    except ShopError as exc:
        raise CliError(str(exc)) from None


def cmd_simulate(args: argparse.Namespace) -> int:
    import time

    now = dt.datetime.now(dt.UTC)
    if args.output is None and args.kafka is None:
        # Into a warehouse: the warehouse's own shop (caves.shop), history and live being one story.
        wh = _warehouse(args)
        try:
            feed = _shop_feed(args, wh, now)
            if not args.live:
                sent = feed.deliver_until(now)
                print(f"Simulated {args.days} days: {sent} messages.", file=sys.stderr)
                return 0
            config = feed.record.config
            pace = (
                f"{config.rate} events/s" if config.rate else f"its own rhythm, ~{config.orders_per_day:g} orders/day"
            )
            print(
                f"Live: the shop opened {feed.record.opened_at:%Y-%m-%d %H:%M} UTC goes on at {pace} (Ctrl-C to stop)…",
                file=sys.stderr,
            )
            sent = feed.deliver_until(now)  # what the shop sent while nobody was simulating
            deadline = time.monotonic() + args.duration if args.duration else None
            while deadline is None or time.monotonic() < deadline:
                time.sleep(1.0)
                sent += feed.deliver_until(dt.datetime.now(dt.UTC))
            print(f"Sent {sent} messages.", file=sys.stderr)
            return 0
        finally:
            wh.close()
    return _simulate_elsewhere(args, now)


def _simulate_elsewhere(args: argparse.Namespace, now: dt.datetime) -> int:
    """History or live events to a file, stdout or Kafka: a shop of its own, recorded nowhere."""
    import contextlib
    import time

    from .simulate import LiveSimulator, generate_history

    config = _sim_config(args)
    sent = 0
    with contextlib.ExitStack() as stack:
        out = None
        if args.output == "-":
            out = sys.stdout
        elif args.output:
            out = stack.enter_context(open(args.output, "w", encoding="utf-8"))
        producer = None
        if args.kafka:
            from .kafka import EventProducer, parse_config

            producer = stack.enter_context(EventProducer(args.kafka, args.topic, parse_config(args.kafka_config)))

        def deliver(texts: list[str]) -> None:
            nonlocal sent
            if producer is not None:
                from .kafka import keyed

                producer.send_all(keyed(texts))
            else:
                assert out is not None
                out.writelines(text + "\n" for text in texts)
                out.flush()
            sent += len(texts)

        if not args.live:
            deliver([text for _, text in generate_history(config, days=args.days, end=now)])
            print(f"Simulated {args.days} days: {sent} messages.", file=sys.stderr)
            return 0
        live = LiveSimulator(config, start=now)
        deadline = time.monotonic() + args.duration if args.duration else None
        pace = f"{config.rate} events/s" if config.rate else f"~{config.orders_per_day:g} orders/day"
        print(f"Live simulation at {pace} (Ctrl-C to stop)…", file=sys.stderr)
        while deadline is None or time.monotonic() < deadline:
            time.sleep(1.0)
            deliver(live.next_batch(dt.datetime.now(dt.UTC)))
        print(f"Sent {sent} messages.", file=sys.stderr)
    return 0


def cmd_consume(args: argparse.Namespace) -> int:
    from .kafka import consume, parse_config, stop_on_signals
    from .targets import warehouse_for

    config = parse_config(args.kafka_config)
    wh = warehouse_for(args)
    try:
        with stop_on_signals() as stop:
            report = consume(
                wh,
                args.bootstrap_servers,
                args.topic,
                group=args.group,
                batch_size=args.batch_size,
                batch_seconds=args.batch_seconds,
                stop=stop,
                config=config,
            )
        print(f"Consumed {report.messages} messages in {report.batches} batches ({report.per_second:,.0f} msg/s).")
    finally:
        wh.close()
    return 0


def cmd_pipeline_run(args: argparse.Namespace) -> int:
    if args.target == "snowflake":
        return _pipeline_run_snowflake(args)
    from .local.scheduler import run_started_graphs, run_until_idle

    engine = _engine(args)
    try:
        outcomes = run_until_idle(engine) if args.until_idle else run_started_graphs(engine)
        if not outcomes:
            raise CliError("no started task graph: resume one with `caves tasks resume NAME` (or `caves init`).")
        failed = [o for o in outcomes if o.state.startswith("FAILED")]
        runs = sum(1 for o in outcomes if o.state not in {"SKIPPED", "NOT_RUN"})
        print(f"{runs} graph runs, {len(failed)} failed.")
        for o in failed:
            print(f"  {o.root}: {o.state} {o.tasks}", file=sys.stderr)
        return 1 if failed else 0
    finally:
        engine.close()


def _pipeline_run_snowflake(args: argparse.Namespace) -> int:
    """On Snowflake: EXECUTE TASK on each interval-scheduled root (Snowflake evaluates WHEN and runs them)."""
    from . import taskctl
    from .dag import load_task_graph

    graph = load_task_graph()
    roots = [r for r in graph.roots() if not (graph.nodes[r].schedule or "").upper().startswith("USING CRON")]
    wh = _warehouse(args)
    try:
        for statement in taskctl.run(wh, [taskctl.execute_statement(root, graph=graph) for root in roots]):
            print(statement)
    finally:
        wh.close()
    if args.until_idle:
        print("Snowflake runs the graphs asynchronously: follow them with `caves tasks history --target snowflake`.")
    return 0


def cmd_tasks(args: argparse.Namespace) -> int:
    from . import taskctl
    from .dag import UnknownTaskError
    from .objects import parse_predecessors
    from .output import format_frame

    wh = _warehouse(args)
    try:
        if args.action == "list":
            frame = taskctl.list_tasks(wh)[
                ["name", "state", "schedule", "predecessors", "condition", "last_suspended_reason"]
            ]
            frame = frame.assign(predecessors=frame["predecessors"].map(lambda p: " ".join(parse_predecessors(p))))
            print(format_frame(frame, args.format))
            return 0
        if args.action == "history":
            print(format_frame(taskctl.task_history(wh, limit=args.limit, task=args.name), args.format))
            return 0
        if not args.name:
            raise CliError(f"tasks {args.action} needs a task NAME")
        admin = _admin_service(wh, args)
        try:
            action = admin.plan_task(args.action, args.name, retry_last=args.retry_last)
        except UnknownTaskError as exc:
            raise CliError(str(exc)) from None
        for statement in _run_audited(admin, action).applied:
            print(statement)
        return 0
    finally:
        wh.close()


def cmd_query(args: argparse.Namespace) -> int:
    from .catalog import CatalogError, ParameterError, load_catalog
    from .output import format_frame, format_rows

    catalog = load_catalog()
    if args.list:
        rows = catalog.rows()
        print(format_rows(["ID", "SECTION", "TITLE_FR", "TITLE_EN"], [tuple(r.values()) for r in rows], args.format))
        return 0
    if not args.id:
        raise CliError("give a query ID, or --list")
    values: dict[str, str] = {}
    for item in args.param or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise CliError(f"--param expects name=value, got {item!r}")
        values[key.strip()] = value
    try:
        query = catalog.get(args.id)
        sql, params = query.bind(values)
    except (CatalogError, ParameterError) as exc:
        raise CliError(str(exc)) from None
    wh = _warehouse(args)
    try:
        print(format_frame(wh.query(sql, params), args.format))
    finally:
        wh.close()
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    import json

    from .bench import PARTS, run

    parts = args.part or None
    if parts and any(p not in PARTS for p in parts):
        raise CliError(f"unknown part; choose among {', '.join(PARTS)}")
    progress = (lambda _msg: None) if args.json else (lambda msg: print(msg, file=sys.stderr))
    results = run(quick=args.quick, parts=parts, progress=progress)
    if args.json:
        print(json.dumps(results, default=str))
    else:
        for key, value in results.items():
            print(f"{key:32} {value:,.3f}" if isinstance(value, float) else f"{key:32} {value}")
    return 1 if results.get("errors") else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="caves", description="Les Caves d'Albert pipeline console")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", default=None, help="local warehouse file (default: $CAVES_DB or .caves/warehouse.duckdb)"
    )
    common.add_argument("--target", choices=["local", "snowflake"], default="local")
    common.add_argument("--debug", action="store_true", help="show tracebacks")
    common.add_argument("--connection-file", help="--target snowflake: TOML connection settings (see README)")
    parser.add_argument("--db", dest="db_global", default=None, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", parents=[common], help="create the local warehouse and deploy deploy_sql/")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("deploy", parents=[common], help="plan and apply deploy_sql/")
    p.add_argument("--dry-run", action="store_true", help="print the statements in order, change nothing")
    p.set_defaults(func=cmd_deploy)

    p = sub.add_parser("ingest", parents=[common], help="load messages (one per line) into RAW_DATA.RAW_EVENTS_STREAM")
    p.add_argument("file", help="a file of messages, one per line (an empty line is an empty message), or - for stdin")
    p.add_argument("--topic", default=None, help="SOURCE_TOPIC to record (default: file:<name> or stdin)")
    p.add_argument("--batch-size", type=_COUNT, default=5000)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("simulate", parents=[common], help="produce realistic shop events into the warehouse")
    p.add_argument("--days", type=_DAYS, default=90, help="days of history to produce (history mode)")
    # Shop options have no argparse default: a warehouse's recorded shop is continued as it is, and an option
    # given to change it is refused rather than ignored.
    p.add_argument("--orders-per-day", type=_RATE, default=None, help="a new shop's volume (default 200)")
    p.add_argument("--seed", type=_SEED, default=None, help="a new shop's seed (default 42)")
    p.add_argument("--live", action="store_true", help="go on producing events; into a warehouse, its shop continued")
    p.add_argument(
        "--rate", type=_RATE, default=None, help="live, new shop only: a flat rate in events/s (default: the profile)"
    )
    p.add_argument("--duration", type=_SECONDS, default=None, help="live mode: stop after this many seconds")
    p.add_argument("--redelivery-rate", type=_SHARE, default=None, help="share of messages delivered twice")
    p.add_argument("--late-rate", type=_SHARE, default=None, help="share of status events delivered late")
    p.add_argument("--broken-rate", type=_SHARE, default=None, help="share of extra malformed messages")
    p.add_argument("--output", default=None, help="write JSON lines to FILE or - instead of ingesting")
    p.add_argument("--kafka", metavar="HOST:PORT", default=None, help="produce to Kafka/Redpanda instead of ingesting")
    p.add_argument("--topic", default="shop-events", help="--kafka: the topic to produce to")
    p.add_argument("-X", dest="kafka_config", action="append", metavar="KEY=VALUE", help="--kafka: librdkafka property")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("consume", parents=[common], help="land a Kafka/Redpanda topic in RAW_DATA.RAW_EVENTS_STREAM")
    p.add_argument("--bootstrap-servers", required=True, metavar="HOST:PORT", help="Kafka/Redpanda brokers")
    p.add_argument("--topic", default="shop-events")
    p.add_argument("--group", default="caves-raw-loader", help="consumer group id")
    p.add_argument("--batch-size", type=_COUNT, default=5000, help="flush after this many messages")
    p.add_argument("--batch-seconds", type=_SECONDS, default=5.0, help="... or when the batch is this old")
    p.add_argument("-X", dest="kafka_config", action="append", metavar="KEY=VALUE", help="librdkafka property")
    p.set_defaults(func=cmd_consume)

    pipeline = sub.add_parser("pipeline", help="the task graphs")
    pipeline_sub = pipeline.add_subparsers(dest="pipeline_command", required=True)
    p = pipeline_sub.add_parser("run", parents=[common], help="run the started task graphs now (WHEN honoured)")
    p.add_argument("--until-idle", action="store_true", help="repeat until no graph has work left")
    p.set_defaults(func=cmd_pipeline_run)

    p = sub.add_parser("tasks", parents=[common], help="the task DAG: list, history, suspend, resume, execute")
    p.add_argument("action", choices=["list", "history", "suspend", "resume", "execute"])
    p.add_argument("name", nargs="?", help="a task of the DAG (a root acts on its whole graph)")
    p.add_argument("--limit", type=_integer(1, 10_000), default=50, help="history: number of runs")
    p.add_argument("--retry-last", action="store_true", help="execute: EXECUTE TASK ... RETRY LAST")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_tasks)

    p = sub.add_parser("query", parents=[common], help="run a packaged query, or list the catalog")
    p.add_argument("id", nargs="?", help="the query id (see --list)")
    p.add_argument("--param", action="append", metavar="NAME=VALUE", help="a parameter value (repeatable)")
    p.add_argument("--list", action="store_true", help="list the catalog: ID, SECTION, TITLE_FR, TITLE_EN")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("bench", parents=[common], help="the benchmark suite (see BENCHMARKS.md)")
    p.add_argument("--quick", action="store_true", help="smaller sizes: fits in a few minutes")
    p.add_argument("--json", action="store_true", help="print one JSON object of figures")
    p.add_argument("--part", action="append", help="run only this part (pipeline, queries, e2e, pages)")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("sql", parents=[common], help="run Snowflake SQL (a statement, or -f FILE)")
    p.add_argument("statement", nargs="?")
    p.add_argument("-f", "--file", help="a file of statements run one by one in one session ('-' for stdin)")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_sql)

    p = sub.add_parser("cost", parents=[common], help="what the task runs cost in Snowflake credits, and a what-if")
    p.add_argument("--days", type=int, default=1, help="days of TASK_HISTORY to price (1-7, default 1)")
    p.add_argument(
        "--what-if", metavar="KIND=VALUE", help="schedule=5m | size=SMALL | model=warehouse | auto_suspend=300"
    )
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_cost)
    return parser


def cmd_cost(args: argparse.Namespace) -> int:
    """``caves cost``: credits and euros per day, per task and per graph (caves/cost.py), and a what-if."""
    import json

    import pandas as pd

    from .output import format_frame
    from .services import cost_service
    from .settings import load_settings

    model = load_settings().cost.model()
    try:
        if args.what_if:
            cost_service.parse_what_if(args.what_if)
        if not 1 <= args.days <= 7:
            raise ValueError("--days must be between 1 and 7 (TASK_HISTORY keeps 7 days)")
    except ValueError as exc:
        raise CliError(str(exc)) from None
    wh = _warehouse(args)
    try:
        report = cost_service.cost_report(wh, model, args.days, args.what_if)
    finally:
        wh.close()
    if args.format == "json":
        print(json.dumps(cost_service.report_dict(report), default=str, ensure_ascii=False))
        return 0
    if args.format == "csv":
        print(format_frame(report.by_task, "csv"))
        return 0
    s = report.summary
    source = "billed (SERVERLESS_TASK_HISTORY)" if report.billed is not None else "estimated from TASK_HISTORY"
    print(
        f"Cost over the last {report.days} day(s) (history covers {report.observed_days * 24:.1f} h), "
        f"{model.compute_model}, {source}: "
        f"{report.credits_per_day:.4f} credits/day = {report.cost_per_day:.2f} EUR/day "
        f"at {model.price_per_credit:g} EUR/credit; {s.runs} runs, {s.work_runs} did work, "
        f"{s.skipped_share:.0%} skipped (no warehouse)."
    )
    digits = {"SKIPPED_PCT": 1, "BUSY_SEC": 3, "CREDITS": 6, "COST": 4}
    for heading, frame in (("Per task", report.by_task), ("Per graph", report.by_graph), ("Per day", report.by_day)):
        print(f"\n{heading}:")
        print(format_frame(frame.round(digits), "table"))
    if report.billed is not None:
        print("\nBilled (SERVERLESS_TASK_HISTORY):")
        print(format_frame(report.billed, "table"))
    if report.what_if is not None:
        w = report.what_if
        rows = pd.DataFrame(
            {
                "SCENARIO": ["now", f"{w.kind}={w.value}"],
                "RUNS": [s.runs, w.summary.runs],
                "WORK_RUNS": [s.work_runs, w.summary.work_runs],
                "CREDITS_PER_DAY": [round(s.credits_per_day, 6), round(w.summary.credits_per_day, 6)],
                "COST_PER_DAY": [round(s.cost_per_day, 4), round(w.summary.cost_per_day, 4)],
            }
        )
        saving = w.saving(s)
        verdict = f"saves {saving:.4f} credits/day" if saving >= 0 else f"costs {-saving:.4f} more credits/day"
        print(f"\nWhat if {w.kind}={w.value} (estimates; {verdict}):")
        print(format_frame(rows, "table"))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "db_global", None) and not args.db:
        args.db = args.db_global
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # every error reaches the user as one readable line
        if args.debug:
            raise
        from .local.errors import SnowflakeError

        message = (
            str(exc)
            if isinstance(exc, (SnowflakeError, CliError, OSError, ValueError))
            else f"{type(exc).__name__}: {exc}"
        )
        print(f"error: {message}", file=sys.stderr)
        return 1
