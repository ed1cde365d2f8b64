"""The practice loop's rules: which grades are reviews, hints, review files, marker-less files."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Rating
from typer.testing import CliRunner

from quizdl import drill_progress, paths
from quizdl import scheduler as sched
from quizdl.cli.app import app
from quizdl.config import Config
from quizdl.drills import load_drills, match_drill
from quizdl.errors import QuizdlError
from quizdl.store import DrillAttempt, Store, schema_version

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)
DRILLS = load_drills([(paths.builtin_dir("drills"), True)], strict=False)


def _attempt(passed: bool, at: datetime = NOW, sha: str | None = None, hints: int = 0) -> DrillAttempt:
    return DrillAttempt("bn", at.timestamp(), passed, 3 if passed else 1, 3, None, 100,
                        hints_used=hints, source_sha=sha)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "p.sqlite3") as s:
        yield s


@pytest.fixture
def scheduler():
    return sched.make_scheduler(Config(), drills=True)


def _ratings(store: Store) -> list[int]:
    return [r.rating for r in store.reviews("drill:bn")]


# --- which grades are reviews ------------------------------------------------------------------


def test_a_grade_whose_tests_did_not_run_is_recorded_but_no_review(store, scheduler):
    recorded = drill_progress.record_grade(store, scheduler, _attempt(False, sha="a"), NOW, tests_ran=False)
    assert recorded.not_a_review and recorded.rating is None
    assert _ratings(store) == [] and store.get_state("drill:bn") is None
    [attempt] = store.drill_attempts("bn")
    assert not attempt.counted
    # the next real failure is the cycle's first: rated Again
    drill_progress.record_grade(store, scheduler, _attempt(False, sha="b"), NOW)
    assert _ratings(store) == [Rating.Again]


def test_uncounted_failures_do_not_make_a_first_pass_hard(store, scheduler):
    for sha in "abc":
        drill_progress.record_grade(store, scheduler, _attempt(False, sha=sha), NOW, tests_ran=False)
    drill_progress.record_grade(store, scheduler, _attempt(True, sha="d"), NOW)
    assert _ratings(store) == [Rating.Good]


def test_regrading_an_unchanged_file_is_not_a_review(store, scheduler):
    drill_progress.record_grade(store, scheduler, _attempt(True, sha="x"), NOW)
    later = NOW + timedelta(days=30)
    recorded = drill_progress.record_grade(store, scheduler, _attempt(True, later, sha="x"), later)
    assert "unchanged" in recorded.not_a_review
    assert _ratings(store) == [Rating.Good]
    # an unchanged failing file graded twice: one failure in the cycle, not two attempts
    drill_progress.record_grade(store, scheduler, _attempt(False, later, sha="y"), later)
    drill_progress.record_grade(store, scheduler, _attempt(False, later, sha="y"), later)
    assert [a.counted for a in store.drill_attempts("bn")] == [True, False, True, False]


def test_a_pass_after_a_hint_counts_at_most_hard(store, scheduler):
    assert drill_progress.take_hint(store, "bn", NOW) == 1
    hints = len(drill_progress.hints_seen(store, "bn"))
    drill_progress.record_grade(store, scheduler, _attempt(True, sha="a", hints=hints), NOW)
    assert _ratings(store) == [Rating.Hard]


def test_hints_come_in_order_once_each_and_restart_after_a_pass(store, scheduler):
    assert [drill_progress.take_hint(store, "bn", NOW) for _ in range(4)] == [1, 2, 3, None]
    assert drill_progress.hints_seen(store, "bn") == [1, 2, 3]
    later = NOW + timedelta(minutes=5)
    drill_progress.record_grade(store, scheduler, _attempt(True, later, sha="a", hints=3), later)
    assert drill_progress.hints_seen(store, "bn") == []
    review = NOW + timedelta(days=9)
    assert drill_progress.take_hint(store, "bn", review) == 1


def test_old_attempts_survive_the_migration(tmp_path):
    """A version-1 database (before attempts had counted/hints/sha) opens with its attempts kept."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    from quizdl.store import MIGRATIONS

    MIGRATIONS[0](conn)
    conn.execute("INSERT INTO drill_attempt (drill_id, attempted_at, passed, tests_passed, tests_total,"
                 " diagnosis, duration_ms) VALUES ('bn', 1.0, 1, 7, 7, NULL, 900)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.query("PRAGMA user_version")[0][0] == schema_version() >= 2
        [attempt] = store.drill_attempts("bn")
        assert attempt.passed and attempt.counted and attempt.hints_used == 0 and attempt.source_sha is None


def _open_store(path: str) -> str:
    try:
        Store.open(Path(path)).close()
        return "ok"
    except Exception as exc:  # reported to the test
        return f"{type(exc).__name__}: {exc}"


def test_quizdl_started_twice_at_once_on_a_fresh_data_dir_migrates_once(tmp_path):
    path = str(tmp_path / "fresh.sqlite3")
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(_open_store, [path] * 8)
    assert results == ["ok"] * 8
    with Store.open(Path(path)) as store:
        assert store.query("PRAGMA user_version")[0][0] == schema_version()


# --- files without the marker line ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [("bn.py", "bn"), ("bn_v2.py", "bn"), ("bn.review-2.py", "bn"), ("BN_final.py", "bn"),
     ("bn_backward.py", "bn-backward"), ("softmax_ce_try3.py", "softmax-ce"), ("lr-step.py", "lr-step")],
)
def test_a_file_name_names_its_drill(name, expected):
    assert match_drill(name, "x = 1\n", DRILLS) == (expected, "file name")


