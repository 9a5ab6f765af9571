"""The packaged query catalog (queries/) and its loader (caves/catalog.py)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import sqlglot
from jsonschema import Draft202012Validator
from sqlglot import exp

from caves.catalog import (
    HEADER_SCHEMA,
    Catalog,
    CatalogError,
    ParameterError,
    Query,
    UnknownQueryError,
    find_placeholders,
    load_catalog,
)

SECTIONS = [
    "01_kpi",
    "02_top",
    "03_trends",
    "04_customers",
    "05_inventory",
    "06_finance",
    "07_product_performance",
    "08_monitoring",
    "09_views",
    "10_examples",
]

# DESIGN.md, "Query catalog contract": id -> (parameters with their defaults, output columns, in order).
CONTRACT: dict[str, tuple[dict[str, object], list[str]]] = {
    "kpi_today": ({}, ["ORDERS_TODAY", "REVENUE_TODAY", "CUSTOMERS_TODAY", "AVG_BASKET_TODAY"]),
    "kpi_today_vs_yesterday": ({}, ["METRIC", "TODAY", "YESTERDAY", "DELTA_PCT"]),
    "top_products_by_revenue": ({"limit": 10}, ["PRODUCT_ID", "PRODUCT_NAME", "UNITS_SOLD", "REVENUE"]),
    "top_products_by_units": ({"limit": 10}, ["PRODUCT_ID", "PRODUCT_NAME", "UNITS_SOLD", "REVENUE"]),
    "top_customers": ({"limit": 20}, ["CUSTOMER_ID", "ORDER_COUNT", "LIFETIME_VALUE"]),
    "vip_customers": ({"min_value": 1000}, ["CUSTOMER_ID", "ORDER_COUNT", "LIFETIME_VALUE"]),
    "rfm_segments": (
        {},
        ["CUSTOMER_ID", "RECENCY_DAYS", "FREQUENCY", "MONETARY", "R_SCORE", "F_SCORE", "M_SCORE", "SEGMENT"],
    ),
    "abc_analysis": ({}, ["PRODUCT_ID", "PRODUCT_NAME", "REVENUE", "CUMULATIVE_SHARE", "ABC_CLASS"]),
    "low_stock_alerts": (
        {"threshold": 50},
        ["PRODUCT_ID", "PRODUCT_NAME", "PRODUCT_CATEGORY", "CURRENT_STOCK_LEVEL", "WAREHOUSE_LOCATION"],
    ),
    "out_of_stock": (
        {},
        ["PRODUCT_ID", "PRODUCT_NAME", "PRODUCT_CATEGORY", "CURRENT_STOCK_LEVEL", "WAREHOUSE_LOCATION"],
    ),
    "stockout_forecast": (
        {"days": 30},
        ["PRODUCT_ID", "CURRENT_STOCK_LEVEL", "AVG_DAILY_UNITS", "DAYS_OF_STOCK_LEFT"],
    ),
    "revenue_by_payment_method": ({}, ["PAYMENT_METHOD", "ORDER_COUNT", "REVENUE"]),
    "pipeline_row_counts": ({}, ["TABLE_NAME", "ROW_COUNT"]),
    "pipeline_latency": ({}, ["LAST_RAW_INGESTION", "LAST_PROD_UPDATE", "LATENCY_SECONDS"]),
    "pipeline_reconciliation": (
        {},
        ["RAW_ROWS", "STAGED_ORDERS", "STAGED_ADJUSTMENTS", "REJECTED", "UNACCOUNTED"],
    ),
    "task_history_recent": (
        {"limit": 50},
        ["NAME", "STATE", "SCHEDULED_TIME", "COMPLETED_TIME", "DURATION_SEC", "ERROR_MESSAGE"],
    ),
}

# Ids named in the brief for each section, beyond the contract.
NAMED_IDS = [
    "inventory_now",
    "top_categories",
    "revenue_by_day",
    "revenue_by_week",
    "revenue_by_month",
    "seasonality_by_weekday",
    "seasonality_by_hour",
    "trend_by_category",
    "loyal_customers",
    "inactive_customers",
    "adjustment_history",
    "inventory_turnover",
    "basket_by_category",
    "month_over_month",
    "most_profitable_products",
    "declining_products",
    "alert_overview",
    "pipeline_health",
    "latency_per_layer",
    "streams_pending",
    "rejected_events_by_reason",
    "daily_kpi_view",
    "product_performance_view",
    "inventory_alerts_view",
    "manager_dashboard",
    "weekly_report",
    "orders_to_prepare",
]

# Business queries that read orders yet deliberately keep cancelled ones (they are about statuses).
KEEPS_CANCELLED = {
    "order_status_breakdown",
    "cancellation_rate",
    "orders_to_prepare",
    "preparation_queue",
    "customer_lookup",
}

PIPELINE_SCHEMAS = {"RAW_DATA", "STAGING", "PRODUCTION"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _parse(query: Query) -> exp.Expression:
    sql, _ = query.bind()
    statements = sqlglot.parse(sql, read="snowflake")
    assert len(statements) == 1, f"{query.id}: expected one statement"
    return statements[0]


# ------------------------------------------------------------------------------------------- the catalog


def test_catalog_has_fifty_plus_queries_in_ten_sections(catalog: Catalog) -> None:
    assert len(catalog) >= 50
    assert catalog.sections() == SECTIONS
    by_section = catalog.by_section()
    assert list(by_section) == SECTIONS
    assert all(by_section[s] for s in SECTIONS)
    assert catalog.ids() == [q.id for s in SECTIONS for q in by_section[s]]
    for q in catalog:
        assert q.path == catalog.root / q.section / f"{q.id}.sql"


@pytest.mark.parametrize("query_id", sorted(CONTRACT))
def test_contract_queries(catalog: Catalog, query_id: str) -> None:
    params, columns = CONTRACT[query_id]
    q = catalog.get(query_id)
    assert {p.name: p.default for p in q.parameters} == params
    assert list(q.columns[: len(columns)]) == columns, "contract columns come first, in the contract's order"


def test_named_ids_exist(catalog: Catalog) -> None:
    missing = [i for i in NAMED_IDS if i not in catalog]
    assert not missing


def test_listing_rows_for_the_cli(catalog: Catalog) -> None:
    rows = catalog.rows()
    assert len(rows) == len(catalog)
    assert rows[0].keys() == {"ID", "SECTION", "TITLE_FR", "TITLE_EN"}
    kpi = next(r for r in rows if r["ID"] == "kpi_today")
    assert kpi["SECTION"] == "01_kpi"
    assert kpi["TITLE_FR"] and kpi["TITLE_EN"] and kpi["TITLE_FR"] != kpi["TITLE_EN"]


def test_unknown_id_is_a_readable_key_error(catalog: Catalog) -> None:
    with pytest.raises(KeyError) as info:
        catalog.get("kpi_todya")
    assert isinstance(info.value, UnknownQueryError)
    assert isinstance(info.value, CatalogError)
    assert str(info.value).startswith("unknown query id 'kpi_todya' (did you mean kpi_today")


# -------------------------------------------------------------------------------------------- every query


def test_every_query_parses_as_one_read_only_select(catalog: Catalog) -> None:
    for q in catalog:
        tree = _parse(q)
        assert isinstance(tree, exp.Query), f"{q.id}: not a SELECT"
        writes = (exp.Insert, exp.Update, exp.Delete, exp.Merge, exp.Create, exp.Drop, exp.Command)
        assert not list(tree.find_all(*writes)), f"{q.id}: writes"


def test_declared_columns_are_the_select_outputs(catalog: Catalog) -> None:
    for q in catalog:
        outputs = [c.upper() for c in _parse(q).named_selects]
        assert outputs == list(q.columns), q.id


def test_placeholders_survive_translation_to_duckdb(catalog: Catalog) -> None:
    """The local engine translates with sqlglot: a `?` inside nullifzero()/div0() would be duplicated by the
    rewrite and no longer match its value. Each `?` must come out exactly once."""
    for q in catalog:
        sql, params = q.bind()
        duck = sqlglot.transpile(sql, read="snowflake", write="duckdb")[0]
        placeholders = list(sqlglot.parse_one(duck, read="duckdb").find_all(exp.Placeholder))
        assert len(placeholders) == len(params), q.id


def test_tables_are_fully_qualified(catalog: Catalog) -> None:
    for q in catalog:
        tree = _parse(q)
        ctes = {cte.alias_or_name.upper() for cte in tree.find_all(exp.CTE)}
        for table in tree.find_all(exp.Table):
            if not isinstance(table.this, exp.Identifier) or table.name.upper() in ctes:
                continue
            assert table.catalog == "CAVES_ALBERT_DB" and table.db in PIPELINE_SCHEMAS, f"{q.id}: {table.sql()}"


def test_only_mainstream_snowflake(catalog: Catalog) -> None:
    exotic = re.compile(r"\b(flatten|lateral|pivot|unpivot|ratio_to_report|match_recognize|javascript)\b", re.I)
    # Information Schema table functions sqlglot does not model (documented Snowflake, run by the engine too)
    allowed_unknown_functions = {
        "SYSTEM$STREAM_HAS_DATA",
        "TASK_HISTORY",
        "COMPLETE_TASK_GRAPHS",
        "CURRENT_TASK_GRAPHS",
    }
    for q in catalog:
        assert not exotic.search(q.sql), q.id
        unknown = {f.name.upper() for f in _parse(q).find_all(exp.Anonymous)}
        assert unknown <= allowed_unknown_functions, f"{q.id}: {unknown}"


def test_today_is_the_utc_date(catalog: Catalog) -> None:
    """Timestamps are TIMESTAMP_NTZ in UTC: "now" is CONVERT_TIMEZONE('UTC', CURRENT_TIMESTAMP()), never the
    session's local clock. Only TASK_HISTORY (TIMESTAMP_LTZ columns) is compared with CURRENT_TIMESTAMP() as is."""
    for q in catalog:
        text = q.sql.lower()
        assert "current_date" not in text and "sysdate" not in text and "getdate" not in text, q.id
        bare = text.count("current_timestamp()") - text.count("convert_timezone('utc', current_timestamp())")
        if bare:
            assert "task_history" in text, f"{q.id}: CURRENT_TIMESTAMP() outside CONVERT_TIMEZONE('UTC', ...)"


