"""Statement results, shaped like a Snowflake cursor's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Result:
    """Columns (upper-case, as Snowflake names them), rows as tuples, and the affected row count."""

    columns: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    rowcount: int | None = None
    types: list[str] = field(default_factory=list)

    @classmethod
    def message(cls, text: str) -> Result:
        """DDL and commands answer with one ``status`` row, as Snowflake does."""
        return cls(columns=["status"], rows=[(text,)], types=["VARCHAR"])

    @classmethod
    def of(cls, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Result:
        return cls(columns=list(columns), rows=[tuple(r) for r in rows])

    def to_pandas(self) -> pd.DataFrame:
        """The rows as a DataFrame (pandas is imported here: the CLI's fast paths do not need it)."""
        import pandas as pd

        return pd.DataFrame.from_records(self.rows, columns=self.columns)

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def scalar(self) -> object:
        return self.rows[0][0] if self.rows else None
