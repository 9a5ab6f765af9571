"""The consumer's landing step: messages -> ``RAW_DATA.RAW_EVENTS_STREAM``, exactly as received.

Every message is kept whatever its content, the empty message included (validation is the pipeline's job).
Each batch is one array-bound INSERT in one transaction, on any backend (local engine or Snowflake).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

from .warehouse.base import Warehouse

log = logging.getLogger("caves.ingest")

RAW_TABLE = "CAVES_ALBERT_DB.RAW_DATA.RAW_EVENTS_STREAM"

# The message is parsed once; the top-level fields are extracted for convenience only — RAW_MESSAGE
# is the record of what arrived. :n are Snowflake's numeric binds.
INSERT_RAW_SQL = f"""INSERT INTO {RAW_TABLE} (
    RAW_MESSAGE, EVENT_DATA, EVENT_ID, EVENT_TYPE, EVENT_TIMESTAMP,
    SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET, INGESTION_TIMESTAMP
)
SELECT
    M.MESSAGE,
    M.DATA,
    M.DATA:event_id::STRING,
    M.DATA:event_type::STRING,
    M.DATA:event_timestamp::STRING,
    M.TOPIC,
    M.PART,
    M.OFFS,
    M.INGESTED_AT
FROM (
    SELECT :1 AS MESSAGE, TRY_PARSE_JSON(:1) AS DATA, :2 AS TOPIC, :3 AS PART, :4 AS OFFS, :5 AS INGESTED_AT
) AS M"""

DEFAULT_BATCH_SIZE = 5_000


@dataclass(frozen=True)
class Message:
    """One message as received: its text and where it came from."""

    text: str
    topic: str
    partition: int
    offset: int


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def load_batch(warehouse: Warehouse, messages: list[Message], ingested_at: dt.datetime | None = None) -> int:
    """Insert one batch of messages into RAW in one statement; returns the rows inserted."""
    if not messages:
        return 0
    when = ingested_at or _utc_now()
    rows = [(m.text, m.topic, m.partition, m.offset, when) for m in messages]
    return warehouse.executemany(INSERT_RAW_SQL, rows)


def lines_as_messages(stream: TextIO, topic: str, first_offset: int = 0) -> Iterator[Message]:
    """One message per line: the line's text without its line break.

    A line break ends a message; it does not start one. So the file's final line break (``a\\n``) adds no
    message, but every empty line before it is an empty message (``a\\n\\nb\\n`` is three messages, the
    second empty), kept in RAW and rejected downstream as ``empty message`` - as an empty Kafka value is.
    """
    offset = first_offset
    for line in stream:
        yield Message(text=line.rstrip("\r\n"), topic=topic, partition=0, offset=offset)
        offset += 1


def batched(items: Iterable[Message], size: int) -> Iterator[list[Message]]:
    batch: list[Message] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class IngestReport:
    messages: int = 0
    batches: int = 0
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0


def ingest(warehouse: Warehouse, messages: Iterable[Message], batch_size: int = DEFAULT_BATCH_SIZE) -> IngestReport:
    """Land messages in RAW in batches of ``batch_size``."""
    report = IngestReport()
    start = time.perf_counter()
    for batch in batched(messages, batch_size):
        report.messages += load_batch(warehouse, batch)
        report.batches += 1
        log.debug("ingested %d messages", report.messages)
    report.seconds = time.perf_counter() - start
    return report
