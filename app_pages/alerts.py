"""Alertes (ops, warehouse, managers): the open alerts by severity with the rows behind each, acknowledgement
(administrators, audited), the alerts' run history and definitions, and the local notification outbox."""

from __future__ import annotations

import streamlit as st

from caves.i18n import code_label
from caves.services import alerts_service
from caves.services import format as fmt
from caves.services.admin_service import AdminService
from caves.services.dashboard_service import KpiTile
from components import cache, tables
from components.context import lang, t, viewer
from components.feedback import error_box
from components.kpi import kpi_row

ACK_RESULT_KEY = "alerts.ack_result"
OUTBOX_SHOWN = 10
_ICONS = {"critical": ":material/error:", "warning": ":material/warning:", "info": ":material/info:"}

language = lang()
backend = cache.backend()
user = viewer()
admin = AdminService(backend.warehouse, cache.settings(), backend.kind)
can_ack = admin.allowed(user)

st.title(t("page.alerts"))
st.caption(t("alerts.intro"))

try:
    board = cache.alerts()
except Exception as exc:  # e.g. a Snowflake deployment without the alerts yet
    error_box(t("alerts.unavailable"), exc)
    st.stop()

counts = board.by_severity()
kpi_row([KpiTile(t(f"alerts.severity.{s}"), fmt.number(counts[s], language)) for s in alerts_service.SEVERITIES])

result = st.session_state.pop(ACK_RESULT_KEY, None)
if result is not None:
    if result.ok:
        st.success(t("alerts.ack_done"), icon=":material/check_circle:")
    else:
        error_box(t("alerts.ack_failed"), result.error or result.outcome)

st.subheader(t("alerts.open"))
if board.open_alerts.empty:
    st.success(t("alerts.none_open"), icon=":material/verified:")
if not can_ack and not board.open_alerts.empty:
    st.caption(t("alerts.ack_admins"))
for index, row in board.open_alerts.iterrows():
    alert, check, severity = row["ALERT_NAME"], row["CHECK_NAME"], row["SEVERITY"]
    heading = t(
        "alerts.item_title",
        check=code_label("CHECK_NAME", check, language),
        alert=code_label("ALERT_NAME", alert, language),
        count=fmt.number(row["ITEM_COUNT"], language),
    )
    with st.expander(
        f"{code_label('SEVERITY', severity, language)} · {heading}",
        icon=_ICONS.get(severity, ":material/info:"),
        expanded=index < 3,
    ):
        items = board.items_of(alert, check)
        measure = alerts_service.measure_column(check)
        # one table checked (the usual case): named once above its rows rather than on each of them
        checked = items["TABLE_NAME"].dropna().unique()
        about = [
            t(
                "alerts.since",
                since=fmt.day_time(row["FIRST_SEEN"], language),
                last=fmt.day_time(row["LAST_SEEN"], language),
            ),
            str(code_label("KIND", row["KIND"], language)),
        ]
        if len(checked) == 1:
            about.append(t("alerts.table_checked", table=checked[0]))
        st.caption(" · ".join(about))
        tables.table(
            items,
            columns=[
                "OBJECT_KEY",
                "DETAIL",
                measure,
                *(["TABLE_NAME"] if len(checked) != 1 else []),
                "FIRST_SEEN",
                "LAST_SEEN",
            ],
            hide_empty=["DETAIL", measure, "TABLE_NAME"],
            height=260,
        )
        if can_ack:
            with st.form(f"alerts.ack.{alert}.{check}", border=False):
                note = st.text_input(t("alerts.ack_note"), max_chars=500, key=f"alerts.note.{alert}.{check}")
                if st.form_submit_button(t("alerts.ack"), icon=":material/done_all:"):
                    st.session_state[ACK_RESULT_KEY] = alerts_service.acknowledge(
                        admin, user, alert, check, note=note or None
                    )
                    cache.clear()
                    st.rerun()

st.subheader(t("alerts.history"))
tables.table(
    alerts_service.display_alerts(board.history, language),
    columns=["ALERT_NAME", "STATE", "SCHEDULED_TIME", "COMPLETED_TIME", "SCHEDULED_FROM", "ERROR_MESSAGE"],
    hide_empty=["ERROR_MESSAGE"],
    height=360,
)

st.subheader(t("alerts.definitions"))
try:
    tables.table(
        alerts_service.display_alerts(alerts_service.list_alerts(backend.warehouse), language),
        columns=["ALERT_NAME", "STATE", "SCHEDULE", "ALERT_DESCRIPTION"],
    )
except Exception as exc:
    error_box(t("alerts.definitions"), exc)

if not board.acknowledgements.empty:
    st.subheader(t("alerts.acks"))
    tables.table(
        board.acknowledgements.sort_values("ACKNOWLEDGED_AT", ascending=False),
        columns=["ACKNOWLEDGED_AT", "ALERT_NAME", "CHECK_NAME", "OBJECT_KEY", "ACKNOWLEDGED_BY", "NOTE"],
        hide_empty=["OBJECT_KEY", "NOTE"],
        height=260,
    )

if backend.kind == "local":
    st.subheader(t("alerts.outbox"))
    try:
        sent = alerts_service.outbox(backend.warehouse, limit=OUTBOX_SHOWN)
        # one integration (the configured one, the usual case): named once, so the message keeps the width
        integrations = sent["INTEGRATION_NAME"].dropna().unique() if not sent.empty else []
        help_text = t("alerts.outbox_help")
        if len(integrations) == 1:
            help_text += " " + t("alerts.outbox_through", integration=integrations[0])
        st.caption(help_text)
        # the messages are sentences: a table that wraps them rather than a grid that cuts them
        tables.text_table(
            sent,
            columns=[
                "SENT_AT",
                "ALERT_NAME",
                *(["INTEGRATION_NAME"] if len(integrations) != 1 else []),
                "SUBJECT",
                "MESSAGE",
            ],
            hide_empty=["SUBJECT"],
        )
    except Exception as exc:
        error_box(t("alerts.outbox"), exc)
