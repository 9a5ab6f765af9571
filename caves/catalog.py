"""The packaged query catalog: ``queries/<section>/<id>.sql``.

Each file holds one Snowflake SQL statement preceded by a metadata header, a block comment holding YAML::

    /*---
    id: top_products_by_revenue
    section: 02_top
    title: {fr: "Top produits par chiffre d'affaires", en: "Top products by revenue"}
    description: {fr: "...", en: "..."}
    audience: [manager]
    chart: {type: bar, x: PRODUCT_NAME, y: REVENUE}
    parameters:
      - {name: limit, type: integer, default: 10, min: 1, max: 1000, label: {fr: "Nombre", en: "Count"}}
    columns: [PRODUCT_ID, PRODUCT_NAME, UNITS_SOLD, REVENUE]
    ---*/

Parameters are written ``:name`` in the SQL body. They are found with sqlglot's Snowflake tokenizer, so a
``':name'`` string literal, a comment or a ``col:path`` VARIANT access is never taken for a parameter.
:meth:`Query.bind` turns them into ``?`` (qmark) placeholders plus the ordered list of coerced values:
values are never pasted into SQL text.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, ValidationError, validators
from sqlglot.dialects.snowflake import Snowflake
from sqlglot.errors import TokenError
from sqlglot.tokens import TokenType

__all__ = [
    "AUDIENCES",
    "CHART_TYPES",
    "DEFAULT_ROOT",
    "HEADER_SCHEMA",
    "PARAM_TYPES",
    "Catalog",
    "CatalogError",
    "Parameter",
    "ParameterError",
    "Placeholder",
    "Query",
    "UnknownQueryError",
    "find_placeholders",
    "load_catalog",
    "load_query",
]

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "queries"

HEADER_OPEN = "/*---"
HEADER_CLOSE = "---*/"

# The header's shape is a JSON Schema (contracts/query_header.schema.json, validated with jsonschema); only the
# checks that span several fields, the file or the SQL are written here (_check_query, _build_parameter).
HEADER_SCHEMA_PATH = Path(__file__).resolve().parent.parent / "contracts" / "query_header.schema.json"
HEADER_SCHEMA: dict[str, Any] = json.loads(HEADER_SCHEMA_PATH.read_text(encoding="utf-8"))
_PARAMETER_SCHEMA: dict[str, Any] = HEADER_SCHEMA["$defs"]["parameter"]

PARAM_TYPES: tuple[str, ...] = tuple(_PARAMETER_SCHEMA["properties"]["type"]["enum"])
AUDIENCES: tuple[str, ...] = tuple(HEADER_SCHEMA["properties"]["audience"]["items"]["enum"])
CHART_TYPES: tuple[str, ...] = tuple(HEADER_SCHEMA["properties"]["chart"]["properties"]["type"]["enum"])
LANGUAGES = ("fr", "en")

_WORD_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_INT_RE = re.compile(r"^[+-]?[0-9]+$")
_RELATIVE_DATE_RE = re.compile(r"^today\s*(?:([+-])\s*([0-9]+))?$", re.IGNORECASE)
_TRUE = frozenset({"true", "1", "yes", "y", "on", "oui", "vrai"})
_FALSE = frozenset({"false", "0", "no", "n", "off", "non", "faux"})


# --------------------------------------------------------------------------------------------------- errors


class CatalogError(Exception):
    """A query file (or the catalog as a whole) is invalid. ``problems`` lists ``(path, problem)`` pairs."""

    def __init__(self, problems: Iterable[tuple[Path | str | None, str]] | str, path: Path | str | None = None) -> None:
        if isinstance(problems, str):
            problems = [(path, problems)]
        self.problems: list[tuple[Path | None, str]] = [(Path(p) if p else None, msg) for p, msg in problems]
        super().__init__("\n".join(f"{p}: {msg}" if p else msg for p, msg in self.problems))

    @property
    def path(self) -> Path | None:
        return self.problems[0][0] if self.problems else None


class UnknownQueryError(CatalogError, KeyError):
    """``Catalog.get`` was asked for an id that does not exist."""

    def __init__(self, query_id: str, known: Iterable[str]) -> None:
        self.query_id = query_id
        close = difflib.get_close_matches(query_id, list(known), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        super().__init__(f"unknown query id {query_id!r}{hint}")

    def __str__(self) -> str:  # KeyError would repr() the message
        return self.problems[0][1]


class ParameterError(ValueError):
    """A value given for a query parameter is unknown, of the wrong type or out of bounds.

    Besides its (English) message, for the CLI and the logs, it says what went wrong in a form a page can
    put in its own language (:meth:`localized`): ``reason`` is one of :data:`PARAMETER_ERROR_REASONS`,
    ``value`` the value given, ``limit`` the bound it crossed, ``label`` the parameter's labels by language.
    """

    def __init__(
        self,
        message: str,
        parameter: str | None = None,
        query_id: str | None = None,
        *,
        reason: str = "invalid",
        value: Any = None,
        limit: Any = None,
        expected: str | None = None,
        label: Mapping[str, str] | None = None,
    ) -> None:
        self.parameter = parameter
        self.query_id = query_id
        self.reason = reason if reason in PARAMETER_ERROR_REASONS else "invalid"
        self.value = value
        self.limit = limit
        self.expected = expected
        self.label = dict(label or {})
        self.message = message
        prefix = f"query {query_id}: " if query_id else ""
        super().__init__(prefix + message)

    def for_query(self, query_id: str) -> ParameterError:
        """The same error, said of ``query_id``."""
        return ParameterError(
            self.message,
            self.parameter,
            query_id,
            reason=self.reason,
            value=self.value,
            limit=self.limit,
            expected=self.expected,
            label=self.label,
        )

    def localized(self, lang: str = "fr") -> str:
        """One readable line in ``lang`` (French by default) naming the parameter and what is wrong."""
        from . import i18n

        name = self.parameter or "?"
        label = self.label.get(lang) or self.label.get("en") or name
        shown = _shown(self.value)
        expected = i18n.t(f"param.expected.{self.expected}", lang, choices=self.limit) if self.expected else ""
        return i18n.t(
            f"param.{self.reason}", lang, label=label, name=name, value=shown, limit=self.limit, expected=expected
        )


PARAMETER_ERROR_REASONS = ("invalid", "type", "range", "min", "max", "too_short", "too_long", "unknown")
# The largest integer a browser's number widget holds exactly (2**53 - 1): beyond, a value cannot be shown
# or sent back as typed, so it is refused as out of range everywhere (URL, widget and CLI alike).
MAX_SAFE_INTEGER = 2**53 - 1


def _shown(value: Any, width: int = 60) -> str:
    """A value as it can be quoted in a message: printable, at most ``width`` characters."""
    text = value if isinstance(value, str) else str(value)
    text = "".join(ch if ch.isprintable() else "\ufffd" for ch in text)
    return text if len(text) <= width else text[: width - 1] + "…"


class _OutOfRange(ValueError):
    """A value of the right form that no date or integer can hold (``today-99999999999``)."""


# ---------------------------------------------------------------------------------------------- parameters


def _today_utc() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _as_date(value: Any, *, today: dt.date | None = None) -> dt.date:
    """A date from a ``date``, a ``datetime``, ``YYYY-MM-DD`` or ``today`` / ``today-7`` / ``today+1`` (UTC)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        match = _RELATIVE_DATE_RE.match(text)
        if match:
            base = today or _today_utc()
            if match.group(1):
                try:
                    offset = int(match.group(2))
                    return base + dt.timedelta(days=offset if match.group(1) == "+" else -offset)
                except (OverflowError, ValueError):  # beyond timedelta's or date's range (years 1 to 9999)
                    raise _OutOfRange(
                        f"{value!r} is outside the dates that exist ({dt.date.min} to {dt.date.max})"
                    ) from None
            return base
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(f"expected a date (YYYY-MM-DD, 'today' or 'today-N'), got {value!r}")


