"""The package's layout as rules: data flows one way through the stages, and no module imports
itself back through others.

Each top-level package (or module) of ``eduplan`` has a rank in ``STAGES``; a module may import
from its own package and from lower ranks only, so a new upward import (the ledger reaching into
the web app, say) fails here with the line that does it. Imports inside functions count too: they
are deferred, not exempt. The cycle test lists every group of modules that import each other."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "eduplan"

STAGES: list[set[str]] = [
    {"eduplan", "errors"},  # the package itself (its version) and the error type everyone raises
    {"settings", "text"},  # configuration from the environment; text normalisation
    {"plan"},  # the Plan contract
    {"read"},  # files → lines and tables
    {"understand"},  # lines → Plan
    {"documents"},  # a file → a Plan (read then understand)
    {"calendar"},  # term and week arithmetic, holidays, lunar dates, ics/xlsx/docx renderers
    {"ledger"},  # the database: models, migrations, import, queries, units, accounts, backup
    {"supervise"},  # the term's work: status, progress, 督办, reminders, actuals, figures
    {"notify"},  # delivery of reminders: e-mail, in-app, chat bots
    {"reports"},  # summary, comparison, past plans, next term's draft
    {"demo"},  # the sample bureau
    {"jobs"},  # long work in limited child processes and on the queue (reading uploads, exports)
    {"web"},  # the web app
    {"bench"},  # benchmarks and the fuzzer (they start the web server)
    {"cli"},  # the command line, on top of everything
]
RANK = {name: rank for rank, names in enumerate(STAGES) for name in names}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(path: Path, *, top_level_only: bool = False) -> list[tuple[int, str]]:
    """(line, module) of every ``eduplan`` import in a file; ``from a import b`` names ``a.b``
    when that is a module, else ``a``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "eduplan"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] == "eduplan":
                found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return found


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "eduplan"


def test_every_package_has_a_stage() -> None:
    stages = {_stage(m) for m in _modules()}
    assert stages - set(RANK) == set(), "a new top-level package needs its place in STAGES"


def test_no_module_imports_a_later_stage() -> None:
    modules = _modules()
    upward = []
    for module, path in sorted(modules.items()):
        own = _stage(module)
        for line, name in _imports(path):
            target = _stage(name)
            if target != own and RANK[target] >= RANK[own]:
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line} ({own}) imports {name} ({target})")
    assert upward == [], "imports against the flow:\n" + "\n".join(upward)


def _graph(*, top_level_only: bool) -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        for _, name in _imports(path, top_level_only=top_level_only):
            while name and name not in modules:  # ``from a.b import function`` → a.b
                name = name.rpartition(".")[0]
            if name and name != module and not module.startswith(name + "."):
                graph[module].add(name)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    assert _cycles(_graph(top_level_only=False)) == []


def test_every_package_says_what_it_holds_and_may_import() -> None:
    missing = []
    for module, path in sorted(_modules().items()):
        if path.name == "__init__.py" and module.count(".") == 1:
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
            if "May import:" not in doc:
                missing.append(str(path.relative_to(PACKAGE.parent)))
    assert missing == [], "packages whose __init__ does not say what they may import: " + ", ".join(missing)