def test_kpis_exclude_cancelled_orders(catalog: Catalog) -> None:
    business = [q for q in catalog if q.section not in ("08_monitoring", "09_views")]
    for q in business:
        if "PRODUCTION.ORDERS" not in q.sql or q.id in KEEPS_CANCELLED:
            continue
        assert re.search(r"ORDER_STATUS\s*!=\s*'cancelled'", q.sql), f"{q.id} counts cancelled orders"


def test_headers_are_complete(catalog: Catalog) -> None:
    for q in catalog:
        assert q.title["fr"] and q.title["en"] and q.description["fr"] and q.description["en"], q.id
        assert q.audience and q.chart["type"], q.id
        for p in q.parameters:
            assert p.label["fr"] and p.label["en"], f"{q.id}.{p.name}"


def test_contract_semantics_in_sql(catalog: Catalog) -> None:
    """The thresholds the contract spells out, as written in the SQL."""
    assert re.search(r"CUMULATIVE_SHARE <= 0\.80 then 'A'", catalog.get("abc_analysis").sql)
    assert re.search(r"CUMULATIVE_SHARE <= 0\.95 then 'B'", catalog.get("abc_analysis").sql)
    assert "LIFETIME_VALUE > :min_value" in catalog.get("vip_customers").sql
    assert "CURRENT_STOCK_LEVEL < :threshold" in catalog.get("low_stock_alerts").sql
    assert "CURRENT_STOCK_LEVEL = 0" in catalog.get("out_of_stock").sql
    assert "ORDER_COUNT >= :min_orders" in catalog.get("loyal_customers").sql
    assert "DAYS_INACTIVE >= :days" in catalog.get("inactive_customers").sql
    assert {p.name: p.default for p in catalog.get("loyal_customers").parameters} == {"min_orders": 5}
    assert {p.name: p.default for p in catalog.get("inactive_customers").parameters} == {"days": 30}


