"""The import graph of ``caves/`` has no cycle, and the engine stands below the app (docs/ARCHITECTURE.md "Layers").

Read with the standard library's ``ast`` (nothing is imported). Edges are the imports that run: module level
and inside functions alike (an import inside a function is still a dependency, only a later one). Imports
under ``if TYPE_CHECKING:`` are for annotations only and never run, so they are not edges. Importing
``a.b.c`` runs ``a/__init__.py`` and ``a/b/__init__.py`` too, so those packages are edges as well (except a
module's own packages). Two granularities: modules, and packages (``caves.warehouse`` as one unit).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "caves"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom, known: set[str]) -> set[str]:
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in known}
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        anchor = ".".join(base + ([node.module] if node.module else []))
    else:
        anchor = node.module or ""
    out = set()
    for alias in node.names:
        sub = f"{anchor}.{alias.name}"
        if sub in known:
            out.add(sub)
        elif anchor in known:
            out.add(anchor)
    return out


def import_graph() -> dict[str, set[str]]:
    """``caves`` module -> the ``caves`` modules it imports at run time."""
    modules = _modules()
    known = set(modules)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        edges: set[str] = set()
        for node in _runtime_imports(tree):
            edges |= _targets(name, path.name == "__init__.py", node, known)
        edges |= {".".join(e.split(".")[:i]) for e in set(edges) for i in range(2, e.count(".") + 1)}
        graph[name] = {e for e in edges if e != name and not name.startswith(e + ".")}
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the components with more than one module (each is an import cycle)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_the_checker_finds_a_cycle() -> None:
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


def test_caves_has_no_import_cycle() -> None:
    assert strongly_connected(import_graph()) == []


def _unit(module: str) -> str:
    return ".".join(module.split(".")[:2])  # caves.x or caves.<package>


def test_caves_has_no_package_import_cycle() -> None:
    units: dict[str, set[str]] = {}
    for module, deps in import_graph().items():
        units.setdefault(_unit(module), set()).update(_unit(d) for d in deps if _unit(d) != _unit(module))
    assert strongly_connected(units) == []


def test_the_engine_imports_neither_the_planner_nor_the_app() -> None:
    graph = import_graph()
    below = {m for m in graph if m.startswith("caves.local")}
    allowed_outside = {"caves", "caves.objects", "caves.sqlscript", "caves.dag"}
    for module in sorted(below):
        outside = {t for t in graph[module] if not t.startswith("caves.local")}
        assert outside <= allowed_outside, f"{module} imports {sorted(outside - allowed_outside)}"
