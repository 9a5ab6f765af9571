"""What the engine knows about its objects, shared by the translator, the stream reader and the session.

A leaf module (it imports nothing of the engine) so that every other module can depend on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from .names import ObjectName

# The bind values of a statement: qmark (positional) binds, or none.
Binds = Sequence[Any] | None

# The hidden column that identifies a row of a tracked table across its change log (streams.py).
ROW_ID = "METADATA$ROW_ID"


# INSERT OVERWRITE's new rows, saved in this temporary table before the target is emptied (translate._overwrite).
OVERWRITE_ROWS = '"_caves_overwrite"'


@dataclass(frozen=True)
class TableInfo:
    """What the translator needs to know about a table or view."""

    name: ObjectName
    columns: tuple[str, ...]
    kind: str = "TABLE"  # TABLE | VIEW
    tracked: bool = False
    capture: str = "none"  # none | inserts | all
    ns_columns: frozenset[str] = frozenset()  # the TIMESTAMP_NTZ/_TZ columns (nanoseconds)
    date_columns: frozenset[str] = frozenset()  # the DATE columns (DATEADD/DATE_TRUNC on them stay DATEs)
    text_columns: frozenset[str] = frozenset()  # the VARCHAR columns (Snowflake's implicit casts of them)


@dataclass(frozen=True)
class StreamInfo:
    name: ObjectName
    source: ObjectName
    mode: str  # DEFAULT | APPEND_ONLY
    columns: tuple[str, ...]
    initial_pending: bool = False  # SHOW_INITIAL_ROWS = TRUE and not consumed yet
    ns_columns: frozenset[str] = frozenset()
    # A read of the log between two versions instead of (offset, read version]: SQL for each bound
    # (CHANGES ... AT/END(TIMESTAMP|OFFSET), resolved by the session into variables before the statement).
    lower_sql: str | None = None
    upper_sql: str | None = None


class Catalog(Protocol):
    def table(self, name: ObjectName) -> TableInfo | None: ...
    def stream(self, name: ObjectName) -> StreamInfo | None: ...
    def database_exists(self, name: str) -> bool: ...
    def sequence(self, name: ObjectName) -> str | None: ...  # its DuckDB sequence (sequences.py)


@dataclass(frozen=True)
class ChangePoint:
    """A point in time a statement reads a table's change log from (CHANGES ... AT/END, or time travel
    AT/BEFORE): the session turns it into a change version before the statement runs.

    ``kind`` is TIMESTAMP (``value_sql`` a DuckDB expression) or OFFSET (``value_sql`` seconds, negative: before
    now on the engine's clock). The version is the last one taken before the time, or at it too when
    ``inclusive``. A ``start`` point must lie inside the table's log (tracked then, not pruned since).
    ``variable`` receives the version; ``table`` is the tracked table whose log is read.
    """

    variable: str
    table: ObjectName
    kind: str
    value_sql: str
    inclusive: bool
    start: bool


@dataclass
class Translation:
    """A translated statement and what the session must do around it."""

    sql: str
    kind: str  # select | insert | update | delete | merge | ddl | other
    streams: tuple[ObjectName, ...] = ()
    has_data: tuple[tuple[ObjectName, str], ...] = ()  # SYSTEM$STREAM_HAS_DATA calls: (stream, its SQL)
    change_points: tuple[ChangePoint, ...] = ()  # CHANGES ... AT/END(TIMESTAMP|OFFSET) bounds to resolve
    target: TableInfo | None = None
    pre_image_sql: str | None = None  # UPDATE/DELETE/MERGE on a table capturing all changes: rows before
    pre_image_params: tuple[int, int] = (0, 0)  # the slice of the statement's binds the pre-image uses
    overwrite_sql: str | None = None  # INSERT OVERWRITE: saves its new rows before the table is emptied (dml.py)
    returning: bool = False  # a MERGE returning merge_action (and the row id when changes are captured)
    created_table: ObjectName | None = None
    dropped_table: ObjectName | None = None
    object_kind: str = ""
    replaced: bool = False
    table_options: dict = field(default_factory=dict)
    variables: tuple[str, ...] = ()  # the session variables ($name) the statement reads (variables.py)
    merge_actions: tuple[str, ...] = ()  # the kinds of action a MERGE has (INSERT, UPDATE, DELETE): its count columns
    after_sql: tuple[str, ...] = ()  # DuckDB statements run after it (sequences.skip_sql)

    @property
    def is_dml(self) -> bool:
        return self.kind in {"insert", "update", "delete", "merge"}

    @property
    def consumes_streams(self) -> bool:
        """Snowflake: a DML statement (or CTAS) that reads a stream advances its offset on commit."""
        return bool(self.streams) and (self.is_dml or self.kind == "ddl")
