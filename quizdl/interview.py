"""A mock interview (`quizdl interview`): what to ask, the scorecard, the history — no terminal code.

An interview is timed: about 40% of the minutes go to concept cards, the rest to one coding drill.
Cards come from the user's weakest topics (lowest mean retrievability over the cards seen, then
most lapses; a topic never studied counts as weakest), a few topics at a time, the weakest cards
of each first; auto-graded cards (choice, numeric, term) are asked before basic (self-rated) ones.
Every answer is an ordinary review, stored by StudySession.answer exactly as `quizdl study`
stores it. The drill is chosen the same way among drills: the weakest drill topic, then a drill
never passed before one passed, due before not due. quizdl/cli/interview_screen.py draws it all.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from fsrs import Rating, Scheduler

from quizdl import drill_progress
from quizdl import scheduler as sched
from quizdl.cards import Card, Library
from quizdl.config import Config
from quizdl.errors import QuizdlError
from quizdl.session import Answered, StudySession
from quizdl.store import ItemState, Store

DEFAULT_MINUTES = 45
CONCEPT_SHARE = 0.4  # of the minutes; the drill gets the rest (and whatever the cards left over)
SECONDS_PER_CARD = 90  # how many cards fit in the concept part
TOPICS_AT_ONCE = 3  # cards are drawn in turn from this many of the weakest topics
DIFFICULTY_ORDER = {"easy": 0, "medium": 1, "hard": 2}


# --- how weak is a topic ----------------------------------------------------------------------


@dataclass(frozen=True)
class TopicWeakness:
    topic: str
    items: int  # cards (or drills) in the topic
    seen: int  # of them reviewed at least once
    retrievability: float  # mean over the seen ones; 0.0 when none was seen
    lapses: int  # summed over the topic

    def key(self) -> tuple[float, int]:
        return (self.retrievability, -self.lapses)


def item_weakness(state: ItemState | None, scheduler: Scheduler, now: datetime) -> tuple[float, int]:
    """(retrievability, -lapses): smaller is weaker; an item never reviewed is (0, 0)."""
    if state is None:
        return (0.0, 0)
    return (sched.retrievability(scheduler, state, now), -state.lapses)


def rank_topics(
    groups: dict[str, list[str]], states: dict[str, ItemState], scheduler: Scheduler, now: datetime
) -> list[TopicWeakness]:
    """Topics (topic -> item ids), weakest first; ties keep the order of `groups`."""
    out = []
    for topic, ids in groups.items():
        seen = [states[i] for i in ids if i in states]
        mean = sum(sched.retrievability(scheduler, s, now) for s in seen) / len(seen) if seen else 0.0
        out.append(TopicWeakness(topic, len(ids), len(seen), mean, sum(s.lapses for s in seen)))
    return sorted(out, key=TopicWeakness.key)


# --- choosing the cards -----------------------------------------------------------------------


def card_count(minutes: float) -> int:
    """How many cards the concept part of an interview this long asks (at least one)."""
    return max(1, round(minutes * 60 * CONCEPT_SHARE / SECONDS_PER_CARD))


def choose_cards(
    cards: list[Card], states: dict[str, ItemState], scheduler: Scheduler, now: datetime, count: int,
    skip: Iterable[str] = (),
) -> tuple[list[Card], list[TopicWeakness]]:
    """Up to `count` cards from the weakest topics (deck ids), drawn in turn from
    TOPICS_AT_ONCE topics at a time, each topic's weakest card first (between equally weak
    ones, an auto-graded one); then auto-graded cards are put before basic ones. Returns the cards and every topic's weakness, weakest first."""
    skip = set(skip)
    groups: dict[str, list[Card]] = {}
    for card in cards:
        if card.id not in skip:
            groups.setdefault(card.deck, []).append(card)
    ranked = rank_topics({t: [c.id for c in cs] for t, cs in groups.items()}, states, scheduler, now)
    def weakest_first(card: Card) -> tuple:
        return (*item_weakness(states.get(card.id), scheduler, now), not card.auto_graded)

    queues = [sorted(groups[t.topic], key=weakest_first) for t in ranked]
    active, waiting = queues[:TOPICS_AT_ONCE], queues[TOPICS_AT_ONCE:]
    chosen: list[Card] = []
    while active and len(chosen) < count:
        for queue in list(active):
            if len(chosen) >= count:
                break
            chosen.append(queue.pop(0))
            if not queue:
                active.remove(queue)
                if waiting:
                    active.append(waiting.pop(0))
    chosen.sort(key=lambda c: not c.auto_graded)  # stable: the weakness order stays within each kind
    return chosen, ranked