def test_entry_points_name_the_drill_when_the_file_name_does_not():
    source = "import torch\nclass BatchNorm1d(torch.nn.Module):\n    pass\n"
    assert match_drill("mine.py", source, DRILLS) == ("bn", "entry points")
    # the drill with the most entry points defined wins: softmax-ce over a drill sharing one name
    ce = DRILLS["softmax-ce"].reference_path.read_text(encoding="utf-8")
    assert match_drill("solution.py", ce, DRILLS) == ("softmax-ce", "entry points")


def test_a_file_name_loses_to_definitions_of_another_drill():
    source = "import torch\nclass AdamW(torch.optim.Optimizer):\n    pass\n"
    assert match_drill("adam.py", source, DRILLS) == ("adamw", "entry points")


def test_a_file_nothing_matches_is_a_clear_error():
    with pytest.raises(QuizdlError, match="--drill ID"):
        match_drill("mine.py", "def f():\n    pass\n", DRILLS)


# --- the commands --------------------------------------------------------------------------------

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.mark.parametrize("drill_id", sorted(DRILLS))
def test_every_drill_has_three_hints_shown_in_order(drill_id):
    drill = DRILLS[drill_id]
    assert len(drill.hints) == 3 and all(h["en"].strip() and h["zh"].strip() for h in drill.hints)
    for number in (1, 2, 3):
        result = run("drill", "hint", drill_id, "--lang", "en")
        assert result.exit_code == 0, result.output
        assert f"Hint {number}/3" in result.output
    result = run("drill", "hint", drill_id)
    assert result.exit_code == 1 and "all 3 hints" in result.output
    result = run("drill", "hint", drill_id, "--all", "--lang", "zh")
    assert result.exit_code == 0 and [f"Hint {n}/3" in result.output for n in (1, 2, 3)] == [True] * 3


