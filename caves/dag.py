"""The task graph of deploy_sql/: roots, children, and the orders to suspend, resume and run them in.

:func:`load_task_graph` builds the :class:`TaskGraph` from the tasks of ``deploy_sql/`` (parsed by
caves.objects) and checks Snowflake's graph rules. Task names are identifiers (they cannot be bound as
parameters): :meth:`TaskGraph.resolve` refuses any name that is not a task of ``deploy_sql/`` before a caller
pastes it into ``ALTER TASK`` or ``EXECUTE TASK``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from .objects import DeployError, DeployStatement, TaskDef, load_statements

_IDENTIFIER = re.compile(r'^(?:[A-Za-z_][A-Za-z0-9_$]*|"[^"]+")$')


class UnknownTaskError(DeployError, KeyError):
    """A task name that is not a task of deploy_sql/ (refused before it reaches any SQL text)."""

    def __str__(self) -> str:  # KeyError would print the repr of its argument
        return str(self.args[0]) if self.args else "unknown task"


def load_task_graph(deploy_dir: str | Path | None = None) -> TaskGraph:
    """The task graph defined in deploy_sql/ (validated)."""
    graph = TaskGraph.from_statements(load_statements(deploy_dir))
    problems = graph.validate()
    if problems:
        raise DeployError("invalid task graph in deploy_sql/: " + "; ".join(problems))
    return graph


class GraphCycleError(ValueError):
    """The graph has a cycle; ``nodes`` are the tasks on it or behind it (sorted)."""

    def __init__(self, nodes: list[str]) -> None:
        super().__init__(", ".join(nodes))
        self.nodes = nodes


def topological_order(parents: Mapping[str, Sequence[str]]) -> list[str]:
    """The nodes of ``parents`` (node -> its parents), parents before children (Kahn's algorithm).

    Ties keep the mapping's order; a parent that is not a node is ignored. The one graph order of the
    project: the deploy planner, the admin sequences and the local engine's graph runs all use it.
    """
    position = {name: k for k, name in enumerate(parents)}
    children: dict[str, list[str]] = {name: [] for name in parents}
    indegree = dict.fromkeys(parents, 0)
    for name, its_parents in parents.items():
        for parent in its_parents:
            if parent in children:
                children[parent].append(name)
                indegree[name] += 1
    ready = [name for name, d in indegree.items() if d == 0]
    order: list[str] = []
    while ready:
        ready.sort(key=position.__getitem__)
        node = ready.pop(0)
        order.append(node)
        for child in children[node]:
            indegree[child] -= 1
            if indegree[child] == 0:
                ready.append(child)
    if len(order) != len(parents):
        raise GraphCycleError(sorted(set(parents) - set(order)))
    return order


class TaskGraph:
    """The DAG of tasks: nodes are fully-qualified upper-case task names, edges go parent -> child."""

    def __init__(self, tasks: Iterable[TaskDef]) -> None:
        self.nodes: dict[str, TaskDef] = {}
        for task in tasks:
            if task.name in self.nodes:
                raise DeployError(f"task {task.name} is defined twice")
            self.nodes[task.name] = task
        self.edges: list[tuple[str, str]] = [(parent, t.name) for t in self.nodes.values() for parent in t.after]
        self._children: dict[str, list[str]] = {name: [] for name in self.nodes}
        for parent, child in self.edges:
            if parent in self._children:
                self._children[parent].append(child)

    @classmethod
    def from_statements(cls, statements: Iterable[DeployStatement]) -> TaskGraph:
        return cls(s.task for s in statements if s.kind == "task" and s.task is not None)

    # --- names ------------------------------------------------------------------------------------------------

    def resolve(self, name: str) -> str:
        """The fully-qualified name of a task of this graph, from its full, schema-qualified or short name.

        Case-insensitive for unquoted names. Anything else (an unknown task, or text that is not a plain
        identifier such as ``X; DROP TABLE Y``) raises :class:`UnknownTaskError`.
        """
        if not isinstance(name, str):
            raise UnknownTaskError(f"unknown task: {name!r}")
        parts = name.strip().split(".")
        if not parts or len(parts) > 3 or not all(_IDENTIFIER.match(p) for p in parts):
            raise UnknownTaskError(f"unknown task: {name!r}")
        wanted = [p[1:-1] if p.startswith('"') else p.upper() for p in parts]
        matches = [full for full in self.nodes if full.split(".")[-len(wanted) :] == wanted]
        if len(matches) != 1:
            raise UnknownTaskError(
                f"unknown task: {name!r}" if not matches else f"ambiguous task name {name!r}: {', '.join(matches)}"
            )
        return matches[0]

    def is_known(self, name: str) -> bool:
        try:
            self.resolve(name)
        except UnknownTaskError:
            return False
        return True

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.is_known(name)

    def __len__(self) -> int:
        return len(self.nodes)

    # --- structure --------------------------------------------------------------------------------------------

    def roots(self) -> list[str]:
        """Tasks without predecessors, in definition order."""
        return [name for name, task in self.nodes.items() if task.is_root]

    def parents(self, name: str) -> list[str]:
        return list(self.nodes[self.resolve(name)].after)

    def children(self, name: str) -> list[str]:
        return list(self._children[self.resolve(name)])

    def descendants(self, name: str) -> list[str]:
        """Every task downstream of ``name`` (not itself), parents before children."""
        start = self.resolve(name)
        seen: set[str] = set()
        stack = list(self._children[start])
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(self._children.get(node, []))
        return [n for n in self.topological_order() if n in seen]

    def ancestors(self, name: str) -> list[str]:
        """Every task upstream of ``name`` (not itself), parents before children."""
        start = self.resolve(name)
        seen: set[str] = set()
        stack = list(self.nodes[start].after)
        while stack:
            node = stack.pop()
            if node not in seen and node in self.nodes:
                seen.add(node)
                stack.extend(self.nodes[node].after)
        return [n for n in self.topological_order() if n in seen]

    def root_of(self, name: str) -> str:
        """The root of the graph ``name`` belongs to (the first one if a task has several ancestries)."""
        node = self.resolve(name)
        seen = {node}
        while self.nodes[node].after:
            node = self.nodes[node].after[0]
            if node in seen or node not in self.nodes:
                raise DeployError(f"task {name} has no root (cycle or undefined predecessor)")
            seen.add(node)
        return node

    def graph_of(self, name: str) -> list[str]:
        """The whole graph of ``name``'s root: the root first, then its descendants (parents first)."""
        root = self.root_of(name)
        return [root, *self.descendants(root)]

    def topological_order(self) -> list[str]:
        """Every task, parents before children; ties keep the definition order."""
        try:
            return topological_order({name: t.after for name, t in self.nodes.items()})
        except GraphCycleError as exc:
            raise DeployError(f"the task graph has a cycle through {', '.join(exc.nodes)}") from None

    def children_first_order(self) -> list[str]:
        """Every task, children before parents, graph by graph: the order to resume in (roots last)."""
        order: list[str] = []
        for root in self.roots():
            order.extend(self.resume_order(root))
        return order

    def resume_order(self, name: str) -> list[str]:
        """The graph of ``name``, children first and the root last (Snowflake: resume children before the root)."""
        return list(reversed(self.graph_of(name)))

    def suspend_order(self, name: str) -> list[str]:
        """The graph of ``name``, root first: suspending the root stops the graph, then the children."""
        return self.graph_of(name)

    # --- checks -----------------------------------------------------------------------------------------------

    def validate(self) -> list[str]:
        """Snowflake's rules for a task graph; returns the problems found (empty when valid)."""
        problems: list[str] = []
        for name, task in self.nodes.items():
            for parent in task.after:
                if parent not in self.nodes:
                    problems.append(f"{name}: AFTER {parent} is not a task of deploy_sql/")
                elif parent.rsplit(".", 1)[0] != name.rsplit(".", 1)[0]:
                    problems.append(f"{name}: its predecessor {parent} is in another schema")
            if task.after and task.schedule:
                problems.append(f"{name}: a child task cannot have a SCHEDULE")
            if not task.after and not task.schedule and "FINALIZE" not in task.params:
                problems.append(f"{name}: a root task needs a SCHEDULE")
            if task.after and "SUSPEND_TASK_AFTER_NUM_FAILURES" in task.params:
                problems.append(f"{name}: SUSPEND_TASK_AFTER_NUM_FAILURES belongs on the root")
            if task.warehouse and "USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE" in task.params:
                problems.append(f"{name}: WAREHOUSE and USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE are exclusive")
        try:
            self.topological_order()
        except DeployError as exc:
            problems.append(str(exc))
        return problems

    def to_dot(self) -> str:
        """The graph in Graphviz DOT (short names), e.g. for ``st.graphviz_chart``."""
        lines = ["digraph tasks {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];']
        for name, task in self.nodes.items():
            label = name.split(".")[-1]
            if task.schedule:
                label += f"\\n{task.schedule}"
            lines.append(f'  "{name.split(".")[-1]}" [label="{label}"];')
        for parent, child in self.edges:
            lines.append(f'  "{parent.split(".")[-1]}" -> "{child.split(".")[-1]}";')
        lines.append("}")
        return "\n".join(lines)
