"""The import rule: a module of helpers imports only from its own phase or a lower one, at module
level or inside a function alike, and no import cycle exists among the modules."""

from __future__ import annotations

import ast
from pathlib import Path

import helpers

PACKAGE = Path(helpers.__file__).resolve().parent
# The phases, lowest first (README: Architecture). The command line sits above them all.
LAYERS = ("core", "ingest", "metrics", "words", "render", "notebook", "publish", "audit", "demo")
TOP = len(LAYERS)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return TOP  # helpers, helpers.cli, helpers.__main__


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every helpers module the file imports, wherever the import is."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("helpers")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.startswith("helpers"):
            for alias in node.names:  # `from helpers.words import labels` imports a module
                candidate = f"{node.module}.{alias.name}"
                known = (PACKAGE.parent / Path(*candidate.split("."))).with_suffix(".py")
                is_package = (PACKAGE.parent / Path(*candidate.split("."))).is_dir()
                found.append((node.lineno, candidate if known.is_file() or is_package
                              else node.module))
    return found


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))
            if "__pycache__" not in p.parts}


def test_every_module_is_in_a_phase():
    loose = [name for name in modules() if layer_of(name) == TOP
             and name not in ("helpers", "helpers.cli", "helpers.__main__")]
    assert loose == []


def test_imports_go_one_way():
    wrong = []
    for name, path in modules().items():
        for line, target in imports_of(path):
            if layer_of(target) > layer_of(name):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {name} "
                             f"({LAYERS[layer_of(name)] if layer_of(name) < TOP else 'top'}) "
                             f"imports {target} ({LAYERS[layer_of(target)]})")
    assert wrong == [], "\n".join(wrong)


def test_no_import_cycle():
    graph = {name: {t for _, t in imports_of(path) if t != name}
             for name, path in modules().items()}
    cycles, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if state.get(nxt) == "open":
                cycles.append(" -> ".join([*trail[trail.index(nxt):], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == [], "\n".join(cycles)
