"""Scheduling with a frozen clock: local day boundary at 4 am, queue order, undo, skip, drills."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating

from quizdl import drill_progress
from quizdl import scheduler as sched
from quizdl.cards import known_drill_ids, load_library
from quizdl.config import Config
from quizdl.session import StudySession
from quizdl.store import DrillAttempt, ItemState, Store
from tests.conftest import SAMPLE_DECKS


@pytest.fixture
def shanghai(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")  # UTC+8, no DST
    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


def local(*args) -> datetime:
    return datetime(*args).astimezone().astimezone(UTC)


def test_day_boundary_is_local_4am(shanghai):
    # 23:00 local on the 10th: the study day began at 04:00 on the 10th, ends 04:00 on the 11th.
    now = local(2026, 3, 10, 23, 0)
    assert sched.day_start(now, 4) == local(2026, 3, 10, 4, 0)
    assert sched.next_day_start(now, 4) == local(2026, 3, 11, 4, 0)
    # 03:00 local on the 11th still belongs to the 10th's study day.
    early = local(2026, 3, 11, 3, 0)
    assert sched.day_start(early, 4) == local(2026, 3, 10, 4, 0)
    # UTC midnight (08:00 local) changes nothing.
    assert sched.day_start(local(2026, 3, 11, 8, 0), 4) == local(2026, 3, 11, 4, 0)


def review_state(card_id: str, due: datetime) -> ItemState:
    return ItemState(card_id, 2, None, 10.0, 5.0, due.timestamp(), (due - timedelta(days=10)).timestamp(), 3, 0)


def make_session(store, now, **kw) -> StudySession:
    lib = load_library([SAMPLE_DECKS], drill_ids=set(), use_cache=False)
    return StudySession(store, lib, Config(), clock=lambda: now, **kw)


def test_due_today_spans_the_local_study_day(shanghai, tmp_path):
    now = local(2026, 3, 10, 23, 0)
    with Store.open(tmp_path / "p.sqlite3") as store:
        store.record_review("sample-basic", 3, 0, None, None, review_state("sample-basic", local(2026, 3, 11, 3, 30)))
        store.record_review("sample-choice", 3, 0, None, None, review_state("sample-choice", local(2026, 3, 11, 4, 30)))
        session = make_session(store, now, new_limit=0)
        assert session.reviews == ["sample-basic"]  # due 03:30 tomorrow = today; 04:30 = tomorrow


def test_reviews_come_before_new_cards_lowest_retrievability_first(tmp_path):
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    with Store.open(tmp_path / "p.sqlite3") as store:
        store.record_review("sample-term", 3, 0, None, None, review_state("sample-term", now - timedelta(days=1)))
        store.record_review("sample-numeric", 3, 0, None, None, review_state("sample-numeric", now - timedelta(days=30)))
        session = make_session(store, now)
        assert session.reviews == ["sample-numeric", "sample-term"]  # longer overdue = lower R
        assert session.new == ["sample-basic", "sample-choice"]
        assert session.next_card().id == "sample-numeric"


def test_answer_commits_and_undo_restores(tmp_path):
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    with Store.open(tmp_path / "p.sqlite3") as store:
        session = make_session(store, now)
        card = session.next_card()
        outcomes = session.preview(card)
        done = session.answer(card, Rating.Good, outcomes, 1500)
        assert store.get_state(card.id) == outcomes[Rating.Good] == done.after
        assert session.next_card().id != card.id
        session.undo()
        assert store.get_state(card.id) is None and store.reviews() == []
        assert session.next_card().id == card.id  # the undone card comes back first


def test_shown_interval_is_the_one_applied(tmp_path):
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    with Store.open(tmp_path / "p.sqlite3") as store:
        store.record_review("sample-basic", 3, 0, None, None, review_state("sample-basic", now - timedelta(days=2)))
        session = make_session(store, now, new_limit=0)
        card = session.next_card()
        outcomes = session.preview(card)
        session.answer(card, Rating.Easy, outcomes, None)
        assert store.get_state(card.id).due == outcomes[Rating.Easy].due


def test_new_per_day_allowance_counts_todays_new_cards(tmp_path):
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    with Store.open(tmp_path / "p.sqlite3") as store:
        lib = load_library([SAMPLE_DECKS], drill_ids=set(), use_cache=False)
        config = Config(new_per_day=3)
        session = StudySession(store, lib, config, clock=lambda: now)
        assert len(session.new) == 3
        for _ in range(2):
            card = session.next_card()
            session.answer(card, Rating.Easy, session.preview(card), None)
        again = StudySession(store, lib, config, clock=lambda: now)
        assert len(again.new) == 1


def test_skip_buries_until_next_study_day(tmp_path):
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    with Store.open(tmp_path / "p.sqlite3") as store:
        session = make_session(store, now)
        first = session.next_card()
        session.skip(first)
        assert session.next_card().id != first.id
        assert first.id not in make_session(store, now).new
        assert first.id in make_session(store, now + timedelta(days=1)).new


def test_learning_card_returns_within_learn_ahead(tmp_path):
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    with Store.open(tmp_path / "p.sqlite3") as store:
        session = make_session(store, now, topics=["sample"], new_limit=1)
        card = session.next_card()
        session.answer(card, Rating.Again, session.preview(card), None)
        assert session.next_card().id == card.id  # due in 1 minute: shown again rather than ending


def test_drill_grades_follow_the_rating_rule(tmp_path):
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    scheduler = sched.make_scheduler(Config(), drills=True)

    def attempt(passed: bool) -> DrillAttempt:
        return DrillAttempt("bn", now.timestamp(), passed, 3 if passed else 1, 3, None, 100)

    with Store.open(tmp_path / "p.sqlite3") as store:
        drill_progress.record_grade(store, scheduler, attempt(False), now)
        drill_progress.record_grade(store, scheduler, attempt(False), now)  # same cycle: no new rating
        drill_progress.record_grade(store, scheduler, attempt(True), now)
        drill_progress.record_grade(store, scheduler, attempt(True), now)
        ratings = [r.rating for r in store.reviews("drill:bn")]
        assert ratings == [Rating.Again, Rating.Hard, Rating.Good]
        assert len(store.drill_attempts("bn")) == 4
        # no minute-scale learning steps for drills: a pass schedules the next review days ahead
        assert store.get_state("drill:bn").due - now.timestamp() >= 86400



def test_counts_are_ankis_new_learning_review(tmp_path):
    """Issue #13 item 11: the status line's counts follow the queues, flagged cards by state."""
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    with Store.open(tmp_path / "p.sqlite3") as store:
        store.record_review("sample-term", 3, 0, None, None, review_state("sample-term", now - timedelta(days=1)))
        session = make_session(store, now)
        assert session.counts() == (3, 0, 1)
        card = session.next_card()
        assert card.id == "sample-term"
        session.answer(card, Rating.Again, session.preview(card), 100)  # relearning, due in 10 min
        assert session.counts() == (3, 1, 0)
        store.flag_card("sample-basic", "bn", "some-mistake", now.timestamp())
        assert make_session(store, now).counts() == (3, 1, 0)  # flagged new card still counts as new


