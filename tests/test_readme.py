"""README stays true to the built-in drills: its table lists every drill, once, by its id."""

from __future__ import annotations

import re
from pathlib import Path

from quizdl import paths
from quizdl.drills import drill_folders

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_lists_every_builtin_drill():
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- drills:begin -->", 1)[1].split("<!-- drills:end -->", 1)[0]
    listed = re.findall(r"^\| `([a-z0-9-]+)` \|", table, re.M)
    builtin = sorted(p.name for p in drill_folders(paths.builtin_dir("drills")))
    assert sorted(listed) == builtin
    count = re.search(r"(\d+) drills, each with", text)
    assert count and int(count.group(1)) == len(builtin)