# ---------------------------------------------------------------------------------------------- binding


def test_bind_defaults_gives_qmarks_in_order(catalog: Catalog) -> None:
    for q in catalog:
        sql, params = q.bind()
        assert sql.count("?") - q.sql.count("?") == len(params) == len(q.placeholders), q.id
        assert not find_placeholders(sql), q.id
    sql, params = catalog.get("top_products_by_revenue").bind()
    assert params == [10]
    assert "<= ?" in sql


def test_bind_coerces_strings_from_the_cli(catalog: Catalog) -> None:
    assert catalog.get("top_customers").bind({"limit": "5"})[1] == [5]
    assert catalog.get("vip_customers").bind({"min_value": "1500.5"})[1] == [1500.5]
    assert catalog.get("vip_customers").bind({"min_value": "1500,5"})[1] == [1500.5]
    assert catalog.get("orders_to_prepare").bind({"include_pending": "true"})[1] == [True]
    assert catalog.get("orders_to_prepare").bind({"include_pending": "non"})[1] == [False]
    assert catalog.get("daily_sales_report").bind({"report_date": "2024-02-29"})[1] == [dt.date(2024, 2, 29)] * 2
    assert catalog.get("inventory_alerts_view").bind({"alert_level": "critical"})[1] == ["CRITICAL"] * 2
    # None means "use the default"
    assert catalog.get("top_customers").bind({"limit": None})[1] == [20]


