"""Every page of the console under ``streamlit.testing.v1.AppTest`` on a seeded local warehouse.

Each page must render without an exception or an error box, and the key figures it shows must be the
catalog query's result, computed here directly on the same warehouse.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from caves.i18n import code_label, payment_method
from caves.services import format as fmt
from caves.services import pipeline_service, query_service
from caves.services.dashboard_service import format_value
from caves.warehouse.local import LocalWarehouse
from components import cache

APP = str(Path(__file__).resolve().parents[2] / "app.py")
# Streamlit's login as AppTest simulates it (placeholders: nothing is sent to a provider); see conftest.py.
LOGIN_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "placeholder-not-a-secret",
        "client_id": "caves-console",
        "client_secret": "placeholder-not-a-secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
}
PAGES = {
    "app_pages/overview.py": "Vue d'ensemble",
    "app_pages/sales.py": "Ventes & produits",
    "app_pages/customers.py": "Clients",
    "app_pages/finance.py": "Finance",
    "app_pages/stock.py": "Stock",
    "app_pages/pipeline.py": "Santé du pipeline",
    "app_pages/explorer.py": "Explorateur",
    "app_pages/admin.py": "Administration",
}
TIMEOUT_S = 60


def open_page(page: str, signed_in_as: str | None = None) -> AppTest:
    """Run the app, switch to ``page`` and run it; fail on any exception. ``signed_in_as``: the viewer is a
    user signed in with Streamlit's login (else, under AppTest, an anonymous viewer)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    if signed_in_as:
        at.user = {"is_logged_in": True, "email": signed_in_as}
        at.secrets.update(LOGIN_SECRETS)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def expected(warehouse: LocalWarehouse, query_id: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    return query_service.run_query(warehouse, query_id, params)


def metric(at: AppTest, label: str) -> str:
    """The value of the ``st.metric`` whose label ends with ``label`` (labels may start with a badge)."""
    values = [m.value for m in at.metric if m.label.endswith(label)]
    assert values, f"no metric {label!r} among {[m.label for m in at.metric]}"
    return values[0]


@pytest.fixture(autouse=True)
def fresh_cache(seeded_db) -> None:
    """Each test reads the warehouse as it is now (an admin test changes it)."""
    cache.clear()


@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders_without_error(page: str) -> None:
    at = open_page(page)
    assert at.title[0].value == PAGES[page]
    assert not at.error, [e.value for e in at.error]


def test_overview_shows_today_against_yesterday(warehouse: LocalWarehouse) -> None:
    at = open_page("app_pages/overview.py")
    today = expected(warehouse, "kpi_today").iloc[0]
    assert metric(at, "Commandes") == fmt.number(today["ORDERS_TODAY"])
    # A tile shows money as the tiles do (whole euros from a thousand on): the same value, tile-formatted.
    assert metric(at, "Chiffre d'affaires") == format_value(today["REVENUE_TODAY"], "money", "fr")
    assert metric(at, "Clients") == fmt.number(today["CUSTOMERS_TODAY"])
    versus = expected(warehouse, "kpi_today_vs_yesterday").set_index("METRIC")
    deltas = {m.label: m.delta for m in at.metric}
    orders_delta = versus.loc["ORDERS", "DELTA_PCT"]
    if not fmt.is_missing(orders_delta):
        assert deltas["Commandes"] == fmt.percent(orders_delta, signed=True) + " vs hier"
    assert metric(at, "Production à jour") == fmt.duration(0)  # nothing waits in RAW: the pipeline ran


def test_overview_in_english() -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S).run()
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert any(m.label == "Orders" for m in at.metric)


def test_sales_abc_summary_matches_the_catalog(warehouse: LocalWarehouse) -> None:
    at = open_page("app_pages/sales.py")
    abc = expected(warehouse, "abc_analysis")
    counts = abc["ABC_CLASS"].value_counts()
    texts = " ".join(m.value for m in at.markdown)
    for cls in ("A", "B", "C"):
        assert f"Classe **{cls}** : {counts.get(cls, 0)} vins" in texts


