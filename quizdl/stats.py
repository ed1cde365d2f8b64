"""Counts for `quizdl topics` and `quizdl stats`: a few aggregate queries, never one per card."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from fsrs import State

from quizdl import scheduler as sched
from quizdl.cards import Library
from quizdl.config import Config
from quizdl.store import ItemState, Store

MATURE_DAYS = 21  # Anki's threshold: a review interval of three weeks or more


def _interval_days(st: ItemState) -> float:
    if st.last_review is None:
        return 0.0
    return (st.due - st.last_review) / 86400


@dataclass
class DeckCounts:
    deck: str
    title: str
    total: int = 0
    new: int = 0
    learning: int = 0
    due: int = 0
    mature: int = 0


def deck_counts(library: Library, store: Store, config: Config, now: datetime, lang: str = "en") -> list[DeckCounts]:
    states = store.all_states()
    tomorrow = sched.next_day_start(now, config.day_starts_at).timestamp()
    out = []
    for deck in library.decks.values():
        title = deck.title.get("zh" if lang == "zh" else "en", deck.id)
        counts = DeckCounts(deck.id, title)
        for card in deck.cards:
            counts.total += 1
            st = states.get(card.id)
            if st is None:
                counts.new += 1
                continue
            if st.state != State.Review:
                counts.learning += 1
            if st.due < tomorrow:
                counts.due += 1
            if st.state == State.Review and _interval_days(st) >= MATURE_DAYS:
                counts.mature += 1
        out.append(counts)
    return out


@dataclass
class Stats:
    cards: int
    new: int
    learning: int
    review: int
    mature: int
    leeches: int
    reviews_total: int
    reviews_today: int
    retention_30d: float | None
    reviews_30d: int
    forecast: list[dict] = field(default_factory=list)  # [{date, due}] for the next 7 study days
    drills: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def compute(library: Library, store: Store, config: Config, now: datetime) -> Stats:
    states = {k: v for k, v in store.all_states().items() if k in library.cards}
    by_state = Counter(st.state for st in states.values())
    mature = sum(1 for st in states.values() if st.state == State.Review and _interval_days(st) >= MATURE_DAYS)
    leeches = sum(1 for st in states.values() if st.lapses >= 8)
    today = sched.day_start(now, config.day_starts_at)
    since_30 = (today - timedelta(days=30)).timestamp()
    # All reviews minus drill reviews: the same number as COUNT(*) ... NOT LIKE 'drill:%', but
    # without testing a million rows one by one. A LIKE match starts with d or D, so the drill
    # count only visits those two ranges of the item_id index.
    total = store.query("SELECT COUNT(*) FROM review_log")[0][0] - store.query(
        "SELECT COUNT(*) FROM review_log WHERE (item_id >= 'D' AND item_id < 'E' OR item_id >= 'd'"
        " AND item_id < 'e') AND item_id LIKE 'drill:%'"
    )[0][0]
    n30, passed30 = store.query(
        "SELECT COUNT(*), SUM(rating > 1) FROM review_log WHERE reviewed_at >= ? AND prev_state = ?"
        " AND item_id NOT LIKE 'drill:%'",
        (since_30, int(State.Review)),
    )[0]
    forecast = []
    dues = sorted(st.due for st in states.values())  # count each day's lo <= due < end by bisection
    start = today
    for day in range(7):
        end = sched.next_day_start(start, config.day_starts_at)
        lo = -float("inf") if day == 0 else start.timestamp()
        due = bisect_left(dues, end.timestamp()) - bisect_left(dues, lo)
        forecast.append({"date": start.astimezone().date().isoformat(), "due": due})
        start = end
    drill_rows = store.query(
        "SELECT COUNT(*), COALESCE(SUM(passed), 0), COUNT(DISTINCT drill_id) FROM drill_attempt"
    )[0]
    return Stats(
        cards=len(library.cards),
        new=len(library.cards) - len(states),
        learning=by_state.get(State.Learning, 0) + by_state.get(State.Relearning, 0),
        review=by_state.get(State.Review, 0),
        mature=mature,
        leeches=leeches,
        reviews_total=total,
        reviews_today=store.count_reviews_since(today.timestamp()),
        retention_30d=(passed30 / n30) if n30 else None,
        reviews_30d=n30,
        forecast=forecast,
        drills={"attempts": drill_rows[0], "passes": drill_rows[1], "drills_tried": drill_rows[2]},
    )
