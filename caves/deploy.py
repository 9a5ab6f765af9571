"""Applying deploy_sql/ to a warehouse: read what exists, plan (caves.dag), run the plan in order."""

from __future__ import annotations

import logging

from .dag import load_statements, plan_deploy, read_state
from .warehouse.base import Warehouse

log = logging.getLogger("caves.deploy")


def deploy(warehouse: Warehouse, *, dry_run: bool = False, resume_new_graphs: bool = False) -> list[str]:
    """Plan and (unless ``dry_run``) apply deploy_sql/; returns the statements in order.

    Safe on a live pipeline: tables and streams are only created when missing, running graphs are
    suspended before their tasks are replaced and resumed afterwards, children first. With
    ``resume_new_graphs``, a warehouse that has no task yet gets its graphs started (the local default).
    """
    state = read_state(warehouse)
    plan = plan_deploy(load_statements(), state, resume_all=resume_new_graphs and not state.tasks)
    if not dry_run:
        for statement in plan:
            log.debug("deploy: %s", statement.splitlines()[0][:100])
            warehouse.execute(statement)
    return plan