def _safe_integer(value: int) -> int:
    if abs(value) > MAX_SAFE_INTEGER:
        raise _OutOfRange(f"{_shown(str(value))!r} is beyond ±{MAX_SAFE_INTEGER}")
    return value


@dataclass(frozen=True)
class Parameter:
    """One declared query parameter. ``default`` is kept as written (a date default may be ``today-30``)."""

    name: str
    type: str
    default: Any
    label: Mapping[str, str]
    min: Any = None
    max: Any = None
    choices: tuple[str, ...] | None = None
    help: Mapping[str, str] | None = None

    def coerce(self, value: Any) -> Any:
        """Convert ``value`` (a Python value or a string from the CLI / a widget) to the declared type and check
        its bounds. Raises :class:`ParameterError` naming the parameter."""
        try:
            converted = self._convert(value)
        except _OutOfRange as exc:
            raise self._error(f"({self.type}): {exc}", "range", value) from None
        except (TypeError, ValueError, ArithmeticError) as exc:  # OverflowError is an ArithmeticError
            raise self._error(f"({self.type}): {exc}", "type", value, expected=self.type) from None
        self._check_bounds(converted)
        return converted

    def _error(
        self, message: str, reason: str, value: Any, limit: Any = None, expected: str | None = None
    ) -> ParameterError:
        if expected == "enum":
            limit = ", ".join(self.choices or ())
        return ParameterError(
            f"parameter {self.name!r}{'' if message.startswith(':') else ' '}{message}",
            self.name,
            reason=reason,
            value=value,
            limit=limit,
            expected=expected,
            label=self.label,
        )

    def default_value(self) -> Any:
        """The default, coerced (relative date defaults are resolved against today's UTC date)."""
        return self.coerce(self.default)

    def label_for(self, lang: str = "en") -> str:
        return self.label.get(lang) or self.label.get("en") or self.name

    # -- internals

    def _convert(self, value: Any) -> Any:
        if value is None:
            raise ValueError("a value is required, got None")
        if self.type == "enum":
            return _to_enum(value, self.choices or ())
        convert = _CONVERTERS.get(self.type)
        if convert is None:
            raise ValueError(f"unsupported parameter type {self.type!r}")
        return convert(value)

    def _check_bounds(self, value: Any) -> None:
        if self.type == "string":
            size = len(value)
            if self.min is not None and size < self.min:
                raise self._error(f": at least {self.min} characters expected", "too_short", value, self.min)
            if self.max is not None and size > self.max:
                raise self._error(f": at most {self.max} characters allowed", "too_long", value, self.max)
            return
        if self.type not in ("integer", "number", "date"):
            return
        low = _as_date(self.min) if self.type == "date" and self.min is not None else self.min
        high = _as_date(self.max) if self.type == "date" and self.max is not None else self.max
        if low is not None and value < low:
            raise self._error(f": {value} is below the minimum {low}", "min", value, low)
        if high is not None and value > high:
            raise self._error(f": {value} is above the maximum {high}", "max", value, high)


