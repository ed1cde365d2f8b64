"""Finding cards: `quizdl cards list|search|suspend`'s filters, each card's state in words, and the
"did you mean" suggestions for an unknown id. No terminal code: the CLI renders what this returns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from quizdl.cards import Card, Library
from quizdl.errors import QuizdlError
from quizdl.store import ItemState, Store

STATES = ("new", "learning", "review", "suspended", "buried")
DUE_FILTERS = ("now", "today")
CARD_TYPES = ("basic", "choice", "numeric", "term")


@dataclass(frozen=True)
class Row:
    """One card as `cards list` shows it. `due` is None for a new or suspended card."""

    card: Card
    state: str
    due: float | None
    lapses: int
    learning: bool  # learning or relearning: its due time of day matters


def closest(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The ids nearest to a mistyped one: difflib's closest, then ids containing it (shortest first)."""
    import difflib  # only on an error path

    pool = list(candidates)
    near = difflib.get_close_matches(word, pool, n=n, cutoff=0.6)
    contained = sorted((c for c in pool if word and word in c and c not in near), key=len)
    return (near + contained)[:n]


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """` — did you mean a, b?` or an empty string."""
    near = closest(word, candidates)
    return f" — did you mean {', '.join(near)}?" if near else ""


def did_you_mean_zh(word: str, candidates: Iterable[str]) -> str:
    """did_you_mean for the Chinese interface: ` — 是不是 a, b？` or an empty string."""
    near = closest(word, candidates)
    return f" — 是不是 {', '.join(near)}？" if near else ""


def state_of(st: ItemState | None, card_id: str, suspended: set[str], buried: set[str]) -> str:
    """Suspended and buried win over the schedule: they say why a card is not being shown."""
    if card_id in suspended:
        return "suspended"
    if card_id in buried:
        return "buried"
    if st is None:
        return "new"
    return "review" if st.state == 2 else "learning"  # fsrs.State: 1 Learning, 2 Review, 3 Relearning


def rows(
    library: Library,
    store: Store,
    now: datetime,
    *,
    topics: Iterable[str] = (),
    types: Iterable[str] = (),
    states: Iterable[str] = (),
    due: str | None = None,
    day_ends: float | None = None,
    leeches: bool = False,
    leech_lapses: int = 8,
) -> list[Row]:
    """Cards in deck order, filtered. `due="now"`: due at `now`; `due="today"`: due before
    `day_ends` (the next study day's start). Neither includes new, suspended or buried cards."""
    types, states = list(types), list(states)
    for t in types:
        if t not in CARD_TYPES:
            raise QuizdlError(f"--type must be one of {', '.join(CARD_TYPES)}, not {t!r}",
                              zh=f"--type 只能是 {', '.join(CARD_TYPES)} 之一，而不是 {t!r}")
    for s in states:
        if s not in STATES:
            raise QuizdlError(f"--state must be one of {', '.join(STATES)}, not {s!r}",
                              zh=f"--state 只能是 {', '.join(STATES)} 之一，而不是 {s!r}")
    if due is not None and due not in DUE_FILTERS:
        raise QuizdlError(f"--due must be one of {', '.join(DUE_FILTERS)}, not {due!r}",
                          zh=f"--due 只能是 {', '.join(DUE_FILTERS)} 之一，而不是 {due!r}")
    ts = now.timestamp()
    limit = ts if due == "now" else (day_ends if day_ends is not None else ts)
    selected = library.select(topics)
    all_states = store.all_states()
    suspended = store.suspended()
    buried = store.buried_at(ts)
    out: list[Row] = []
    for card in selected:
        if types and card.type not in types:
            continue
        st = all_states.get(card.id)
        label = state_of(st, card.id, suspended, buried)
        if states and label not in states:
            continue
        if leeches and (st is None or st.lapses < leech_lapses):
            continue
        if due is not None and (label not in ("learning", "review") or st is None or st.due > limit):
            continue
        shown_due = None if st is None or label == "suspended" else st.due
        out.append(Row(card, label, shown_due, st.lapses if st else 0, st is not None and st.state != 2))
    return out


def search(library: Library, text: str) -> list[Card]:
    """Cards whose id, front, back (either language), options or tags contain `text`, ignoring
    case; several words must all match (in any field)."""
    words = text.casefold().split()
    if not words:
        raise QuizdlError("search for what? give some text, e.g. `quizdl cards search dropout`",
                          zh="要搜索什么？请给出一些文字，例如 `quizdl cards search dropout`")
    found = []
    for card in library.cards.values():
        hay = " ".join(
            [card.id, *card.front.values(), *card.back.values(), *card.tags,
             *(v for option in card.options for v in option.values())]
        ).casefold()
        if all(w in hay for w in words):
            found.append(card)
    return found


def is_builtin(card: Card) -> bool:
    """A built-in card lives in quizdl's own decks; the user cannot edit it."""
    from quizdl import paths

    root = paths.builtin_dir("cards").resolve()
    try:
        return root in Path(card.file).resolve().parents
    except OSError:
        return False


def resolve_ids(library: Library, ids: Iterable[str]) -> list[str]:
    """Check every id names a card (one error listing all unknown ones, with suggestions)."""
    ids = list(ids)
    unknown = [i for i in ids if i not in library.cards]
    if unknown:
        raise QuizdlError("; ".join(f"unknown card id {i!r}{did_you_mean(i, library.cards)}" for i in unknown),
                          zh="；".join(f"未知卡片 id {i!r}{did_you_mean_zh(i, library.cards)}" for i in unknown))
    return ids


def tag_counts(library: Library) -> list[tuple[str, int]]:
    """Every tag with how many cards carry it, most used first (then by name)."""
    from collections import Counter

    counts = Counter(t for card in library.cards.values() for t in card.tags)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
