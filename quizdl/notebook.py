"""Jupyter notebooks as drill solutions: the code cells joined into one Python file, and back.

The notebook is read as plain JSON (nbformat 4, the format Jupyter, VS Code and Colab save), so
grading one needs no Jupyter install. IPython syntax that is not Python — `%magic` and `!shell`
lines, `%%cell` magics — is dropped with a note, and every line of the joined file remembers the
cell and line it came from, so reports say "cell 3, line 5" instead of a line of a file the user
never saw.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from quizdl.errors import QuizdlError

NOTEBOOK_SUFFIX = ".ipynb"
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024  # outputs (plots) make notebooks large; the code stays small


@dataclass
class NotebookCode:
    """The code cells of a notebook as one source text."""

    source: str
    origin: list[tuple[int, int]] = field(default_factory=list)  # per source line: (cell, line), 1-based
    dropped: list[str] = field(default_factory=list)  # what was left out, for a note

    def where(self, line: int) -> str:
        """'cell 3, line 5' for a line of the joined source (1-based)."""
        if 1 <= line <= len(self.origin):
            cell, cell_line = self.origin[line - 1]
            return f"cell {cell}, line {cell_line}"
        return f"line {line}"

    def relabel(self, text: str) -> str:
        """Every 'line N' (and 'at line N:C') in a message, as the cell and line it came from."""
        return re.sub(r"\bline (\d+)\b", lambda m: self.where(int(m.group(1))), text)


def _cell_text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def read_code(data: bytes, name: str) -> NotebookCode:
    """The code cells of the notebook `data` (the bytes of `name`, for messages)."""
    try:
        notebook = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise QuizdlError(f"{name} is not a readable notebook (not nbformat JSON: {exc})", exit_code=2,
                          zh=f"{name} 不是可读的 notebook（不是 nbformat JSON：{exc}）") from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise QuizdlError(f"{name} is not a Jupyter notebook (no list of cells)", exit_code=2,
                          zh=f"{name} 不是 Jupyter notebook（没有单元格列表）")
    lines: list[str] = []
    origin: list[tuple[int, int]] = []
    dropped: list[str] = []
    code_cells = 0
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        code_cells += 1
        text = _cell_text(cell)
        if text.lstrip().startswith("%%"):
            dropped.append(f"cell {number}: the cell magic {text.split()[0]}")
            continue
        for line_no, line in enumerate(text.split("\n"), start=1):
            stripped = line.lstrip()
            if stripped.startswith(("%", "!")):
                dropped.append(f"cell {number}, line {line_no}: {stripped.split()[0]}")
                line = line[: len(line) - len(stripped)] + "pass  # dropped by quizdl: " + stripped.split()[0]
            lines.append(line)
            origin.append((number, line_no))
        lines.append("")  # cells end at a line break
        origin.append((number, len(text.split("\n")) + 1))
    if not code_cells:
        raise QuizdlError(f"{name} has no code cells", exit_code=2, zh=f"{name} 没有代码单元格")
    return NotebookCode("\n".join(lines), origin, dropped)


def starter_notebook(starter: str, task_markdown: str) -> str:
    """A notebook with the task as a markdown cell and the starter as one code cell."""

    def cell(kind: str, text: str) -> dict:
        out = {"cell_type": kind, "id": f"quizdl-{kind}", "metadata": {},
               "source": text.splitlines(keepends=True)}
        if kind == "code":
            out.update(execution_count=None, outputs=[])
        return out

    notebook = {
        "cells": [cell("markdown", task_markdown), cell("code", starter.rstrip("\n"))],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                     "language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
