"""The RAW->STAGING routing statements read each VARIANT path once, and keep JSON null apart from a missing key.

deploy_sql/60_tasks.sql extracts every field the validation rules test into its own column (F_<field>, in the
NEW_ROWS and FIELDS CTEs) instead of re-extracting the path in each of the ~60 WHEN branches: on the local
engine each `:` re-parses the JSON text, and re-extraction made the routing INSERT most of the pipeline's time.
These tests keep that shape (static), and check on the local engine the one semantic point the shape could
break: a key holding JSON null is a VARIANT null (present, wrong type), an absent key is SQL NULL (missing);
the reasons must be those of the reference validator, caves/events.py validate_message.
"""

from __future__ import annotations

import json
import logging

import pytest
import sqlglot
from sqlglot import exp

from caves import dag
from caves.deploy import plan_deploy, read_state
from caves.events import validate_message
from caves.ingest import Message, ingest
from caves.local.scheduler import run_until_idle
from caves.objects import load_statements
from caves.sqlscript import parse_block
from caves.warehouse.local import LocalWarehouse

OPS = "CAVES_ALBERT_DB.OPS"
ROUTING_TASKS = [f"{OPS}.TASK_RAW_TO_STAGING_ORDERS", f"{OPS}.TASK_RAW_TO_STAGING_INVENTORY"]
EXTRACTING_CTES = {"NEW_ROWS", "FIELDS"}


def _routing_statement(task: str) -> exp.Expression:
    """The task body's first statement: the INSERT into EVENT_ROUTING_LOG that holds the validation rules."""
    work = [sql for sql in parse_block(dag.load_task_graph().nodes[task].body).statements if "insert" in sql.lower()]
    statement = sqlglot.parse_one(work[0], read="snowflake")
    assert isinstance(statement, exp.Insert), work[0][:200]
    assert "EVENT_ROUTING_LOG" in statement.this.sql("snowflake").upper(), work[0][:200]
    return statement


@pytest.mark.parametrize("task", ROUTING_TASKS)
def test_routing_rules_read_each_variant_path_once(task):
    statement = _routing_statement(task)
    ctes = {cte.alias_or_name.upper(): cte.this for cte in statement.find_all(exp.CTE)}
    assert set(ctes) >= EXTRACTING_CTES | {"CHECKED", "RANKED"}, sorted(ctes)
    for name, query in ctes.items():
        paths = [p.sql("snowflake") for p in query.find_all(exp.JSONExtract)]
        if name not in EXTRACTING_CTES:
            # the rules and the display columns test the F_<field> columns, never a path
            assert not paths, (name, paths)
            continue
        # outside the ownership filter (written identically in both tasks, see tests/test_dag.py), each path
        # is extracted once
        where = query.args.get("where")
        in_where = [p.sql("snowflake") for p in where.find_all(exp.JSONExtract)] if where is not None else []
        selected = list(paths)
        for p in in_where:
            selected.remove(p)
        assert len(selected) == len(set(selected)), (name, sorted(selected))


# ---------------------------------------------------------------------------------------------------------------
# JSON null versus missing key, on the local engine
# ---------------------------------------------------------------------------------------------------------------

ORDER = {
    "event_id": "E",
    "event_type": "order",
    "event_timestamp": "2026-11-20T10:00:00Z",
    "source": "webshop",
    "payload": {
        "order_id": "ORD-1",
        "customer_id": "C-1",
        "product_id": "WINE-1",
        "product_name": "Vin de test",
        "product_category": "Rouge",
        "quantity": 2,
        "unit_price": 10.0,
        "total_amount": 20.0,
        "currency": "EUR",
        "payment_method": "card",
        "order_status": "confirmed",
        "order_date": "2026-11-20T09:59:00Z",
        "shipping_country": "FR",
    },
}
ADJUSTMENT = {
    "event_id": "E",
    "event_type": "inventory_adjustment",
    "event_timestamp": "2026-11-20T10:00:00Z",
    "source": "warehouse",
    "payload": {
        "adjustment_id": "ADJ-1",
        "product_id": "WINE-1",
        "product_name": "Vin de test",
        "product_category": "Rouge",
        "warehouse_location": "Cave A",
        "adjustment_type": "restock",
        "quantity_change": 12,
        "reason": "livraison",
    },
}


def _null_and_missing_messages() -> list[str]:
    """For every field of both event types: the field set to JSON null, and the field removed."""
    out = []
    for base in (ORDER, ADJUSTMENT):
        keys = [(k, None) for k in base] + [("payload", k) for k in base["payload"]]
        for top, inner in keys:
            for variant in ("null", "missing"):
                message = json.loads(json.dumps(base))
                message["event_id"] = f"{base['event_type']}-{top}-{inner}-{variant}"
                holder, key = (message, top) if inner is None else (message["payload"], inner)
                if variant == "null":
                    holder[key] = None
                else:
                    del holder[key]
                out.append(json.dumps(message))
    return out


@pytest.mark.slow
def test_json_null_and_missing_fields_get_the_reference_reasons_on_the_local_engine():

    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    lines = _null_and_missing_messages()
    want = {line: validate_message(line) for line in lines}
    # both kinds of reason occur, so the test tells them apart
    assert any(r and r.startswith("missing field") for r in want.values())
    assert any(r and r.endswith("must be a string") for r in want.values())

    wh = LocalWarehouse(":memory:")
    try:
        for sql in plan_deploy(load_statements(), read_state(wh), resume_all=True):
            wh.execute(sql)
        ingest(wh, [Message(text, "nulls", 0, i) for i, text in enumerate(lines)])
        outcomes = run_until_idle(wh.engine)
        assert not [o for o in outcomes if o.state.startswith("FAILED")], outcomes
        rejected = wh.query("select RAW_MESSAGE, REJECT_REASON from CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS")
        got = {line: None for line in lines} | dict(
            zip(rejected["RAW_MESSAGE"], rejected["REJECT_REASON"], strict=True)
        )
    finally:
        wh.close()
    assert got == want
