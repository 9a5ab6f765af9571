"""The cost section (components/cost.py) under AppTest on the seeded local warehouse: its figures are the cost
service's, formatted the French way, and the what-if recomputes them."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from caves.services import cost_service
from caves.services import format as fmt
from caves.settings import load_settings
from caves.warehouse.local import LocalWarehouse
from components import cache
from components.cost import _credits, _euros

TIMEOUT_S = 60


def section_script() -> None:
    import streamlit as st

    from components import cache
    from components.cost import cost_section

    backend = cache.backend()
    if not backend.ready:
        backend.prepare(lambda fraction, message: None)
    if st.session_state.get("lang_test"):
        st.session_state["lang"] = st.session_state["lang_test"]
    cost_section()


def metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label.startswith(label)]
    assert values, f"no metric {label!r} among {[m.label for m in at.metric]}"
    return values[0]


def run_section(**state: object) -> AppTest:
    at = AppTest.from_function(section_script, default_timeout=TIMEOUT_S)
    for name, value in state.items():
        at.session_state[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def test_cost_section_shows_the_service_figures(seeded_db, warehouse: LocalWarehouse) -> None:
    cache.clear()
    model = load_settings().cost.model()
    at = run_section()
    report = cost_service.cost_report(warehouse, model, 1)  # after the run: preparing the backend may add runs
    assert metric(at, "Coût par jour") == _euros(report.cost_per_day, "fr")
    assert metric(at, "Crédits par jour") == _credits(report.credits_per_day, "fr")
    assert metric(at, "Exécutions sautées") == fmt.percent(report.summary.skipped_share * 100, "fr")
    assert metric(at, "Exécutions avec travail") == fmt.number(report.summary.work_runs, "fr")
    assert any("TASK_HISTORY" in c.value for c in at.caption)
    tables = [df.value for df in at.dataframe]
    by_task = tables[0]
    assert list(by_task.columns)[:2] == ["Tâche", "Exécutions"]
    assert set(by_task["Tâche"]) == set(report.by_task["NAME"])
    assert list(by_task["Coût"]) == [_euros(v, "fr") for v in report.by_task["COST"]]


def test_cost_section_what_if_and_english(seeded_db, warehouse: LocalWarehouse) -> None:
    cache.clear()
    model = load_settings().cost.model()
    at = run_section(lang_test="en")
    at.selectbox(key="cost.what_if.kind.en").set_value("the root tasks' schedule").run()
    at.selectbox(key="cost.what_if.schedule").set_value("15m").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.caption[0].value.startswith("Estimate")
    expected = cost_service.cost_report(warehouse, model, 1, "schedule=15m").what_if
    assert expected is not None
    assert metric(at, "Cost per day with schedule = 15m") == _euros(expected.summary.cost_per_day, "en")
    assert metric(at, "Cost per day").startswith("€")
