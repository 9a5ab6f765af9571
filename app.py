"""Les Caves d'Albert — the pipeline console. ``streamlit run app.py``

The entry point: page setup, the backend (chosen once, prepared on first start with a progress bar),
the language switch, and the navigation grouped by audience. Pages live in ``app_pages/``.
"""

from __future__ import annotations

import streamlit as st

from components.startup import startup_error

st.set_page_config(page_title="Les Caves d'Albert", page_icon="🍷", layout="wide")

try:  # the settings are read at import: a malformed config/caves.yaml is a start-up error like any other
    from components import cache
    from components.context import lang, language_switch, login_prompt, t
except Exception as exc:
    startup_error(exc, settings=True)
    st.stop()

language_switch()

try:  # choosing and opening the backend (a Snowflake account that cannot be reached fails here)
    backend = cache.backend()
except Exception as exc:  # one readable, secret-free box saying what to check; the next rerun tries again
    startup_error(exc, lang())
    st.stop()
if not backend.ready:
    # First start of this process: deploy, and on an empty local warehouse seed history through the pipeline.
    progress = st.progress(0.0, text=t("app.starting"))
    try:
        backend.prepare(lambda fraction, message: progress.progress(min(max(fraction, 0.0), 1.0), text=message))
    except Exception as exc:  # shown as one readable line; the next rerun tries again
        progress.empty()
        startup_error(exc, lang())
        st.stop()
    progress.empty()

navigation = st.navigation(
    {
        t("nav.direction"): [
            st.Page("app_pages/overview.py", title=t("page.overview"), icon=":material/dashboard:", default=True),
            st.Page("app_pages/sales.py", title=t("page.sales"), icon=":material/wine_bar:"),
            st.Page("app_pages/customers.py", title=t("page.customers"), icon=":material/groups:"),
            st.Page("app_pages/finance.py", title=t("page.finance"), icon=":material/euro:"),
        ],
        t("nav.warehouse"): [
            st.Page("app_pages/stock.py", title=t("page.stock"), icon=":material/inventory_2:"),
        ],
        t("nav.operations"): [
            st.Page("app_pages/pipeline.py", title=t("page.pipeline"), icon=":material/monitor_heart:"),
            st.Page("app_pages/explorer.py", title=t("page.explorer"), icon=":material/query_stats:"),
        ],
        t("nav.admin"): [
            st.Page("app_pages/admin.py", title=t("page.admin"), icon=":material/admin_panel_settings:"),
        ],
    }
)

login_prompt()
with st.sidebar:
    st.caption(t(f"app.backend.{backend.kind}"))
    if backend.runtime is not None and backend.runtime.demo_factor > 1:
        st.badge(t("app.demo", factor=backend.runtime.demo_factor), icon=":material/fast_forward:", color="orange")
    if backend.runtime is not None and backend.runtime.simulator_blocked:
        st.caption(t("app.simulator_off"), help=backend.runtime.simulator_blocked)
    if st.button(t("app.refresh"), icon=":material/refresh:"):
        cache.clear()

navigation.run()