# --- choosing the drill ----------------------------------------------------------------------


@dataclass(frozen=True)
class DrillChoice:
    drill: object  # quizdl.drills.Drill
    topic: TopicWeakness
    passed_before: bool
    due: bool
    note: str | None = None  # e.g. no drill on the chosen topics: taken from all


def drills_for_topics(drills: dict, topics: list[str], cards: list[Card]) -> list:
    """Drills on these topics: the drill's topic is one of them, or it practises one of `cards`."""
    card_ids = {c.id for c in cards}
    linked = {c.drill for c in cards if c.drill}
    return [d for d in drills.values()
            if d.topic in topics or d.id in linked or card_ids.intersection(d.cards)]


def choose_drill(
    drills: list, store: Store, scheduler: Scheduler, now: datetime, topic_order: list[str] = (),
) -> DrillChoice | None:
    """The drill of the weakest drill topic (drill retrievability and lapses, a topic never
    drilled is weakest; ties go to the weaker card topic in `topic_order`); within it a drill
    never passed before a passed one, due before not due, then the weakest, the easiest."""
    if not drills:
        return None
    states = store.all_states(drills=True)
    attempts: dict[str, list] = {}
    for attempt in store.drill_attempts():
        attempts.setdefault(attempt.drill_id, []).append(attempt)
    card_rank = {t: i for i, t in enumerate(topic_order)}
    topics = sorted({d.topic for d in drills}, key=lambda t: (card_rank.get(t, len(card_rank)), t))
    groups = {t: [drill_progress.item_id(d.id) for d in drills if d.topic == t] for t in topics}
    weakest = rank_topics(groups, states, scheduler, now)[0]
    ts = now.timestamp()

    def key(drill):
        state = states.get(drill_progress.item_id(drill.id))
        passed = drill_progress.has_passed(attempts.get(drill.id, []))
        due = state is None or state.due <= ts
        return (passed, not due, item_weakness(state, scheduler, now), DIFFICULTY_ORDER.get(drill.difficulty, 1), drill.id)

    best = min((d for d in drills if d.topic == weakest.topic), key=key)
    passed, not_due = key(best)[:2]
    return DrillChoice(best, weakest, passed, not not_due)


def starter_path(drill_id: str, folder: Path) -> Path:
    """A new file for the interview's starter, named like `quizdl drill ID`'s (bn.py) with
    `.interview-N` before the suffix, N the first number not taken: nothing is overwritten."""
    stem = drill_id.replace("-", "_")
    n = 1
    while (path := folder / f"{stem}.interview-{n}.py").exists():
        n += 1
    return path


