"""Counts for `quizdl topics` and `quizdl stats`: a few aggregate queries, never one per card.

Everything `quizdl stats` shows is computed here as plain numbers (its JSON is `Stats.to_dict()`);
quizdl/cli/stats.py only draws them."""

from __future__ import annotations

import json
import sqlite3
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta

from fsrs import State

from quizdl import scheduler as sched
from quizdl.cards import Library
from quizdl.config import Config
from quizdl.store import DRILL_PREFIX, ItemState, Store

MATURE_DAYS = 21  # Anki's threshold: a review interval of three weeks or more
HEATMAP_WEEKS = 26
FORECAST_DAYS = 30
RETENTION_WINDOWS = (("today", 0), ("7d", 7), ("30d", 30), ("365d", 365))
WEAKEST = 3
LEECH_LAPSES = 8
_DAY_OFFSET = 1_000_000  # keeps day numbers positive in SQL, so CAST truncates like floor


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
    suspended: int = 0  # out of every queue (`quizdl cards suspend`): in total only


def deck_counts(library: Library, store: Store, config: Config, now: datetime, lang: str = "en") -> list[DeckCounts]:
    states = store.all_states()
    suspended = store.suspended()
    tomorrow = sched.next_day_start(now, config.day_starts_at).timestamp()
    out = []
    for deck in library.decks.values():
        title = deck.title.get("zh" if lang == "zh" else "en", deck.id)
        counts = DeckCounts(deck.id, title)
        for card in deck.cards:
            counts.total += 1
            if card.id in suspended:
                counts.suspended += 1
                continue
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
    forecast: list[dict] = field(default_factory=list)  # [{date, due}] for the next 30 study days
    overdue: int = 0  # due before today began (counted in forecast[0] too)
    drills: dict = field(default_factory=dict)  # totals and per_drill
    heatmap: dict = field(default_factory=dict)
    streak: dict = field(default_factory=dict)
    retention: dict = field(default_factory=dict)
    topics: dict = field(default_factory=dict)
    suspended: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


def _local_day_start(day: date, hour: int) -> float:
    """UTC epoch of `hour` o'clock local time on `day` (DST-aware, like scheduler.day_start)."""
    return datetime.combine(day, time(hour)).astimezone().timestamp()