def test_customers_show_repeat_rate_and_rfm(warehouse: LocalWarehouse) -> None:
    at = open_page("app_pages/customers.py")
    repeat = expected(warehouse, "repeat_purchase_rate").iloc[0]
    assert metric(at, "Clients") == fmt.number(repeat["CUSTOMER_COUNT"])
    assert metric(at, "Taux de réachat") == fmt.percent(repeat["REPEAT_RATE_PCT"])
    rfm = expected(warehouse, "rfm_segments")
    members = [df.value for df in at.dataframe if "RFM_CODE" in df.value.columns]
    assert members and len(members[0]) == len(rfm)


def test_stock_alerts_follow_the_threshold(warehouse: LocalWarehouse) -> None:
    at = open_page("app_pages/stock.py")
    default = cache.settings().low_stock_threshold
    inventory = expected(warehouse, "inventory_now", {"threshold": default}).iloc[0]
    assert metric(at, "Références") == fmt.number(inventory["PRODUCT_COUNT"])
    assert metric(at, "Sous le seuil") == fmt.number(inventory["LOW_STOCK_COUNT"])

    at.slider(key="stock.threshold").set_value(100).run()
    assert not at.exception
    higher = expected(warehouse, "inventory_now", {"threshold": 100}).iloc[0]
    assert metric(at, "Sous le seuil") == fmt.number(higher["LOW_STOCK_COUNT"])
    low = expected(warehouse, "low_stock_alerts", {"threshold": 100})
    shown = [df.value for df in at.dataframe if "UNITS_BELOW_THRESHOLD" in df.value.columns]
    assert shown and sorted(shown[0]["PRODUCT_ID"]) == sorted(low["PRODUCT_ID"])


def test_finance_shows_the_month_to_date(warehouse: LocalWarehouse) -> None:
    at = open_page("app_pages/finance.py")
    projection = expected(warehouse, "month_end_projection").iloc[0]
    assert metric(at, "CA du mois") == format_value(projection["REVENUE_MTD"], "money", "fr")
    payments = expected(warehouse, "revenue_by_payment_method")
    tables = [df.value for df in at.dataframe if "PAYMENT_METHOD" in df.value.columns]
    assert tables and set(tables[0]["PAYMENT_METHOD"]) == {payment_method(c) for c in payments["PAYMENT_METHOD"]}


def test_pipeline_health_shows_graph_reconciliation_and_latency(warehouse: LocalWarehouse) -> None:
    at = open_page("app_pages/pipeline.py")
    recon = expected(warehouse, "pipeline_reconciliation").iloc[0]
    assert metric(at, "Messages RAW") == fmt.number(recon["RAW_ROWS"])
    assert metric(at, "Rejetés") == fmt.number(recon["REJECTED"])
    assert metric(at, "Non répartis") == "0"
    assert metric(at, "Retard actuel") == fmt.duration(0)
    graphs = at.get("graphviz_chart")
    assert len(graphs) == 1
    dot = graphs[0].proto.spec
    for task in pipeline_service.task_list(warehouse)["NAME"]:
        assert f'"{task}"' in dot
    assert '"TASK_RAW_TO_STAGING_ORDERS" -> "TASK_STAGING_TO_PROD_ORDERS"' in dot
    assert any("Données au" in c.value for c in at.caption)  # the "as of" stamp


def test_explorer_runs_a_query_with_typed_parameters(warehouse: LocalWarehouse) -> None:
    at = open_page("app_pages/explorer.py")
    at.selectbox(key="explorer.section").set_value("02_top").run()
    at.selectbox(key="explorer.query").set_value("top_products_by_units").run()
    at.number_input(key="explorer.top_products_by_units.limit").set_value(3)
    at.button(key="explorer.run").click().run()
    assert not at.exception and not at.error
    result = at.dataframe[-1].value
    assert list(result["PRODUCT_ID"]) == list(expected(warehouse, "top_products_by_units", {"limit": 3})["PRODUCT_ID"])
    assert at.get("download_button")


def test_explorer_opens_a_shared_link_and_explains_a_bad_parameter(warehouse: LocalWarehouse) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S).run()
    at.switch_page("app_pages/explorer.py")
    at.query_params.update({"q": "top_products_by_units", "limit": "beaucoup"})
    at.run()
    assert not at.exception
    assert any("Paramètre invalide" in e.value and "limit" in e.value for e in at.error)
    # the default stands in for the bad value, and the query still runs
    assert at.number_input(key="explorer.top_products_by_units.limit").value == 10
    assert len(at.dataframe[-1].value) == len(expected(warehouse, "top_products_by_units"))


