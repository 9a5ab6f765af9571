"""The Kafka / Redpanda front of the pipeline: shop events in, ``RAW_DATA.RAW_EVENTS_STREAM`` out.

:func:`consume` is the RAW loader: a consumer-group member that lands each message, unchanged, with
:func:`caves.ingest.load_batch` and commits its Kafka offsets only once the RAW insert has returned. A crash
between the two redelivers the batch (at-least-once); the pipeline drops the second copy as a duplicate
``event_id``. Nothing is ever dropped by the consumer: a message it cannot read is landed all the same, for the
pipeline to reject with a reason.

:func:`produce` and :class:`EventProducer` send events keyed by ``order_id`` / ``product_id``, so one entity's
events keep their order inside one partition, with ``acks=all`` and idempotence (no duplicate from a retry).

Any librdkafka property (SASL, TLS, timeouts) can be added with ``config`` (``-X KEY=VALUE`` on the CLI).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition

from .ingest import RAW_TABLE, IngestReport, Message, load_batch
from .warehouse.base import Warehouse

log = logging.getLogger("caves.kafka")
# librdkafka's own log lines (connection failures, rebalances) go through Python logging, not raw stderr.
_client_log = logging.getLogger("caves.kafka.client")

DEFAULT_GROUP = "caves-raw-loader"
DEFAULT_TOPIC = "shop-events"
DEFAULT_BATCH_SIZE = 5_000
DEFAULT_BATCH_SECONDS = 5.0
PROGRESS_SECONDS = 5.0
# A failed RAW insert is retried (it is one statement: it landed nothing, or, if only its answer was lost,
# a copy the pipeline discards) before the consumer gives up, leaving the batch uncommitted.
INSERT_ATTEMPTS = 3
# The longest a poll blocks: how quickly a stop request or a batch deadline is noticed.
_POLL_SECONDS = 0.5

# Test hook, for the crash test only: with this variable set to 1 the consumer process exits abruptly
# (os._exit(137), as SIGKILL would) right after its first successful RAW insert and before committing.
CRASH_AFTER_INSERT_ENV = "CAVES_KAFKA_CRASH_AFTER_INSERT"


def parse_config(items: Sequence[str] | None) -> dict[str, str]:
    """librdkafka properties from ``KEY=VALUE`` strings (the CLI's repeatable ``-X``)."""
    config: dict[str, str] = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"-X expects KEY=VALUE (a librdkafka property), got {item!r}")
        config[key.strip()] = value
    return config


def decode(value: bytes | None) -> str:
    """A message value as the text to keep in ``RAW_MESSAGE``.

    Valid UTF-8 is kept exactly. Invalid bytes become ``\\xNN`` escapes: every byte stays visible and the text
    stops being valid JSON, so the pipeline rejects the message instead of accepting altered data.
    (``surrogateescape`` would keep the bytes too, but a lone surrogate cannot be bound into an INSERT:
    the whole batch would fail on every retry.) A null value (a tombstone) is kept as the empty message.
    """
    if value is None:
        return ""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("utf-8", errors="backslashreplace")


def message_key(text: str) -> str | None:
    """The partitioning key of a shop event: ``payload.order_id``, else ``payload.product_id``.

    Orders are keyed by order (their status changes stay in order), inventory adjustments by product (a
    product's stock movements stay in order). A message that is not such JSON gets no key.
    """
    try:
        event = json.loads(text)
    except ValueError:
        return None
    payload = event.get("payload") if isinstance(event, dict) else None
    if not isinstance(payload, dict):
        return None
    for field in ("order_id", "product_id"):
        value = payload.get(field)
        if isinstance(value, str) and value:
            return value
    return None


def keyed(texts: Iterable[str]) -> Iterator[tuple[str | None, str]]:
    """``(key, text)`` pairs for :func:`produce`, with :func:`message_key` as the key."""
    for text in texts:
        yield message_key(text), text


# --- producing -----------------------------------------------------------------------------------------------


