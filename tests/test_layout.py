"""The layout a newcomer reads in an evening: small modules, a short voice/ top, no cycles."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ["audio", "voice", "intents", "store", "benchmarks", "training"]
MAX_LINES = 400
MAX_VOICE_TOP_MODULES = 8


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            parts = list(path.relative_to(REPO).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def module_level_imports(name: str, path: Path, known: set[str]) -> set[str]:
    """What `name` imports when it is imported: top-level statements, not TYPE_CHECKING blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    imported: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        imported |= {target for target in targets if target in known and target != name}
    return imported


def test_no_module_is_over_the_line_limit() -> None:
    too_long = {
        name: lines
        for name, path in modules().items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, f"modules over {MAX_LINES} lines: {too_long}"


def test_voice_holds_few_modules_directly() -> None:
    top = sorted(path.name for path in (REPO / "voice").glob("*.py"))
    assert len(top) <= MAX_VOICE_TOP_MODULES, top
    for package in ("checkin", "listen", "wake", "recognizers", "commands"):
        assert (REPO / "voice" / package / "__init__.py").is_file(), package


def test_there_are_no_import_cycles() -> None:
    found = modules()
    known = set(found)
    graph = {name: module_level_imports(name, path, known) for name, path in found.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target):], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, f"import cycles: {cycles[:5]}"
