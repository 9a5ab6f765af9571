"""Semi-structured data (VARIANT, ARRAY, OBJECT): Snowflake's documented examples."""

from __future__ import annotations

import pytest

from .cases import J, ids, ok, refused, run_case

_DOCS = "https://docs.snowflake.com/en/sql-reference/functions/"
ARRAY_SIZE = _DOCS + "array_size"
OBJECT_CONSTRUCT = _DOCS + "object_construct"
SEMI = "https://docs.snowflake.com/en/user-guide/querying-semistructured"

_DEMO_TABLE_1 = (
    "CREATE OR REPLACE TABLE demo_table_1 (province VARCHAR, created_date DATE)",
    "INSERT INTO demo_table_1 (province, created_date) VALUES ('Manitoba', '2024-01-18'::DATE), "
    "('Alberta', '2024-01-19'::DATE)",
)
_NESTED = (
    "CREATE OR REPLACE TABLE sample_nested_object (id INTEGER, nested_object OBJECT)",
    "INSERT INTO sample_nested_object (id, nested_object) SELECT 1, OBJECT_CONSTRUCT('outer_key1', "
    "OBJECT_CONSTRUCT('inner_key1A', 'example1', 'inner_key1B', 'example2'), 'outer_key2', "
    "OBJECT_CONSTRUCT('inner_key2', 5))",
    "INSERT INTO sample_nested_object (id, nested_object) SELECT 2, OBJECT_CONSTRUCT('outer_key1', "
    "OBJECT_CONSTRUCT('inner_key1A', 'example3', 'inner_key1B', 'example4'), 'outer_key2', "
    "OBJECT_CONSTRUCT('inner_key2', 7))",
)

CASES = [
    # ARRAY_SIZE
    ok(ARRAY_SIZE, "SELECT ARRAY_SIZE(ARRAY_CONSTRUCT(1, 2, 3)) AS SIZE", (3,)),
    ok(ARRAY_SIZE, "SELECT ARRAY_SIZE(PARSE_JSON('{\"a\": 1}'))", (None,)),  # "NULL is returned if not an array"
    ok(ARRAY_SIZE, "SELECT ARRAY_SIZE(NULL)", (None,)),  # "A NULL argument returns NULL"
    # OBJECT_CONSTRUCT
    ok(OBJECT_CONSTRUCT, "SELECT OBJECT_CONSTRUCT('a', 1, 'b', 'BBBB', 'c', NULL)", (J({"a": 1, "b": "BBBB"}),)),
    ok(OBJECT_CONSTRUCT, "SELECT province, created_date FROM demo_table_1 ORDER BY province",
       ("Alberta", "2024-01-19"), ("Manitoba", "2024-01-18"), setup=_DEMO_TABLE_1),
    ok(OBJECT_CONSTRUCT, "SELECT OBJECT_CONSTRUCT('foo', 1234567, 'dataset_size', (SELECT COUNT(*) FROM demo_table_1), "
       "'distinct_province', (SELECT COUNT(DISTINCT province) FROM demo_table_1), "
       "'created_date_seconds', EXTRACT(epoch_seconds, created_date)) AS json_object FROM demo_table_1",
       (J({"created_date_seconds": 1705536000, "dataset_size": 2, "distinct_province": 2, "foo": 1234567}),),
       (J({"created_date_seconds": 1705622400, "dataset_size": 2, "distinct_province": 2, "foo": 1234567}),),
       setup=_DEMO_TABLE_1, ordered=False),
    ok(OBJECT_CONSTRUCT, "SELECT * FROM sample_nested_object ORDER BY id",
       (1, J({"outer_key1": {"inner_key1A": "example1", "inner_key1B": "example2"}, "outer_key2": {"inner_key2": 5}})),
       (2, J({"outer_key1": {"inner_key1A": "example3", "inner_key1B": "example4"}, "outer_key2": {"inner_key2": 7}})),
       setup=_NESTED),
    refused(OBJECT_CONSTRUCT, "SELECT OBJECT_CONSTRUCT(*) AS oc FROM demo_table_1 ORDER BY oc['PROVINCE']", setup=_DEMO_TABLE_1),
    # Array elements: 0-based, and VARIANT
    ok(SEMI, "SELECT PARSE_JSON('[\"A\",\"B\"]')[0]::VARCHAR", ("A",)),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_documented_example(session, case) -> None:
    run_case(session, case)