def _confirm(at: AppTest, button_key: str) -> AppTest:
    at.button(key=button_key).click().run()
    assert any(b.key == "admin.confirm" for b in at.button), "the confirmation dialog did not open"
    at.button(key="admin.confirm").click().run()
    assert not at.exception
    return at


def _audit(warehouse: LocalWarehouse) -> pd.DataFrame:
    return warehouse.query(
        "select ACTOR, ACTION, TARGET, OUTCOME, ERROR_MESSAGE, STARTED_AT, FINISHED_AT "
        "from CAVES_ALBERT_DB.OPS.ADMIN_AUDIT_LOG order by STARTED_AT desc"
    )


def test_admin_suspends_and_resumes_the_graph_with_audit(warehouse: LocalWarehouse, admin_email: str) -> None:
    at = open_page("app_pages/admin.py", admin_email)
    _confirm(at, "admin.suspend")
    assert set(pipeline_service.task_list(warehouse)["STATE"]) == {"suspended"}
    last = _audit(warehouse).iloc[0]
    assert (last["ACTION"], last["OUTCOME"], last["TARGET"]) == ("suspend", "succeeded", "graph")
    assert last["ACTOR"] == "test@example.com" and last["FINISHED_AT"] >= last["STARTED_AT"]

    _confirm(at, "admin.resume")
    assert set(pipeline_service.task_list(warehouse)["STATE"]) == {"started"}
    assert _audit(warehouse).iloc[0]["ACTION"] == "resume"


def test_admin_cancel_runs_nothing(warehouse: LocalWarehouse, admin_email: str) -> None:
    before = len(_audit(warehouse))
    at = open_page("app_pages/admin.py", admin_email)
    at.button(key="admin.execute").click().run()
    at.button(key="admin.cancel").click().run()
    assert not at.exception
    assert len(_audit(warehouse)) == before


def test_admin_reports_a_failed_retry(warehouse: LocalWarehouse, admin_email: str) -> None:
    at = open_page("app_pages/admin.py", admin_email)
    _confirm(at, "admin.retry")  # the last run of the orders graph succeeded: nothing to retry
    assert any("a échoué" in e.value for e in at.error)
    last = _audit(warehouse).iloc[0]
    assert (last["ACTION"], last["OUTCOME"]) == ("retry_last", "failed")
    assert "did not fail" in last["ERROR_MESSAGE"]


def test_admin_page_refuses_a_viewer_who_is_not_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "_SETTINGS", dataclasses.replace(cache.settings(), local_is_admin=False))
    at = open_page("app_pages/admin.py")
    assert any("réservée aux administrateurs" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key and b.key.startswith("admin.")]


# --- console #12: what a table shows is the catalog's figure, formatted in the session's language -----------------


def shown(frame_element) -> pd.DataFrame:
    """The text a table displays in each cell (its Styler display values), by column."""
    styler = frame_element.proto.arrow_data.styler
    assert styler.display_values, "the table carries no display values"
    return dataframe_util.convert_arrow_bytes_to_pandas_df(styler.display_values)