def _to_integer(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError(f"expected an integer, got the boolean {value!r}")
    if isinstance(value, int):
        return _safe_integer(value)
    if isinstance(value, float | Decimal):
        if math.isfinite(value) and value == int(value):
            return _safe_integer(int(value))
        raise ValueError(f"expected an integer, got {value!r}")
    if isinstance(value, str) and _INT_RE.match(value.strip()):
        digits = value.strip().lstrip("+-").lstrip("0")
        if len(digits) > len(str(MAX_SAFE_INTEGER)):  # int() of thousands of digits is refused anyway
            raise _OutOfRange(f"{_shown(value)!r} is beyond ±{MAX_SAFE_INTEGER}")
        return _safe_integer(int(value.strip()))
    raise ValueError(f"expected an integer, got {value!r}")


def _to_number(value: Any) -> float:
    if isinstance(value, bool):
        raise TypeError(f"expected a number, got the boolean {value!r}")
    if isinstance(value, int | float | Decimal):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")  # French decimal comma: "12,5"
        try:
            number = float(Decimal(text))
        except (InvalidOperation, ValueError):
            raise ValueError(f"expected a number, got {value!r}") from None
    else:
        raise TypeError(f"expected a number, got {type(value).__name__} {value!r}")
    if not math.isfinite(number):
        raise ValueError(f"expected a finite number, got {value!r}")
    return number


def _to_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise ValueError(f"expected true or false, got {value!r}")


def _to_enum(value: Any, choices: tuple[str, ...]) -> str:
    text = value if isinstance(value, str) else str(value)
    if text in choices:
        return text
    folded = [c for c in choices if c.lower() == text.strip().lower()]
    if len(folded) == 1:
        return folded[0]
    raise ValueError(f"expected one of {', '.join(choices)}; got {value!r}")


def _to_string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float | Decimal):
        return str(value)
    raise TypeError(f"expected a string, got {type(value).__name__}")


