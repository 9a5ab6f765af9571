"""queries/ passes sqlfluff with the repository's .sqlfluff (dialect snowflake, colon placeholders)."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest
from sqlfluff.core import FluffConfig, Linter

from caves.catalog import load_catalog

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"


def _lint(paths: list[Path], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(ROOT)  # sqlfluff finds .sqlfluff from the working directory and the files' folders
    linter = Linter(config=FluffConfig.from_root())
    result = linter.lint_paths(tuple(str(p.relative_to(ROOT)) for p in paths))
    return [
        f"{record['filepath']}:{v['start_line_no']}:{v['start_line_pos']} {v['code']} {v['description']}"
        for record in result.as_records()
        for v in record["violations"]
    ]


def test_config_is_snowflake_with_colon_placeholders() -> None:
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / ".sqlfluff", encoding="utf-8")
    assert config["sqlfluff"]["dialect"] == "snowflake"
    assert config["sqlfluff"]["templater"] == "placeholder"
    assert config["sqlfluff"]["max_line_length"] == "120"
    assert config["sqlfluff:templater:placeholder"]["param_style"] == "colon"


def test_every_parameter_has_a_lint_stand_in() -> None:
    """Without a stand-in, the placeholder templater would lint `limit :limit` as `limit limit`."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / ".sqlfluff", encoding="utf-8")
    stand_ins = set(config["sqlfluff:templater:placeholder"]) - {"param_style"}
    used = {p.name for q in load_catalog() for p in q.parameters}
    assert not used - stand_ins, f"add stand-ins to .sqlfluff for: {sorted(used - stand_ins)}"


def test_one_query_per_section_lints_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fast sample (a couple of seconds): the first query of each section."""
    sample = [sorted(folder.glob("*.sql"))[0] for folder in sorted(QUERIES.iterdir()) if folder.is_dir()]
    assert len(sample) == 10
    assert _lint(sample, monkeypatch) == []


@pytest.mark.slow
def test_all_queries_lint_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole catalog, as `sqlfluff lint queries/` (about 15 s on one core)."""
    assert _lint(sorted(QUERIES.glob("*/*.sql")), monkeypatch) == []