def table_with(at: AppTest, column: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(data, display text) of the first table that has ``column``."""
    for element in at.dataframe:
        if column in element.value.columns:
            return element.value, shown(element)
    raise AssertionError(f"no table with {column}")


def in_language(page: str, language: str) -> AppTest:
    at = open_page(page)
    if language != "fr":
        at.radio(key="lang").set_value(language).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("language", ["fr", "en"])
def test_finance_tables_show_the_catalog_figures_formatted(warehouse: LocalWarehouse, language: str) -> None:
    at = in_language("app_pages/finance.py", language)
    data, text = table_with(at, "PAYMENT_METHOD")
    catalog = expected(warehouse, "revenue_by_payment_method").set_index("PAYMENT_METHOD")
    for index, row in data.iterrows():
        code = next(c for c in catalog.index if payment_method(c, language) == row["PAYMENT_METHOD"])
        assert row["REVENUE"] == pytest.approx(float(catalog.loc[code, "REVENUE"]))  # the data keeps its figure
        assert text.loc[index, "REVENUE"] == fmt.euros(catalog.loc[code, "REVENUE"], language)
        assert text.loc[index, "ORDER_COUNT"] == fmt.number(catalog.loc[code, "ORDER_COUNT"], language)
    assert pd.api.types.is_numeric_dtype(data["REVENUE"])  # so the column sorts as numbers
    projected = expected(warehouse, "month_end_projection").iloc[0]["PROJECTED_DELTA_PCT"]
    label = "Projection vs mois précédent" if language == "fr" else "Projection vs last month"
    assert metric(at, label) == fmt.percent(projected, language, signed=True)
    months, months_text = table_with(at, "MONTH_START")
    assert (months["ORDER_COUNT"].iloc[0]) > 0  # no month before the first order
    for index, change in months["REVENUE_DELTA_PCT"].items():  # a change with nothing to compare to is a dash
        assert months_text.loc[index, "REVENUE_DELTA_PCT"] == fmt.percent(change, language)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_customer_segments_read_as_labels_with_the_catalog_amounts(warehouse: LocalWarehouse, language: str) -> None:
    at = in_language("app_pages/customers.py", language)
    data, text = table_with(at, "RFM_CODE")
    rfm = expected(warehouse, "rfm_segments").set_index("CUSTOMER_ID")
    for index, row in data.head(20).iterrows():
        customer = rfm.loc[row["CUSTOMER_ID"]]
        assert text.loc[index, "SEGMENT"] == code_label("SEGMENT", customer["SEGMENT"], language)
        assert text.loc[index, "MONETARY"] == fmt.euros(customer["MONETARY"], language)
        assert text.loc[index, "RECENCY_DAYS"] == fmt.number(customer["RECENCY_DAYS"], language)


def test_pipeline_shows_stream_backlog_and_in_flight_from_the_catalog(warehouse: LocalWarehouse) -> None:
    at = open_page("app_pages/pipeline.py")
    recon = expected(warehouse, "pipeline_reconciliation").iloc[0]
    assert metric(at, "En transit") == fmt.number(recon["IN_FLIGHT"])
    assert metric(at, "Non répartis") == fmt.number(recon["UNACCOUNTED"])
    data, text = table_with(at, "PENDING_CHANGES")
    backlog = expected(warehouse, "stream_backlog").set_index("STREAM_NAME")
    for index, row in data.iterrows():
        pending = backlog.loc[row["STREAM_NAME"]]
        assert text.loc[index, "PENDING_CHANGES"] == fmt.number(pending["PENDING_CHANGES"])
        assert text.loc[index, "OLDEST_PENDING_AGE_SEC"] == fmt.duration(pending["OLDEST_PENDING_AGE_SEC"])
    history, history_text = table_with(at, "ERROR_MESSAGE")
    assert set(history_text["STATE"]) <= {code_label("STATE", s) for s in history["STATE"]}
    assert "None" not in set(history_text["ERROR_MESSAGE"])


def test_admin_audit_log_reads_as_labels(warehouse: LocalWarehouse, admin_email: str) -> None:
    at = open_page("app_pages/admin.py", admin_email)
    _confirm(at, "admin.suspend")
    _confirm(at, "admin.resume")
    data, text = table_with(at, "OUTCOME")
    latest = _audit(warehouse).iloc[0]
    assert (data.iloc[0]["ACTION"], data.iloc[0]["OUTCOME"]) == (latest["ACTION"], latest["OUTCOME"])
    assert (text.iloc[0]["ACTION"], text.iloc[0]["OUTCOME"], text.iloc[0]["TARGET"]) == (
        "Reprise du graphe",
        "Réussie",
        "tout le graphe",
    )
    tasks, tasks_text = table_with(at, "LAST_SUSPENDED_REASON")
    assert set(tasks["STATE"]) == {"started"} and set(tasks_text["STATE"]) == {"active"}
    assert set(tasks_text["LAST_SUSPENDED_REASON"]) == {fmt.MISSING}  # no reason for a running task...
    shown_columns = next(e.proto.column_order for e in at.dataframe if "LAST_SUSPENDED_REASON" in e.value.columns)
    assert "LAST_SUSPENDED_REASON" not in shown_columns  # ...so no column for it