# One converter per parameter type but enum (which needs the choices): a value as given -> the declared type.
_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "integer": _to_integer,
    "number": _to_number,
    "boolean": _to_boolean,
    "date": _as_date,
    "string": _to_string,
}


# -------------------------------------------------------------------------------------------- placeholders


@dataclass(frozen=True)
class Placeholder:
    """A ``:name`` occurrence in a SQL text: ``sql[start:end] == ':' + name``."""

    name: str
    start: int
    end: int


# A colon right after one of these (with no space) is a VARIANT path access (``col:path``, ``f(x):a``, ``$1:a``).
_PATH_OWNER_TYPES = frozenset(
    {TokenType.VAR, TokenType.IDENTIFIER, TokenType.R_PAREN, TokenType.R_BRACKET, TokenType.NUMBER, TokenType.STRING}
)


def find_placeholders(sql: str) -> list[Placeholder]:
    """The ``:name`` bind placeholders of a Snowflake SQL text, in order of appearance.

    Uses sqlglot's Snowflake tokenizer: string literals (``'a:b'``, ``$$...$$``) and comments are single tokens
    or dropped, so they never yield a placeholder; ``::`` is its own token; a colon glued to an expression on its
    left (``EVENT_DATA:payload``, ``f(x):a``) is a VARIANT access, not a parameter.
    """
    tokens = Snowflake().tokenize(sql)
    found: list[Placeholder] = []
    for i, tok in enumerate(tokens):
        if tok.token_type != TokenType.COLON or i + 1 >= len(tokens):
            continue
        nxt = tokens[i + 1]
        if nxt.start != tok.end + 1 or sql[nxt.start] in "\"'`$":
            continue  # ': name' or ':"quoted"' are not parameters
        name = sql[nxt.start : nxt.end + 1]
        if not _WORD_RE.match(name):
            continue  # ':1' or ':(' are not named parameters
        prev = tokens[i - 1] if i > 0 else None
        if prev is not None and prev.end + 1 == tok.start:
            glued_word = prev.token_type in _PATH_OWNER_TYPES or (sql[prev.end].isalnum() or sql[prev.end] == "_")
            if glued_word:
                continue  # VARIANT path access
        found.append(Placeholder(name=name, start=tok.start, end=nxt.end + 1))
    return found


