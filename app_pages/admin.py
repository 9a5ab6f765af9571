"""Administration: deploy (with a dry-run preview), suspend / resume the whole task graph, execute a graph
now, retry its last failure, run the retention purge. Every action is confirmed in a dialog that lists
the exact statements, then written to OPS.ADMIN_AUDIT_LOG."""

from __future__ import annotations

from typing import Any

import streamlit as st

from caves.services import pipeline_service
from caves.services.admin_service import AdminService
from components import cache, confirm, tables
from components.context import t, viewer
from components.feedback import error_box

CONFIRM_KEY = "admin"
RESULT_KEY = "admin.result"

backend = cache.backend()
service = AdminService(backend.warehouse, cache.settings(), backend.kind)
user = viewer()

st.title(t("page.admin"))
if user.anonymous:
    st.warning(t("admin.anonymous"), icon=":material/lock:")
    st.stop()
if not service.allowed(user):
    st.warning(t("admin.denied", user=user.name), icon=":material/lock:")
    st.stop()
st.caption(t("admin.user", user=user.name))

request = confirm.take_confirmed(CONFIRM_KEY)
if request is not None:
    try:
        action = service.plan(request["kind"], request.get("target"))
    except Exception as exc:  # a plan that cannot be made is reported like a failed action
        error_box(t("admin.failed", action=t(f"action.{request['kind']}")), exc)
    else:
        st.session_state[RESULT_KEY] = service.run(action, user)
        cache.clear()  # every page must see the new state at once
result = st.session_state.get(RESULT_KEY)
if result is not None:
    label = t(f"action.{result.action.kind}")
    if result.ok:
        st.success(t("admin.succeeded", action=label), icon=":material/check_circle:")
    else:
        error_box(t("admin.failed", action=label), result.error or result.outcome)
        if result.blocked_by_root:
            st.info(t("admin.root_started", root=result.blocked_by_root), icon=":material/account_tree:")

st.subheader(t("admin.tasks"))
try:
    tasks = pipeline_service.task_list(backend.warehouse)  # never cached: this page acts on it
except Exception as exc:
    error_box(t("admin.tasks"), exc)
else:
    tables.table(
        pipeline_service.task_table(tasks),
        columns=["NAME", "STATE", "SCHEDULE", "PREDECESSORS", "LAST_SUSPENDED_REASON"],
        hide_empty=["LAST_SUSPENDED_REASON"],  # a reason shows only while a task is suspended
    )

st.subheader(t("admin.actions"))
deploy_col, graph_col = st.columns(2, gap="medium", border=True)
run_col, retention_col = st.columns(2, gap="medium", border=True)
with deploy_col:
    st.markdown(f"**{t('admin.deploy')}**")
    st.caption(t("admin.deploy_help"))
    if st.button(t("admin.preview"), icon=":material/preview:", key="admin.deploy"):
        confirm.ask(CONFIRM_KEY, {"kind": "deploy"})
with graph_col:
    st.markdown(f"**{t('admin.graph')}**")
    st.caption(t("admin.graph_help"))
    suspend_col, resume_col = st.columns(2)
    if suspend_col.button(t("admin.suspend_all"), icon=":material/pause_circle:", key="admin.suspend"):
        confirm.ask(CONFIRM_KEY, {"kind": "suspend"})
    if resume_col.button(t("admin.resume_all"), icon=":material/play_circle:", key="admin.resume"):
        confirm.ask(CONFIRM_KEY, {"kind": "resume"})
with run_col:
    st.markdown(f"**{t('admin.run')}**")
    root = st.selectbox(
        t("admin.root"), service.roots(), format_func=lambda name: name.split(".")[-1], key="admin.root"
    )
    execute_col, retry_col = st.columns(2)
    if execute_col.button(t("admin.execute"), icon=":material/bolt:", key="admin.execute"):
        confirm.ask(CONFIRM_KEY, {"kind": "execute", "target": root})
    if retry_col.button(t("admin.retry"), icon=":material/replay:", key="admin.retry"):
        confirm.ask(CONFIRM_KEY, {"kind": "retry_last", "target": root})
with retention_col:
    st.markdown(f"**{t('admin.retention')}**")
    st.caption(t("admin.retention_help"))
    if st.button(t("admin.retention"), icon=":material/cleaning_services:", key="admin.retention"):
        confirm.ask(CONFIRM_KEY, {"kind": "retention"})


def preview(request: dict[str, Any]) -> bool:
    """The dialog's body: the statements the action will run; False when there is nothing to confirm."""
    try:
        action = service.plan(request["kind"], request.get("target"))
    except Exception as exc:
        error_box(t("admin.failed", action=t(f"action.{request['kind']}")), exc)
        return False
    st.markdown(f"**{t(f'action.{action.kind}')}** · `{action.target}`")
    if not action.statements:
        st.info(t("admin.nothing_to_deploy"))
        return False
    st.caption(t("admin.confirm_intro"))
    st.code(
        ";\n\n".join(action.statements) + ";", language="sql", height=360 if len(action.statements) > 8 else "content"
    )
    return True


confirm.dialog(CONFIRM_KEY, t("admin.confirm_title"), preview)

st.subheader(t("admin.audit"))
try:
    tables.table(service.audit_log(), height=320)
except Exception as exc:
    error_box(t("admin.audit"), exc)