def test_relative_date_default_resolves_to_today_utc(catalog: Catalog) -> None:
    q = catalog.get("daily_sales_report")
    today = dt.datetime.now(dt.UTC).date()
    assert q.bind()[1][0] in (today, today + dt.timedelta(days=1))  # midnight race
    assert q.bind({"report_date": "today-1"})[1][0] in (today - dt.timedelta(days=1), today)


def test_a_parameter_used_twice_is_bound_twice(catalog: Catalog) -> None:
    q = catalog.get("adjustment_history")
    sql, params = q.bind({"product_id": "P-0042", "adjustment_type": "breakage", "days": 3, "limit": 20})
    assert params == [3, "P-0042", "P-0042", "breakage", "breakage", 20]
    assert sql.count("?") == 6


def test_values_are_never_pasted_into_sql(catalog: Catalog) -> None:
    evil = "Margaux'; drop table ORDERS; --"
    q = catalog.get("product_search")
    sql, params = q.bind({"search": evil, "limit": 7})
    assert "Margaux" not in sql and "drop table" not in sql.lower()
    assert params == [evil, evil, evil, 7]
    assert sql == q.bind()[0], "the SQL text does not depend on the values"


@pytest.mark.parametrize(
    ("query_id", "values", "fragments"),
    [
        ("top_customers", {"limt": 5}, ["unknown parameter 'limt'", "did you mean 'limit'", "top_customers"]),
        ("kpi_today", {"limit": 5}, ["unknown parameter 'limit'", "takes no parameters"]),
        ("top_customers", {"limit": 0}, ["'limit'", "below the minimum 1"]),
        ("top_customers", {"limit": 5000}, ["'limit'", "above the maximum 1000"]),
        ("top_customers", {"limit": "ten"}, ["'limit' (integer)", "expected an integer", "'ten'"]),
        ("top_customers", {"limit": "2.5"}, ["'limit' (integer)", "expected an integer"]),
        ("top_customers", {"limit": True}, ["'limit' (integer)", "boolean"]),
        ("vip_customers", {"min_value": "lots"}, ["'min_value' (number)", "expected a number"]),
        ("vip_customers", {"min_value": "nan"}, ["'min_value' (number)", "finite"]),
        ("vip_customers", {"min_value": -1}, ["'min_value'", "below the minimum 0"]),
        ("orders_to_prepare", {"include_pending": "maybe"}, ["'include_pending' (boolean)", "true or false"]),
        ("daily_sales_report", {"report_date": "31/01/2024"}, ["'report_date' (date)", "YYYY-MM-DD"]),
        ("daily_sales_report", {"report_date": "1999-12-31"}, ["'report_date'", "below the minimum 2000-01-01"]),
        ("adjustment_history", {"adjustment_type": "theft"}, ["'adjustment_type' (enum)", "restock", "'theft'"]),
        ("product_search", {"search": "x" * 201}, ["'search'", "at most 200 characters"]),
    ],
)
def test_bind_errors_are_readable(catalog: Catalog, query_id: str, values: dict, fragments: list[str]) -> None:
    with pytest.raises(ParameterError) as info:
        catalog.get(query_id).bind(values)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, message
    assert info.value.parameter == next(iter(values))
    assert info.value.query_id == query_id


