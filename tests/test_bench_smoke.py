"""The benchmark suite keeps working (smoke mode: tiny data, seconds), and the study path stays lean.

No timing is asserted here — CI machines vary; `python bench/run.py` is the manual full run.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SAMPLE_DECKS, modules_loaded_by

REPO = Path(__file__).resolve().parent.parent

def _loaded_heavy(*args: str, home: Path) -> list[str]:
    return sorted(m for m in modules_loaded_by(*args, home=home) if m.split(".")[0] in ("numpy", "torch", "pydantic"))


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["study", "--cards", str(SAMPLE_DECKS), "-t", "sample", "--lang", "en", "--new", "2", "--limit", "1"],
        ["topics", "--cards", str(SAMPLE_DECKS)],
        ["stats"],
    ],
)
def test_cards_commands_never_import_numpy_torch_or_pydantic(args, quizdl_home):
    heavy = _loaded_heavy(*args, home=quizdl_home)
    assert not [m for m in heavy if m.split(".")[0] in ("numpy", "torch")], heavy
    # typer converts parameters with pydantic; quizdl's own conversion (cli._FastCoercion) avoids
    # that import — it costs more than the rest of `quizdl study` start-up.
    assert not [m for m in heavy if m.split(".")[0] == "pydantic"], heavy


def test_bench_smoke_runs_and_prints_the_table(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--smoke", "--markdown", str(tmp_path / "table.md")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = proc.stdout
    for needle in ("| measurement", "`quizdl --help`", "→ `--help` ÷ bare app", "first card",
                   "`quizdl topics`", "`quizdl stats`", "one answer persisted", "peak memory", "`quizdl grade`"):
        assert needle in out, out
    assert "| measurement" in (tmp_path / "table.md").read_text(encoding="utf-8")


# --- the fast paths added for speed give exactly what the slow paths give --------------------


def test_deck_cache_gives_the_same_library_and_survives_damage(tmp_path, quizdl_home):
    import dataclasses
    import os

    from quizdl import cards as C

    deck = tmp_path / "sample.yaml"
    deck.write_text((SAMPLE_DECKS / "sample.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    ref = C.load_library([deck], drill_ids=set(), use_cache=False)

    def same(lib) -> None:
        assert list(lib.cards) == list(ref.cards) and list(lib.decks) == list(ref.decks)
        for cid, card in lib.cards.items():
            want = ref.cards[cid]
            assert card == want and repr(card) == repr(want)
            for f in dataclasses.fields(card):
                assert type(getattr(card, f.name)) is type(getattr(want, f.name)), (cid, f.name)
        for did, d in lib.decks.items():
            assert (d.id, d.title, d.section, d.file) == (ref.decks[did].id, ref.decks[did].title,
                                                          ref.decks[did].section, ref.decks[did].file)

    C.load_library([deck], drill_ids=set())  # parses, writes the cache
    cached = C.load_library([deck], drill_ids=set())  # texts come from the cache, lazily
    assert all(type(c.__dict__["front"]) is C._Texts for c in cached.cards.values())
    same(cached)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cached.cards["sample-basic"].front = {}  # type: ignore[misc]

    cache = C._cache_file()
    good = cache.read_bytes()
    for damaged in (b"", b"garbage", good[:50], good[:-5], good[:40] + b"\0" * (len(good) - 40)):
        cache.write_bytes(damaged)
        same(C.load_library([deck], drill_ids=set()))

    # The cache file is truncated under a running session: texts come from the deck file instead.
    C.load_library([deck], drill_ids=set())
    lib = C.load_library([deck], drill_ids=set())
    fd = os.open(cache, os.O_WRONLY)
    os.ftruncate(fd, 60)
    os.close(fd)
    same(lib)

    deck.write_text(deck.read_text(encoding="utf-8").replace("What does BatchNorm", "What does BN"), encoding="utf-8")
    assert C.load_library([deck], drill_ids=set()).cards["sample-basic"].front["en"].startswith("What does BN")


COERCION_CASES = [
    ["study", "--new", "abc"], ["study", "--new", "-1"], ["study", "--limit", "0"], ["study", "--new", "٣"],
    ["study", "--new", " 5", "--limit", "1"], ["study", "--new", "+3", "--limit", "1"],
    ["study", "--cards", "/nonexistent", "--new", "0"], ["topics", "--lang", "xx"],
    ["cards", "list", "-t", "nope"], ["config", "get", "new_per_day"], ["config", "set", "new_per_day", "7"],
    ["stats", "--json"], ["cards", "show"], ["cards", "check", "/nonexistent"],
]


@pytest.mark.parametrize("args", COERCION_CASES)
def test_fast_parameter_conversion_matches_typer(args, quizdl_home, monkeypatch):
    import shutil

    import typer.core
    from typer.testing import CliRunner

    from quizdl.cli.app import app

    fast = typer.core._TyperParameter.get_runtime_param
    if not getattr(typer.core._TyperParameter, "_quizdl_fast", False):
        pytest.skip("this typer has no per-parameter conversion to speed up")

    def typer_own(self):
        if self._runtime_param is None:
            from typer._coercion import build_runtime_param

            self._runtime_param = build_runtime_param(self.type_descriptor)
        return self._runtime_param

    extra = ["--cards", str(SAMPLE_DECKS)] if args[0] in ("study", "topics") and "--cards" not in args else []
    outputs = []
    for impl in (typer_own, fast):
        shutil.rmtree(quizdl_home, ignore_errors=True)
        monkeypatch.setattr(typer.core._TyperParameter, "get_runtime_param", impl)
        random.seed(7)
        result = CliRunner().invoke(app, [*args, *extra], input="q\n")
        outputs.append((result.exit_code, re.sub(r"\b\d+:\d\d\b", "m:ss", result.output)))  # elapsed times
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    "args",
    [["study", "--help"], ["topics", "--help"], ["stats", "--help"], ["study", "--new", "x"],
     ["study", "-t", "nope"], ["stats", "--json"], ["stats", "--bogus"], ["topics", "--cards", str(SAMPLE_DECKS)],
     ["study", "--cards", str(SAMPLE_DECKS), "-t", "sample", "--lang", "en"]],
)
def test_one_command_app_behaves_like_the_whole_app(args, quizdl_home):
    import shutil

    from typer.testing import CliRunner

    from quizdl.cli.app import _app_for, app

    assert _app_for(args) is not app  # the fast path is taken
    outputs = []
    for which in (app, _app_for(args)):
        shutil.rmtree(quizdl_home, ignore_errors=True)
        random.seed(7)  # the same FSRS fuzz in both runs
        result = CliRunner().invoke(which, args, input="\n3\nq\n")
        outputs.append((result.exit_code, re.sub(r"\b\d+:\d\d\b", "m:ss", result.output)))
    assert outputs[0] == outputs[1]


CJK_SAMPLE = "ab \n\n中文。，\u3000\u303f\u3040\u33ff\u3400\u9fff\ua000\uff00\uffef\ufff0"


@given(st.text(alphabet=CJK_SAMPLE, max_size=30))
def test_cjk_soft_break_removal_matches_the_regex(text):
    from quizdl.text import _drop_cjk_soft_breaks

    cjk = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
    punct = "\u3000-\u303f\uff00-\uffef"  # full-width punctuation: a break beside it is no gap
    rule = f"(?<=[{cjk}])\n(?=[{cjk}])|(?<=[{punct}])\n(?=.)|(?<=.)\n(?=[{punct}])"
    assert _drop_cjk_soft_breaks(text) == re.sub(rule, "", text)