class EventProducer:
    """An idempotent producer to one topic. Use it as a context manager: leaving it waits for every delivery
    and raises if any message could not be delivered."""

    def __init__(
        self,
        bootstrap: str,
        topic: str,
        config: Mapping[str, str] | None = None,
        flush_timeout: float = 60.0,
    ) -> None:
        self.topic = topic
        self.sent = 0
        self._flush_timeout = flush_timeout
        self._failures: list[KafkaError] = []
        self._producer = Producer(
            {
                "bootstrap.servers": bootstrap,
                "acks": "all",
                "enable.idempotence": True,
                # A few ms of batching costs no visible latency and multiplies throughput; JSON events shrink
                # several times under lz4 (broker disk and network), for little CPU.
                "linger.ms": 20,
                "compression.type": "lz4",
                "client.id": "caves-simulator",
                **(config or {}),
            },
            logger=_client_log,
        )

    def _on_delivery(self, err: KafkaError | None, _msg: Any) -> None:
        if err is not None:
            self._failures.append(err)

    def send(self, key: str | None, value: str) -> None:
        """Queue one message; delivery is confirmed by :meth:`flush`."""
        payload = value.encode("utf-8")
        encoded_key = key.encode("utf-8") if key is not None else None
        while True:
            try:
                self._producer.produce(self.topic, value=payload, key=encoded_key, on_delivery=self._on_delivery)
                break
            except BufferError:
                # The local queue is full: serve delivery reports until there is room again.
                self._producer.poll(0.5)
        self._producer.poll(0)
        self.sent += 1

    def send_all(self, messages: Iterable[tuple[str | None, str]]) -> None:
        """Queue ``(key, value)`` pairs."""
        for key, value in messages:
            self.send(key, value)

    def flush(self) -> None:
        """Wait until every queued message is acknowledged by all in-sync replicas; raise if one is not."""
        remaining = self._producer.flush(self._flush_timeout)
        if remaining:
            raise KafkaException(f"{remaining} messages still undelivered after {self._flush_timeout:.0f}s")
        if self._failures:
            first, count = self._failures[0], len(self._failures)
            self._failures.clear()
            raise KafkaException(f"{count} messages could not be delivered (first error: {first})")

    def __enter__(self) -> EventProducer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.flush()
        else:
            # Deliver what was queued before the interruption (Ctrl-C in live mode), but do not mask the error.
            self._producer.flush(min(self._flush_timeout, 5.0))


def produce(
    bootstrap: str,
    topic: str,
    messages: Iterable[tuple[str | None, str]],
    config: Mapping[str, str] | None = None,
) -> int:
    """Send ``(key, value)`` pairs to ``topic`` and wait for every acknowledgement; returns the count sent."""
    with EventProducer(bootstrap, topic, config) as producer:
        producer.send_all(messages)
    return producer.sent


# --- consuming -----------------------------------------------------------------------------------------------


