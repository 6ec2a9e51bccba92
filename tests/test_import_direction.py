"""Imports go down the stack only, and no two modules import each other.

The stack (STYLE.md, "Dependencies flow one way"): ``mentoring`` at the ground, ``cohorts``
on it, ``applications`` on cohorts, ``tandems`` and ``workshops`` side by side on it, and
``evaluation`` (surveys, outcomes, the report) on top. A
module may import its own package and the packages below it, never one above or beside it;
imports inside functions count as well, since they are arrows of the graph too. A cycle
counts only between module-level imports (those run when the module is loaded). The wiring
(settings, the root URLconf, WSGI/ASGI, the Celery app) names every app and is left out.

Read from the source with ``ast``: nothing is imported, so a broken module still shows.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {
    "mentoring": 0,
    "cohorts": 1,
    "applications": 2,
    "tandems": 3,
    "workshops": 3,
    # Surveys, outcomes and the cohort report read every app below.
    "evaluation": 4,
}
WIRING = {f"mentoring.{name}" for name in ("settings", "urls", "wsgi", "asgi", "celery")}


def project_modules():
    """{dotted name: path} of every module of the packages, wiring left out."""
    modules = {}
    for package in LAYERS:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            name = ".".join(parts)
            if name not in WIRING:
                modules[name] = path
    return modules


def _imports(tree, *, in_function=False):
    """(import node, inside a function?) for every import of ``tree``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, in_function
        inner = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        yield from _imports(node, in_function=inner)


def _targets(node, name, is_package, modules):
    """The project modules an import node names (the deepest one that exists)."""
    if isinstance(node, ast.Import):
        candidates = [alias.name for alias in node.names]
    else:
        if node.level:
            base = name.split(".") if is_package else name.split(".")[:-1]
            base = base[: len(base) - node.level + 1]
            module = ".".join(base + ([node.module] if node.module else []))
        else:
            module = node.module
        # ``from . import issuing`` names a module; ``from .models import Tandem`` a name in one.
        candidates = [f"{module}.{alias.name}" for alias in node.names]
    for candidate in candidates:
        while candidate and candidate not in modules:
            candidate = candidate.rpartition(".")[0]
        if candidate:
            yield candidate


def import_graph():
    """Two graphs {module: {imported module: line}}: all imports, and module-level ones."""
    modules = project_modules()
    every, loaded = defaultdict(dict), defaultdict(dict)
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, in_function in _imports(tree):
            for target in _targets(node, name, path.name == "__init__.py", modules):
                if target == name or target in WIRING:
                    continue
                every[name].setdefault(target, node.lineno)
                if not in_function:
                    loaded[name].setdefault(target, node.lineno)
    return modules, every, loaded


def arrows_back_up(graph, modules):
    found = []
    for source, targets in sorted(graph.items()):
        for target, line in sorted(targets.items()):
            source_package, target_package = source.split(".")[0], target.split(".")[0]
            if source_package == target_package:
                continue
            if LAYERS[target_package] >= LAYERS[source_package]:
                path = modules[source].relative_to(ROOT)
                found.append(f"{path}:{line}: {source} -> {target}")
    return found


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph.get(successor, ())))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
    return components


def describe_cycle(component, graph):
    """Each arrow inside the cycle, with the line that draws it."""
    members = set(component)
    return "\n".join(
        f"    {source} -> {target} (line {line})"
        for source in component
        for target, line in sorted(graph.get(source, {}).items())
        if target in members
    )


def test_the_walk_sees_every_package_and_its_imports():
    modules, every, loaded = import_graph()
    assert {name.split(".")[0] for name in modules} == set(LAYERS)
    assert "workshops.services" in modules and "mentoring.settings" not in modules
    # A relative import of a sibling module, a name from a module, and a function-level one.
    assert "workshops.models" in loaded["workshops.services"]
    assert "mentoring.reminders" in loaded["applications.reminders"]
    assert "applications.models" in every["workshops.apps"]  # inside ready()
    assert "applications.models" not in loaded["workshops.apps"]
    assert "scipy" not in every["tandems.matching"]  # outside the project: not an arrow


def test_imports_only_go_down_the_stack():
    modules, every, _loaded = import_graph()
    found = arrows_back_up(every, modules)
    if found:
        pytest.fail(
            "Imports that go back up (or across) the stack "
            "mentoring <- cohorts <- applications <- tandems, workshops:\n  " + "\n  ".join(found),
            pytrace=False,
        )


def test_no_two_modules_import_each_other():
    _modules, _every, loaded = import_graph()
    found = cycles(loaded)
    if found:
        pytest.fail(
            "Modules that import each other (module-level imports):\n"
            + "\n".join(
                f"  {' <-> '.join(component)}\n{describe_cycle(component, loaded)}"
                for component in found
            ),
            pytrace=False,
        )


def test_the_check_finds_an_arrow_up_and_a_cycle():
    # The check itself, on a made-up graph: a ground module naming a top one, and a loop.
    modules = dict.fromkeys(("mentoring.a", "tandems.b", "tandems.c"), ROOT / "x.py")
    graph = {
        "mentoring.a": {"tandems.b": 3},
        "tandems.b": {"tandems.c": 1, "mentoring.a": 2},
        "tandems.c": {"tandems.b": 5},
    }
    assert arrows_back_up(graph, modules) == ["x.py:3: mentoring.a -> tandems.b"]
    assert cycles(graph) == [["mentoring.a", "tandems.b", "tandems.c"]]
