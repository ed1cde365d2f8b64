"""Every command through CliRunner: output, exit codes, and one-line errors without tracebacks."""

from __future__ import annotations

import json
import re
from datetime import UTC

import pytest
from typer.testing import CliRunner

from quizdl.cli.app import app
from quizdl.store import Store
from tests.conftest import SAMPLE_DECKS

runner = CliRunner()
SAMPLE = ["--cards", str(SAMPLE_DECKS)]


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def assert_clean_error(result, code: int, *needles: str) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    text = result.output
    assert text.startswith("error: ")
    for needle in needles:
        assert needle in text


def test_no_arguments_prints_help():
    result = run()
    assert "study" in result.output and "cards" in result.output and "drill" in result.output


@pytest.mark.parametrize("command", [["study"], ["topics"], ["stats"], ["cards", "list"], ["cards", "show"],
                                     ["cards", "check"], ["config", "set"], ["drill", "list"], ["grade"]])
def test_every_command_has_help_with_an_example(command):
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "Example" in result.output or "example" in result.output


def test_study_piped_answers_are_stored(quizdl_home):
    result = run("study", *SAMPLE, "-t", "sample", "--lang", "en", input="\n3\n2\n4\n")
    assert result.exit_code == 0, result.output
    assert "Session done: 2 card(s)" in result.output
    with Store.open(quizdl_home / "progress.sqlite3") as store:
        assert [(r.item_id, r.rating) for r in store.reviews()] == [("sample-basic", 3), ("sample-choice", 4)]


def test_study_nothing_due_is_friendly():
    run("study", *SAMPLE, "-t", "sample", "--new", "1", input="\n4\n")
    result = run("study", *SAMPLE, "-t", "sample", "--new", "0")
    assert result.exit_code == 0
    assert "Nothing to study right now" in result.output and "Next card due in" in result.output


def test_unknown_topic_is_a_one_line_error():
    assert_clean_error(run("study", "-t", "no-such-topic"), 2, "unknown topic 'no-such-topic'")


def test_bad_language():
    assert_clean_error(run("study", *SAMPLE, "--lang", "fr"), 2, "--lang")


def test_topics_lists_decks_with_counts():
    result = run("topics", *SAMPLE)
    assert result.exit_code == 0 and "sample" in result.output


def test_cards_list_show_and_leeches():
    result = run("cards", "list", *SAMPLE, "-t", "sample")
    assert result.exit_code == 0 and "sample-term" in result.output and "4 card(s)" in result.output
    shown = run("cards", "show", "sample-choice", *SAMPLE)
    assert shown.exit_code == 0 and "0.1" in shown.output and "torch.nn.BatchNorm1d 默认" in shown.output
    assert "No leeches" in run("cards", "list", *SAMPLE, "--leeches").output


def test_unknown_card_id():
    assert_clean_error(run("cards", "show", "nope", *SAMPLE), 2, "unknown card id 'nope'")