def _heatmap(store: Store, today: date, hour: int) -> tuple[dict, set[int]]:
    """Reviews per study day over the last 26 weeks, as week columns Monday..Sunday.

    Counted in SQL per hour since the first day (a few thousand groups, from the time index alone),
    then placed into local study days by bisection: exact across DST changes, which move a day
    boundary by whole hours. Returns the heatmap and the set of active day numbers (today = 0).
    """
    first = today - timedelta(days=today.weekday() + 7 * (HEATMAP_WEEKS - 1))
    n_days = (today - first).days + 1
    bounds = [_local_day_start(first + timedelta(days=i), hour) for i in range(n_days + 1)]
    origin = bounds[0]
    counts = [0] * n_days
    rows = store.query(
        "SELECT CAST((reviewed_at - ?) / 3600 AS INTEGER) AS h, COUNT(*) FROM review_log"
        " WHERE reviewed_at >= ? AND reviewed_at < ? GROUP BY h",
        (origin, origin, bounds[-1]),
    )
    for h, n in rows:
        i = bisect_right(bounds, origin + h * 3600) - 1
        if 0 <= i < n_days:
            counts[i] += n
    top = max(counts) if counts else 0
    days = []
    for i, n in enumerate(counts):
        level = 0 if n == 0 else max(1, min(4, -(-4 * n // top)))
        days.append({"date": (first + timedelta(days=i)).isoformat(), "reviews": n, "level": level})
    active = {i - (n_days - 1) for i, n in enumerate(counts) if n}
    heatmap = {
        "weeks": HEATMAP_WEEKS,
        "start": first.isoformat(),
        "today": today.isoformat(),
        "days": days,
        "max": top,
        "total": sum(counts),
        "active_days": len(active),
        # a day with n > 0 reviews has level ceil(4 n / max); these are each level's upper bound
        "levels": [0, *[-(-top * k // 4) for k in (1, 2, 3)], top] if top else [0, 0, 0, 0, 0],
    }
    # Days before the heatmap: numbered in fixed 24-hour steps back from its first day (an hour
    # off across DST, only for reviews next to the day boundary); used for the longest streak.
    older = store.query(
        "SELECT DISTINCT CAST((reviewed_at - ?) / 86400 + ? AS INTEGER) FROM review_log WHERE reviewed_at < ?",
        (origin, _DAY_OFFSET, origin),
    )
    active |= {d - _DAY_OFFSET - (n_days - 1) for (d,) in older}
    return heatmap, active


def _streaks(active: set[int]) -> dict:
    """Current streak: consecutive active days up to today (or up to yesterday while today has no
    review yet, so the streak is not broken before the day is over); longest: over all history."""
    current = 0
    day = 0 if 0 in active else -1
    while day in active:
        current += 1
        day -= 1
    longest = run = 0
    prev = None
    for d in sorted(active):
        run = run + 1 if prev is not None and d == prev + 1 else 1
        longest = max(longest, run)
        prev = d
    return {"current": current, "longest": max(longest, current), "today_done": 0 in active}


def _rate(passed: int, n: int) -> dict:
    return {"reviews": n, "passed": passed, "rate": (passed / n) if n else None}


def _retention(store: Store, today_start: datetime, desired: float) -> dict:
    """Anki's true retention: of reviews of cards in the review state, the share not rated Again,
    split by the interval the card had (young < 21 days, mature >= 21). Cards only, no drills."""
    mature_s = MATURE_DAYS * 86400
    windows = [(name, days, (today_start - timedelta(days=days)).timestamp()) for name, days in RETENTION_WINDOWS]
    try:
        counts = [_retention_sql(store, since, mature_s) for _name, _days, since in windows]
    except sqlite3.OperationalError as exc:  # no such column: an SQLite without JSON or generated columns
        if "last_interval" not in str(exc):
            raise
        counts = _retention_python(store, [since for _name, _days, since in windows], mature_s)
    out = []
    for (name, days, since), (n_m, p_m, n, p) in zip(windows, counts, strict=True):
        out.append({"window": name, "days": days, "since": since,
                    "young": _rate(p - p_m, n - n_m), "mature": _rate(p_m, n_m), "total": _rate(p, n)})
    return {"desired": desired, "mature_days": MATURE_DAYS, "windows": out}


def _retention_sql(store: Store, since: float, mature_s: float) -> tuple[int, int, int, int]:
    """(mature reviews, mature passed, reviews, passed) since `since`, from the index alone."""
    # `prev_state = 2` (State.Review) literally: only a literal lets SQLite use the partial
    # index review_log_retention (store.py, migration 5), which holds every column read here.
    row = store.query(
        "SELECT COALESCE(SUM(last_interval >= ?), 0), COALESCE(SUM(last_interval >= ? AND rating > 1), 0),"
        " COUNT(*), COALESCE(SUM(rating > 1), 0) FROM review_log"
        " WHERE reviewed_at >= ? AND prev_state = 2 AND item_id NOT LIKE 'drill:%'",
        (mature_s, mature_s, since),
    )[0]
    return row[0], row[1], row[2], row[3]


def _retention_python(store: Store, sinces: list[float], mature_s: float) -> list[tuple[int, int, int, int]]:
    """The same counts as _retention_sql, reading each review's state_before JSON in Python."""
    counts = [[0, 0, 0, 0] for _ in sinces]
    rows = store.query(
        "SELECT reviewed_at, rating, state_before FROM review_log"
        " WHERE reviewed_at >= ? AND prev_state = ? AND item_id NOT LIKE 'drill:%'",
        (min(sinces), int(State.Review)),
    )
    for at, rating, before in rows:
        st = json.loads(before) if before else {}
        mature = st.get("due") is not None and st.get("last_review") is not None and st["due"] - st["last_review"] >= mature_s
        for c, since in zip(counts, sinces, strict=True):
            if at >= since:
                c[0] += mature
                c[1] += mature and rating > 1
                c[2] += 1
                c[3] += rating > 1
    return [(a, b, c, d) for a, b, c, d in counts]


def _topics(library: Library, states: dict[str, ItemState], config: Config, now: datetime, lang: str,
            suspended: frozenset[str] | set[str] = frozenset()) -> dict:
    """Per deck: new / learning / young / mature counts, mean retrievability now, lapses; the
    weakest decks are those with the lowest mean retrievability (of cards already studied).
    Suspended cards count in `total` and `suspended` only: they are out of every queue."""
    scheduler = sched.make_scheduler(config)
    now_ts = now.timestamp()
    decks = []
    for deck in library.decks.values():
        row = {"deck": deck.id, "title": deck.title.get("zh" if lang == "zh" else "en", deck.id),
               "total": 0, "new": 0, "learning": 0, "young": 0, "mature": 0, "due": 0, "lapses": 0,
               "leeches": 0, "suspended": 0, "retrievability": None}
        r_sum, r_n = 0.0, 0
        for card in deck.cards:
            row["total"] += 1
            if card.id in suspended:
                row["suspended"] += 1
                continue
            st = states.get(card.id)
            if st is None:
                row["new"] += 1
                continue
            if st.state != State.Review:
                row["learning"] += 1
            elif _interval_days(st) >= MATURE_DAYS:
                row["mature"] += 1
            else:
                row["young"] += 1
            row["due"] += st.due <= now_ts
            row["lapses"] += st.lapses
            row["leeches"] += st.lapses >= LEECH_LAPSES
            if st.last_review is not None and st.stability:
                r_sum += sched.retrievability(scheduler, st, now)
                r_n += 1
        row["retrievability"] = r_sum / r_n if r_n else None
        decks.append(row)
    studied = [d for d in decks if d["retrievability"] is not None]
    studied.sort(key=lambda d: (d["retrievability"], -d["lapses"], d["deck"]))
    return {"decks": decks, "weakest": [d["deck"] for d in studied[:WEAKEST]]}


def _drills(store: Store) -> dict:
    """Per drill tried: attempts, passes, the last attempt's diagnosis, the next review (drill state)."""
    # SQLite gives the bare columns of the row holding MAX(id): the last attempt's.
    rows = store.query(
        "SELECT drill_id, COUNT(*), COALESCE(SUM(passed), 0), MAX(id), attempted_at, passed, diagnosis"
        " FROM drill_attempt GROUP BY drill_id ORDER BY drill_id"
    )
    states = store.all_states(drills=True)
    per = []
    for drill_id, n, passes, _last_id, at, passed, diagnosis in rows:
        st = states.get(DRILL_PREFIX + drill_id)
        per.append({"drill": drill_id, "attempts": n, "passes": passes, "last_attempt": at,
                    "last_passed": bool(passed), "last_diagnosis": diagnosis,
                    "next_review": st.due if st is not None and passes else None})
    return {"attempts": sum(d["attempts"] for d in per), "passes": sum(d["passes"] for d in per),
            "drills_tried": len(per), "per_drill": per}


def compute(library: Library, store: Store, config: Config, now: datetime, lang: str = "en") -> Stats:
    suspended = store.suspended() & set(library.cards)  # out of every queue: counted apart
    states = {k: v for k, v in store.all_states().items() if k in library.cards and k not in suspended}
    by_state = Counter(st.state for st in states.values())
    mature = sum(1 for st in states.values() if st.state == State.Review and _interval_days(st) >= MATURE_DAYS)
    leeches = sum(1 for st in states.values() if st.lapses >= LEECH_LAPSES)
    today = sched.day_start(now, config.day_starts_at)
    today_date = today.astimezone().date()
    # All reviews minus drill reviews: the same number as COUNT(*) ... NOT LIKE 'drill:%', but
    # without testing a million rows one by one. A LIKE match starts with d or D, so the drill
    # count only visits those two ranges of the item_id index.
    total = store.query("SELECT COUNT(*) FROM review_log")[0][0] - store.query(
        "SELECT COUNT(*) FROM review_log WHERE (item_id >= 'D' AND item_id < 'E' OR item_id >= 'd'"
        " AND item_id < 'e') AND item_id LIKE 'drill:%'"
    )[0][0]
    retention = _retention(store, today, config.desired_retention)
    last30 = next(w for w in retention["windows"] if w["days"] == 30)["total"]
    forecast = []
    dues = sorted(st.due for st in states.values())  # count each day's lo <= due < end by bisection
    overdue = bisect_left(dues, today.timestamp())
    start = today
    for day in range(FORECAST_DAYS):
        end = sched.next_day_start(start, config.day_starts_at)
        lo = -float("inf") if day == 0 else start.timestamp()
        due = bisect_left(dues, end.timestamp()) - bisect_left(dues, lo)
        forecast.append({"date": start.astimezone().date().isoformat(), "due": due})
        start = end
    heatmap, active = _heatmap(store, today_date, config.day_starts_at)
    return Stats(
        cards=len(library.cards),
        new=len(library.cards) - len(suspended) - len(states),
        learning=by_state.get(State.Learning, 0) + by_state.get(State.Relearning, 0),
        review=by_state.get(State.Review, 0),
        mature=mature,
        leeches=leeches,
        reviews_total=total,
        reviews_today=store.count_reviews_since(today.timestamp()),
        retention_30d=last30["rate"],
        reviews_30d=last30["reviews"],
        forecast=forecast,
        overdue=overdue,
        drills=_drills(store),
        heatmap=heatmap,
        streak=_streaks(active),
        retention=retention,
        topics=_topics(library, states, config, now, lang, suspended),
        suspended=len(suspended),
    )