@contextlib.contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """An event set by SIGINT or SIGTERM (main thread only), so a consumer finishes its batch and stops."""
    stop = threading.Event()

    def request_stop(signum: int, _frame: Any) -> None:
        log.info("%s received: stopping after the current batch", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class _RawLoader:
    """The consumer loop's state: the batch being built, and what has been landed so far."""

    def __init__(self, consumer: Consumer, warehouse: Warehouse, crash_after_insert: bool) -> None:
        self.consumer = consumer
        self.warehouse = warehouse
        self.crash_after_insert = crash_after_insert
        self.batch: list[Message] = []
        self.batch_started = 0.0
        self.report = IngestReport()

    def add(self, message: Message) -> None:
        if not self.batch:
            self.batch_started = time.monotonic()
        self.batch.append(message)

    def flush(self) -> None:
        """Insert the batch into RAW, then commit its offsets; nothing is committed if the insert fails."""
        # Taken out first: a failed insert must not be retried by the revoke that closing the consumer triggers
        # (the uncommitted messages are redelivered instead).
        batch, self.batch = self.batch, []
        if not batch:
            return
        for attempt in range(1, INSERT_ATTEMPTS + 1):
            try:
                load_batch(self.warehouse, batch)
                break
            except Exception as exc:
                if attempt == INSERT_ATTEMPTS:
                    raise
                log.warning("RAW insert of %d messages failed (%s): retrying in %ds", len(batch), exc, attempt)
                time.sleep(attempt)
        if self.crash_after_insert:
            os._exit(137)  # test hook, see CRASH_AFTER_INSERT_ENV
        next_offsets: dict[tuple[str, int], int] = {}
        for m in batch:
            key = (m.topic, m.partition)
            next_offsets[key] = max(next_offsets.get(key, 0), m.offset + 1)
        offsets = [TopicPartition(topic, partition, offset) for (topic, partition), offset in next_offsets.items()]
        try:
            for tp in self.consumer.commit(offsets=offsets, asynchronous=False) or ():
                if tp.error is not None:
                    log.warning(
                        "commit of %s[%d] failed (%s): it will be redelivered", tp.topic, tp.partition, tp.error
                    )
        except KafkaException as exc:
            # The rows are in RAW already; the next owner of these partitions reads them again and the
            # pipeline discards the copies. A later commit on the same partition covers these offsets anyway.
            log.warning("offset commit failed (%s): %d messages will be redelivered", exc, len(batch))
        self.report.messages += len(batch)
        self.report.batches += 1
        log.debug("landed %d messages (%d in all)", len(batch), self.report.messages)

    def on_assign(self, _consumer: Consumer, partitions: list[TopicPartition]) -> None:
        if partitions:  # incremental rebalancing also reports empty changes
            log.info("assigned %s", _describe(partitions))

    def on_revoke(self, _consumer: Consumer, partitions: list[TopicPartition]) -> None:
        # Land and commit what was read before the partitions go to another member, so it does not read
        # them again.
        self.flush()
        if partitions:
            log.info("revoked %s", _describe(partitions))

    def on_lost(self, _consumer: Consumer, partitions: list[TopicPartition]) -> None:
        # The group already gave these partitions away: a commit would be refused. The new owner starts from
        # the last commit, so the uncommitted batch is simply read again there.
        log.warning(
            "lost %s: dropping %d uncommitted messages (they are redelivered)", _describe(partitions), len(self.batch)
        )
        self.batch = []

    def lag(self) -> int | None:
        """Messages behind the high watermarks of the assigned partitions (None before any assignment)."""
        assignment = self.consumer.assignment()
        if not assignment:
            return None
        positions = self.consumer.position(assignment)
        # A partition read from nothing yet has no position: it starts at the group's commit (one request).
        unread = [tp for tp in positions if tp.offset < 0]
        starts: dict[tuple[str, int], int] = {}
        if unread:
            with contextlib.suppress(KafkaException):
                starts = {(tp.topic, tp.partition): tp.offset for tp in self.consumer.committed(unread, timeout=2.0)}
        total = 0
        for tp in positions:
            # Cached: the watermark comes with every fetch response, so this costs no request to the broker.
            low, high = self.consumer.get_watermark_offsets(tp, cached=True) or (-1, -1)
            if high < 0:
                continue
            offset = tp.offset if tp.offset >= 0 else starts.get((tp.topic, tp.partition), -1)
            total += max(0, high - (offset if offset >= 0 else max(low, 0)))
        return total


def _describe(partitions: list[TopicPartition]) -> str:
    return ", ".join(f"{tp.topic}[{tp.partition}]" for tp in partitions)


def consume(
    warehouse: Warehouse,
    bootstrap: str,
    topic: str,
    group: str = DEFAULT_GROUP,
    batch_size: int = DEFAULT_BATCH_SIZE,
    batch_seconds: float = DEFAULT_BATCH_SECONDS,
    stop: threading.Event | None = None,
    config: Mapping[str, str] | None = None,
    progress_seconds: float = PROGRESS_SECONDS,
) -> IngestReport:
    """Land ``topic`` in RAW until ``stop`` is set; returns what was landed.

    A batch is flushed when it holds ``batch_size`` messages or its first message is ``batch_seconds`` old,
    whichever comes first, and when ``stop`` is set (the batch in hand is landed before leaving the group).
    Broker outages are ridden out by librdkafka's reconnects: the loop keeps polling. A RAW insert that still
    fails after :data:`INSERT_ATTEMPTS` tries is raised, its batch uncommitted: a restarted consumer reads it again.
    """
    if batch_size < 1 or batch_seconds <= 0:
        raise ValueError("batch_size must be >= 1 and batch_seconds > 0")
    # Fail before joining the group when RAW is missing (an undeployed warehouse).
    warehouse.query(f"SELECT COUNT(*) AS N FROM {RAW_TABLE} WHERE 1 = 0")
    stop = stop or threading.Event()

    def on_error(err: KafkaError) -> None:
        # The client retries connections by itself (a broker restarting): the loop just keeps polling. Each
        # failed connection attempt is already in the client's own log, so only the outage itself is a warning.
        if err.code() == KafkaError._TRANSPORT:
            log.debug("kafka: %s", err)
        else:
            log.warning("kafka: %s", err)

    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": group,
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
            "client.id": "caves-raw-loader",
            # While a broker is down, try again every second or so (the default 100 ms floods the log).
            "reconnect.backoff.ms": 1000,
            # Incremental rebalancing: a member joining or leaving moves only the partitions that change hands,
            # and they are revoked once the group is stable again, so the commit made on revoke is accepted
            # (the eager protocol revokes mid-rebalance, when a broker may refuse it).
            "partition.assignment.strategy": "cooperative-sticky",
            "error_cb": on_error,
            **(config or {}),
        },
        logger=_client_log,
    )
    loader = _RawLoader(consumer, warehouse, crash_after_insert=os.environ.get(CRASH_AFTER_INSERT_ENV) == "1")
    consumer.subscribe([topic], on_assign=loader.on_assign, on_revoke=loader.on_revoke, on_lost=loader.on_lost)
    log.info("consuming %s from %s as group %s", topic, bootstrap, group)
    started = last_progress = time.monotonic()
    landed_at_last_progress = 0
    try:
        while not stop.is_set():
            timeout = _POLL_SECONDS
            if loader.batch:
                timeout = max(0.0, min(timeout, loader.batch_started + batch_seconds - time.monotonic()))
            for msg in consumer.consume(num_messages=batch_size - len(loader.batch), timeout=timeout):
                err = msg.error()
                if err is not None:
                    if err.fatal():
                        raise KafkaException(err)
                    log.warning("kafka: %s", err)
                    continue
                loader.add(Message(decode(msg.value()), msg.topic(), msg.partition(), msg.offset()))
            now = time.monotonic()
            if len(loader.batch) >= batch_size or (loader.batch and now >= loader.batch_started + batch_seconds):
                loader.flush()
            if now - last_progress >= progress_seconds:
                landed = loader.report.messages
                lag = loader.lag()
                log.info(
                    "landed %d messages in %d batches (%.0f msg/s), lag %s",
                    landed,
                    loader.report.batches,
                    (landed - landed_at_last_progress) / (now - last_progress),
                    "unknown" if lag is None else lag,
                )
                last_progress, landed_at_last_progress = now, landed
        loader.flush()
    finally:
        # Leaving the group revokes the partitions (on_revoke lands anything still in hand).
        consumer.close()
    loader.report.seconds = time.monotonic() - started
    return loader.report
