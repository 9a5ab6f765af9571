"""The embedded Snowflake: Snowflake SQL, streams, tasks and task history on DuckDB."""

from .engine import Engine, Session
from .errors import SnowflakeError
from .result import Result

__all__ = ["Engine", "Result", "Session", "SnowflakeError"]