def test_grading_the_starter_is_reported_but_not_a_review(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("drill", "lr-step").exit_code == 0
    result = run("grade", "lr_step.py", "--json")
    report = json.loads(result.output)
    assert report["tests_ran"] is False and report["review"]["counted"] is False
    result = run("grade", "lr_step.py")
    assert "not counted: the tests did not run" in result.output
    assert "stuck? quizdl drill hint lr-step" in result.output
    with Store.open() as store:
        assert store.get_state("drill:lr-step") is None and store.reviews("drill:lr-step") == []


def test_a_syntax_error_is_not_a_review(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.py").write_text("# quizdl drill: lr-step\ndef step_lr(:\n")
    result = run("grade", "mine.py")
    assert result.exit_code == 1 and "not counted" in result.output
    with Store.open() as store:
        assert store.reviews("drill:lr-step") == []


def test_a_file_without_marker_is_graded_and_says_which_drill(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    reference = DRILLS["lr-step"].reference_path.read_text(encoding="utf-8")
    (tmp_path / "schedules.py").write_text(reference)
    result = run("grade", "schedules.py")
    assert result.exit_code == 0, result.output
    assert "graded as drill lr-step (from its entry points)" in result.output


def test_a_due_drill_that_was_passed_starts_a_review_file(tmp_path, monkeypatch, scheduler):
    monkeypatch.chdir(tmp_path)
    assert run("drill", "lr-step").exit_code == 0
    # not passed yet: the existing file is not overwritten
    result = run("drill", "lr-step")
    assert result.exit_code == 2 and "already exists" in result.output
    past = datetime.now(UTC) - timedelta(days=60)
    with Store.open() as store:
        drill_progress.record_grade(store, scheduler, DrillAttempt("lr-step", past.timestamp(), True, 5, 5, None, 100), past)
    (tmp_path / "lr_step.py").write_text("# my old solution\n")
    result = run("drill", "lr-step")
    assert result.exit_code == 0, result.output
    assert "due for review" in result.output and "lr_step.review-2.py" in result.output
    assert (tmp_path / "lr_step.py").read_text() == "# my old solution\n"
    assert (tmp_path / "lr_step.review-2.py").read_text() == DRILLS["lr-step"].starter_path.read_text()
    assert run("drill", "lr-step").exit_code == 0 and (tmp_path / "lr_step.review-3.py").exists()


# --- cards and drills feed each other ----------------------------------------------------------


def test_a_diagnosed_mistake_sends_its_card_to_the_front_of_the_next_study(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    reference = DRILLS["softmax-ce"].reference_path.read_text(encoding="utf-8")
    wrong = "# quizdl drill: softmax-ce\n" + reference.replace("    return grad / n", "    return grad")
    assert wrong.count("return grad\n") == 1
    (tmp_path / "ce.py").write_text(wrong)
    result = run("grade", "ce.py")
    assert result.exit_code == 1 and "grad-not-averaged" in result.output
    assert "card loss-ce-gradient-logits will open your next quizdl study" in result.output
    # a whole study of the built-in decks, no new cards: the flagged card comes first, marked
    result = runner.invoke(app, ["study", "--new", "0", "--lang", "en"], input="2\n\nq\n")
    assert result.exit_code == 0, result.output
    assert "from drill softmax-ce (grad-not-averaged)" in result.output.split("╮")[0], result.output
    assert "For softmax + cross-entropy" in result.output
    assert "practise it: quizdl drill softmax-ce" in result.output
    with Store.open() as store:
        assert [r.item_id for r in store.reviews()] == ["drill:softmax-ce", "loss-ce-gradient-logits"]
        assert store.card_flags() == {}  # answered: the flag is gone


def test_a_card_a_drill_lists_offers_the_drill_after_the_answer():
    from quizdl.cards import load_library
    from quizdl.cli.study_screen import drills_practising

    library = load_library()
    assert "softmax-ce" in drills_practising(library.cards["loss-stable-softmax"])
    assert drills_practising(library.cards["lr-why-decay"]) == [] or all(d in DRILLS for d in drills_practising(library.cards["lr-why-decay"]))


def test_quitting_early_says_how_many_cards_are_still_due():
    """Issue #13 bug 2: after q or --limit, not 'next card due in 51s' while cards wait."""
    from tests.conftest import SAMPLE_DECKS

    result = runner.invoke(app, ["study", "--cards", str(SAMPLE_DECKS), "-t", "sample", "--lang", "en",
                                 "--limit", "1"], input="\n3\n")
    assert result.exit_code == 0, result.output
    assert "still due now" in result.output and "Next card due" not in result.output


def test_a_numeric_answer_that_is_not_a_number_is_asked_again():
    """Issue #13 bug 4: 'abc' or '1,5' is not graded wrong; the card asks again."""
    from tests.conftest import SAMPLE_DECKS

    # the sample deck's first new card is basic, then choice, then numeric (answer 1.25)
    result = runner.invoke(app, ["study", "--cards", str(SAMPLE_DECKS), "-t", "sample", "--lang", "en"],
                           input="\n3\n2\n3\n1,5\nabc\n5/4\n\nq\n")
    assert result.exit_code == 0, result.output
    assert "'1,5' is not a number" in result.output and "'abc' is not a number" in result.output
    assert "✓ correct" in result.output