# ------------------------------------------------------------------------------------------ placeholders


def test_placeholders_come_from_the_tokenizer() -> None:
    sql = (
        "select ':skip', 'Rosé – été', EVENT_DATA:payload.order_id::string, f(X):a, $1:b, ARR[0]:c, x::int, $$ :dollar $$\n"
        "-- a comment :comment\n"
        "/* :block */ from T where A < :low and B = (:high) and C > -:neg and D = :low"
    )
    assert [(p.name, sql[p.start : p.end]) for p in find_placeholders(sql)] == [
        ("low", ":low"),
        ("high", ":high"),
        ("neg", ":neg"),
        ("low", ":low"),
    ]


# ----------------------------------------------------------------------------------------------- loader

HEADER = """/*---
id: {id}
section: 01_kpi
title: {{fr: "Titre", en: "Title"}}
description: {{fr: "Description", en: "Description"}}
audience: [manager]
chart: {{type: table}}
{extra}columns: [N]
---*/
"""
LIMIT_PARAM = (
    "parameters:\n  - {name: limit, type: integer, default: 10, min: 1, max: 100, label: {fr: Nombre, en: Count}}\n"
)


def _write(root: Path, name: str, body: str, *, extra: str = "", section: str = "01_kpi", header: str | None = None):
    folder = root / section
    folder.mkdir(parents=True, exist_ok=True)
    text = (header if header is not None else HEADER.format(id=name, extra=extra)) + body
    (folder / f"{name}.sql").write_text(text, encoding="utf-8")
    return folder / f"{name}.sql"


def _problem(root: Path) -> str:
    with pytest.raises(CatalogError) as info:
        load_catalog(root)
    return str(info.value)


def test_a_colon_in_a_string_literal_is_not_a_parameter(tmp_path: Path) -> None:
    _write(tmp_path, "q", "select 'at 10:30 :sharp' as N, EVENT_DATA:payload as P from T")
    q = load_catalog(tmp_path).get("q")
    assert q.parameters == () and q.placeholders == ()
    assert q.bind() == (q.sql, [])


def test_loader_accepts_a_valid_file(tmp_path: Path) -> None:
    _write(tmp_path, "q", "select N from T qualify row_number() over (order by N) <= :limit;\n", extra=LIMIT_PARAM)
    q = load_catalog(tmp_path).get("q")
    assert q.sql.endswith("<= :limit"), "a single trailing semicolon is dropped"
    assert q.bind({"limit": 3}) == (q.sql.replace(":limit", "?"), [3])


