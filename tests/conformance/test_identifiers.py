"""IDENTIFIER(...) with a session variable or a bind, and select-list aliases: Snowflake's documented examples."""

from __future__ import annotations

import pytest

from caves.local.errors import SnowflakeError

from .cases import fails, ids, ok, run_case

IDENTIFIER = "https://docs.snowflake.com/en/sql-reference/identifier-literal"
SELECT = "https://docs.snowflake.com/en/sql-reference/sql/select"

_MY_TABLE = (
    "CREATE OR REPLACE DATABASE my_db",
    "CREATE OR REPLACE SCHEMA my_db.my_schema",
    "CREATE OR REPLACE TABLE IDENTIFIER('my_db.my_schema.my_table') (c1 number)",
    "SET schema_name = 'my_db.my_schema'",
    "SET table_name = 'my_table'",
    "USE SCHEMA IDENTIFIER($schema_name)",
    "INSERT INTO IDENTIFIER($table_name) VALUES (1), (2), (3)",
)
_AB = (
    "CREATE OR REPLACE TABLE alias_a (x INT, n VARCHAR)",
    "CREATE OR REPLACE TABLE alias_b (y INT, m VARCHAR)",
    "INSERT INTO alias_a VALUES (1, 'a1'), (2, 'a2')",
    "INSERT INTO alias_b VALUES (1, 'b1'), (3, 'b3')",
)

CASES = [
    # the identifier-literal page's session-variable example: USE SCHEMA, INSERT INTO, SELECT FROM IDENTIFIER($v)
    ok(IDENTIFIER, "SELECT * FROM IDENTIFIER($table_name) ORDER BY 1", (1,), (2,), (3,), setup=_MY_TABLE,
       columns=["C1"]),
    ok(IDENTIFIER, "SELECT * FROM identifier($table_name) ORDER BY 1", (1,), (2,), (3,), setup=_MY_TABLE),
    ok(IDENTIFIER, "SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()", ("MY_DB", "MY_SCHEMA"), setup=_MY_TABLE),
    ok(IDENTIFIER, "SELECT COUNT(*) FROM IDENTIFIER($full)", (3,),
       setup=(*_MY_TABLE, "SET full = 'my_db.my_schema.my_table'", "USE SCHEMA CONFORMANCE.PUBLIC")),
    ok(IDENTIFIER, "DESCRIBE TABLE IDENTIFIER($table_name)", ("C1", "COLUMN"), setup=_MY_TABLE, pick=["name", "kind"]),
    # an undefined variable is an error, never a NULL name
    fails(IDENTIFIER, "SELECT * FROM IDENTIFIER($no_such_variable)", 2211, "42000"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_documented_example(session, case) -> None:
    run_case(session, case)


def test_identifier_of_a_bind(session) -> None:
    """IDENTIFIER(?) with a bound name (the identifier-literal page, "bind variables"): the bind is the name, the
    other binds keep their places; INSERT INTO and DESCRIBE take one too."""
    for statement in _MY_TABLE:
        session.execute(statement)
    session.execute("USE SCHEMA CONFORMANCE.PUBLIC")
    rows = session.execute("SELECT c1 FROM IDENTIFIER(?) WHERE c1 > ? ORDER BY 1", ["my_db.my_schema.my_table", 1]).rows
    assert [tuple(r) for r in rows] == [(2,), (3,)]
    session.execute("INSERT INTO IDENTIFIER(?) VALUES (?)", ["my_db.my_schema.my_table", 4])
    assert session.execute("SELECT MAX(c1) FROM my_db.my_schema.my_table").rows[0][0] == 4
    described = session.execute("DESC TABLE IDENTIFIER(?)", ['MY_DB.MY_SCHEMA."MY_TABLE"'])
    assert [r[0] for r in described.rows] == ["C1"]


@pytest.mark.parametrize("bound", ["my_table; DROP TABLE my_table", "my_table --", "a.b.c.d", "", 3, None])
def test_identifier_of_a_bind_is_validated(session, bound) -> None:
    """A bound value is an identifier or an error: never SQL text spliced into the statement."""
    with pytest.raises(SnowflakeError) as raised:
        session.execute("SELECT * FROM IDENTIFIER(?)", [bound])
    assert raised.value.errno == 2003


ALIASES = [
    # a select-list alias used later in the same select list, in WHERE and in GROUP BY (lateral column alias)
    ok(SELECT, "SELECT x * 10 AS big, big + 1 AS bigger FROM alias_a ORDER BY 1", (10, 11), (20, 21), setup=_AB),
    ok(SELECT, "SELECT alias_a.x + 1 AS k FROM alias_a WHERE k > 2", (3,), setup=_AB),
    ok(SELECT, "SELECT x % 2 AS parity, COUNT(*) FROM alias_a GROUP BY parity ORDER BY parity", (0, 1), (1, 1),
       setup=_AB),
    # in JOIN ... ON, a select-list alias stands for its expression too (Snowflake resolves it, as fakesnow's
    # test_alias_on_join records: SUBSTR(T.COL, 4) AS ALIAS ... LEFT JOIN J ON ALIAS = J.COL); a column of a joined
    # table of the same name comes first
    ok(SELECT, "SELECT alias_a.x AS k, alias_b.m FROM alias_a JOIN alias_b ON k = alias_b.y", (1, "b1"),
       setup=_AB),
    ok(SELECT, "SELECT T.COL, SUBSTR(T.COL, 4) AS ALIAS, J.ANOTHER FROM alias_test AS T "
               "LEFT JOIN alias_joined AS J ON ALIAS = J.COL ORDER BY 1",
       ("VARCHAR1", "CHAR1", "JOIN"), ("VARCHAR2", "CHAR2", None),
       setup=("CREATE OR REPLACE TABLE alias_test (COL VARCHAR)",
              "INSERT INTO alias_test (COL) VALUES ('VARCHAR1'), ('VARCHAR2')",
              "CREATE OR REPLACE TABLE alias_joined (COL VARCHAR, ANOTHER VARCHAR)",
              "INSERT INTO alias_joined (COL, ANOTHER) VALUES ('CHAR1', 'JOIN')")),
    ok(SELECT, "SELECT alias_a.x + 1 AS y, alias_b.m FROM alias_a JOIN alias_b ON y = 1 ORDER BY 1", (2, "b1"),
       (3, "b1"), setup=_AB),
    ok(SELECT, "SELECT alias_a.x + 10 AS x, alias_b.m FROM alias_a JOIN alias_b ON x = alias_b.y", (11, "b1"),
       setup=_AB),
    ok(SELECT, "SELECT alias_a.x AS k, alias_b.m FROM alias_a JOIN alias_b ON alias_a.x = alias_b.y", (1, "b1"),
       setup=_AB),
]  # fmt: skip


@pytest.mark.parametrize("case", ALIASES, ids=ids(ALIASES))
def test_select_list_aliases(session, case) -> None:
    run_case(session, case)
