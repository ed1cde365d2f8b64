"""`quizdl interview`: choosing topics, cards and the drill, the scorecard and its history (core),
and the command end to end with piped input (CliRunner)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from fsrs import Rating, State
from typer.testing import CliRunner

from quizdl import interview as iv
from quizdl import scheduler as sched
from quizdl.cards import load_library
from quizdl.cli.app import app
from quizdl.config import Config
from quizdl.errors import QuizdlError
from quizdl.store import DrillAttempt, ItemState, Store, schema_version
from tests.conftest import SAMPLE_DECKS, choice_key

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)
SCHEDULER = sched.make_scheduler(Config())
DRILL_SCHEDULER = sched.make_scheduler(Config(), drills=True)


def _deck(deck: str, cards: list[tuple[str, str]]) -> str:
    lines = [f"deck: {deck}", f"title: {{en: {deck}, zh: {deck}}}", "cards:"]
    for cid, kind in cards:
        lines += [f"  - id: {cid}", f"    type: {kind}", f"    front: {{en: '{cid}?', zh: '{cid}？'}}",
                  f"    back: {{en: '{cid}.', zh: '{cid}。'}}"]
        if kind == "numeric":
            lines += ["    answer: 1", "    tolerance: 0"]
        elif kind == "term":
            lines += ["    answer: word"]
        elif kind == "choice":
            lines += ["    options: ['a', 'b']", "    answer: 0"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def library(tmp_path):
    folder = tmp_path / "decks"
    folder.mkdir()
    decks = {
        "alpha": [("a-basic", "basic"), ("a-num", "numeric"), ("a-term", "term")],
        "beta": [("b-basic", "basic"), ("b-choice", "choice")],
        "gamma": [("c-basic", "basic"), ("c-num", "numeric")],
        "delta": [("d-basic", "basic"), ("d-num", "numeric")],
    }
    for i, (deck, cards) in enumerate(decks.items()):
        (folder / f"{i}-{deck}.yaml").write_text(_deck(deck, cards), encoding="utf-8")
    return load_library([folder], use_cache=False)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "p.sqlite3") as s:
        yield s


def _state(item_id: str, days_ago: float, stability: float, lapses: int = 0, due_in_days: float = 1.0) -> ItemState:
    last = (NOW - timedelta(days=days_ago)).timestamp()
    return ItemState(item_id, int(State.Review), None, stability, 5.0, (NOW + timedelta(days=due_in_days)).timestamp(),
                     last, reps=3, lapses=lapses)


def _put(store: Store, *states: ItemState) -> None:
    for s in states:
        store.record_review(s.item_id, 3, s.last_review, 1000, None, s)


# --- topics and cards ----------------------------------------------------------------------------


def test_topics_rank_by_mean_retrievability_then_lapses_and_never_seen_ones_are_weakest():
    states = {
        "x1": _state("x1", 1, 100),  # well remembered
        "y1": _state("y1", 30, 2),  # mostly forgotten
        "z1": _state("z1", 1, 100, lapses=4),  # remembered now, but lapsed often
    }
    groups = {"x": ["x1", "x2"], "y": ["y1"], "never": ["n1", "n2"], "z": ["z1"]}
    ranked = iv.rank_topics(groups, states, SCHEDULER, NOW)
    assert [t.topic for t in ranked] == ["never", "y", "z", "x"]
    never, y = ranked[0], ranked[1]
    assert (never.seen, never.retrievability, never.items) == (0, 0.0, 2)
    assert 0 < y.retrievability < ranked[2].retrievability
    assert ranked[2].lapses == 4 and ranked[2].retrievability == pytest.approx(ranked[3].retrievability)


def test_cards_come_from_the_weakest_topics_in_turn_auto_graded_first(library):
    states = {
        # alpha and beta studied and remembered; gamma and delta never studied (weakest)
        **{cid: _state(cid, 1, 100) for cid in ("a-basic", "a-num", "a-term")},
        **{cid: _state(cid, 20, 3) for cid in ("b-basic", "b-choice")},  # beta: half forgotten
    }
    states["a-term"] = _state("a-term", 40, 1, lapses=2)  # alpha's weakest card
    cards, ranked = iv.choose_cards(list(library.cards.values()), states, SCHEDULER, NOW, count=5)
    assert [t.topic for t in ranked] == ["gamma", "delta", "beta", "alpha"]
    # drawn in turn from gamma, delta, beta (3 topics at a time), then auto-graded before basic
    drawn = {c.id for c in cards}
    assert drawn == {"c-basic", "d-basic", "b-choice", "c-num", "d-num"}
    assert [c.auto_graded for c in cards] == [True, True, True, False, False]
    # a topic that runs out makes room for the next weakest one: alpha's weakest card comes in
    cards, _ = iv.choose_cards(list(library.cards.values()), states, SCHEDULER, NOW, count=7)
    assert "a-term" in {c.id for c in cards} and "a-basic" not in {c.id for c in cards}
    # buried cards are left out
    cards, _ = iv.choose_cards(list(library.cards.values()), {}, SCHEDULER, NOW, count=20, skip={"a-num"})
    assert len(cards) == 8 and "a-num" not in {c.id for c in cards}


def test_the_number_of_cards_follows_the_minutes():
    assert iv.card_count(45) == 12  # 18 minutes of cards at 90 s each
    assert iv.card_count(1) == 1
    assert iv.card_count(10) == 3


# --- the drill -----------------------------------------------------------------------------------


def _drill(drill_id: str, topic: str, difficulty: str = "easy", cards=()):
    return SimpleNamespace(id=drill_id, topic=topic, difficulty=difficulty, cards=list(cards))


def _attempt(drill_id: str, passed: bool, at: datetime) -> DrillAttempt:
    return DrillAttempt(drill_id, at.timestamp(), passed, 3 if passed else 1, 3, None, 100)


def test_the_drill_comes_from_the_weakest_drill_topic_never_passed_then_due_first(store):
    drills = [_drill("n-passed", "norm"), _drill("n-failed", "norm", "hard"), _drill("l-new", "losses"),
              _drill("l-passed", "losses")]
    # losses drilled and fine; norm has a forgotten drill: norm is the weakest drill topic
    _put(store, _state("drill:l-passed", 1, 100), _state("drill:n-passed", 50, 2, lapses=1, due_in_days=-3),
         _state("drill:n-failed", 20, 1, due_in_days=5))
    store.record_drill_attempt(_attempt("l-passed", True, NOW))
    store.record_drill_attempt(_attempt("n-passed", True, NOW))
    store.record_drill_attempt(_attempt("n-failed", False, NOW))
    choice = iv.choose_drill(drills, store, DRILL_SCHEDULER, NOW)
    assert choice.topic.topic == "norm"
    assert choice.drill.id == "n-failed" and not choice.passed_before and not choice.due  # never passed first
    store.record_drill_attempt(_attempt("n-failed", True, NOW))
    choice = iv.choose_drill(drills, store, DRILL_SCHEDULER, NOW)
    assert choice.drill.id == "n-passed" and choice.passed_before and choice.due  # then the due one


def test_a_topic_never_drilled_is_weakest_and_ties_follow_the_card_topics(store):
    drills = [_drill("a1", "alpha", "hard"), _drill("a2", "alpha"), _drill("b1", "beta")]
    _put(store, _state("drill:b1", 1, 100))
    assert iv.choose_drill(drills, store, DRILL_SCHEDULER, NOW).drill.id == "a2"  # easiest of alpha
    drills.append(_drill("c1", "gamma"))  # also never drilled: the weaker card topic wins the tie
    assert iv.choose_drill(drills, store, DRILL_SCHEDULER, NOW, ["gamma", "alpha"]).drill.id == "c1"
    assert iv.choose_drill([], store, DRILL_SCHEDULER, NOW) is None


def test_drills_for_topics_by_topic_or_by_a_card_they_practise(library):
    drills = {d.id: d for d in (_drill("x", "alpha"), _drill("y", "zeta", cards=["b-choice"]), _drill("z", "zeta"))}
    assert [d.id for d in iv.drills_for_topics(drills, ["alpha"], library.select(["alpha"]))] == ["x"]
    assert [d.id for d in iv.drills_for_topics(drills, ["beta"], library.select(["beta"]))] == ["y"]


def test_the_starter_is_a_new_file_named_like_drill_id_and_never_overwrites(tmp_path):
    drill = SimpleNamespace(id="bn-backward", starter_path=tmp_path / "starter.py")
    drill.starter_path.write_text("# quizdl drill: bn-backward\n", encoding="utf-8")
    (tmp_path / "bn_backward.interview-1.py").write_text("mine", encoding="utf-8")
    path = iv.write_starter(drill, tmp_path)
    assert path.name == "bn_backward.interview-2.py"
    assert path.read_text(encoding="utf-8") == "# quizdl drill: bn-backward\n"
    assert (tmp_path / "bn_backward.interview-1.py").read_text(encoding="utf-8") == "mine"
    assert iv.starter_path("bn-backward", tmp_path).name == "bn_backward.interview-3.py"


# --- the plan --------------------------------------------------------------------------------------


def test_plan_errors_are_clear(library, store):
    with pytest.raises(QuizdlError, match="--minutes must be a positive"):
        iv.make_plan(library, store, Config(), {}, minutes=0)
    with pytest.raises(QuizdlError, match="--minutes must be a positive"):
        iv.make_plan(library, store, Config(), {}, minutes=-5)
    with pytest.raises(QuizdlError, match="unknown topic 'nope'"):
        iv.make_plan(library, store, Config(), {}, topics=["nope"], now=NOW)
    for cid in ("b-basic", "b-choice"):
        store.bury(cid, (NOW + timedelta(days=1)).timestamp())
    with pytest.raises(QuizdlError, match="no cards to ask on beta .all are skipped until tomorrow"):
        iv.make_plan(library, store, Config(), {}, topics=["beta"], now=NOW)


def test_plan_takes_a_drill_on_the_topic_or_says_it_took_one_from_all(library, store):
    drills = {d.id: d for d in (_drill("x", "alpha"), _drill("y", "beta"))}
    plan = iv.make_plan(library, store, Config(), drills, minutes=20, topics=["beta"], now=NOW)
    assert {c.deck for c in plan.cards} == {"beta"} and plan.drill.drill.id == "y" and plan.drill.note is None
    plan = iv.make_plan(library, store, Config(), drills, minutes=20, topics=["gamma"], now=NOW)
    assert plan.drill.drill.id == "x" and "chosen from all topics" in plan.drill.note
    assert plan.asked_topics == ["gamma"] and plan.concept_seconds == 480


# --- the session: answers are ordinary reviews -------------------------------------------------------


def test_interview_answers_are_stored_like_study_answers_each_card_once(library, store):
    remembered = _state("a-num", 2, 30, due_in_days=20)  # not due: asked anyway, from its own state
    _put(store, remembered)
    chosen = [library.get("a-num"), library.get("b-choice"), library.get("c-basic")]
    session = iv.InterviewSession(store, library, Config(), chosen, clock=lambda: NOW)
    assert session.next_card().id == "a-num" and session.remaining() == 3
    outcomes = session.preview(library.get("a-num"))
    expected = sched.preview(session.scheduler, "a-num", remembered, NOW)  # from the stored state (due is fuzzed)
    assert {r: (o.stability, o.reps) for r, o in outcomes.items()} == {r: (o.stability, o.reps) for r, o in expected.items()}
    session.answer(library.get("a-num"), Rating.Again, outcomes, 1200)
    card = session.next_card()
    assert card.id == "b-choice"  # the relearning step does not bring a-num back
    session.answer(card, Rating.Good, session.preview(card), 800)
    undone = session.undo()
    assert undone.card.id == "b-choice" and session.next_card().id == "b-choice"  # asked again next
    session.answer(card, Rating.Hard, session.preview(card), 900)
    session.skip(session.next_card())
    assert session.next_card() is None
    reviews = store.reviews()
    assert [(r.item_id, r.rating, r.duration_ms) for r in reviews[1:]] == [("a-num", 1, 1200), ("b-choice", 2, 900)]
    assert reviews[1].before == remembered and store.get_state("a-num") == reviews[1].after
    assert store.get_state("a-num").lapses == 1
    assert [s.topic for s in iv.topic_scores(session.history)] == ["alpha", "beta"]
    assert [(s.right, s.wrong) for s in iv.topic_scores(session.history)] == [(0, 1), (1, 0)]


def test_timer_and_countdown():
    now = [100.0]
    timer = iv.Timer(10, clock=lambda: now[0])
    assert timer.left() == 600 and not timer.concept_over()
    now[0] += 240
    assert timer.concept_over() and timer.left() == 360 and timer.elapsed() == 240
    now[0] += 1000
    assert timer.left() == 0
    assert iv.format_left(0) == "00:00" and iv.format_left(0.3) == "00:01" and iv.format_left(4500) == "75:00"
    assert iv.format_left(59.2) == "01:00" and iv.format_left(61) == "01:01"


# --- the scorecard and the history ---------------------------------------------------------------------


def test_drill_score_from_the_grades_since_the_starter(store):
    since = NOW.timestamp()
    store.record_drill_attempt(_attempt("bn", True, NOW - timedelta(days=3)))  # an earlier review: not this one
    store.record_drill_attempt(DrillAttempt("bn", since + 5, False, 0, 7, None, 100, counted=False))  # the starter
    store.record_drill_attempt(DrillAttempt("bn", since + 60, False, 2, 7, "momentum-reversed+biased-var", 100))
    store.record_hint_view("bn", 1, since + 70)
    store.record_drill_attempt(DrillAttempt("bn", since + 100, False, 5, 7, "biased-var", 100))
    store.record_drill_attempt(DrillAttempt("bn", since + 190, True, 7, 7, None, 100))
    store.record_drill_attempt(DrillAttempt("bn", since + 300, True, 7, 7, None, 100))
    score = iv.drill_score(store, "bn", "bn.interview-1.py", since)
    assert score.passed and score.seconds_to_pass == 190 and score.grades == 5
    assert score.mistakes == ["momentum-reversed", "biased-var"] and score.hints_used == 1
    assert not iv.drill_score(store, "adam", "adam.interview-1.py", since).passed


def test_scorecards_are_stored_and_listed_newest_first(store):
    assert store.query("PRAGMA user_version")[0][0] == schema_version() >= 4
    first = iv.Scorecard(NOW.timestamp(), 45, 2000.0, [iv.TopicScore("alpha", 3, 1), iv.TopicScore("beta", 0, 2)],
                         iv.DrillScore("bn", "bn.interview-1.py", 4, True, 190.0, ["biased-var"], 1), ["alpha"])
    second = iv.Scorecard(NOW.timestamp() + 86400, 20, 600.0, [iv.TopicScore("gamma", 1, 0)], None)
    assert iv.save(store, first) == 1 and iv.save(store, second) == 2
    past = iv.history(store)
    assert [p.id for p in past] == [2, 1]
    assert past[1] == first and (past[1].cards_right, past[1].cards_total) == (3, 6)
    assert past[0].drill is None and past[0].cards_total == 1
    data = past[1].to_dict()
    assert data["drill"]["seconds_to_pass"] == 190.0 and data["cards_right"] == 3 and data["started"]
    assert iv.history(store, limit=1)[0].id == 2


# --- the command, end to end with piped input ----------------------------------------------------------

runner = CliRunner()
SAMPLE = ["--cards", str(SAMPLE_DECKS), "-t", "sample", "--lang", "en"]


def test_interview_piped_cards_then_the_starter_graded_once_then_the_scorecard(quizdl_home, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # choice: the right option then enter (Good) · numeric: 1.25, enter · term: a wrong term, enter
    # (Again) · basic: enter reveals, 2 = Hard; then the input ends
    result = runner.invoke(app, ["interview", *SAMPLE], input=f"{choice_key()}\n\n1.25\n\nLayerNorm\n\n\n2\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Mock interview · 45 min" in out and "chosen from all topics" in out
    assert "card 1/4 · 45:00 left" in out or "card 1/4 · 44:59 left" in out
    assert out.index("Default momentum") < out.index("Inverted dropout") < out.index("root mean square") \
        < out.index("What does BatchNorm use")  # auto-graded first, basic last
    [starter] = list(tmp_path.glob("*.interview-1.py"))
    assert "stdin is not a terminal: the starter is graded once" in out
    assert f"Grading {starter.name}" in out and "FAIL" in out and "graded once" in out
    assert "Scorecard · 45 min planned" in out and "Concept cards: 3/4 right" in out
    assert "sample  3 right · 1 wrong" in out
    drill_id = starter.read_text(encoding="utf-8").splitlines()[0].removeprefix("# quizdl drill:").strip()
    assert f"Drill {drill_id} ({starter.name}): not passed · 1 grade · 0 hints used" in out
    with Store.open(quizdl_home / "progress.sqlite3") as store:
        assert [(r.item_id, r.rating) for r in store.reviews()] == [
            ("sample-choice", 3), ("sample-numeric", 3), ("sample-term", 1), ("sample-basic", 2)]
        assert len(store.drill_attempts(drill_id)) == 1

    again = runner.invoke(app, ["interview", *SAMPLE, "--minutes", "10"], input="q\n")
    assert again.exit_code == 0, again.output
    assert "Concept cards: none answered" in again.output
    assert len(list(tmp_path.glob("*.interview-2.py"))) == 1  # the first file is kept

    listed = runner.invoke(app, ["interview", "--history"])
    assert listed.exit_code == 0, listed.output
    assert "Mock interviews" in listed.output and "3/4" in listed.output and "0/0" in listed.output
    data = json.loads(runner.invoke(app, ["interview", "--history", "--json"]).output)
    assert [d["minutes"] for d in data] == [10, 45]
    assert data[1]["cards_right"] == 3 and data[1]["cards_total"] == 4 and data[1]["filter"] == ["sample"]
    assert data[1]["drill"]["drill_id"] == drill_id and data[1]["drill"]["passed"] is False
    assert data[1]["topics"] == [{"topic": "sample", "right": 3, "wrong": 1}]


def _clean_error(result, needle: str, code: int = 2) -> None:
    assert result.exit_code == code, result.output
    assert result.output.startswith("error: ") and needle in result.output and "Traceback" not in result.output


def test_interview_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _clean_error(runner.invoke(app, ["interview", "-t", "no-such-topic"]), "unknown topic 'no-such-topic'")
    _clean_error(runner.invoke(app, ["interview", "--minutes", "0"]), "--minutes must be a positive number")
    _clean_error(runner.invoke(app, ["interview", "--minutes", "-3"]), "--minutes must be a positive number")
    _clean_error(runner.invoke(app, ["interview", "--json"]), "--json goes with --history")
    _clean_error(runner.invoke(app, ["interview", *SAMPLE, "--lang", "fr"]), "--lang")
    # every sample card skipped until tomorrow: nothing to ask
    skipped = runner.invoke(app, ["study", *SAMPLE], input="s\ns\ns\ns\n")
    assert skipped.exit_code == 0, skipped.output
    _clean_error(runner.invoke(app, ["interview", *SAMPLE]), "no cards to ask on sample", code=1)
    assert list(Path(tmp_path).glob("*.py")) == []  # no starter written for an interview that never began
    empty = runner.invoke(app, ["interview", "--history"])
    assert empty.exit_code == 0 and "No interviews yet" in empty.output


def test_interview_help_has_examples():
    result = runner.invoke(app, ["interview", "--help"])
    assert result.exit_code == 0 and "Example" in result.output and "--history" in result.output


def test_the_watch_screen_counts_down_and_ends_when_the_time_is_up(tmp_path):
    import io
    import time

    from rich.console import Console

    from quizdl import paths
    from quizdl.cli.watch_screen import WatchScreen

    file = tmp_path / "lr_step.interview-1.py"
    file.write_text((paths.builtin_dir("drills") / "lr-step" / "starter.py").read_text(encoding="utf-8"), encoding="utf-8")
    out = io.StringIO()
    screen = WatchScreen(file, "lr-step", Console(file=out, width=100), stream=io.StringIO(),
                         deadline=time.monotonic() + 1.0)
    assert "01:00 left" not in screen.status_text() and "00:01 left" in screen.status_text()
    started = time.monotonic()
    assert screen.run() == 1  # graded the starter (a failure), then watched until the deadline
    assert time.monotonic() - started < 30
    text = out.getvalue()
    assert "FAIL" in text and "time is up" in text and "00:00 left" in text
    plain = WatchScreen(file, "lr-step", Console(file=io.StringIO()), stream=io.StringIO())  # no deadline: as before
    assert plain.status_text() == "watching for saves · Ctrl-C quit (keys need a terminal)"
    plain.store.close()
