"""The core knows nothing of the terminal: typer and rich are imported only under quizdl/cli/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "quizdl"
CORE = sorted(p for p in PACKAGE.rglob("*.py") if "cli" not in p.relative_to(PACKAGE).parts)


def _imported(path: Path) -> set[str]:
    """Every absolute module name the file imports, at any depth (lazy imports included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_the_core_is_found():
    assert {"store.py", "session.py", "stats.py", "engine.py"} <= {p.name for p in CORE}


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_module_imports_no_terminal_code(path):
    if path.name == "__main__.py":  # `python -m quizdl` starts the CLI
        return
    terminal = {m for m in _imported(path) if m.split(".")[0] in {"typer", "rich", "click"} or m.startswith("quizdl.cli")}
    assert not terminal, f"{path.relative_to(PACKAGE)} imports {sorted(terminal)}"
