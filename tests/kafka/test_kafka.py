"""The Kafka front against a real Kafka-protocol broker on loopback: librdkafka's built-in mock cluster.

The cluster lives inside the client that creates it (``test.mock.num.brokers``), so the module-scoped
``broker`` fixture keeps that client alive for the whole module. The Python binding has no call for the
cluster's address (librdkafka's ``rd_kafka_mock_cluster_bootstraps()`` is not exposed), but librdkafka logs it
at creation ("Mock cluster enabled: ... replaced with 127.0.0.1:PORT"): the fixture reads it from the client's
logger. ``caves consume`` then runs as a separate process against that address, exactly as in production.

Topics are auto-created by the mock cluster on first use (4 partitions); each test has its own topic and group.
"""

from __future__ import annotations

import collections
import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from confluent_kafka import OFFSET_BEGINNING, Consumer, Producer, TopicPartition

from caves.deploy import deploy
from caves.ingest import RAW_TABLE
from caves.kafka import CRASH_AFTER_INSERT_ENV, keyed, message_key, produce
from caves.simulate import SimConfig, generate_history
from caves.warehouse.local import LocalWarehouse

REPO = Path(__file__).resolve().parents[2]
END = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)  # a fixed clock: the same traffic on every run
WAIT_S = 90.0  # upper bound for any wait on a consumer (group join, restart after a crash)

logging.getLogger("sqlglot").setLevel(logging.ERROR)


class _AddressCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        found = re.search(r"replaced with (\S+)", record.getMessage())
        if found:
            self.addresses.append(found.group(1))


@pytest.fixture(scope="module")
def broker() -> Iterator[str]:
    """The bootstrap address of a one-broker mock cluster owned by this process."""
    capture = _AddressCapture()
    logger = logging.getLogger("tests.kafka.mock-cluster")
    logger.addHandler(capture)
    logger.setLevel(logging.INFO)
    owner = Producer({"test.mock.num.brokers": 1}, logger=logger)
    deadline = time.monotonic() + 10
    while not capture.addresses and time.monotonic() < deadline:
        owner.poll(0.1)  # the client's log lines are delivered by poll()
    assert capture.addresses, "the mock cluster did not log its address"
    address = capture.addresses[0]
    assert address.startswith("127.0.0.1:"), address  # loopback only
    yield address
    logger.removeHandler(capture)
    del owner  # destroys the cluster


# --- helpers -------------------------------------------------------------------------------------------------


def simulated(days: int, seed: int, **noise: float) -> list[str]:
    config = SimConfig(seed=seed, **noise)
    return [text for _, text in generate_history(config, days=days, end=END)]


def new_warehouse(path: Path) -> Path:
    """A local warehouse with deploy_sql/ applied and the task graphs started (what `caves init` does)."""
    wh = LocalWarehouse(path)
    try:
        deploy(wh, resume_new_graphs=True)
    finally:
        wh.close()
    return path


def query(db: Path, sql: str) -> pd.DataFrame:
    # Opened and closed each time: the consumer process shares the file (the engine hands it over).
    wh = LocalWarehouse(db)
    try:
        return wh.query(sql)
    finally:
        wh.close()


def raw_count(db: Path) -> int:
    return int(query(db, f"SELECT COUNT(*) AS N FROM {RAW_TABLE}")["N"].iloc[0])


def start_consumer(
    db: Path,
    broker: str,
    topic: str,
    group: str,
    log_path: Path,
    *,
    crash: bool = False,
    batch_size: int = 300,
    batch_seconds: float = 1.0,
) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != CRASH_AFTER_INSERT_ENV}
    if crash:
        env[CRASH_AFTER_INSERT_ENV] = "1"
    command = [
        sys.executable, "-m", "caves", "consume", "--db", str(db), "--bootstrap-servers", broker,
        "--topic", topic, "--group", group, "--batch-size", str(batch_size), "--batch-seconds", str(batch_seconds),
        # The group forgets a killed member after this (default 45 s): keeps the restart test short.
        "-X", "session.timeout.ms=6000",
        "--debug",  # one "landed N messages (M in all)" line per batch
    ]  # fmt: skip
    with log_path.open("ab") as log:
        return subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)


_LANDED = re.compile(r"^landed \d+ messages \((\d+) in all\)$", re.MULTILINE)


def landed(log_path: Path) -> int:
    """What the consumer reports having landed (and committed) so far."""
    totals = [int(total) for total in _LANDED.findall(log_path.read_text(errors="replace"))]
    return max(totals, default=0)


