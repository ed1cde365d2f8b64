"""`quizdl optimize`: fit FSRS-6's 21 parameters to the user's own review log.

The fit is fsrs-rs-python's (the Rust FSRS: ~1000x faster than py-fsrs's torch optimiser, and no
torch); py-fsrs stays the scheduler and receives the fitted parameters through the config key
`fsrs_parameters`. The comparison is a time-series split — fit on the first 80 % of the reviews in
time order, score default, current and fitted parameters on the last 20 % — so a fit that only
memorises the past cannot look better than it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quizdl.errors import QuizdlError

MIN_REVIEWS = 400  # card reviews needed before a fit is worth trusting
TRAIN_FRACTION = 0.8
DAY_S = 86400.0


@dataclass(frozen=True)
class Scores:
    """How well one parameter set predicts the held-out reviews (lower is better for both)."""

    log_loss: float
    rmse_bins: float

    def better_than(self, other: Scores) -> bool:
        """Lower log loss (what the fit minimises) without a worse calibration (RMSE over bins)."""
        return self.log_loss < other.log_loss and self.rmse_bins <= other.rmse_bins


@dataclass(frozen=True)
class Fit:
    reviews: int  # card reviews used (drills excluded)
    train_items: int
    test_items: int
    default: Scores
    current: Scores | None  # the config's own parameters, when it has any
    fitted: Scores
    parameters: list[float]

    @property
    def baseline(self) -> Scores:
        """What the fit has to beat: the parameters in use now."""
        return self.current or self.default

    @property
    def improves(self) -> bool:
        return self.fitted.better_than(self.baseline)

    def to_dict(self) -> dict:
        def s(x: Scores | None) -> dict | None:
            return None if x is None else {"log_loss": x.log_loss, "rmse_bins": x.rmse_bins}

        return {
            "reviews": self.reviews, "train_items": self.train_items, "test_items": self.test_items,
            "default": s(self.default), "current": s(self.current), "fitted": s(self.fitted),
            "parameters": self.parameters, "improves": self.improves,
        }


def default_parameters() -> list[float]:
    from fsrs.scheduler import DEFAULT_PARAMETERS

    return list(DEFAULT_PARAMETERS)


def card_reviews(store) -> list[tuple[str, int, float]]:
    """(item id, rating, reviewed_at) of every card review in time order; drills are scheduled
    without learning steps and are too few to fit, so they are left out."""
    from quizdl.store import DRILL_PREFIX

    return store.query(
        "SELECT item_id, rating, reviewed_at FROM review_log WHERE item_id NOT LIKE ?"
        " ORDER BY reviewed_at, id",
        (DRILL_PREFIX + "%",),
    )


def _day_offset(day_starts_at: int) -> float:
    """Seconds to add to a UTC timestamp so that study days start at 0 mod 86400 (the local
    UTC offset of now, minus the day's start hour): FSRS counts elapsed days, not hours."""
    import time

    return time.localtime().tm_gmtoff - day_starts_at * 3600.0


def build_items(
    rows: Iterable[tuple[str, int, float]], day_starts_at: int = 4
) -> list[tuple[float, list[tuple[int, int]]]]:
    """One training item per review after a card's first: (its time, the card's history up to and
    including it as (rating, days since the previous review)). Rows must be in time order."""
    offset = _day_offset(day_starts_at)
    history: dict[str, list[tuple[int, int]]] = {}
    last_day: dict[str, int] = {}
    items: list[tuple[float, list[tuple[int, int]]]] = []
    for item_id, rating, at in rows:
        if not 1 <= rating <= 4:
            continue
        day = int((at + offset) // DAY_S)
        seq = history.get(item_id)
        if seq is None:
            history[item_id] = [(rating, 0)]
        else:
            seq.append((rating, day - last_day[item_id]))
            items.append((at, list(seq)))
        last_day[item_id] = day
    return items


def _fsrs_items(items: Sequence[tuple[float, list[tuple[int, int]]]]) -> list:
    from fsrs_rs_python import FSRSItem, FSRSReview

    # One FSRSReview per distinct (rating, delta) pair: items share most of their histories.
    cache: dict[tuple[int, int], object] = {}

    def review(pair: tuple[int, int]):
        r = cache.get(pair)
        if r is None:
            r = cache[pair] = FSRSReview(*pair)
        return r

    return [FSRSItem([review(p) for p in seq]) for _, seq in items]


def _long_term(seq: list[tuple[int, int]]) -> bool:
    # What fsrs-rs learns from and scores: a review on a later day than the one before it.
    return seq[-1][1] > 0


def fit(
    rows: Sequence[tuple[str, int, float]],
    *,
    current: Sequence[float] | None = None,
    day_starts_at: int = 4,
) -> Fit:
    """Fit on the first 80 % of the reviews (by time), score on the rest. Raises QuizdlError
    when the log is too short to say anything."""
    n = len(rows)
    if n < MIN_REVIEWS:
        raise QuizdlError(
            f"optimizing needs at least {MIN_REVIEWS} card reviews; you have {n} "
            f"({MIN_REVIEWS - n} more to go). Keep studying and run `quizdl optimize` again.",
            exit_code=1,
            zh=f"优化至少需要 {MIN_REVIEWS} 次卡片复习；你现在有 {n} 次（还差 {MIN_REVIEWS - n} 次）。"
               "继续学习，之后再运行 `quizdl optimize`。",
        )
    from fsrs_rs_python import FSRS

    items = build_items(rows, day_starts_at)
    cutoff = rows[int(n * TRAIN_FRACTION)][2]
    # fsrs-rs refuses (panics on) an item without any review on a later day than the one before.
    train_items = [it for it in items if it[0] < cutoff and any(d > 0 for _, d in it[1])]
    test_items = [it for it in items if it[0] >= cutoff and _long_term(it[1])]
    if not test_items or not train_items:
        raise QuizdlError(
            "optimizing needs reviews on several days (same-day repeats do not tell FSRS how "
            "memory decays); keep studying and run `quizdl optimize` again", exit_code=1,
            zh="优化需要分布在多天的复习（同一天内的重复无法告诉 FSRS 记忆如何衰退）；继续学习，之后再运行 `quizdl optimize`",
        )
    train, test = _fsrs_items(train_items), _fsrs_items(test_items)
    defaults = default_parameters()
    try:
        fitted = [float(w) for w in FSRS(defaults).compute_parameters(train)]
    except BaseException as exc:  # a Rust panic arrives as pyo3's PanicException, a BaseException
        if type(exc).__name__ != "PanicException":
            raise
        raise QuizdlError(f"the FSRS optimiser gave up on this review log ({exc}); your settings are unchanged",
                          zh=f"FSRS 优化器无法处理这份复习记录（{exc}）；设置没有改变") from None

    def score(params: Sequence[float]) -> Scores:
        ev = FSRS(list(params)).evaluate(test)
        return Scores(float(ev.log_loss), float(ev.rmse_bins))

    return Fit(
        reviews=n, train_items=len(train), test_items=len(test), default=score(defaults),
        current=score(current) if current is not None else None, fitted=score(fitted),
        parameters=fitted,
    )


@dataclass(frozen=True)
class RetentionAdvice:
    retention: float
    deck_size: int
    days: int
    minutes_per_day: float


def suggest_retention(
    parameters: Sequence[float] | None, *, deck_size: int, new_per_day: int,
    max_reviews_per_day: int, days: int = 365, minutes_per_day: float = 30.0,
) -> RetentionAdvice:
    """The desired retention that, in fsrs-rs's workload simulation of this deck and these daily
    limits over `days`, memorises the most cards per minute of review (its optimal_retention)."""
    import fsrs_rs_python as rs

    config = rs.default_simulator_config()
    config.deck_size = max(1, deck_size)
    config.learn_span = days
    config.learn_limit = max(1, new_per_day)
    config.review_limit = max(1, max_reviews_per_day)
    config.max_cost_perday = minutes_per_day * 60.0
    params = list(parameters) if parameters is not None else default_parameters()
    value = float(rs.optimal_retention(config, params))
    return RetentionAdvice(round(value, 2), config.deck_size, days, minutes_per_day)
