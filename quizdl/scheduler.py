"""FSRS scheduling via py-fsrs, plus the local-day arithmetic ("due today" starts at 4 am local).

All scheduling maths is fsrs.Scheduler's; this module only converts between our stored
ItemState and fsrs.Card, previews the four outcomes and formats intervals.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, time, timedelta

from fsrs import Card, Rating, Scheduler, State

from quizdl.config import Config
from quizdl.store import ItemState

RATINGS = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)
RATING_NAMES = {Rating.Again: "Again", Rating.Hard: "Hard", Rating.Good: "Good", Rating.Easy: "Easy"}


class FuzzScheduler(Scheduler):
    """fsrs.Scheduler whose interval fuzz can come from a given draw in [0, 1) instead of
    fsrs' global random(): the study screen draws once per card presentation, so the previewed
    interval, the applied one and the one after an undo are the same."""

    draw: float | None = None

    def _get_fuzzed_interval(self, *, interval: timedelta) -> timedelta:
        if self.draw is None:
            return super()._get_fuzzed_interval(interval=interval)
        days = interval.days
        if days < 2.5:  # as fsrs: no fuzz below 2.5 days
            return interval
        lo, hi = fuzz_range(days, self.maximum_interval)
        return timedelta(days=min(round(self.draw * (hi - lo + 1) + lo), self.maximum_interval))


def fuzz_range(days: int, maximum: int) -> tuple[int, int]:
    """The fuzzed interval's bounds in days, computed as fsrs 6 does (its FUZZ_RANGES)."""
    from fsrs.scheduler import FUZZ_RANGES

    delta = 1.0
    for r in FUZZ_RANGES:
        delta += r["factor"] * max(min(float(days), r["end"]) - r["start"], 0.0)
    lo, hi = max(2, round(days - delta)), min(round(days + delta), maximum)
    return min(lo, hi), hi


def make_scheduler(config: Config, *, drills: bool = False) -> Scheduler:
    """The FSRS scheduler for cards, or (drills=True) for drills. Drills skip the minute-scale
    learning steps: redoing a drill you just passed ten minutes later teaches nothing, so a pass
    goes straight to a review interval of days."""
    def steps(minutes: list[int]) -> tuple[timedelta, ...]:
        return () if drills else tuple(timedelta(minutes=m) for m in minutes)

    extra = {} if config.fsrs_parameters is None else {"parameters": tuple(config.fsrs_parameters)}
    return FuzzScheduler(
        **extra,
        desired_retention=config.desired_retention,
        learning_steps=steps(config.learning_steps),
        relearning_steps=steps(config.relearning_steps),
        enable_fuzzing=True,
    )


def to_utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


def _fsrs_card(item_id: str, state: ItemState | None) -> Card:
    # An explicit id: fsrs.Card() without one sleeps 1 ms to make a unique timestamp id.
    card_id = zlib.crc32(item_id.encode())
    if state is None:
        return Card(card_id=card_id, due=datetime(1970, 1, 1, tzinfo=UTC))
    return Card(
        card_id=card_id,
        state=State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=to_utc(state.due),
        last_review=to_utc(state.last_review) if state.last_review is not None else None,
    )


def review(
    scheduler: Scheduler, item_id: str, state: ItemState | None, rating: Rating, now: datetime,
    fuzz: float | None = None,
) -> ItemState:
    """The item's state after answering `rating` at `now` (UTC-aware); `fuzz` in [0, 1) fixes
    the interval fuzz (a FuzzScheduler), None leaves it to fsrs' random()."""
    if fuzz is not None and isinstance(scheduler, FuzzScheduler):
        scheduler.draw = fuzz
    try:
        card, _log = scheduler.review_card(_fsrs_card(item_id, state), rating, review_datetime=now)
    finally:
        if isinstance(scheduler, FuzzScheduler):
            scheduler.draw = None
    reps = (state.reps if state else 0) + 1
    lapses = (state.lapses if state else 0) + (
        1 if state is not None and state.state == State.Review and rating == Rating.Again else 0
    )
    return ItemState(
        item_id=item_id,
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due.timestamp(),
        last_review=card.last_review.timestamp() if card.last_review else None,
        reps=reps,
        lapses=lapses,
    )


def preview(
    scheduler: Scheduler, item_id: str, state: ItemState | None, now: datetime, fuzz: float | None = None
) -> dict[Rating, ItemState]:
    """All four possible outcomes, with one fuzz draw for all four. The one the user picks is
    stored as is, so the shown interval is exactly the one applied (fuzz included)."""
    return {r: review(scheduler, item_id, state, r, now, fuzz) for r in RATINGS}


def presentation_fuzz(item_id: str, state: ItemState | None, day: float) -> float:
    """The fuzz draw for one presentation of a card: seeded by the card, its state (so undo,
    which restores the state, shows the same intervals again) and the study day."""
    import random

    key = (item_id, state.reps if state else 0, state.last_review if state else None, int(day))
    return random.Random(repr(key)).random()


class _MemoryState:
    """The two fields fsrs' get_card_retrievability reads, without building a full fsrs.Card
    (the study queue asks for every due review card's retrievability)."""

    __slots__ = ("last_review", "stability")

    def __init__(self, last_review: datetime | None, stability: float | None) -> None:
        self.last_review, self.stability = last_review, stability


def retrievability(scheduler: Scheduler, state: ItemState, now: datetime) -> float:
    last = to_utc(state.last_review) if state.last_review is not None else None
    return scheduler.get_card_retrievability(_MemoryState(last, state.stability), now)  # type: ignore[arg-type]


def format_interval(seconds: float) -> str:
    """Anki-style short interval: 45s, 10m, 3h, 4d, 2.1mo, 1.3y."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{round(seconds)}s"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


def day_start(now: datetime, day_starts_at: int) -> datetime:
    """Start (UTC-aware) of the study day containing `now`: the last local `day_starts_at` o'clock."""
    local = now.astimezone()
    start = datetime.combine(local.date(), time(day_starts_at), tzinfo=local.tzinfo)
    # Local midnight-based arithmetic via the local zone handles DST by re-localising.
    start = start.replace(tzinfo=None).astimezone()
    if start > local:
        start = (datetime.combine(local.date() - timedelta(days=1), time(day_starts_at))).astimezone()
    return start.astimezone(UTC)


def next_day_start(now: datetime, day_starts_at: int) -> datetime:
    start = day_start(now, day_starts_at).astimezone()
    nxt = datetime.combine(start.date() + timedelta(days=1), time(day_starts_at)).astimezone()
    return nxt.astimezone(UTC)
