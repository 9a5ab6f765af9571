"""``python -m caves``: the command line over the warehouse, the pipeline and the catalog."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .config import default_db_path

log = logging.getLogger("caves")


class CliError(Exception):
    """A user-facing error: printed on stderr without a traceback."""


def _engine(args: argparse.Namespace):
    if args.target != "local":
        raise CliError(f"--target {args.target} is not available for this command yet; use --target local.")
    from .local import Engine

    path = args.db or default_db_path()
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    return Engine(path)


def cmd_sql(args: argparse.Namespace) -> int:
    from .local.script import split_statements
    from .output import format_rows

    if args.file:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
        statements = split_statements(text)
    elif args.statement:
        statements = [args.statement]
    else:
        raise CliError('give a statement ("SELECT 1") or -f FILE')
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

    engine = _engine(args)
    try:
        applied = deploy(engine, dry_run=False)
        print(f"Local warehouse ready at {engine.path} ({len(applied)} deployment statements applied).")
    finally:
        engine.close()
    return 0


def cmd_deploy(args: argparse.Namespace) -> int:
    from .deploy import deploy

    engine = _engine(args)
    try:
        statements = deploy(engine, dry_run=args.dry_run)
        if args.dry_run:
            for stmt in statements:
                print(stmt.rstrip().rstrip(";") + ";\n")
        else:
            print(f"Deployed: {len(statements)} statements applied.")
    finally:
        engine.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="caves", description="Les Caves d'Albert pipeline console")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", default=None, help="local warehouse file (default: $CAVES_DB or .caves/warehouse.duckdb)"
    )
    common.add_argument("--target", choices=["local", "snowflake"], default="local")
    common.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("--db", dest="db_global", default=None, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", parents=[common], help="create the local warehouse and deploy deploy_sql/")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("deploy", parents=[common], help="plan and apply deploy_sql/")
    p.add_argument("--dry-run", action="store_true", help="print the statements in order, change nothing")
    p.set_defaults(func=cmd_deploy)

    p = sub.add_parser("sql", parents=[common], help="run Snowflake SQL (a statement, or -f FILE)")
    p.add_argument("statement", nargs="?")
    p.add_argument("-f", "--file", help="a file of statements run one by one in one session ('-' for stdin)")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_sql)
    return parser


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
