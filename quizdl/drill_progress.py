"""Drills are scheduled by FSRS like cards (item id ``drill:<id>``).

A review of a drill is a cycle of attempts: the first failure in a cycle is rated Again; the pass
that ends the cycle is rated Good if it came at the first attempt, Hard after failed attempts.
"""

from __future__ import annotations

from datetime import datetime

from fsrs import Rating, Scheduler

from quizdl import scheduler as sched
from quizdl.store import DRILL_PREFIX, DrillAttempt, ItemState, Store


def item_id(drill_id: str) -> str:
    return DRILL_PREFIX + drill_id


def rating_for(previous_attempts: list[DrillAttempt], passed: bool) -> Rating | None:
    """The FSRS rating this attempt earns, or None when it only adds to an already-rated failure."""
    failed_since_pass = []
    for attempt in reversed(previous_attempts):
        if attempt.passed:
            break
        failed_since_pass.append(attempt)
    if passed:
        return Rating.Hard if failed_since_pass else Rating.Good
    return None if failed_since_pass else Rating.Again


def record_grade(
    store: Store,
    scheduler: Scheduler,
    attempt: DrillAttempt,
    now: datetime,
) -> ItemState | None:
    """Store the attempt and, when it earns a rating, the drill's new FSRS state."""
    previous = store.drill_attempts(attempt.drill_id)
    store.record_drill_attempt(attempt)
    rating = rating_for(previous, attempt.passed)
    if rating is None:
        return store.get_state(item_id(attempt.drill_id))
    iid = item_id(attempt.drill_id)
    before = store.get_state(iid)
    after = sched.review(scheduler, iid, before, rating, now)
    store.record_review(iid, int(rating), now.timestamp(), attempt.duration_ms, before, after)
    return after
