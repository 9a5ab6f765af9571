"""LATERAL FLATTEN over a table's VARIANT column (caves/local/flatten.py).

https://docs.snowflake.com/en/sql-reference/functions/flatten: KEY is the object key (NULL for an array), PATH the
element's path (prefixed by the INPUT path), INDEX the array index (NULL for an object), VALUE the element, THIS the
value flattened. SEQ numbers the input records: for a LATERAL FLATTEN directly over one table, the row's number;
reading it from any other LATERAL FLATTEN is refused. OUTER keeps a row for an input with no element; RECURSIVE reads
every nested element.
"""

from __future__ import annotations

import json

import pytest

from caves.local.errors import UnsupportedStatement


@pytest.fixture
def orders(session):
    session.execute("CREATE TABLE ORDERS (ID INT, V VARIANT)")
    session.execute(
        """INSERT INTO ORDERS SELECT 1, PARSE_JSON('{"lines": [{"sku": "A", "qty": 2}, {"sku": "B", "qty": 1}]}')"""
    )
    session.execute("""INSERT INTO ORDERS SELECT 2, PARSE_JSON('{"lines": [{"sku": "C", "qty": 5}]}')""")
    return session


def test_lateral_flatten_reads_each_element_of_each_row(orders):
    rows = orders.execute(
        "SELECT o.ID, f.INDEX, f.PATH, f.VALUE:sku::STRING, f.VALUE:qty::INT "
        "FROM ORDERS o, LATERAL FLATTEN(INPUT => o.V:lines) f ORDER BY o.ID, f.INDEX"
    ).rows
    assert rows == [(1, 0, "[0]", "A", 2), (1, 1, "[1]", "B", 1), (2, 0, "[0]", "C", 5)]


def test_lateral_flatten_path_prefixes_the_element_path(orders):
    rows = orders.execute(
        "SELECT o.ID, f.PATH, f.KEY, f.THIS FROM ORDERS o, LATERAL FLATTEN(INPUT => o.V, PATH => 'lines') f "
        "WHERE o.ID = 2"
    ).rows
    assert [(r[0], r[1], r[2], json.loads(r[3])) for r in rows] == [(2, "lines[0]", None, [{"sku": "C", "qty": 5}])]


def test_lateral_flatten_of_an_object_gives_its_keys(orders):
    rows = orders.execute("SELECT f.KEY, f.INDEX FROM ORDERS o, LATERAL FLATTEN(INPUT => o.V) f WHERE o.ID = 1").rows
    assert rows == [("lines", None)]


def test_lateral_flatten_seq_numbers_each_input_row(orders):
    rows = orders.execute(
        "SELECT o.ID, f.SEQ FROM ORDERS o, LATERAL FLATTEN(INPUT => o.V:lines) f ORDER BY o.ID, f.INDEX"
    ).rows
    assert rows[0][1] == rows[1][1] != rows[2][1]
    assert [r[0] for r in rows] == [1, 1, 2]
    star = orders.execute("SELECT * FROM ORDERS o, LATERAL FLATTEN(INPUT => o.V:lines) f WHERE o.ID = 2")
    assert star.columns == ["ID", "V", "SEQ", "KEY", "PATH", "INDEX", "VALUE", "THIS"]


def test_lateral_flatten_outer_and_recursive(orders):
    outer = orders.execute(
        "SELECT o.ID, f.VALUE FROM ORDERS o, LATERAL FLATTEN(INPUT => o.V:missing, OUTER => TRUE) f ORDER BY o.ID"
    ).rows
    assert outer == [(1, None), (2, None)]
    paths = orders.execute(
        "SELECT f.PATH FROM ORDERS o, LATERAL FLATTEN(INPUT => o.V, RECURSIVE => TRUE) f WHERE o.ID = 2 ORDER BY 1"
    ).rows
    assert [r[0] for r in paths] == ["lines", "lines[0]", "lines[0].qty", "lines[0].sku"]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT f.SEQ FROM ORDERS o JOIN ORDERS o2 ON o.ID = o2.ID, LATERAL FLATTEN(INPUT => o.V) f",
        "SELECT * FROM (SELECT * FROM ORDERS) o, LATERAL FLATTEN(INPUT => o.V) f",
        "SELECT g.SEQ FROM ORDERS o, LATERAL FLATTEN(INPUT => o.V:lines) f, LATERAL FLATTEN(INPUT => f.VALUE) g",
    ],
)
def test_what_flatten_does_not_emulate_is_refused(orders, sql):
    with pytest.raises(UnsupportedStatement):
        orders.execute(sql)
