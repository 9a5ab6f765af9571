"""Array binding (``executemany``) for the local engine.

Snowflake's connector sends an INSERT's parameter rows as one array-bound statement. Here an INSERT
with ``?`` placeholders is rewritten once to read its values from a batch table (the rows, handed
to DuckDB as an Arrow table), so N rows cost one statement, not N.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import sqlglot
from sqlglot import exp

from .result import Result

if TYPE_CHECKING:
    from .engine import Session

BATCH_TABLE = "$CAVES_BATCH"


def batch_insert_sql(sql: str) -> str | None:
    """``INSERT ... VALUES (?, ?)`` or ``INSERT ... SELECT ?, f(?)`` -> the same INSERT reading the batch table."""
    try:
        tree = sqlglot.parse_one(sql, read="snowflake")
    except sqlglot.errors.ParseError:
        return None
    if not isinstance(tree, exp.Insert):
        return None
    source = tree.expression
    if isinstance(source, exp.Values) and len(source.expressions) == 1:
        select = exp.select(*[e.copy() for e in source.expressions[0].expressions])
        tree.set("expression", select)
    elif isinstance(source, (exp.Select, exp.Subquery)):
        # The SELECT holding the binds may be nested (INSERT ... SELECT ... FROM (SELECT ?, ...)).
        holders = [s for s in source.find_all(exp.Select) if s.args.get("from_") is None and s.find(exp.Placeholder)]
        if len(holders) != 1:
            return None
        select = holders[0]
    else:
        return None
    placeholders = list(select.find_all(exp.Placeholder, bfs=False))
    if not placeholders:
        return None
    for i, ph in enumerate(placeholders, start=1):
        # ``?`` binds are positional; ``:n`` (Snowflake's numeric paramstyle) may repeat a value.
        position = int(ph.name) if ph.name and ph.name.isdigit() else i
        ph.replace(exp.column(f"P{position}", table="_B"))
    batch = exp.Table(
        this=exp.to_identifier(BATCH_TABLE, quoted=True), alias=exp.TableAlias(this=exp.to_identifier("_B"))
    )
    select.from_(batch, copy=False)
    return tree.sql(dialect="snowflake")


def executemany(session: Session, sql: str, rows: Sequence[Sequence[Any]]) -> Result:
    rows = list(rows)
    if not rows:
        return Result(columns=["number of rows inserted"], rows=[(0,)], rowcount=0)
    rewritten = batch_insert_sql(sql)
    if rewritten is not None:
        try:
            batch = pa.table({f"P{i + 1}": pa.array(col) for i, col in enumerate(zip(*rows, strict=True))})
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            batch = None
        if batch is not None:
            # Registered and used within one hold of the warehouse file: a hand-over to another
            # process in between would drop the registration with the connection.
            with session.cursor() as cur:
                cur.register(BATCH_TABLE, batch)
                try:
                    return session.execute(rewritten)
                finally:
                    with contextlib.suppress(Exception):
                        cur.unregister(BATCH_TABLE)
    # Any other statement: one execution per row, all in one transaction.
    own_txn = not session.in_transaction
    if own_txn:
        session.begin()
    try:
        total = 0
        for row in rows:
            total += session.execute(sql, row).rowcount or 0
    except BaseException:
        if own_txn:
            session.rollback()
        raise
    if own_txn:
        session.commit()
    return Result(columns=["number of rows affected"], rows=[(total,)], rowcount=total)
