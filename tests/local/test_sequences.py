"""The translator's sequence and identifier rewrites (caves/local/sequences.py, identifiers.py), SQL in -> SQL out.

The conformance suite (tests/conformance/test_sequences.py, test_identifiers.py) checks the values end to end.
"""

from __future__ import annotations

import pytest
import sqlglot
from sqlglot.optimizer.normalize_identifiers import normalize_identifiers

from caves.local import sequences
from caves.local.errors import ObjectNotFound, UnsupportedStatement
from caves.local.names import ObjectName, resolve


def _parse(sql: str):
    return normalize_identifiers(sqlglot.parse_one(sql, read="snowflake"), dialect="snowflake")


def _resolve(parts: list[str]) -> ObjectName:
    return resolve(parts, "DB", "S")


def _known(name: ObjectName) -> str | None:
    return {"DB.S.SEQ_5": "CAVES_SEQ_1", "DB.OTHER.SEQ": "CAVES_SEQ_2"}.get(name.fqn)


def test_nextval_becomes_the_storage_sequence() -> None:
    tree = _parse("SELECT seq_5.nextval, seq_5.nextval AS b, db.other.seq.NEXTVAL + 1")
    counts = sequences.rewrite_nextval(tree, _resolve, _known)
    assert tree.sql("duckdb") == (
        """SELECT NEXTVAL('"DB.S"."CAVES_SEQ_1"') AS "NEXTVAL", NEXTVAL('"DB.S"."CAVES_SEQ_1"') AS B, """
        """NEXTVAL('"DB.OTHER"."CAVES_SEQ_2"') + 1"""
    )
    assert counts == {'"DB.S"."CAVES_SEQ_1"': 2, '"DB.OTHER"."CAVES_SEQ_2"': 1}
    # two NEXTVAL of one sequence: the next statement starts one more interval further (one skipped step)
    assert sequences.skip_sql(counts) == ("""SELECT max(nextval('"DB.S"."CAVES_SEQ_1"')) FROM range(1)""",)


def test_a_default_draws_when_it_is_used() -> None:
    tree = _parse("CREATE TABLE t (a INT DEFAULT seq_5.nextval, b INT DEFAULT seq_5.nextval)")
    assert sequences.rewrite_nextval(tree, _resolve, _known) == {}
    assert tree.sql("duckdb").count("""DEFAULT NEXTVAL('"DB.S"."CAVES_SEQ_1"')""") == 2


def test_a_nextval_column_of_a_table_is_left_alone() -> None:
    tree = _parse("SELECT t.nextval, s.u.nextval FROM t, s.u")
    assert sequences.rewrite_nextval(tree, _resolve, _known) == {}
    assert tree.sql("duckdb") == "SELECT T.NEXTVAL, S.U.NEXTVAL FROM T, S.U"
    with pytest.raises(ObjectNotFound):
        sequences.rewrite_nextval(_parse("SELECT nope.nextval"), _resolve, _known)


def test_identity_columns_default_to_a_sequence_of_their_own() -> None:
    tree = _parse("CREATE TABLE t (id INT IDENTITY(10, 5), n INT AUTOINCREMENT START 2 INCREMENT 3 ORDER, v VARCHAR)")
    prelude = sequences.identity_columns(tree, ObjectName("DB", "S", "T"))
    created = [p for p in prelude.split(";") if p.strip()]
    assert [c.split('"')[3].startswith("CAVES_IDENTITY_") for c in created] == [True, True]
    assert "START WITH 10 INCREMENT BY 5" in created[0] and "START WITH 2 INCREMENT BY 3" in created[1]
    sql = tree.sql("duckdb")
    assert sql.count('DEFAULT NEXTVAL(\'"DB.S"."CAVES_IDENTITY_') == 2
    assert sequences.identity_columns(_parse("CREATE TABLE t (v INT)"), ObjectName("DB", "S", "T")) == ""
    with pytest.raises(UnsupportedStatement):
        sequences.identity_columns(_parse("ALTER TABLE t ADD COLUMN id INT AUTOINCREMENT"), ObjectName("DB", "S", "T"))