def wait_until_landed(expected: int, consumer: subprocess.Popen, log_path: Path, poll_s: float = 0.2) -> None:
    # The consumer's log is watched rather than RAW: another process opening the warehouse would take the
    # file from the consumer mid-batch (the engine hands it over), which is not what is under test here.
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        assert consumer.poll() is None, f"consumer exited ({consumer.returncode}):\n{log_path.read_text()}"
        if landed(log_path) >= expected:
            return
        time.sleep(poll_s)
    pytest.fail(f"the consumer landed {landed(log_path)} of {expected} in {WAIT_S:.0f}s:\n{log_path.read_text()}")


def stop(consumer: subprocess.Popen, log_path: Path) -> str:
    """SIGTERM, then the consumer's output; it must exit cleanly."""
    consumer.send_signal(signal.SIGTERM)
    try:
        assert consumer.wait(timeout=30) == 0, log_path.read_text()
    finally:
        if consumer.poll() is None:
            consumer.kill()
            consumer.wait()
    return log_path.read_text()


@pytest.fixture
def consumers() -> Iterator[list[subprocess.Popen]]:
    """Consumer processes started by a test; whatever is still running at the end is killed."""
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def topic_log(broker: str, topic: str) -> list[tuple[int, int, str | None, str]]:
    """Every message of the topic as the broker stores it: (partition, offset, key, value)."""
    reader = Consumer({"bootstrap.servers": broker, "group.id": "tests-reader", "enable.auto.commit": False})
    try:
        partitions = sorted(reader.list_topics(topic, timeout=10).topics[topic].partitions)
        total = sum(reader.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in partitions)
        reader.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
        rows: list[tuple[int, int, str | None, str]] = []
        deadline = time.monotonic() + 30
        while len(rows) < total and time.monotonic() < deadline:
            for msg in reader.consume(1000, 0.5):
                assert msg.error() is None, msg.error()
                key = msg.key().decode() if msg.key() is not None else None
                rows.append((msg.partition(), msg.offset(), key, msg.value().decode("utf-8")))
        assert len(rows) == total
        return sorted(rows)
    finally:
        reader.close()


def committed(broker: str, topic: str, group: str) -> dict[int, int]:
    """The group's committed offset per partition (negative when nothing was committed)."""
    client = Consumer({"bootstrap.servers": broker, "group.id": group, "enable.auto.commit": False})
    try:
        partitions = client.list_topics(topic, timeout=10).topics[topic].partitions
        offsets = client.committed([TopicPartition(topic, p) for p in partitions], timeout=10)
        return {tp.partition: tp.offset for tp in offsets}
    finally:
        client.close()


def raw_rows(db: Path) -> list[tuple[str, int, int, str]]:
    frame = query(db, f"SELECT SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET, RAW_MESSAGE FROM {RAW_TABLE}")
    return sorted((t, int(p), int(o), m) for t, p, o, m in frame.itertuples(index=False))


def is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


# --- the tests -----------------------------------------------------------------------------------------------


def test_message_key_is_the_entity_or_none() -> None:
    order = json.dumps({"event_type": "order", "payload": {"order_id": "ORD-1", "product_id": "WINE-0001"}})
    adjustment = json.dumps({"event_type": "inventory_adjustment", "payload": {"product_id": "WINE-0002"}})
    assert message_key(order) == "ORD-1"
    assert message_key(adjustment) == "WINE-0002"
    for broken in ("ceci n'est pas du JSON", "", "[1, 2]", '{"payload": "x"}', '{"payload": {"order_id": 7}}'):
        assert message_key(broken) is None


def test_consume_lands_every_message_exactly_as_produced(broker, tmp_path, consumers) -> None:
    topic, group = "shop-events-a", "loader-a"
    texts = simulated(days=2, seed=7, broken_rate=0.05, late_rate=0.05)
    assert any(not is_json(t) for t in texts)  # some messages the pipeline must reject
    assert produce(broker, topic, keyed(texts)) == len(texts)

    db = new_warehouse(tmp_path / "wh.duckdb")
    log_path = tmp_path / "consumer.log"
    consumer = start_consumer(db, broker, topic, group, log_path)
    consumers.append(consumer)
    wait_until_landed(len(texts), consumer, log_path)
    output = stop(consumer, log_path)
    assert f"Consumed {len(texts)} messages" in output

    stored = topic_log(broker, topic)
    # RAW holds exactly the topic: one row per message, with its partition and offset, text unchanged.
    assert raw_rows(db) == sorted((topic, p, o, value) for p, o, _, value in stored)
    assert collections.Counter(value for *_, value in stored) == collections.Counter(texts)
    # Keys: one entity's events on one partition, in the order they were produced.
    by_key: dict[str, list[tuple[int, str]]] = collections.defaultdict(list)
    for partition, _, key, value in stored:  # sorted by (partition, offset)
        if key is not None:
            by_key[key].append((partition, value))
    for key, events in by_key.items():
        assert len({p for p, _ in events}) == 1, key
        assert [v for _, v in events] == [t for t in texts if message_key(t) == key]
    # Offsets were committed up to the end of every partition.
    ends = collections.Counter(p for p, *_ in stored)
    assert {p: offset for p, offset in committed(broker, topic, group).items() if offset >= 0} == dict(ends)