def test_undo_takes_back_a_skip_before_the_answer_before_it(tmp_path):
    """Issue #13 item 12: u after s un-buries the skipped card; the answer before stays."""
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    with Store.open(tmp_path / "p.sqlite3") as store:
        session = make_session(store, now)
        first = session.next_card()
        session.answer(first, Rating.Easy, session.preview(first), 100)
        skipped = session.next_card()
        assert skipped.id == "sample-choice"
        session.skip(skipped)
        assert "sample-choice" in store.buried_at(now.timestamp())
        assert session.next_card().id == "sample-numeric"
        undone = session.undo()
        assert undone.card.id == "sample-choice" and not hasattr(undone, "rating")
        assert store.buried_at(now.timestamp()) == set()
        assert session.next_card().id == "sample-choice"  # back where it was
        assert len(store.reviews()) == 1  # the Easy answer is untouched
        assert session.undo().card.id == "sample-basic"  # then the answer
        assert store.reviews() == [] and session.undo() is None


def test_learn_ahead_window_is_the_setting_and_a_card_shown_early_says_so(tmp_path):
    """Issue #13 item 13: learn_ahead_minutes (Anki's 20) decides whether a learning card due
    in 10 minutes is shown now; when it is, the session reports how early."""
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    lib = load_library([SAMPLE_DECKS], drill_ids=set(), use_cache=False)
    with Store.open(tmp_path / "p.sqlite3") as store:
        session = StudySession(store, lib, Config(), clock=lambda: now, new_limit=1)
        card = session.next_card()
        assert session.ahead(card) == 0
        session.answer(card, Rating.Good, session.preview(card), 100)  # next in 10 min
        again = session.next_card()
        assert again is not None and again.id == card.id
        assert session.ahead(again) == pytest.approx(600, abs=1)
        strict = StudySession(store, lib, Config(learn_ahead_minutes=5), clock=lambda: now, new_limit=0)
        assert strict.next_card() is None and strict.counts() == (0, 0, 0)
        later = now + timedelta(minutes=6)
        strict.clock = lambda: later
        assert strict.next_card().id == card.id  # within 5 min of its due time now


def test_new_order_interleaves_decks_keeps_file_order_or_shuffles_per_day():
    """Issue #13 item 17: new cards round-robin across decks by default."""
    from types import SimpleNamespace

    from quizdl.session import new_order

    cards = [SimpleNamespace(id=f"{d}{i}", deck=d) for d in "abc" for i in range(3)]
    assert new_order(cards, "interleave", 0) == ["a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2"]
    assert new_order(cards, "deck", 0) == [c.id for c in cards]
    day1 = 1_773_100_800.0
    shuffled = new_order(cards, "random", day1)
    assert shuffled == new_order(cards, "random", day1)  # the same all day
    assert sorted(shuffled) == sorted(c.id for c in cards)
    assert any(new_order(cards, "random", day1 + k * 86400) != shuffled for k in range(1, 4))


