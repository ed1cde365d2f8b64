"""A study session: which card comes next, answering, undo and skip — no terminal code here.

Queue order follows Anki: learning cards as soon as they are due; then today's due reviews,
lowest retrievability first; then new cards within today's allowance; then learning cards due
within the learn-ahead window. Every answer is committed to the store before it returns.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from fsrs import Rating, Scheduler, State

from quizdl import scheduler as sched
from quizdl.cards import Card, Library
from quizdl.config import Config
from quizdl.store import ItemState, Store

LEARN_AHEAD = timedelta(minutes=20)
LEECH_LAPSES = 8


def new_order(cards: list[Card], order: str, day: float) -> list[str]:
    """The ids of unseen cards in the order they are introduced: `deck` keeps file order,
    `interleave` takes one card from each deck in turn (so the first 20 are not all one deck),
    `random` shuffles with the study day as seed (the same order all day, a new one tomorrow)."""
    ids = [c.id for c in cards]
    if order == "deck":
        return ids
    if order == "random":
        import random

        random.Random(f"quizdl-new-{int(day)}").shuffle(ids)
        return ids
    by_deck: dict[str, list[str]] = {}
    for c in cards:
        by_deck.setdefault(c.deck, []).append(c.id)
    out: list[str] = []
    rows = list(by_deck.values())
    for i in range(max((len(r) for r in rows), default=0)):
        out.extend(r[i] for r in rows if i < len(r))
    return out


def option_order(card: Card, state: ItemState | None, day: float) -> list[int]:
    """A choice card's options shuffled per presentation, so that "it's 3" is never what is
    learnt: seeded by the card, its state and the study day (an undo shows the same order)."""
    import random

    order = list(range(len(card.options)))
    key = ("options", card.id, state.reps if state else 0, state.last_review if state else None, int(day))
    random.Random(repr(key)).shuffle(order)
    return order


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Answered:
    card: Card
    rating: Rating
    review_id: int
    before: ItemState | None
    after: ItemState


@dataclass
class Skipped:
    """A skip, kept so that undo can take it back: where the card stood in which queue."""

    card: Card
    queue: str
    index: int


@dataclass
class Summary:
    ratings: Counter = field(default_factory=Counter)
    answered: int = 0
    elapsed_s: float = 0.0
    retention_today: float | None = None
    reviews_today: int = 0
    next_due: datetime | None = None
    leeches: list[str] = field(default_factory=list)
    drills_due: list[str] = field(default_factory=list)
    due_now: int = 0  # cards this session would still show now (quit early, --limit)
    new_waiting: int = 0  # unseen cards left out by today's new-card allowance
    new_per_day: int = 0


class StudySession:
    new_waiting = 0  # set by _build_queue; subclasses with their own queue keep 0
    learn_ahead_s = LEARN_AHEAD.total_seconds()

    def __init__(
        self,
        store: Store,
        library: Library,
        config: Config,
        *,
        topics: list[str] | None = None,
        new_limit: int | None = None,
        limit: int | None = None,
        scheduler: Scheduler | None = None,
        clock: Callable[[], datetime] = utcnow,
        drill_ids: set[str] | None = None,
    ) -> None:
        self.store = store
        self.library = library
        self.config = config
        self.scheduler = scheduler or sched.make_scheduler(config)
        self.clock = clock
        self.limit = limit
        self.drill_ids = drill_ids
        self.learn_ahead_s = config.learn_ahead_minutes * 60.0
        self.cards = {c.id: c for c in library.select(topics or [])}
        self.actions: list[Answered | Skipped] = []  # what undo takes back, last first
        self.started = time.monotonic()
        self._build_queue(new_limit)

    # queue -------------------------------------------------------------------------------------
    def _build_queue(self, new_limit: int | None) -> None:
        now = self.clock()
        ts = now.timestamp()
        today = sched.day_start(now, self.config.day_starts_at).timestamp()
        tomorrow = sched.next_day_start(now, self.config.day_starts_at).timestamp()
        # Suspended cards are out of every queue, as buried ones are until tomorrow.
        buried = self.store.buried_at(ts) | self.store.suspended()
        states = {s.item_id: s for s in self.store.due_before(tomorrow) if s.item_id in self.cards}
        self.states: dict[str, ItemState] = states
        self.learning: list[str] = []
        reviews: list[tuple[float, str]] = []
        for sid, st in states.items():
            if sid in buried:
                continue
            if st.state == State.Review:
                reviews.append((sched.retrievability(self.scheduler, st, now), sid))
            else:
                self.learning.append(sid)
        reviews.sort()
        done_reviews = self.store.count_reviews_since(today) - self.store.count_reviews_since(today, new_only=True)
        review_room = max(0, self.config.max_reviews_per_day - done_reviews)
        self.reviews = [sid for _, sid in reviews[:review_room]]
        by_allowance = new_limit is None
        if new_limit is None:
            introduced = self.store.count_reviews_since(today, new_only=True)
            new_limit = max(0, self.config.new_per_day - introduced)
        seen = self._seen_ids()
        unseen = new_order(
            [c for cid, c in self.cards.items() if cid not in seen and cid not in buried],
            self.config.new_order, today)
        self.new: list[str] = unseen[:new_limit]
        # New cards left out by today's allowance (not by an explicit --new): the end says how
        # to get them rather than "nothing to study".
        self.new_waiting = len(unseen) - len(self.new) if by_allowance else 0
        self._sort_learning()
        # Cards a drill's diagnosis pointed to come first, whatever their schedule.
        self.flags = {cid: f for cid, f in self.store.card_flags().items() if cid in self.cards and cid not in buried}
        self.flagged: list[str] = list(self.flags)
        for cid in self.flagged:
            for queue in (self.learning, self.reviews, self.new):
                if cid in queue:
                    queue.remove(cid)

    @property
    def history(self) -> list[Answered]:
        """The answers of this session (undone ones gone), in order: the actions minus skips."""
        return [a for a in self.actions if isinstance(a, Answered)]

    def ahead(self, card: Card) -> float:
        """Seconds until a learning card shown early (within the learn-ahead window) is due; 0
        when it is due now or is not a learning card."""
        st = self.states.get(card.id)
        if st is None or st.state == State.Review or card.id not in self.learning:
            return 0.0
        return max(0.0, st.due - self.clock().timestamp())

    def _seen_ids(self) -> set[str]:
        rows = self.store.query("SELECT item_id FROM item_state")
        return {r[0] for r in rows}

    def _sort_learning(self) -> None:
        self.learning.sort(key=lambda cid: self.states[cid].due)

    def remaining(self) -> int:
        left = len(self.flagged) + len(self.reviews) + len(self.new) + len(self.learning)
        if self.limit is not None:
            left = min(left, max(0, self.limit - len(self.history)))
        return left

    def counts(self) -> tuple[int, int, int]:
        """Anki's three counts: new, learning (due within the learn-ahead window) and review
        cards still to show, so the status line moves as cards leave, not as "left" does."""
        horizon = self.clock().timestamp() + self.learn_ahead_s
        new = len(self.new)
        learning = sum(1 for cid in self.learning if self.states[cid].due <= horizon)
        review = len(self.reviews)
        for cid in self.flagged:
            st = self.states.get(cid)
            if st is None:
                new += 1
            elif st.state == State.Review:
                review += 1
            else:
                learning += 1
        return new, learning, review

    def next_card(self) -> Card | None:
        """The card to show now, or None when the session is over."""
        while True:
            card = self._next_candidate()
            if card is None or self._still_due(card):
                return card

    def _still_due(self, card: Card) -> bool:
        """False (and the queues fixed) when another session answered this card meanwhile:
        a new card it introduced, a review it did. Checked against the store, one row."""
        stored = self.store.get_state(card.id)
        if stored == self.states.get(card.id):
            return True
        self.states[card.id] = stored
        if card.id in self.flagged:
            return True  # a drill's flag stands, whatever the schedule
        self._remove(card.id)
        tomorrow = sched.next_day_start(self.clock(), self.config.day_starts_at).timestamp()
        if stored is not None and stored.state != State.Review and stored.due < tomorrow:
            self.learning.append(card.id)
            self._sort_learning()
        return False

    def _next_candidate(self) -> Card | None:
        if self.limit is not None and len(self.history) >= self.limit:
            return None
        now = self.clock().timestamp()
        if self.flagged:
            return self.cards[self.flagged[0]]
        if self.learning and self.states[self.learning[0]].due <= now:
            return self.cards[self.learning[0]]
        if self.reviews:
            return self.cards[self.reviews[0]]
        if self.new:
            return self.cards[self.new[0]]
        if self.learning and self.states[self.learning[0]].due <= now + self.learn_ahead_s:
            return self.cards[self.learning[0]]
        return None

    def flagged_by(self, card: Card) -> tuple[str, str] | None:
        """(drill id, mistake id) when a drill's diagnosis sent this card to the front."""
        return self.flags.get(card.id) if card.id in self.flagged else None

    def _remove(self, card_id: str) -> None:
        for queue in (self.flagged, self.learning, self.reviews, self.new):
            if card_id in queue:
                queue.remove(card_id)

    # answering ---------------------------------------------------------------------------------
    def preview(self, card: Card) -> dict[Rating, ItemState]:
        """The four outcomes, computed now; answer() stores the chosen one unchanged."""
        return sched.preview(self.scheduler, card.id, self.states.get(card.id), self.clock(),
                             self._fuzz(card.id, self.states.get(card.id)))

    def option_order(self, card: Card) -> list[int]:
        """The order a choice card's options are shown in this presentation (position -> index)."""
        return option_order(card, self.states.get(card.id), self._study_day())

    def _fuzz(self, card_id: str, state: ItemState | None) -> float:
        return sched.presentation_fuzz(card_id, state, self._study_day())

    def _study_day(self) -> float:
        """Start of the current study day: what presentation-stable draws are seeded with."""
        return sched.day_start(self.clock(), self.config.day_starts_at).timestamp()

    def answer(
        self, card: Card, rating: Rating, outcomes: dict[Rating, ItemState], duration_ms: int | None
    ) -> Answered:
        expected = self.states.get(card.id)
        planned = outcomes[rating]
        reviewed_at = planned.last_review if planned.last_review is not None else self.clock().timestamp()
        at = sched.to_utc(reviewed_at)
        # Computed from the card's state as stored now: another session may have answered it.
        review_id, before, after = self.store.record_review_current(
            card.id, int(rating), reviewed_at, duration_ms, expected, planned,
            lambda current: sched.review(self.scheduler, card.id, current, rating, at,
                                         self._fuzz(card.id, current)))
        if card.id in self.flagged:
            self.store.clear_card_flag(card.id)
        self._remove(card.id)
        self.states[card.id] = after
        tomorrow = sched.next_day_start(self.clock(), self.config.day_starts_at).timestamp()
        if after.state != State.Review and after.due < tomorrow:
            self.learning.append(card.id)
            self._sort_learning()
        done = Answered(card, rating, review_id, before, after)
        self.actions.append(done)
        return done

    def undo(self) -> Answered | Skipped | None:
        """Take back the last answer or skip: the review row goes and the card's old state
        returns (or the bury is lifted), and the card is shown again next."""
        if not self.actions:
            return None
        last = self.actions.pop()
        if isinstance(last, Skipped):
            self.store.unbury(last.card.id)
            self._remove(last.card.id)
            getattr(self, last.queue).insert(last.index, last.card.id)
            return last
        self.store.undo_review(last.review_id)
        self._remove(last.card.id)
        if last.before is None:
            self.states.pop(last.card.id, None)
            self.new.insert(0, last.card.id)
        else:
            self.states[last.card.id] = last.before
            if last.before.state == State.Review:
                self.reviews.insert(0, last.card.id)
            else:
                self.learning.insert(0, last.card.id)
        return last

    def skip(self, card: Card) -> None:
        """Bury the card until the next study day starts."""
        tomorrow = sched.next_day_start(self.clock(), self.config.day_starts_at)
        self.store.bury(card.id, tomorrow.timestamp())
        for name in ("flagged", "learning", "reviews", "new"):
            queue = getattr(self, name)
            if card.id in queue:
                self.actions.append(Skipped(card, name, queue.index(card.id)))
                break
        self._remove(card.id)

    # end ---------------------------------------------------------------------------------------
    def summary(self) -> Summary:
        now = self.clock()
        out = Summary()
        out.answered = len(self.history)
        out.ratings = Counter(a.rating for a in self.history)
        out.elapsed_s = time.monotonic() - self.started
        today = sched.day_start(now, self.config.day_starts_at).timestamp()
        rows = self.store.query(
            "SELECT COUNT(*), SUM(rating > 1) FROM review_log WHERE reviewed_at >= ? AND prev_state = ?"
            " AND item_id NOT LIKE 'drill:%'",
            (today, int(State.Review)),
        )
        total, passed = rows[0]
        out.retention_today = (passed / total) if total else None
        out.reviews_today = self.store.count_reviews_since(today)
        nxt = self.store.next_due_after(now.timestamp())
        out.next_due = sched.to_utc(nxt) if nxt is not None else None
        out.leeches = sorted({a.card.id for a in self.history if a.after.lapses >= LEECH_LAPSES})
        ts = now.timestamp()
        out.new_waiting = self.new_waiting
        out.new_per_day = self.config.new_per_day
        out.due_now = (len(self.flagged) + len(self.reviews) + len(self.new)
                       + sum(1 for cid in self.learning if self.states[cid].due <= ts))
        tomorrow = sched.next_day_start(now, self.config.day_starts_at).timestamp()
        due_drills = [s.item_id.removeprefix("drill:") for s in self.store.due_before(tomorrow, drills=True)]
        if self.drill_ids is not None:
            due_drills = [d for d in due_drills if d in self.drill_ids]
        out.drills_due = due_drills
        return out

    def state_label(self, card: Card) -> str:
        st = self.states.get(card.id)
        if st is None:
            return "new"
        return {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}[
            State(st.state)
        ]

