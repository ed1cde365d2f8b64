"""Issue #13's command-line items: cards list/search/suspend, did-you-mean, topics --tags and widths,
the grade spinner and pass line, `e` in study, leech advice, 60-column hints and summary."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdl import catalog
from quizdl.cards import load_library
from quizdl.cli.app import app
from quizdl.cli.grade import spinner
from quizdl.cli.study_screen import leech_note
from quizdl.store import MIGRATIONS, Store, m006_suspended, schema_version
from tests.conftest import SAMPLE_DECKS, choice_key

runner = CliRunner()
SAMPLE = ["--cards", str(SAMPLE_DECKS)]


def run(*args: str, input: str | None = None, columns: int = 100):
    return runner.invoke(app, list(args), input=input, env={"COLUMNS": str(columns)})


def _store(home):
    return Store.open(home / "progress.sqlite3")


def _sample_states(home):
    """sample-basic learning (answered Again), sample-choice suspended, sample-numeric buried,
    sample-term new."""
    result = run("study", *SAMPLE, "-t", "sample", "--new", "1", input="\n1\nq\n")
    assert result.exit_code == 0, result.output
    assert run("cards", "suspend", "sample-choice", *SAMPLE).exit_code == 0
    with _store(home) as store:
        store.bury("sample-numeric", time.time() + 3600)


# --- cards list -----------------------------------------------------------------------------


def _rows(output: str) -> dict[str, str]:
    return {m.group(1): line for line in output.splitlines() if (m := re.match(r"\s+(sample-\w+)\s", line))}


def test_cards_list_has_a_header_state_due_lapses_and_front(quizdl_home):
    _sample_states(quizdl_home)
    result = run("cards", "list", *SAMPLE, "-t", "sample", "--lang", "en")
    assert result.exit_code == 0, result.output
    header = next(line for line in result.output.splitlines() if line.strip().startswith("id "))
    assert re.search(r"id\s+type\s+state\s+due\s+lapses\s+front", header)
    rows = _rows(result.output)
    assert re.search(r"basic\s+learning\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+0\s+What does BatchNorm", rows["sample-basic"])
    assert re.search(r"choice\s+suspended\s+-\s+0\s+Default momentum", rows["sample-choice"])
    assert re.search(r"numeric\s+buried\s", rows["sample-numeric"])
    assert re.search(r"term\s+new\s+-\s+0\s+Normalisation", rows["sample-term"])


@pytest.mark.parametrize("columns", [60, 80, 140])
def test_cards_list_front_preview_uses_the_terminal_width(columns):
    result = run("cards", "list", *SAMPLE, "-t", "sample", "--lang", "en", columns=columns)
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= columns
    term = _rows(result.output)["sample-term"]
    full = "Normalisation that divides by the root mean square, without centring?"
    if columns >= 140:
        assert term.endswith(full)
    elif columns >= 80:
        assert term.endswith("…") and len(term) >= columns - 2  # cropped exactly at the edge
    else:  # too narrow for the front beside the row: it goes under it, as wide as it can
        assert "Normalisation" not in term
        front = lines[lines.index(term) + 1]
        assert front.startswith("    Normalisation") and front.endswith("…") and len(front) >= columns - 2


def test_cards_list_stacks_rows_on_a_very_narrow_terminal():
    result = run("cards", "list", "-t", "gradients", "--lang", "zh", columns=40)
    lines = result.output.splitlines()
    from rich.cells import cell_len

    assert max(cell_len(line) for line in lines) <= 40
    i = lines.index("  grad-chain-rule-product")  # the id whole, on its own line
    assert lines[i + 1] == "    basic · new · due - · lapses 0"
    assert lines[i + 2].startswith("    为什么深层网络")


def test_cards_list_filters(quizdl_home):
    _sample_states(quizdl_home)

    def ids(*args):
        result = run("cards", "list", *SAMPLE, "-t", "sample", *args)
        assert result.exit_code == 0, result.output
        return set(_rows(result.output))

    assert ids("--type", "numeric") == {"sample-numeric"}
    assert ids("--type", "basic", "--type", "term") == {"sample-basic", "sample-term"}
    assert ids("--state", "new") == {"sample-term"}
    assert ids("--state", "suspended") == {"sample-choice"}
    assert ids("--state", "buried") == {"sample-numeric"}
    assert ids("--state", "learning") == {"sample-basic"}
    assert ids("--due", "today") == {"sample-basic"}  # learning, due in a minute
    assert run("cards", "list", *SAMPLE, "-t", "sample", "--due", "now").output.strip() == "No cards match."


@pytest.mark.parametrize(("args", "needle"), [
    (["--state", "sleeping"], "--state must be one of new, learning, review, suspended, buried"),
    (["--type", "essay"], "--type must be one of basic, choice, numeric, term"),
    (["--due", "soon"], "--due must be one of now, today"),
])
def test_cards_list_bad_filter_is_a_one_line_error(args, needle):
    result = run("cards", "list", *SAMPLE, *args)
    assert result.exit_code == 2 and result.output.startswith("error: ") and needle in result.output


def test_cards_list_due_now_after_time_passes(quizdl_home):
    _sample_states(quizdl_home)
    with _store(quizdl_home) as store:
        store.conn.execute("UPDATE item_state SET due = ? WHERE item_id = 'sample-basic'", (time.time() - 5,))
    result = run("cards", "list", *SAMPLE, "-t", "sample", "--due", "now")
    assert set(_rows(result.output)) == {"sample-basic"}


# --- search ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("sample-numeric", {"sample-numeric"}),  # id
    ("RMSNORM", {"sample-term"}),  # back, any case
    ("均方根", {"sample-term"}),  # zh front
    ("滑动平均", {"sample-basic"}),  # zh back
    ("cumulative average", {"sample-choice"}),  # an option
    ("batchnorm", {"sample-basic", "sample-choice"}),  # tag (and text)
    ("dropout 1.25", {"sample-numeric"}),  # all words must match
])
def test_cards_search(text, expected):
    library = load_library(extra=[SAMPLE_DECKS])
    found = {c.id for c in catalog.search(library, text) if c.deck == "sample"}
    assert found == expected
    result = run("cards", "search", text, *SAMPLE)
    assert result.exit_code == 0, result.output
    assert {i for i in _rows(result.output)} == expected


def test_cards_search_nothing_found_exits_1():
    result = run("cards", "search", "zzqx-no-such-text", *SAMPLE)
    assert result.exit_code == 1 and "No card mentions" in result.output


def test_cards_search_tag_only_match():
    library = load_library(extra=[SAMPLE_DECKS])
    tagged = next(c for c in library.cards.values() if c.tags and c.deck != "sample")
    tag = tagged.tags[0]
    assert tagged.id in {c.id for c in catalog.search(library, tag)}


# --- suspend ----------------------------------------------------------------------------------


SUSPENDED_VERSION = MIGRATIONS.index(m006_suspended) + 1  # the user_version it leads to


def test_migration_adds_the_suspended_table(quizdl_home):
    with _store(quizdl_home) as store:
        assert store.query("PRAGMA user_version")[0][0] == schema_version() >= SUSPENDED_VERSION
        assert store.suspend(["a", "b", "a"], 1.0) == ["a", "b"]
        assert store.suspend(["a"], 2.0) == []
        assert store.unsuspend(["a", "c"]) == ["a"]
        assert store.suspended() == {"b"}


def test_migration_upgrades_a_database_from_before_it(quizdl_home):
    assert MIGRATIONS[-1] is m006_suspended  # the last one, so dropping its table undoes it alone
    quizdl_home.mkdir(parents=True, exist_ok=True)
    with _store(quizdl_home) as store:
        store.conn.execute("DROP TABLE suspended")
        store.conn.execute(f"PRAGMA user_version = {SUSPENDED_VERSION - 1}")
        store.record_review("sample-basic", 3, 1.0, 10, None, _some_state())
    with _store(quizdl_home) as store:
        assert store.query("PRAGMA user_version")[0][0] == SUSPENDED_VERSION and store.suspended() == set()
        assert store.get_state("sample-basic") is not None  # nothing lost


def _some_state():
    from quizdl.store import ItemState

    return ItemState("sample-basic", 2, None, 3.0, 5.0, time.time() + 86400, 1.0, 1, 0)


def test_suspended_cards_leave_study_until_unsuspended(quizdl_home):
    result = run("cards", "suspend", "sample-basic", "sample-choice", *SAMPLE)
    assert result.exit_code == 0 and "suspended sample-basic" in result.output
    assert "unsuspend sample-basic sample-choice" in result.output
    assert "already suspended" in run("cards", "suspend", "sample-basic", *SAMPLE).output
    study = run("study", *SAMPLE, "-t", "sample", "--lang", "en", input="q\n")
    assert "Default momentum" not in study.output and "What does BatchNorm" not in study.output
    assert "Inverted dropout" in study.output  # the first card not suspended
    assert run("cards", "unsuspend", "sample-basic", *SAMPLE).exit_code == 0
    assert "not suspended" in run("cards", "unsuspend", "sample-basic", *SAMPLE).output
    study = run("study", *SAMPLE, "-t", "sample", "--lang", "en", input="q\n")
    assert "What does BatchNorm" in study.output


def test_topics_and_stats_count_suspended_cards_apart(quizdl_home):
    import json

    def sample_row(output):
        return next(line.split() for line in output.splitlines() if line.startswith("sample "))

    before = json.loads(run("stats", "--json", *SAMPLE).output)
    assert "suspended" not in run("topics", *SAMPLE).output
    assert run("cards", "suspend", "sample-basic", "sample-choice", *SAMPLE).exit_code == 0
    topics = run("topics", *SAMPLE)
    assert "suspended" in topics.output
    row = sample_row(topics.output)  # deck, title words..., cards new learning due mature suspended
    assert row[-6:] == ["4", "2", "0", "0", "0", "2"]
    after = json.loads(run("stats", "--json", *SAMPLE).output)
    assert after["suspended"] == 2 and after["new"] == before["new"] - 2 and after["cards"] == before["cards"]
    deck = next(d for d in after["topics"]["decks"] if d["deck"] == "sample")
    assert deck["suspended"] == 2 and deck["new"] == 2 and deck["total"] == 4
    assert "suspended 2" in run("stats", *SAMPLE).output


def test_suspended_cards_are_not_asked_in_an_interview(quizdl_home):
    from quizdl import config as cfg
    from quizdl.interview import make_plan

    library = load_library(extra=[SAMPLE_DECKS])
    with _store(quizdl_home) as store:
        store.suspend(["sample-basic", "sample-choice", "sample-numeric"], 1.0)
        plan = make_plan(library, store, cfg.load(), {}, minutes=45, topics=["sample"])
        assert [c.id for c in plan.cards] == ["sample-term"]
        store.suspend(["sample-term"], 1.0)
        with pytest.raises(Exception, match="suspended"):
            make_plan(library, store, cfg.load(), {}, minutes=45, topics=["sample"])


def test_suspend_unknown_id_suggests_and_changes_nothing(quizdl_home):
    result = run("cards", "suspend", "sample-basic", "sample-choise", *SAMPLE)
    assert result.exit_code == 2 and "unknown card id 'sample-choise' — did you mean sample-choice" in result.output
    with _store(quizdl_home) as store:
        assert store.suspended() == set()


def test_leech_advice_depends_on_who_can_edit_the_card():
    library = load_library(extra=[SAMPLE_DECKS])
    builtin = library.cards["norm-bn-momentum-default"]
    assert catalog.is_builtin(builtin) and not catalog.is_builtin(library.cards["sample-basic"])
    assert leech_note(builtin) == "leech (8+ lapses): set it aside with `quizdl cards suspend norm-bn-momentum-default`"
    assert "rewriting" in leech_note(library.cards["sample-basic"])


def test_a_leech_in_study_gets_the_suspend_advice(quizdl_home):
    run("cards", "list")  # creates the store
    with _store(quizdl_home) as store:
        from quizdl.store import ItemState

        st = ItemState("norm-bn-momentum-default", 2, None, 1.0, 9.0, time.time() - 60, time.time() - 86400, 12, 7)
        store.record_review("norm-bn-momentum-default", 3, time.time() - 86400, 10, None, st)
    result = run("study", "-t", "normalization", "--new", "0", "--lang", "en", input="abc\n\n1\nq\n")
    assert "leech (8+ lapses): set it aside with `quizdl cards suspend norm-bn-momentum-default`" in result.output


# --- e in study -------------------------------------------------------------------------------


@pytest.fixture
def fake_editor(tmp_path, monkeypatch) -> Path:
    """$EDITOR is a script that writes its arguments to the returned log file."""
    log = tmp_path / "editor.log"
    editor = tmp_path / "fake-editor"
    editor.write_text(f'#!/bin/sh\necho "$@" > {log}\n')
    editor.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    return log


def test_e_opens_a_users_own_card_in_the_editor_at_its_line(fake_editor):
    result = run("study", *SAMPLE, "-t", "sample", "--lang", "en", input="e\nq\n")
    library = load_library(extra=[SAMPLE_DECKS])
    card = library.cards["sample-basic"]
    assert fake_editor.read_text().split() == [f"+{card.line}", card.file]
    assert "edited" in result.output and "u undo · e edit · q quit" in result.output


def test_e_on_a_builtin_card_says_it_cannot(tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", str(tmp_path / "must-not-run"))
    result = run("study", "-t", "normalization", "--new", "1", "--lang", "en", input="e\nq\n")
    assert "is a built-in card and cannot be edited" in result.output
    assert "quizdl cards suspend" in result.output
    assert "· e edit ·" not in result.output  # the hint offers e only where it works


# --- 60 columns -----------------------------------------------------------------------------


def test_key_hints_and_summary_fit_60_columns(quizdl_home):
    keys = "\n3\n2\n3\n0.9\n\nrmsnorm\n3\nq\n"
    for args in (["--cards", str(SAMPLE_DECKS), "-t", "sample"], ["-t", "normalization", "--new", "3"]):
        result = run("study", *args, "--lang", "en", input=keys, columns=60)
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        hints = [line for line in lines if "q quit" in line]
        assert hints and all(len(h) <= 60 for h in hints), [h for h in hints if len(h) > 60]
        summary = lines[next(i for i, line in enumerate(lines) if line.startswith("Session done")):]
        assert all(len(line) <= 60 for line in summary), summary
        assert any(re.fullmatch(r"Again \d+ · Hard \d+ · Good \d+ · Easy \d+", line) for line in summary)
        for line in summary:  # no line is a word-wrapped tail
            assert not line.startswith((" ", "·"))


# --- topics ---------------------------------------------------------------------------------


@pytest.mark.parametrize("columns", [60, 80])
def test_topics_never_truncates_deck_ids(columns):
    library = load_library()
    result = run("topics", columns=columns)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= columns
    for deck in library.decks:
        row = next(line for line in lines if line.startswith(deck + " "))
        assert re.search(r"(\d+\s+){4}\d+$", row), row  # every count column is there
    titles = "\n".join(lines)
    if columns == 80:
        assert "Learning-rate schedules" in titles  # a short title is whole
    assert "…" in titles  # the long ones shrank instead of the ids


def test_topics_tags_lists_tags_with_counts():
    library = load_library()
    result = run("topics", "--tags")
    assert result.exit_code == 0
    counts = dict(catalog.tag_counts(library))
    assert counts["batchnorm"] == sum("batchnorm" in c.tags for c in library.cards.values())
    assert re.search(rf"^batchnorm\s+{counts['batchnorm']}$", result.output, re.M)
    shown = [line.split()[0] for line in result.output.splitlines()[2:] if line.strip()]
    assert shown == [t for t, _ in catalog.tag_counts(library)]  # most used first
    assert run("study", "-t", "batchnorm", "--limit", "1", input="q\n").exit_code == 0  # usable with -t


# --- did you mean ---------------------------------------------------------------------------


def test_unknown_card_id_suggests_the_closest():
    result = run("cards", "show", "norm-running-var-unbiassed")
    assert result.exit_code == 2
    assert result.output.startswith("error: unknown card id 'norm-running-var-unbiassed' — did you mean norm-running-var-unbiased")


def test_unknown_drill_id_suggests_the_closest():
    result = run("drill", "show", "layernrom")
    assert result.exit_code == 2 and "did you mean layernorm" in result.output
    assert "Traceback" not in result.output


def test_no_suggestion_for_nonsense():
    assert catalog.did_you_mean("qqqqqqqq", ["bn", "layernorm"]) == ""
    assert catalog.closest("bn", ["bn2d", "bn", "bn-backward", "adam"]) [:1] == ["bn"]


# --- grade ----------------------------------------------------------------------------------


class _FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_spinner_shows_elapsed_time_on_a_terminal_after_the_delay():
    stream = _FakeTTY()
    with spinner(stream=stream, after_s=0.05):
        time.sleep(0.4)
    out = stream.getvalue()
    assert re.search(r"\r[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] grading… 0\.\d s", out)
    assert out.endswith("\r\x1b[2K")  # erased before the report


def test_spinner_never_when_piped_or_fast():
    piped = io.StringIO()
    with spinner(stream=piped, after_s=0.0):
        time.sleep(0.2)
    assert piped.getvalue() == ""
    fast = _FakeTTY()
    with spinner(stream=fast, after_s=1.0):
        pass
    assert fast.getvalue() == ""


def test_a_pass_ends_with_the_solution_command(tmp_path, monkeypatch):
    from pathlib import Path

    monkeypatch.chdir(tmp_path)
    reference = (Path(__file__).resolve().parent.parent / "drills" / "softmax-ce" / "reference.py").read_text()
    (tmp_path / "ce.py").write_text("# quizdl drill: softmax-ce\n" + reference)
    result = run("grade", "ce.py")
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().splitlines()[-1] == "see the reference: quizdl drill solution softmax-ce"
    assert "grading…" not in result.output  # CliRunner's output is no terminal


def test_wrapped_failure_message_keeps_indexes_whole():
    from rich.console import Console

    from quizdl.cli.grade import _say

    buf = io.StringIO()
    console = Console(file=buf, width=40)
    _say(console, "  out: mismatch at running_var[after step 3, feature 1] and more words here")
    assert "running_var[after step 3, feature 1]" in buf.getvalue()



def test_e_on_a_typed_answer_card_edits_and_asks_again(fake_editor):
    assert run("cards", "suspend", "sample-basic", "sample-choice", *SAMPLE).exit_code == 0
    result = run("study", *SAMPLE, "-t", "sample", "--lang", "en", input="e\n1.25\n\nq\n")
    card = load_library(extra=[SAMPLE_DECKS]).cards["sample-numeric"]
    assert fake_editor.read_text().split() == [f"+{card.line}", card.file]
    assert "✓ correct" in result.output  # `e` was not taken for an answer; 1.25 was


@pytest.mark.parametrize("columns", [60, 80])
def test_key_hints_fit_on_a_real_terminal(quizdl_home, columns):
    """On a pty (single keys, the typed-answer prompt through rich's input), at 60 and 80 columns."""
    import os
    import sys

    import pexpect

    from quizdl import paths

    env = dict(os.environ, QUIZDL_HOME=str(quizdl_home), NO_COLOR="1", COLUMNS=str(columns), LINES="40",
               TERM="xterm", PYTHONPATH=str(paths.package_dir().parent))
    child = pexpect.spawn(sys.executable, ["-m", "quizdl", "study", *SAMPLE, "-t", "sample", "--lang", "en"],
                          env=env, encoding="utf-8", timeout=30, dimensions=(40, columns))
    child.logfile_read = seen = io.StringIO()
    try:
        child.expect("show answer")
        child.send(" ")
        child.expect("space/enter = Good")
        child.send("3")
        child.expect("your choice")
        child.send(choice_key())
        child.expect("space/enter = Good")
        child.send("3")
        child.expect(r"type a number \(enter: no idea\)")
        child.sendline("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    out = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen.getvalue())
    lines = [x for x in re.split(r"\r?\n|\r", out) if "q quit" in x]
    prompts = [x[: x.index("›") + 2] if "›" in x else x.rstrip() for x in lines]  # not the typed answer
    assert len(prompts) >= 5 and all(len(x) <= 60 for x in prompts), prompts
    assert any("u undo · e edit · q quit" in x for x in lines)