@pytest.mark.parametrize(
    ("extra", "body", "problem"),
    [
        ("owner: me\n", "select 1 as N", "unknown header keys: owner"),
        ("", "select N from T where N < :limit", "parameter :limit is used in the SQL but not declared"),
        (LIMIT_PARAM, "select 1 as N", "parameter 'limit' is declared but never used"),
        (LIMIT_PARAM.replace("default: 10", "default: 500"), "select :limit as N", "invalid default 500"),
        (LIMIT_PARAM.replace("type: integer", "type: int"), "select :limit as N", "unknown type 'int'"),
        (LIMIT_PARAM.replace("min: 1, ", "min: 1, step: 2, "), "select :limit as N", "unknown keys step"),
        (LIMIT_PARAM.replace(", label: {fr: Nombre, en: Count}", ""), "select :limit as N", "missing required keys"),
        ("", "select 1 as N; select 2 as N", "exactly one statement"),
        (LIMIT_PARAM, "select :limit::int as N", "write cast(:limit as <type>)"),
    ],
)
def test_loader_rejects(tmp_path: Path, extra: str, body: str, problem: str) -> None:
    path = _write(tmp_path, "q", body, extra=extra)
    message = _problem(tmp_path)
    assert problem in message
    assert str(path) in message, "the error names the file"


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('title: {fr: "Titre", en: "Title"}', 'title: {fr: " ", en: "Title"}', "'title' must be a mapping with"),
        ('title: {fr: "Titre", en: "Title"}', "title: {fr: a, en: b, de: c}", "'title' has unknown language keys: de"),
        ("audience: [manager]", "audience: [manager, boss]", "audience must be a non-empty list drawn from"),
        ("chart: {type: table}", "chart: {type: donut}", "chart must be a mapping whose type is one of kpi"),
        ("chart: {type: table}", "chart: {type: bar, x: N, size: 3}", "chart has unknown keys: size"),
        ("columns: [N]", "columns: [N, N]", "duplicate columns: N"),
        ("columns: [N]", "columns: [n]", "columns must be UPPER_SNAKE_CASE: n"),
        ("id: q", "id: Q-1", "id 'Q-1' must be lower_snake_case"),
        ("section: 01_kpi", "section: kpi", "section 'kpi' must look like '01_kpi'"),
        ("columns: [N]", "columns: [N]\nparameters: [3]", "parameter #1 must be a mapping"),
        (
            "columns: [N]",
            "columns: [N]\nparameters: [{name: s, type: enum, default: a, choices: [a, a], label: {fr: a, en: b}}]",
            "parameter 's': an enum needs 'choices', a non-empty list of distinct strings",
        ),
        (
            "columns: [N]",
            "columns: [N]\nparameters: [{name: f, type: boolean, default: true, min: 1, label: {fr: a, en: b}}]",
            "parameter 'f': 'min'/'max' are not allowed",
        ),
        (
            "columns: [N]",
            "columns: [N]\nparameters: [{name: n, type: integer, default: 2, min: 1.0, label: {fr: a, en: b}}]",
            "parameter 'n': min must be an integer",
        ),
    ],
)
def test_header_schema_problems_are_readable(tmp_path: Path, old: str, new: str, problem: str) -> None:
    """The header's shape is contracts/query_header.schema.json; each violation is one readable line that
    names the field (and the parameter), never a raw jsonschema message."""
    header = HEADER.format(id="q", extra="").replace(old, new)
    path = _write(tmp_path, "q", "select 1 as N", header=header)
    message = _problem(tmp_path)
    assert problem in message and str(path) in message
    assert message.count("\n") == 0, "one problem, said once"


def test_header_schema_is_a_valid_json_schema() -> None:
    Draft202012Validator.check_schema(HEADER_SCHEMA)
    assert HEADER_SCHEMA["required"] == ["id", "section", "title", "description", "audience", "chart", "columns"]


def test_loader_rejects_missing_keys_and_mismatched_names(tmp_path: Path) -> None:
    _write(tmp_path, "no_title", "select 1 as N", header="/*---\nid: no_title\nsection: 01_kpi\n---*/\n")
    _write(tmp_path, "renamed", "select 1 as N", header=HEADER.format(id="other_name", extra=""))
    _write(tmp_path, "moved", "select 1 as N", section="02_top")
    _write(tmp_path, "noheader", "select 1 as N", header="-- just SQL\n")
    message = _problem(tmp_path)
    assert "no_title.sql: missing required header keys: title, description, audience, chart, columns" in message
    assert "renamed.sql: id 'other_name' does not match the file name 'renamed.sql'" in message
    assert "moved.sql: section '01_kpi' does not match the folder '02_top'" in message
    assert "noheader.sql: the file must start with a metadata header" in message


def test_loader_rejects_duplicate_ids(tmp_path: Path) -> None:
    _write(tmp_path, "twin", "select 1 as N")
    header = HEADER.format(id="twin", extra="").replace("section: 01_kpi", "section: 02_top")
    _write(tmp_path, "twin", "select 1 as N", section="02_top", header=header)
    assert "duplicate query id 'twin'" in _problem(tmp_path)


def test_loader_rejects_chart_columns_that_do_not_exist(tmp_path: Path) -> None:
    header = HEADER.format(id="q", extra="").replace("chart: {type: table}", "chart: {type: bar, x: N, y: REVENUE}")
    _write(tmp_path, "q", "select 1 as N", header=header)
    assert "chart y 'REVENUE' is not one of the declared columns" in _problem(tmp_path)
