"""caves.services.backend: the backend is chosen in one place and prepared once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from caves.services import backend as backend_module
from caves.services.backend import Backend, background_enabled, get_backend
from caves.settings import LocalSettings, Settings


class FakeRuntime:
    def __init__(self) -> None:
        self.prepared = 0
        self.started = 0
        self.caught_up: list[bool] = []

    def prepare(self, progress, *, catch_up: bool = True) -> None:
        progress(1.0, "ready")
        self.prepared += 1
        self.caught_up.append(catch_up)

    def start_background(self) -> None:
        self.started += 1


@pytest.mark.parametrize(
    ("value", "enabled"), [(None, True), ("on", True), ("off", False), ("0", False), ("No", False)]
)
def test_background_switch(monkeypatch: pytest.MonkeyPatch, value: str | None, enabled: bool) -> None:
    if value is None:
        monkeypatch.delenv("CAVES_BACKGROUND", raising=False)
    else:
        monkeypatch.setenv("CAVES_BACKGROUND", value)
    assert background_enabled() is enabled


def test_prepare_runs_once_even_from_concurrent_sessions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAVES_BACKGROUND", "on")
    runtime = FakeRuntime()
    backend = Backend(kind="local", warehouse=object(), key="local:x", runtime=runtime)  # type: ignore[arg-type]
    messages: list[str] = []
    threads = [threading.Thread(target=backend.prepare, args=(lambda f, m: messages.append(m),)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert backend.ready and runtime.prepared == 1 and runtime.started == 1


def test_background_off_prepares_without_starting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAVES_BACKGROUND", "off")
    runtime = FakeRuntime()
    backend = Backend(kind="local", warehouse=object(), key="local:x", runtime=runtime)  # type: ignore[arg-type]
    backend.prepare(lambda f, m: None)
    assert (runtime.prepared, runtime.started) == (1, 0)
    assert runtime.caught_up == [False]  # the live simulator is off: an existing shop is not caught up either


def test_local_is_the_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CAVES_BACKEND", raising=False)
    monkeypatch.setattr(backend_module, "choose_backend", lambda secrets, env: "local")
    monkeypatch.setenv("CAVES_DB", str(tmp_path / "wh.duckdb"))
    chosen = get_backend(Settings(local=LocalSettings(live=False)), secrets=None)
    try:
        assert (chosen.kind, chosen.key) == ("local", f"local:{tmp_path / 'wh.duckdb'}")
        assert chosen.runtime is not None and chosen.warehouse is chosen.runtime.warehouse
        assert not chosen.ready
    finally:
        chosen.runtime.close()
