"""Drills are scheduled by FSRS like cards (item id ``drill:<id>``).

A review of a drill is a cycle of attempts that ends with a pass: the first failure in a cycle is
rated Again; the pass is rated Good if it came at the first attempt with no hint, Hard after failed
attempts or hints. Only attempts the tests could judge are reviews: a file that never ran (syntax
error, missing entry point, forbidden API, time-out), the untouched starter, and a re-grade of
text identical to the previous counted attempt are recorded, but change no schedule.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime

from fsrs import Rating, Scheduler

from quizdl import scheduler as sched
from quizdl.store import DRILL_PREFIX, DrillAttempt, ItemState, Store

HINTS_PER_DRILL = 3


def item_id(drill_id: str) -> str:
    return DRILL_PREFIX + drill_id


def source_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _counted(attempts: list[DrillAttempt]) -> list[DrillAttempt]:
    return [a for a in attempts if a.counted]


def cycle_start(attempts: list[DrillAttempt]) -> float:
    """When the current review cycle began: the time of the last counted pass (0: never passed)."""
    return next((a.attempted_at for a in reversed(_counted(attempts)) if a.passed), 0.0)


def hints_seen(store: Store, drill_id: str) -> list[int]:
    """Hint numbers (1-based) seen in the current cycle, in the order first seen."""
    return store.hints_viewed(drill_id, since=cycle_start(store.drill_attempts(drill_id)))


def take_hint(store: Store, drill_id: str, now: datetime) -> int | None:
    """Record the next unseen hint of this cycle as seen and return its number (None: all seen)."""
    seen = hints_seen(store, drill_id)
    if len(seen) >= HINTS_PER_DRILL:
        return None
    number = next(n for n in range(1, HINTS_PER_DRILL + 1) if n not in seen)
    store.record_hint_view(drill_id, number, now.timestamp())
    return number


def has_passed(attempts: list[DrillAttempt]) -> bool:
    return any(a.passed for a in _counted(attempts))


def rating_for(previous_attempts: list[DrillAttempt], passed: bool, hints_used: int = 0) -> Rating | None:
    """The FSRS rating this attempt earns, or None when it only adds to an already-rated failure."""
    failed_since_pass = []
    for attempt in reversed(_counted(previous_attempts)):
        if attempt.passed:
            break
        failed_since_pass.append(attempt)
    if passed:
        return Rating.Hard if failed_since_pass or hints_used else Rating.Good
    return None if failed_since_pass else Rating.Again


# Why a grade is no review (the report's "not counted: …"; quizdl/cli/i18n.py says them in zh).
REASON_NOT_RUN = "the tests did not run, so this grade is not a review"
REASON_UNCHANGED = "the file is unchanged since its last grade, so this is not a new review"


@dataclass(frozen=True)
class Recorded:
    """What storing a grade did: the drill's state afterwards, and why it was no review if not."""

    state: ItemState | None
    rating: Rating | None
    not_a_review: str | None = None  # the reason, in words for the report


def record_grade(
    store: Store,
    scheduler: Scheduler,
    attempt: DrillAttempt,
    now: datetime,
    tests_ran: bool = True,
) -> Recorded:
    """Store the attempt and, when it is a review that earns a rating, the drill's new FSRS state."""
    previous = store.drill_attempts(attempt.drill_id)
    counted = _counted(previous)
    reason = None
    if not tests_ran:
        reason = REASON_NOT_RUN
    elif attempt.source_sha and counted and counted[-1].source_sha == attempt.source_sha:
        reason = REASON_UNCHANGED
    iid = item_id(attempt.drill_id)
    if reason:
        store.record_drill_attempt(replace(attempt, counted=False))
        return Recorded(store.get_state(iid), None, reason)
    store.record_drill_attempt(replace(attempt, counted=True))
    rating = rating_for(previous, attempt.passed, attempt.hints_used)
    if rating is None:
        return Recorded(store.get_state(iid), None)
    before = store.get_state(iid)
    after = sched.review(scheduler, iid, before, rating, now)
    store.record_review(iid, int(rating), now.timestamp(), attempt.duration_ms, before, after)
    return Recorded(after, rating)


def flag_cards(store: Store, drill_id: str, diagnoses, now: datetime) -> list[str]:
    """Send the cards linked to the diagnosed mistakes to the front of the next study session."""
    flagged = []
    for diagnosis in diagnoses:
        if diagnosis.card and diagnosis.card not in flagged:
            store.flag_card(diagnosis.card, drill_id, diagnosis.id, now.timestamp())
            flagged.append(diagnosis.card)
    return flagged