def wait_for_line(pattern: str, consumer: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        assert consumer.poll() is None, f"consumer exited ({consumer.returncode}):\n{log_path.read_text()}"
        if re.search(pattern, log_path.read_text(errors="replace"), re.MULTILINE):
            return
        time.sleep(0.2)
    pytest.fail(f"no line matching {pattern!r} in {WAIT_S:.0f}s:\n{log_path.read_text()}")


def test_rebalance_lands_and_commits_the_batch_in_hand(broker, tmp_path, consumers) -> None:
    """A second member joins while the first holds a whole unlanded batch: the first lands and commits it
    before giving partitions up, so the newcomer reads nothing twice."""
    topic, group = "shop-events-r", "loader-r"
    texts = simulated(days=1, seed=5, broken_rate=0.05)
    produce(broker, topic, keyed(texts))
    # The first member's batch bounds are out of reach: only the rebalance (or the stop) can flush it.
    db_a, log_a = new_warehouse(tmp_path / "a.duckdb"), tmp_path / "a.log"
    a = start_consumer(db_a, broker, topic, group, log_a, batch_size=100_000, batch_seconds=300)
    consumers.append(a)
    wait_for_line(r"^landed 0 messages in 0 batches .*, lag 0$", a, log_a)  # everything read, nothing landed

    db_b, log_b = new_warehouse(tmp_path / "b.duckdb"), tmp_path / "b.log"
    b = start_consumer(db_b, broker, topic, group, log_b)
    consumers.append(b)
    wait_for_line(r"^assigned shop-events-r\[\d\]", b, log_b)
    wait_for_line(r"^landed \d+ messages in 0 batches .*, lag 0$", b, log_b)  # caught up: nothing left to read
    assert landed(log_a) == len(texts)
    assert "Consumed 0 messages" in stop(b, log_b)
    stop(a, log_a)

    assert raw_count(db_b) == 0
    assert raw_rows(db_a) == sorted((topic, p, o, value) for p, o, _, value in topic_log(broker, topic))
    ends = collections.Counter(p for p, *_ in topic_log(broker, topic))
    assert {p: offset for p, offset in committed(broker, topic, group).items() if offset >= 0} == dict(ends)


def production(db: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """ORDERS and INVENTORY_CURRENT without their load-time columns (they differ between two runs)."""
    orders = query(db, "SELECT * FROM CAVES_ALBERT_DB.PRODUCTION.ORDERS ORDER BY ORDER_ID")
    stock = query(db, "SELECT * FROM CAVES_ALBERT_DB.PRODUCTION.INVENTORY_CURRENT ORDER BY PRODUCT_ID")
    return (
        orders.drop(columns=["INGESTION_TIMESTAMP", "CREATED_AT", "UPDATED_AT"]).reset_index(drop=True),
        stock.drop(columns=["UPDATED_AT"]).reset_index(drop=True),
    )


def run_pipeline(db: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "caves", "pipeline", "run", "--until-idle", "--db", str(db)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_crash_between_insert_and_commit_loses_nothing(broker, tmp_path, consumers) -> None:
    topic = "shop-events-b"
    texts = simulated(days=2, seed=11, broken_rate=0.03, late_rate=0.1)
    produce(broker, topic, keyed(texts))
    n = len(texts)

    # The crash: the process dies right after its first RAW insert, before committing the offsets.
    crashed_db = new_warehouse(tmp_path / "crashed.duckdb")
    log_path = tmp_path / "crashed.log"
    first = start_consumer(crashed_db, broker, topic, "loader-b", log_path, crash=True)
    consumers.append(first)
    assert first.wait(timeout=WAIT_S) == 137, log_path.read_text()
    landed_before_crash = raw_rows(crashed_db)
    assert 0 < len(landed_before_crash) < n
    assert all(offset < 0 for offset in committed(broker, topic, "loader-b").values())

    # The restart redelivers the uncommitted batch: at-least-once, nothing lost.
    second = start_consumer(crashed_db, broker, topic, "loader-b", log_path)
    consumers.append(second)
    wait_until_landed(n, second, log_path)  # everything, from offset 0 again
    stop(second, log_path)
    rows = raw_rows(crashed_db)
    assert len(rows) == n + len(landed_before_crash)
    counts = collections.Counter(rows)
    assert sorted(row for row, seen in counts.items() if seen == 2) == landed_before_crash
    assert collections.Counter(message for *_, message in counts) == collections.Counter(texts)

    # A clean run of the same topic (another group, no crash) into another warehouse.
    clean_db = new_warehouse(tmp_path / "clean.duckdb")
    clean_log = tmp_path / "clean.log"
    clean = start_consumer(clean_db, broker, topic, "loader-b-clean", clean_log)
    consumers.append(clean)
    wait_until_landed(n, clean, clean_log)
    stop(clean, clean_log)
    assert raw_count(clean_db) == n

    run_pipeline(crashed_db)
    run_pipeline(clean_db)
    crashed_orders, crashed_stock = production(crashed_db)
    clean_orders, clean_stock = production(clean_db)
    assert len(clean_orders) > 0 and len(clean_stock) > 0
    pd.testing.assert_frame_equal(crashed_orders, clean_orders)
    pd.testing.assert_frame_equal(crashed_stock, clean_stock)
    # The redelivered copies are the only difference: each one is rejected, the valid ones as duplicates.
    rejected_sql = "SELECT REJECT_REASON, COUNT(*) AS N FROM CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS GROUP BY 1"
    crashed_rejected = dict(query(crashed_db, rejected_sql).itertuples(index=False))
    clean_rejected = dict(query(clean_db, rejected_sql).itertuples(index=False))
    assert sum(crashed_rejected.values()) - sum(clean_rejected.values()) == len(landed_before_crash)
    assert crashed_rejected.get("duplicate event_id", 0) > clean_rejected.get("duplicate event_id", 0)


@pytest.mark.slow
def test_throughput_50k_messages(broker, tmp_path, consumers) -> None:
    """50,000 messages from Kafka into the local warehouse; prints messages/s (no timed assertion)."""
    topic, n = "shop-events-c", 50_000
    texts = simulated(days=60, seed=3)[:n]
    assert len(texts) == n
    produce(broker, topic, keyed(texts))

    db = new_warehouse(tmp_path / "wh.duckdb")
    log_path = tmp_path / "consumer.log"
    started = time.monotonic()
    consumer = start_consumer(db, broker, topic, "loader-c", log_path, batch_size=5000)
    consumers.append(consumer)
    # Throughput counts from the first landed batch on: process start and the group join are not throughput.
    first_seen_at, first_rows = 0.0, 0
    deadline = started + WAIT_S
    while time.monotonic() < deadline:
        assert consumer.poll() is None, log_path.read_text()
        count = landed(log_path)
        if count and not first_rows:
            first_seen_at, first_rows = time.monotonic(), count
        if count >= n:
            break
        time.sleep(0.02)
    else:
        pytest.fail(f"the consumer landed {landed(log_path)} of {n} in {WAIT_S:.0f}s:\n{log_path.read_text()}")
    finished = time.monotonic()
    stop(consumer, log_path)
    assert raw_count(db) == n
    assert first_rows < n, "one batch held everything: no rate to measure"
    steady = (n - first_rows) / (finished - first_seen_at)
    print(
        f"\nKafka -> local RAW: {n} messages, {n / (finished - started):,.0f} msg/s end to end "
        f"(process start and group join included), {steady:,.0f} msg/s once landing"
    )


def test_empty_and_null_values_are_kept_and_rejected(broker, tmp_path, consumers) -> None:
    """An empty value and a null one (a tombstone) are messages: kept in RAW as the empty text, then rejected by the
    pipeline as 'empty message' (DESIGN.md: every message is kept; a message that is not an event gets a reason)."""
    from caves.local.scheduler import run_until_idle

    topic, group = "shop-events-empty", "loader-empty"
    valid = simulated(days=1, seed=11)[:3]
    producer = Producer({"bootstrap.servers": broker})
    for text in valid:
        producer.produce(topic, value=text.encode("utf-8"), key=b"K")
    producer.produce(topic, value=b"", key=b"K")
    producer.produce(topic, value=None, key=b"K")
    assert producer.flush(30) == 0

    db = new_warehouse(tmp_path / "wh.duckdb")
    log_path = tmp_path / "consumer.log"
    consumer = start_consumer(db, broker, topic, group, log_path)
    consumers.append(consumer)
    wait_until_landed(5, consumer, log_path)
    assert "Consumed 5 messages" in stop(consumer, log_path)
    assert [m for *_, m in raw_rows(db)] == [*valid, "", ""]  # one partition (one key), in order

    wh = LocalWarehouse(db)
    try:
        run_until_idle(wh.engine)
        rejected = wh.query("SELECT RAW_MESSAGE, REJECT_REASON FROM CAVES_ALBERT_DB.STAGING.REJECTED_EVENTS")
    finally:
        wh.close()
    assert sorted(rejected.itertuples(index=False, name=None)) == [("", "empty message"), ("", "empty message")]
