"""Jupyter notebooks as solutions: code cells in, "cell C, line L" out."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from quizdl import paths
from quizdl.cli.app import app
from quizdl.drills import load_drills
from quizdl.errors import QuizdlError
from quizdl.notebook import read_code, starter_notebook

DRILLS = load_drills([(paths.builtin_dir("drills"), True)], strict=False)
runner = CliRunner()


def _notebook(*cells: str, markdown_first: bool = True) -> bytes:
    out = [{"cell_type": "markdown", "metadata": {}, "source": ["# my notes\n", "$x^2$"]}] if markdown_first else []
    for text in cells:
        out.append({"cell_type": "code", "metadata": {}, "execution_count": 3, "outputs": [
            {"output_type": "stream", "name": "stdout", "text": ["noise\n"]}],
            "source": text.splitlines(keepends=True)})
    return json.dumps({"cells": out, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


def _split_at_definitions(source: str) -> list[str]:
    """A file cut into cells the way people write notebooks: one cell per top-level def/class."""
    parts = re.split(r"\n(?=(?:def|class) )", source)
    return [p.rstrip("\n") for p in parts]


@pytest.mark.parametrize("drill_id", sorted(DRILLS))
def test_every_reference_and_starter_read_back_from_a_notebook(drill_id):
    drill = DRILLS[drill_id]
    for path in (drill.reference_path, drill.starter_path):
        text = path.read_text(encoding="utf-8")
        code = read_code(_notebook(*_split_at_definitions(text)), "x.ipynb")
        assert [line for line in code.source.splitlines() if line] == [line for line in text.splitlines() if line]
    starter = drill.starter_path.read_text(encoding="utf-8")
    written = read_code(starter_notebook(starter, "task").encode(), "bn.ipynb")
    assert written.source.rstrip("\n") == starter.rstrip("\n")


def test_magics_and_shell_lines_are_dropped_and_lines_map_to_cells():
    code = read_code(_notebook("%load_ext autoreload\nimport numpy as np", "%%timeit\nx = 1",
                               "def f(x):\n    !ls\n    return x"), "n.ipynb")
    assert not [line for line in code.source.splitlines() if line.lstrip().startswith(("%", "!"))]
    assert "x = 1" not in code.source  # the %%timeit cell is left out whole
    compile(code.source, "n.py", "exec")  # still Python, indentation intact
    assert code.dropped == ["cell 2, line 1: %load_ext", "cell 3: the cell magic %%timeit", "cell 4, line 2: !ls"]
    line = code.source.splitlines().index("    return x") + 1
    assert code.where(line) == "cell 4, line 3"
    assert code.relabel(f"line {line}, in f: return x") == "cell 4, line 3, in f: return x"


@pytest.mark.parametrize("data", [b"not json", b'{"cells": 3}', b'{"cells": [{"cell_type": "markdown", "source": "x"}]}'])
def test_a_broken_notebook_is_a_clear_error(data):
    with pytest.raises(QuizdlError):
        read_code(data, "bad.ipynb")


def test_drill_notebook_writes_a_notebook_that_grades(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["drill", "softmax-ce", "--notebook", "--lang", "en"])
    assert result.exit_code == 0, result.output
    notebook = json.loads((tmp_path / "softmax_ce.ipynb").read_text(encoding="utf-8"))
    assert [c["cell_type"] for c in notebook["cells"]] == ["markdown", "code"] and notebook["nbformat"] == 4
    result = runner.invoke(app, ["grade", "softmax_ce.ipynb"])
    assert result.exit_code == 1 and "NotImplementedError" in result.output
    assert re.search(r"cell 2, line \d+, in\s+softmax", result.output)  # (may wrap before the name), result.output
    # the reference, cut into cells, with a magic line: passes, and says what it left out
    reference = DRILLS["softmax-ce"].reference_path.read_text(encoding="utf-8")
    cells = ["%matplotlib inline\n# quizdl drill: softmax-ce"] + _split_at_definitions(reference)
    (tmp_path / "mine.ipynb").write_bytes(_notebook(*cells))
    result = runner.invoke(app, ["grade", "mine.ipynb"])
    assert result.exit_code == 0, result.output
    assert "PASS" in result.output and "left out (IPython syntax, not Python): cell 2, line 1: %matplotlib" in result.output


def test_a_syntax_error_in_a_notebook_names_the_cell(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lr.ipynb").write_bytes(_notebook("# quizdl drill: lr-step\nimport math", "def step_lr(epoch:\n    pass"))
    result = runner.invoke(app, ["grade", "lr.ipynb", "--json"])
    report = json.loads(result.output)
    assert report["status"] == "error" and "cell 3, line 1" in report["message"], report["message"]