def test_cards_check_reports_every_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("deck: bad\ntitle: {en: B, zh: B}\ncards:\n  - id: Bad Id\n    type: basic\n", encoding="utf-8")
    result = run("cards", "check", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:4: Bad Id: id 'Bad Id' must be a lowercase slug" in result.output
    assert f"{bad}:4: Bad Id: missing field 'front'" in result.output
    assert "Traceback" not in result.output


def test_cards_check_catches_bad_formula(tmp_path):
    deck = tmp_path / "f.yaml"
    deck.write_text(
        "deck: f\ntitle: {en: F, zh: F}\ncards:\n  - id: f-one\n    type: basic\n"
        "    front: {en: 'Q $\\frac{a}{b$?', zh: 问}\n    back: {en: A, zh: 答}\n",
        encoding="utf-8",
    )
    result = run("cards", "check", str(deck))
    assert result.exit_code == 2 and "bad formula" in result.output


def test_cards_check_reports_every_stage_at_once(tmp_path):
    deck = tmp_path / "all.yaml"
    deck.write_text(
        "deck: all\ntitle: {en: A, zh: A}\ncards:\n"
        "  - id: one\n    type: basic\n    front: {en: 'Q', zh: 问}\n"  # no back
        "  - id: one\n    type: basic\n    front: {en: 'Q $\\foo{x}$ costs $5', zh: 问}\n    back: {en: A, zh: 答}\n",
        encoding="utf-8",
    )
    result = run("cards", "check", str(deck))
    assert result.exit_code == 2
    assert f"{deck}:4: one: missing field 'back'" in result.output
    assert f"{deck}:7: one: duplicate card id (also at {deck}:4)" in result.output
    assert f"{deck}:9: one: front.en: unknown LaTeX macro \\foo" in result.output
    assert f"{deck}:9: one: front.en: unclosed $" in result.output
    assert "4 problems" in result.output


def test_cards_check_missing_path():
    assert_clean_error(run("cards", "check", "/no/such/deck.yaml"), 2, "no such deck file")


def test_stats_text_and_json():
    run("study", *SAMPLE, "-t", "sample", input="\n3\n")
    text = run("stats", *SAMPLE)
    assert text.exit_code == 0 and "Reviews today 1" in text.output
    data = json.loads(run("stats", "--json", *SAMPLE).output)
    assert data["reviews_today"] == 1 and len(data["forecast"]) == 30 and data["streak"]["current"] == 1


def test_config_set_get_and_validation(quizdl_home):
    assert run("config", "set", "new_per_day", "5").exit_code == 0
    assert run("config", "get", "new_per_day").output.strip() == "5"
    assert (quizdl_home / "config.yaml").exists()
    assert_clean_error(run("config", "set", "desired_retention", "2"), 2, "between 0.7 and 0.99")
    assert_clean_error(run("config", "set", "colour", "red"), 2, "unknown setting 'colour'")


def test_corrupt_database_message(quizdl_home):
    quizdl_home.mkdir(parents=True)
    (quizdl_home / "progress.sqlite3").write_bytes(b"garbage" * 200)
    result = run("stats", *SAMPLE)
    assert_clean_error(result, 2, "progress.sqlite3", "corrupt")


def test_broken_config_file_message(quizdl_home):
    quizdl_home.mkdir(parents=True)
    (quizdl_home / "config.yaml").write_text("new_per_day: lots\n", encoding="utf-8")
    assert_clean_error(run("topics", *SAMPLE), 2, "new_per_day must be")


def test_piped_output_has_no_escape_codes(monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    result = run("topics", *SAMPLE)
    assert "\x1b[" not in result.output


def _all_commands(command, path=()):
    if hasattr(command, "commands"):  # a group
        for name, sub in command.commands.items():
            yield from _all_commands(sub, (*path, name))
    else:
        yield path


def test_help_of_every_command_in_the_tree_has_an_example():
    import typer.main

    paths = list(_all_commands(typer.main.get_command(app)))
    assert len(paths) >= 15
    for path in paths:
        result = run(*path, "--help")
        assert result.exit_code == 0, (path, result.output)
        assert "Example" in result.output or "example" in result.output, path


def test_study_summary_mentions_due_drills(quizdl_home):
    from datetime import datetime, timedelta

    from quizdl import drill_progress
    from quizdl import scheduler as sched
    from quizdl.config import Config
    from quizdl.store import DrillAttempt

    past = datetime.now(UTC) - timedelta(days=3)
    with Store.open(quizdl_home / "progress.sqlite3") as store:
        attempt = DrillAttempt("bn", past.timestamp(), False, 0, 7, None, 1000)
        drill_progress.record_grade(store, sched.make_scheduler(Config(), drills=True), attempt, past)
    result = run("study", *SAMPLE, "-t", "sample", "--new", "0")
    assert result.exit_code == 0, result.output
    assert "Drills due: bn" in result.output


@pytest.mark.parametrize("columns", [60, 80])
def test_cards_show_wraps_chinese_without_half_empty_lines(monkeypatch, columns):
    # issue 13 item 22: a zh paragraph fills every line but its last; formulas stay whole
    monkeypatch.setenv("COLUMNS", str(columns))
    result = run("cards", "show", "norm-running-var-unbiased")
    assert result.exit_code == 0, result.output
    rows = [line[2:-2].rstrip() for line in result.output.splitlines() if line.startswith("│ ")]
    assert all(len(line) <= columns for line in result.output.splitlines())
    start = next(i for i, row in enumerate(rows) if row.startswith("训练时"))
    paragraph = rows[start:rows.index("", start) if "" in rows[start:] else len(rows)]
    from quizdl.text import cell_width

    assert len(paragraph) >= 3
    inner = columns - 4
    for row, below in zip(paragraph, paragraph[1:], strict=False):
        # a row ends early only when what starts the next row (a CJK character, or a formula or
        # word up to the next CJK character) would not have fitted
        head = re.match(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef][，。、；：？！）」』】》]*|[^\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]+", below)
        assert cell_width(row) + cell_width(head.group(0).rstrip()) > inner - 1, (row, below)
    assert any("r ← (1 - m) r + m (n/(n-1)) σ_B²" in row for row in paragraph), paragraph


def test_cards_check_ends_an_alias_bomb_quickly_with_one_short_line(tmp_path):
    import time

    from tests.test_cards import BILLION_LAUGHS

    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BILLION_LAUGHS, encoding="utf-8")
    started = time.monotonic()
    result = run("cards", "check", str(bomb))
    assert time.monotonic() - started < 1.0
    assert result.exit_code == 2 and len(result.output) < 300, result.output
    assert "anchors and aliases" in result.output and "Traceback" not in result.output


def test_study_says_the_new_card_allowance_is_spent():
    """Issue #13 item 10: not 'Nothing to study' while new cards wait behind today's allowance."""
    assert run("config", "set", "new_per_day", "1").exit_code == 0
    first = run("study", *SAMPLE, "-t", "sample", "--lang", "en", input="\n4\n")
    assert "Session done: 1 card(s)" in first.output, first.output
    assert "allowance is spent (3 new cards waiting)" in first.output
    result = run("study", *SAMPLE, "-t", "sample", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Nothing to study" not in result.output
    assert "Today's new-card allowance is spent (3 new cards waiting);" in result.output
    assert "study more with `quizdl study --new 1`" in result.output
    more = run("study", *SAMPLE, "-t", "sample", "--lang", "en", "--new", "1", input="2\n\n")
    assert "Session done: 1 card(s)" in more.output and "allowance" not in more.output


def test_cards_unbury_one_or_all(quizdl_home):
    """Issue #13 item 12: a skipped (buried) card comes back with `cards unbury ID|--all`."""
    run("study", *SAMPLE, "-t", "sample", "--lang", "en", input="s\ns\nq\n")  # bury two cards
    with Store.open(quizdl_home / "progress.sqlite3") as store:
        assert len(store.buried_at(0)) == 2
    result = run("cards", "unbury", "sample-basic", *SAMPLE)
    assert result.exit_code == 0 and "unburied sample-basic" in result.output, result.output
    again = run("cards", "unbury", "sample-basic", *SAMPLE)
    assert again.exit_code == 0 and "sample-basic is not buried; nothing to do" in again.output
    assert "Traceback" not in again.output
    assert "unburied 1 card;" in run("cards", "unbury", "--all", *SAMPLE).output
    with Store.open(quizdl_home / "progress.sqlite3") as store:
        assert store.buried_at(0) == set()
    neither = run("cards", "unbury")
    assert neither.exit_code != 0 and "give a card id or --all" in neither.output
    shown = run("study", *SAMPLE, "-t", "sample", "--lang", "en", input="q\n")
    assert "sample-basic" in shown.output


def test_grade_lang_picks_the_language_of_the_diagnosis(tmp_path, monkeypatch):
    """Issue #13 item 27: `quizdl grade --lang` (also with --watch); a bad value is a usage error."""
    from quizdl import paths

    monkeypatch.chdir(tmp_path)
    reference = (paths.builtin_dir("drills") / "softmax-ce" / "reference.py").read_text(encoding="utf-8")
    wrong = "# quizdl drill: softmax-ce\n" + reference.replace("    return grad / n", "    return grad")
    (tmp_path / "ce.py").write_text(wrong)

    def diagnosis(output: str, end: str) -> str:
        return output[output.index("grad-not-averaged"):output.index(end)]

    zh = run("grade", "ce.py", "--lang", "zh")
    en = run("grade", "ce.py", "--lang", "en")
    assert zh.exit_code == 1 and en.exit_code == 1, zh.output
    # the report's labels follow too (PASS/FAIL stay, for scripts)
    assert "评测 ce.py，练习 softmax-ce" in zh.output and "诊断" in zh.output and "项测试通过" in zh.output
    assert "FAIL" in zh.output and "Diagnosis" not in zh.output and "tests passed" not in zh.output
    assert "Grading ce.py against drill softmax-ce" in en.output and "Diagnosis" in en.output
    assert any("\u4e00" <= ch <= "\u9fff" for ch in diagnosis(zh.output, "用时")), zh.output
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in diagnosis(en.output, "time ")), en.output
    bad = run("grade", "ce.py", "--lang", "fr")
    assert bad.exit_code == 2 and "--lang must be one of en, zh, both" in bad.output
    watch = run("grade", "ce.py", "--watch", "--lang", "fr")
    assert watch.exit_code == 2 and "--lang must be one of en, zh, both" in watch.output