def write_starter(drill, folder: Path) -> Path:
    path = starter_path(drill.id, folder)
    try:
        with open(path, "x", encoding="utf-8") as f:  # "x": never over a file that appeared meanwhile
            f.write(drill.starter_path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise QuizdlError(f"cannot write the drill's starter {path}: {exc.strerror or exc}",
                          zh=f"无法写入练习的初始文件 {path}：{exc.strerror or exc}") from None
    return path


# --- the plan --------------------------------------------------------------------------------


@dataclass
class Plan:
    minutes: float
    topics: list[str]  # the --topic filter as given (empty: all)
    cards: list[Card]
    card_topics: list[TopicWeakness]  # every candidate topic, weakest first
    drill: DrillChoice | None

    @property
    def concept_seconds(self) -> float:
        return self.minutes * 60 * CONCEPT_SHARE

    @property
    def asked_topics(self) -> list[str]:
        """The topics of the chosen cards, weakest first."""
        decks = {c.deck for c in self.cards}
        return [t.topic for t in self.card_topics if t.topic in decks]


def check_minutes(minutes: float) -> None:
    if not minutes > 0:
        raise QuizdlError(f"--minutes must be a positive number of minutes, not {minutes:g}",
                          zh=f"--minutes 必须是正的分钟数，而不是 {minutes:g}")


def make_plan(
    library: Library, store: Store, config: Config, drills: dict, *, minutes: float = DEFAULT_MINUTES,
    topics: list[str] = (), now: datetime | None = None,
) -> Plan:
    """What this interview asks: the cards, then the drill. Raises a QuizdlError for a bad
    --minutes, an unknown topic or no card to ask."""
    check_minutes(minutes)
    topics = list(topics)
    now = now or sched.to_utc(time.time())
    candidates = library.select(topics)  # an unknown topic is an error here
    states = store.all_states()
    buried = store.buried_at(now.timestamp()) | store.suspended()
    scheduler = sched.make_scheduler(config)
    cards, ranked = choose_cards(candidates, states, scheduler, now, card_count(minutes), skip=buried)
    if not cards:
        which = f" on {', '.join(topics)}" if topics else ""
        why = " (all are skipped until tomorrow or suspended)" if candidates else ""
        which_zh = f"（{', '.join(topics)}）" if topics else ""
        why_zh = "（都已跳过到明天或已暂停）" if candidates else ""
        raise QuizdlError(f"no cards to ask{which}{why}; see `quizdl topics`", exit_code=1,
                          zh=f"没有可问的卡片{which_zh}{why_zh}；见 `quizdl topics`")
    pool = drills_for_topics(drills, topics, candidates) if topics else list(drills.values())
    note = None
    if topics and not pool:
        pool, note = list(drills.values()), f"no drill on {', '.join(topics)}: the drill is chosen from all topics"
    # Ties between drill topics go to the weaker card topic, then to the decks' own order.
    order = [t.topic for t in ranked]
    order += [d for d in library.decks if d not in order]
    choice = choose_drill(pool, store, sched.make_scheduler(config, drills=True), now, order)
    if choice is not None and note:
        choice = DrillChoice(choice.drill, choice.topic, choice.passed_before, choice.due, note)
    return Plan(minutes, topics, cards, ranked, choice)


# --- the session and the clock -------------------------------------------------------------------


class InterviewSession(StudySession):
    """A StudySession over a fixed list of cards, asked in order, each once, whatever is due.

    Answers, undo and skip are StudySession's own, so each answer is one review stored in one
    transaction exactly as `quizdl study` stores it; only the queue differs."""

    def __init__(self, store: Store, library: Library, config: Config, cards: list[Card],
                 clock: Callable[[], datetime] | None = None) -> None:
        self._order = [c.id for c in cards]
        kwargs = {"clock": clock} if clock is not None else {}
        super().__init__(store, library, config, **kwargs)

    def _build_queue(self, new_limit: int | None) -> None:
        # Every stored state of the chosen cards (not only those due): previews must start from it.
        states = self.store.all_states()
        self.states = {cid: states[cid] for cid in self._order if cid in states}
        self.flags = {}
        self.flagged, self.learning, self.reviews = [], [], []
        self.new = list(self._order)  # the one queue: asked in this order

    def answer(self, card: Card, rating: Rating, outcomes: dict[Rating, ItemState], duration_ms: int | None) -> Answered:
        done = super().answer(card, rating, outcomes, duration_ms)
        if card.id in self.learning:  # a learning step would bring it back: not in an interview
            self.learning.remove(card.id)
        return done

    def undo(self) -> Answered | None:
        undone = super().undo()
        if undone is not None:
            self._remove(undone.card.id)
            self.new.insert(0, undone.card.id)  # asked again next
        return undone

    def asked(self) -> int:
        return len(self._order)


class Timer:
    """The interview's clock (monotonic seconds): the concept part ends at CONCEPT_SHARE of the
    minutes, the drill part (and the interview) at the end."""

    def __init__(self, minutes: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.start = clock()
        self.concept_end = self.start + minutes * 60 * CONCEPT_SHARE
        self.end = self.start + minutes * 60

    def left(self) -> float:
        return max(0.0, self.end - self.clock())

    def concept_over(self) -> bool:
        return self.clock() >= self.concept_end

    def elapsed(self) -> float:
        return self.clock() - self.start


def format_left(seconds: float) -> str:
    """A countdown as mm:ss (minutes may pass 59: 75:00)."""
    whole = max(0, int(seconds + 0.999))  # 0.4 s left still shows 00:01; 00:00 only at the end
    return f"{whole // 60:02d}:{whole % 60:02d}"


# --- the scorecard ---------------------------------------------------------------------------


@dataclass
class TopicScore:
    topic: str
    right: int = 0
    wrong: int = 0


@dataclass
class DrillScore:
    drill_id: str
    file: str
    grades: int  # files graded during the interview (the untouched starter included)
    passed: bool
    seconds_to_pass: float | None  # from the starter written to the passing save
    mistakes: list[str] = field(default_factory=list)  # diagnosed along the way, first seen first
    hints_used: int = 0


@dataclass
class Scorecard:
    started_at: float  # UTC epoch seconds
    minutes: float
    elapsed_s: float
    topics: list[TopicScore]
    drill: DrillScore | None
    filter: list[str] = field(default_factory=list)  # --topic
    id: int | None = None

    @property
    def cards_right(self) -> int:
        return sum(t.right for t in self.topics)

    @property
    def cards_total(self) -> int:
        return sum(t.right + t.wrong for t in self.topics)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["cards_right"], out["cards_total"] = self.cards_right, self.cards_total
        out["started"] = datetime.fromtimestamp(self.started_at).astimezone().isoformat(timespec="seconds")
        return out


def topic_scores(history: list[Answered]) -> list[TopicScore]:
    """Right / wrong per topic (deck) from the answers kept (undone ones are gone): a rating of
    Again is wrong, Hard, Good or Easy right. Topics in the order first asked."""
    scores: dict[str, TopicScore] = {}
    for answered in history:
        score = scores.setdefault(answered.card.deck, TopicScore(answered.card.deck))
        if answered.rating == Rating.Again:
            score.wrong += 1
        else:
            score.right += 1
    return list(scores.values())


def drill_score(store: Store, drill_id: str, file: Path | str, since: float) -> DrillScore:
    """The drill part from what the store recorded since `since` (when the starter was written):
    every grade, the first pass, the diagnosed mistakes and the hints seen."""
    attempts = [a for a in store.drill_attempts(drill_id) if a.attempted_at >= since]
    first_pass = next((a for a in attempts if a.passed), None)
    mistakes: list[str] = []
    for attempt in attempts:
        for mistake in (attempt.diagnosis or "").split("+"):
            if mistake and mistake not in mistakes:
                mistakes.append(mistake)
    return DrillScore(
        drill_id=drill_id, file=str(file), grades=len(attempts), passed=first_pass is not None,
        seconds_to_pass=max(0.0, first_pass.attempted_at - since) if first_pass else None,
        mistakes=mistakes, hints_used=len(store.hints_viewed(drill_id, since=since)),
    )


# --- history ---------------------------------------------------------------------------------


def save(store: Store, card: Scorecard) -> int:
    """Store the scorecard (one transaction); returns its id."""
    drill = card.drill
    with store.transaction() as db:
        cur = db.execute(
            "INSERT INTO interview (started_at, minutes, elapsed_s, topics, cards_right, cards_total,"
            " per_topic, drill_id, drill_file, drill_passed, seconds_to_pass, drill_grades, mistakes,"
            " hints_used) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                card.started_at, card.minutes, card.elapsed_s, json.dumps(card.filter),
                card.cards_right, card.cards_total, json.dumps([asdict(t) for t in card.topics]),
                drill.drill_id if drill else None, drill.file if drill else None,
                int(drill.passed) if drill else None, drill.seconds_to_pass if drill else None,
                drill.grades if drill else 0, json.dumps(drill.mistakes if drill else []),
                drill.hints_used if drill else 0,
            ),
        )
        card.id = int(cur.lastrowid)
    return card.id


def history(store: Store, limit: int | None = None) -> list[Scorecard]:
    """Past interviews, newest first."""
    rows = store.query(
        "SELECT id, started_at, minutes, elapsed_s, topics, per_topic, drill_id, drill_file, drill_passed,"
        " seconds_to_pass, drill_grades, mistakes, hints_used FROM interview ORDER BY started_at DESC, id DESC"
        + (" LIMIT ?" if limit else ""),
        (limit,) if limit else (),
    )
    out = []
    for rid, started, minutes, elapsed, filt, per_topic, did, dfile, dpassed, to_pass, grades, mistakes, hints in rows:
        drill = None
        if did is not None:
            drill = DrillScore(did, dfile or "", grades, bool(dpassed), to_pass, json.loads(mistakes), hints)
        topics = [TopicScore(**t) for t in json.loads(per_topic)]
        out.append(Scorecard(started, minutes, elapsed, topics, drill, json.loads(filt), rid))
    return out
