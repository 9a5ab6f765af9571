"""The import graph of ``caves/`` has no cycle (docs/ARCHITECTURE.md "Layers").

Read with the standard library's ``ast`` (nothing is imported, so the test is fast and a cycle hidden behind an
import inside a function counts too). Two granularities: modules, and packages (``caves.warehouse`` as one unit:
importing ``caves.warehouse.base`` runs ``caves/warehouse/__init__.py``, so a cycle through a package is one).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# integrator: caves/local pending (its engine modules still import each other in a circle; issue 14).
PENDING = ("caves.local",)


def _modules() -> dict[str, Path]:
    found = {}
    for path in (ROOT / "caves").rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imported(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> set[str]:
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1] if node.level else []
    target = ".".join([*base, *([node.module] if node.module else [])])
    return {target} | {f"{target}.{alias.name}" for alias in node.names}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                deps |= {name for name in _imported(module, path, node) if name in modules}
        # importing a.b.c runs a/__init__.py and a/b/__init__.py as well
        deps |= {".".join(d.split(".")[:i]) for d in set(deps) for i in range(2, d.count(".") + 1)}
        graph[module] = {d for d in deps if d != module and not module.startswith(d + ".")}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _unit(module: str) -> str:
    return ".".join(module.split(".")[:2])  # caves.x or caves.<package>


def _pending(module: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in PENDING)


def _checked(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    return {m: {d for d in deps if not _pending(d)} for m, deps in graph.items() if not _pending(m)}


def test_no_module_import_cycle() -> None:
    assert _cycles(_checked(_graph())) == []


def test_no_package_import_cycle() -> None:
    units: dict[str, set[str]] = {}
    for module, deps in _checked(_graph()).items():
        units.setdefault(_unit(module), set()).update(_unit(d) for d in deps if _unit(d) != _unit(module))
    assert _cycles(units) == []


def test_the_cycle_finder_sees_a_cycle() -> None:
    """The check itself works on a small known graph."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
