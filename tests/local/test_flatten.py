"""LATERAL FLATTEN over a table's VARIANT column (caves/local/flatten.py).

https://docs.snowflake.com/en/sql-reference/functions/flatten: KEY is the object key (NULL for an array), PATH the
element's path (prefixed by the INPUT path), INDEX the array index (NULL for an object), VALUE the element, THIS the
value flattened. SEQ numbers the input records and is not emulated for a LATERAL FLATTEN: reading it is refused.
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


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT f.SEQ FROM ORDERS o, LATERAL FLATTEN(INPUT => o.V) f",
        "SELECT * FROM ORDERS o, LATERAL FLATTEN(INPUT => o.V) f",
        "SELECT f.VALUE FROM ORDERS o, LATERAL FLATTEN(INPUT => o.V, OUTER => TRUE) f",
        "SELECT f.VALUE FROM ORDERS o, LATERAL FLATTEN(INPUT => o.V, RECURSIVE => TRUE) f",
    ],
)
def test_what_flatten_does_not_emulate_is_refused(orders, sql):
    with pytest.raises(UnsupportedStatement):
        orders.execute(sql)