# -------------------------------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class Query:
    """One packaged query. ``sql`` is the statement without its header, with ``:name`` placeholders."""

    id: str
    section: str
    path: Path
    title: Mapping[str, str]
    description: Mapping[str, str]
    audience: tuple[str, ...]
    chart: Mapping[str, Any]
    parameters: tuple[Parameter, ...]
    columns: tuple[str, ...]
    sql: str
    tags: tuple[str, ...] = ()
    placeholders: tuple[Placeholder, ...] = field(default=(), repr=False, compare=False)

    def title_for(self, lang: str = "en") -> str:
        return self.title.get(lang) or self.title["en"]

    def description_for(self, lang: str = "en") -> str:
        return self.description.get(lang) or self.description["en"]

    def param(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise ParameterError(f"unknown parameter {name!r}{self._known_hint()}", name, self.id, reason="unknown")

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    def defaults(self) -> dict[str, Any]:
        """Every parameter's default, coerced (dates resolved)."""
        return {p.name: p.default_value() for p in self.parameters}

    def resolve(self, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Defaults overlaid with ``values``, each coerced and checked. ``None`` means "use the default"."""
        values = dict(values or {})
        unknown = [k for k in values if k not in self.parameter_names]
        if unknown:
            name = unknown[0]
            raise ParameterError(
                f"unknown parameter {name!r}{self._known_hint(name)}", name, self.id, reason="unknown", value=name
            )
        resolved: dict[str, Any] = {}
        for p in self.parameters:
            raw = values.get(p.name)
            try:
                resolved[p.name] = p.default_value() if raw is None else p.coerce(raw)
            except ParameterError as exc:
                raise exc.for_query(self.id) from None
        return resolved

    def bind(self, values: Mapping[str, Any] | None = None) -> tuple[str, list[Any]]:
        """The SQL with ``?`` qmark placeholders and the values in placeholder order (a parameter used twice
        appears twice). Raises :class:`ParameterError` for an unknown parameter, a bad type or a value out of
        bounds."""
        resolved = self.resolve(values)
        parts: list[str] = []
        params: list[Any] = []
        last = 0
        for ph in self.placeholders:
            parts.append(self.sql[last : ph.start])
            parts.append("?")
            params.append(resolved[ph.name])
            last = ph.end
        parts.append(self.sql[last:])
        return "".join(parts), params

    def row(self) -> dict[str, str]:
        """The catalog listing row (``python -m caves query --list``)."""
        return {"ID": self.id, "SECTION": self.section, "TITLE_FR": self.title["fr"], "TITLE_EN": self.title["en"]}

    def _known_hint(self, name: str | None = None) -> str:
        if not self.parameters:
            return " (this query takes no parameters)"
        close = difflib.get_close_matches(name, self.parameter_names, n=1) if name else []
        if close:
            return f" (did you mean {close[0]!r}? known: {', '.join(self.parameter_names)})"
        return f" (known: {', '.join(self.parameter_names)})"


# -------------------------------------------------------------------------------------------------- loading


class _Problems:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[tuple[Path, str]] = []

    def add(self, message: str) -> None:
        self.items.append((self.path, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise CatalogError(self.items)


def _split_header(text: str, problems: _Problems) -> tuple[Any, str] | None:
    stripped = text.lstrip("\ufeff").lstrip()
    if not stripped.startswith(HEADER_OPEN):
        problems.add(f"the file must start with a metadata header '{HEADER_OPEN} ... {HEADER_CLOSE}'")
        return None
    end = stripped.find(HEADER_CLOSE, len(HEADER_OPEN))
    if end < 0:
        problems.add(f"the metadata header is not closed with '{HEADER_CLOSE}'")
        return None
    try:
        meta = yaml.safe_load(stripped[len(HEADER_OPEN) : end])
    except yaml.YAMLError as exc:
        problems.add(f"the metadata header is not valid YAML: {exc}")
        return None
    return meta, stripped[end + len(HEADER_CLOSE) :]


# A YAML integer bound is an int, never a float such as 1.0 (JSON Schema's "integer" would accept it) nor a bool.
_HEADER_VALIDATOR = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
    ),
)(HEADER_SCHEMA)
# Schema keywords whose next path element names a subschema (a property, a $defs entry or a list position).
_NAMED_SUBSCHEMAS = frozenset({"properties", "patternProperties", "$defs", "allOf", "anyOf", "oneOf", "prefixItems"})
_SUBSCHEMAS = frozenset({"items", "additionalProperties", "not", "if", "then", "else", "contains"})


def _resolved(node: Mapping[str, Any]) -> Mapping[str, Any]:
    """The schema a ``{"$ref": "#/$defs/<name>", ...}`` node points to (the schema's references are all local)."""
    return HEADER_SCHEMA["$defs"][str(node["$ref"]).removeprefix("#/$defs/")]


def _schema_at(path: Iterable[Any]) -> list[Mapping[str, Any]]:
    """The subschemas an error's ``absolute_schema_path`` goes through, from the root. jsonschema follows a
    ``$ref`` without naming it in the path: a step the node lacks is looked up in the schema it refers to."""
    node: Any = HEADER_SCHEMA
    seen = [node]
    steps = list(path)
    i = 0
    while i < len(steps) and isinstance(node, Mapping):
        step = steps[i]
        if step not in node and "$ref" in node:
            node = _resolved(node)
            seen.append(node)
            continue
        if step in _NAMED_SUBSCHEMAS and i + 1 < len(steps):
            node = node[step][steps[i + 1]]
            i += 1
        elif step in _SUBSCHEMAS:
            node = node[step]
        else:
            break  # the keyword that failed
        seen.append(node)
        i += 1
    return [n for n in seen if isinstance(n, Mapping)]


def _message_template(error: ValidationError) -> str:
    """The deepest ``errorMessage`` on the error's schema path, for its keyword (or ``*``)."""
    template = "{value!r} is not valid"
    for node in _schema_at(error.absolute_schema_path):
        message = node.get("errorMessage")
        if isinstance(message, str):
            template = message
        elif isinstance(message, Mapping):
            template = message.get(error.validator, message.get("*", template))
    return template


def _parameter_where(meta: Any, path: list[Any]) -> str:
    """``parameter 'limit'`` (or ``parameter #2`` when it has no usable name) for an error under parameters."""
    if len(path) < 2 or path[0] != "parameters" or not isinstance(path[1], int):
        return "a parameter"
    raw = meta["parameters"][path[1]]
    name = raw.get("name") if isinstance(raw, Mapping) else None
    return f"parameter {name!r}" if isinstance(name, str) else f"parameter #{path[1] + 1}"


def _schema_problem(error: ValidationError, meta: Any) -> str:
    """One readable line for a header that does not match contracts/query_header.schema.json."""
    path = list(error.absolute_path)
    instance = error.instance
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    keys = [str(k) for k in instance] if isinstance(instance, Mapping) else []
    allowed = list(schema.get("properties", {}))
    missing = [k for k in schema.get("required", ()) if isinstance(instance, Mapping) and k not in instance]
    repeated = sorted({str(v) for v in instance if instance.count(v) > 1}) if isinstance(instance, list) else []
    return _message_template(error).format(
        value=instance,
        param=_parameter_where(meta, path),
        field=next((str(p) for p in reversed(path) if isinstance(p, str)), ""),
        extra=", ".join(sorted(k for k in keys if k not in allowed)),
        missing=", ".join(missing),
        allowed=", ".join(allowed),
        duplicates=", ".join(repeated),
    )


def _schema_problems(meta: Any) -> list[str]:
    """The header's schema violations, each once, in the order of the header's fields."""
    errors = sorted(_HEADER_VALIDATOR.iter_errors(meta), key=lambda e: [str(p) for p in e.absolute_path])
    return list(dict.fromkeys(_schema_problem(e, meta) for e in errors))


def _bilingual(value: Mapping[str, Any]) -> dict[str, str]:
    return {lang: str(value[lang]).strip() for lang in LANGUAGES}


def _build_parameter(raw: Mapping[str, Any], problems: _Problems) -> Parameter | None:
    """A schema-valid parameter, with the checks that span its fields: date bounds, min <= max, the default."""
    where = f"parameter {raw['name']!r}"
    kind = raw["type"]
    low, high = raw.get("min"), raw.get("max")
    if kind == "date":
        for bound_name, bound in (("min", low), ("max", high)):
            try:
                if bound is not None:
                    _as_date(bound)
            except ValueError as exc:
                problems.add(f"{where}: bad {bound_name}: {exc}")
                return None
    param = Parameter(
        name=raw["name"],
        type=kind,
        default=raw["default"],
        label=dict(raw["label"]),
        min=low,
        max=high,
        choices=tuple(raw["choices"]) if kind == "enum" else None,
        help=dict(raw["help"]) if raw.get("help") else None,
    )
    if low is not None and high is not None:
        lo = _as_date(low) if kind == "date" else low
        hi = _as_date(high) if kind == "date" else high
        if lo > hi:
            problems.add(f"{where}: min {low} is greater than max {high}")
            return None
    try:
        param.default_value()
    except ParameterError as exc:
        problems.add(f"{where}: invalid default {raw['default']!r}: {str(exc).split(': ', 1)[-1]}")
        return None
    return param


def _check_names(meta: Mapping[str, Any], path: Path, section: str | None, problems: _Problems) -> None:
    """The id is the file name, the section the folder."""
    if meta["id"] != path.stem:
        problems.add(f"id {meta['id']!r} does not match the file name {path.name!r}")
    expected_section = section or path.parent.name
    if meta["section"] != expected_section:
        problems.add(f"section {meta['section']!r} does not match the folder {expected_section!r}")


def _check_chart(chart: Mapping[str, Any], columns: list[str], problems: _Problems) -> None:
    """Every column the chart names is a declared column."""
    for key in ("x", "y", "color"):
        refs = chart.get(key)
        for ref in [] if refs is None else refs if isinstance(refs, list) else [refs]:
            if ref not in columns:
                problems.add(f"chart {key} {ref!r} is not one of the declared columns")


def _build_parameters(raw_params: list[Mapping[str, Any]], problems: _Problems) -> list[Parameter]:
    params = [p for p in (_build_parameter(raw, problems) for raw in raw_params) if p is not None]
    names = [str(raw["name"]) for raw in raw_params]
    for dupe in sorted({n for n in names if names.count(n) > 1}):
        problems.add(f"parameter {dupe!r} is declared twice")
    return params


def _statement(body: str, problems: _Problems) -> tuple[str, list[Placeholder]]:
    """The one SQL statement of the body (a single trailing semicolon dropped) and its placeholders."""
    sql = body.strip()
    if not sql:
        problems.add("the SQL body is empty")
        problems.raise_if_any()
    try:
        tokens = Snowflake().tokenize(sql)
        placeholders = find_placeholders(sql)
    except TokenError as exc:
        problems.add(f"the SQL cannot be tokenized: {exc}")
        problems.raise_if_any()
        raise AssertionError("unreachable") from exc
    semicolons = [t for t in tokens if t.token_type == TokenType.SEMICOLON]
    if semicolons:
        if len(semicolons) > 1 or semicolons[0] is not tokens[-1]:
            problems.add("a query file must hold exactly one statement")
        else:
            sql = sql[: semicolons[0].start].rstrip()
    if not tokens:
        problems.add("the SQL body is empty")
    return sql, placeholders


def _check_placeholders(
    sql: str, placeholders: list[Placeholder], params: list[Parameter], problems: _Problems
) -> None:
    """Every parameter used is declared and every declared one used; none is cast with ``::``."""
    for ph in placeholders:
        if sql.startswith("::", ph.end):
            problems.add(
                f"parameter :{ph.name} is cast with '::': write cast(:{ph.name} as <type>) instead "
                "(a bound '?::type' does not parse)"
            )
    used = {ph.name for ph in placeholders}
    declared = {p.name for p in params}
    for name in sorted(used - declared):
        problems.add(f"parameter :{name} is used in the SQL but not declared in the header")
    for name in sorted(declared - used):
        problems.add(f"parameter {name!r} is declared but never used in the SQL")


def _read_header(path: Path) -> tuple[Any, str]:
    """The header (parsed YAML, not yet validated) and the SQL body of a query file."""
    problems = _Problems(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"cannot read the file: {exc}", path) from None
    split = _split_header(text, problems)
    problems.raise_if_any()
    assert split is not None
    return split


def load_query(path: Path | str, section: str | None = None) -> Query:
    """Read and validate one query file. ``section`` defaults to the name of its folder."""
    path = Path(path)
    meta, body = _read_header(path)
    problems = _Problems(path)
    for problem in _schema_problems(meta):
        problems.add(problem)
    problems.raise_if_any()  # the checks below rely on the header's shape

    _check_names(meta, path, section, problems)
    columns = list(meta["columns"])
    _check_chart(meta["chart"], columns, problems)
    params = _build_parameters(meta.get("parameters") or [], problems)
    sql, placeholders = _statement(body, problems)
    _check_placeholders(sql, placeholders, params, problems)
    problems.raise_if_any()

    return Query(
        id=meta["id"],
        section=meta["section"],
        path=path,
        title=_bilingual(meta["title"]),
        description=_bilingual(meta["description"]),
        audience=tuple(meta["audience"]),
        chart=dict(meta["chart"]),
        parameters=tuple(params),
        columns=tuple(columns),
        sql=sql,
        tags=tuple(meta.get("tags") or ()),
        placeholders=tuple(placeholders),
    )


# -------------------------------------------------------------------------------------------------- catalog


class Catalog:
    """All packaged queries, ordered by section then id."""

    def __init__(self, queries: Iterable[Query], root: Path | None = None) -> None:
        self.root = root
        ordered = sorted(queries, key=lambda q: (q.section, q.id))
        self._by_id: dict[str, Query] = {}
        problems: list[tuple[Path | None, str]] = []
        for q in ordered:
            if q.id in self._by_id:
                problems.append((q.path, f"duplicate query id {q.id!r} (also in {self._by_id[q.id].path})"))
            else:
                self._by_id[q.id] = q
        if problems:
            raise CatalogError(problems)

    def get(self, query_id: str) -> Query:
        try:
            return self._by_id[query_id]
        except KeyError:
            raise UnknownQueryError(query_id, self._by_id) from None

    def ids(self) -> list[str]:
        return list(self._by_id)

    def sections(self) -> list[str]:
        return sorted({q.section for q in self._by_id.values()})

    def by_section(self) -> dict[str, list[Query]]:
        out: dict[str, list[Query]] = {}
        for q in self._by_id.values():
            out.setdefault(q.section, []).append(q)
        return out

    def rows(self) -> list[dict[str, str]]:
        """One ``{ID, SECTION, TITLE_FR, TITLE_EN}`` dict per query (the ``query --list`` listing)."""
        return [q.row() for q in self._by_id.values()]

    def for_audience(self, audience: str) -> list[Query]:
        return [q for q in self._by_id.values() if audience in q.audience]

    def __iter__(self) -> Iterator[Query]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, query_id: object) -> bool:
        return query_id in self._by_id

    def __repr__(self) -> str:
        return f"Catalog({len(self)} queries, {len(self.sections())} sections, root={str(self.root)!r})"


def load_catalog(root: Path | str = DEFAULT_ROOT) -> Catalog:
    """Load and validate every ``<root>/<section>/<id>.sql``. All problems of all files are reported together
    in one :class:`CatalogError`."""
    root = Path(root)
    if not root.is_dir():
        raise CatalogError(f"query folder not found: {root}", root)
    queries: list[Query] = []
    problems: list[tuple[Path | None, str]] = []
    for path in sorted(root.glob("*/*.sql")):
        try:
            queries.append(load_query(path))
        except CatalogError as exc:
            problems.extend(exc.problems)
    stray = sorted(p for p in root.glob("*.sql"))
    for path in stray:
        problems.append((path, "a query file must sit in a section folder: queries/<section>/<id>.sql"))
    if problems:
        raise CatalogError(problems)
    return Catalog(queries, root)