def test_new_order_and_learn_ahead_settings_parse():
    from quizdl.config import parse_value
    from quizdl.errors import QuizdlError

    assert parse_value("new_order", "Random") == "random"
    assert parse_value("learn_ahead_minutes", "0") == 0
    for key, bad in (("new_order", "shuffle"), ("learn_ahead_minutes", "-1"), ("learn_ahead_minutes", "x")):
        with pytest.raises(QuizdlError):
            parse_value(key, bad)


def test_a_session_introduces_new_cards_interleaved_across_decks(tmp_path):
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    lib = load_library(drill_ids=known_drill_ids())
    with Store.open(tmp_path / "p.sqlite3") as store:
        session = StudySession(store, lib, Config(), clock=lambda: now)
        decks = [lib.cards[cid].deck for cid in session.new[:5]]
        assert len(set(decks)) == 5, decks
        by_file = StudySession(store, lib, Config(new_order="deck"), clock=lambda: now)
        assert len({lib.cards[cid].deck for cid in by_file.new[:5]}) == 1


def test_previewed_interval_is_applied_and_undo_does_not_reroll_it(tmp_path):
    """Issue #13 item 14: one fuzz draw per card presentation, shared by preview, answer and undo."""
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    with Store.open(tmp_path / "p.sqlite3") as store:
        for cid in ("sample-basic", "sample-choice", "sample-numeric", "sample-term"):
            state = ItemState(cid, 2, None, 40.0, 5.0, now.timestamp(), (now - timedelta(days=40)).timestamp(), 3, 0)
            store.record_review(cid, 3, 0, None, None, state)
        session = make_session(store, now)
        card = session.next_card()
        first = session.preview(card)
        assert make_session(store, now).preview(card) == first  # shown again: the same intervals
        done = session.answer(card, Rating.Easy, first, 100)
        assert done.after.due == first[Rating.Easy].due
        session.undo()
        assert session.preview(card) == first  # undo does not re-roll
        easy_days = {round((make_session(store, now).preview(c)[Rating.Easy].due - now.timestamp()) / 86400)
                     for c in (session.cards[i] for i in ("sample-basic", "sample-choice", "sample-numeric", "sample-term"))}
        assert len(easy_days) > 1  # still fuzzed: identical cards do not all land on one day


@pytest.mark.parametrize("days", [2, 3, 7, 12, 45, 400])
def test_a_given_fuzz_draw_gives_fsrs_own_interval(days, monkeypatch):
    """The seeded fuzz is fsrs' fuzz with the draw fixed, not an approximation of it."""
    import fsrs.scheduler

    scheduler = sched.make_scheduler(Config())
    seen = set()
    for draw in (0.0, 0.2, 0.5, 0.8, 0.999):
        monkeypatch.setattr(fsrs.scheduler, "random", lambda d=draw: d)
        theirs = scheduler._get_fuzzed_interval(interval=timedelta(days=days))
        scheduler.draw = draw
        assert scheduler._get_fuzzed_interval(interval=timedelta(days=days)) == theirs
        scheduler.draw = None
        seen.add(theirs.days)
    assert (len(seen) > 1) == (days >= 3)


def test_choice_options_are_shuffled_per_presentation():
    """Issue #13 item 16: every order occurs across days; the same day and state give one order."""
    from quizdl.session import option_order

    card = load_library([SAMPLE_DECKS], drill_ids=set(), use_cache=False).get("sample-choice")
    day = 1_773_100_800.0
    assert option_order(card, None, day) == option_order(card, None, day)
    orders = {tuple(option_order(card, None, day + k * 86400)) for k in range(200)}
    assert len(orders) == 24  # all 4! orders, so no position is "the answer"
    positions = [option_order(card, None, day + k * 86400).index(card.answer) for k in range(200)]
    assert min(positions.count(p) for p in range(4)) > 25
    state = review_state("sample-choice", datetime(2026, 3, 10, tzinfo=UTC))
    assert any(option_order(card, state, day + k * 86400) != option_order(card, None, day + k * 86400)
               for k in range(5))


def test_a_long_status_line_keeps_the_id_in_the_title_and_the_rest_above():
    from quizdl.cli.study_screen import fit_title

    line = "reg-stochastic-depth-expected-blocks · relearning · learning ahead (due in 10m)"
    assert fit_title(line, 79) == (line, None)
    assert fit_title(line, 54) == ("reg-stochastic-depth-expected-blocks · relearning", "learning ahead (due in 10m)")
    assert fit_title(line, 20) == ("reg-stochastic-depth-expected-blocks", "relearning · learning ahead (due in 10m)")
    assert fit_title("卡片 · 学习中 · 提前学习", 13) == ("卡片 · 学习中", "提前学习")
    assert fit_title("卡片 · 学习中 · 提前学习", 12) == ("卡片", "学习中 · 提前学习")  # CJK counts two columns
