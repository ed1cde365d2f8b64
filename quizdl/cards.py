"""Decks of cards: YAML files parsed with PyYAML's C loader, validated with every problem reported.

A problem is reported as ``file:line: card-id: message``; all problems of all files come at once.
Parsed files are cached (keyed by path, mtime and size) so daily start-up does not re-parse YAML.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from quizdl.errors import QuizdlError

CARD_TYPES = ("basic", "choice", "numeric", "term")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGS = ("en", "zh")
DECK_KEYS = {"deck", "title", "section", "cards"}
COMMON_CARD_KEYS = {"id", "type", "front", "back", "tags", "drill", "see"}
TYPE_KEYS = {
    "basic": set(),
    "choice": {"options", "answer"},
    "numeric": {"answer", "tolerance"},
    "term": {"answer", "aliases"},
}
CACHE_VERSION = 2
MESSAGE_CAP = 200  # characters of user data a message may quote (a hostile deck must not flood it)


def cap(text: str, limit: int = MESSAGE_CAP) -> str:
    """`text` cut to `limit` characters: messages quote user data, which may be huge."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a deck file; item and message are capped (they quote user data)."""

    file: str
    line: int
    item: str  # card id, deck id or "-"
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "item", cap(str(self.item), 80))
        object.__setattr__(self, "message", cap(str(self.message)))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.item}: {self.message}"


class DeckError(QuizdlError):
    """One or more decks are invalid; the message lists every problem."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in card decks:"
        lines = list(map(str, self.problems))
        super().__init__("\n".join([head, *lines]), exit_code=2, zh="\n".join([f"卡组中有 {n} 处问题：", *lines]))


class _Texts:
    """A card's texts (front, back, options) not read yet: where they lie in the deck cache."""

    __slots__ = ("source", "offset", "size")

    def __init__(self, source: _CacheFile, offset: int, size: int) -> None:
        self.source, self.offset, self.size = source, offset, size


class _TextField:
    """Dataclass field descriptor for front/back/options. A card built from the deck cache gets a
    _Texts placeholder; the texts are read on first access (most cards of a session never are),
    then stored like any other field. Cards built any other way hold their values as given."""

    def __init__(self, default: object = None) -> None:
        self.default = default

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: object, owner: type | None = None) -> object:
        if obj is None:
            if self.default is None:
                raise AttributeError(self.name)  # tells dataclass: no default
            return self.default
        value = obj.__dict__[self.name]
        if type(value) is _Texts:
            _read_texts(obj, value)
            value = obj.__dict__[self.name]
        return value

    def __set__(self, obj: object, value: object) -> None:
        obj.__dict__[self.name] = value  # only dataclass __init__ gets here: Card is frozen


@dataclass(frozen=True)
class Card:
    id: str
    type: str
    front: dict[str, str] = _TextField()  # type: ignore[assignment]
    back: dict[str, str] = _TextField()  # type: ignore[assignment]
    deck: str
    file: str
    line: int
    options: tuple[dict[str, str], ...] = _TextField(())  # type: ignore[assignment]
    answer: object = None
    tolerance: float = 0.0
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    drill: str | None = None
    see: tuple[str, ...] = ()

    @property
    def auto_graded(self) -> bool:
        return self.type != "basic"

    def matches_topic(self, topic: str) -> bool:
        return topic == self.deck or topic in self.tags


@dataclass
class Deck:
    id: str
    title: dict[str, str]
    section: int | str | None  # built-in decks: 1-10; a user's own deck may name it freely
    file: str
    cards: list[Card] = field(default_factory=list)
    raw_ids: list[tuple[str, int]] | None = None  # every card id in the file, valid card or not
    broken: bool = False  # no card of it loaded: only its ids take part in the duplicate check


@dataclass
class Library:
    """Every loaded deck, cards in file order, ids unique."""

    decks: dict[str, Deck]
    cards: dict[str, Card]
    problems: list[Problem] = field(default_factory=list)  # what was skipped (strict=False only)

    def select(self, topics: Iterable[str] = ()) -> list[Card]:
        """Cards of the given deck ids or tags (all cards when none); unknown topic is an error."""
        topics = list(topics)
        if not topics:
            return list(self.cards.values())
        known_tags = {t for c in self.cards.values() for t in c.tags}
        unknown = [t for t in topics if t not in self.decks and t not in known_tags]
        if unknown:
            from quizdl.catalog import did_you_mean, did_you_mean_zh

            known = sorted({*self.decks, *known_tags})
            raise QuizdlError(
                f"unknown topic {unknown[0]!r}: not a deck id or tag{did_you_mean(unknown[0], known)} "
                "(see `quizdl topics`)",
                zh=f"未知主题 {unknown[0]!r}：既不是卡组 id 也不是标签{did_you_mean_zh(unknown[0], known)}"
                   "（见 `quizdl topics`）",
            )
        return [c for c in self.cards.values() if any(c.matches_topic(t) for t in topics)]

    def get(self, card_id: str) -> Card:
        try:
            return self.cards[card_id]
        except KeyError:
            from quizdl.catalog import did_you_mean, did_you_mean_zh

            raise QuizdlError(
                f"unknown card id {card_id!r}{did_you_mean(card_id, self.cards)} (see `quizdl cards list`)",
                zh=f"未知卡片 id {card_id!r}{did_you_mean_zh(card_id, self.cards)}（见 `quizdl cards list`）",
            ) from None


# --- parsing --------------------------------------------------------------------------------


def _node_line(node: object) -> int:
    return node.start_mark.line + 1  # type: ignore[attr-defined]


def _duplicate_keys(node: object, found: list[tuple[int, str, int]]) -> None:
    """Every key repeated in a mapping (PyYAML silently keeps the last): (line, key, first line)."""
    import yaml

    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in current.value:
                key = str(getattr(key_node, "value", ""))
                if isinstance(key_node, yaml.ScalarNode) and key in seen:
                    found.append((_node_line(key_node), key, seen[key]))
                else:
                    seen.setdefault(key, _node_line(key_node))
                stack.append(value_node)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def _parse_yaml(path: Path, text: str) -> tuple[object, dict]:
    """Parse with the C loader, keeping line numbers for decks, cards and card keys."""
    import yaml

    # imported here: yamlcache imports hashlib, which a start from the deck cache never needs
    from quizdl.yamlcache import refuse_aliases

    refuse_aliases(text)
    loader = yaml.CSafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    lines: dict = {"deck": 1, "cards": {}, "duplicates": []}
    if node is not None:
        _duplicate_keys(node, lines["duplicates"])
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == "cards" and isinstance(value_node, yaml.SequenceNode):
                lines["cards_line"] = _node_line(key_node)
                for i, card_node in enumerate(value_node.value):
                    keys = {}
                    if isinstance(card_node, yaml.MappingNode):
                        keys = {k.value: _node_line(k) for k, _ in card_node.value if hasattr(k, "value")}
                    lines["cards"][i] = {"_": _node_line(card_node), **keys}
            elif hasattr(key_node, "value"):
                lines[str(key_node.value)] = _node_line(key_node)
    return data, lines


def _read_deck_file(path: Path) -> tuple[object, dict] | Problem:
    import yaml

    from quizdl import yamlcache

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Problem(str(path), 1, "-", f"cannot read file: {exc}")
    try:
        return _parse_yaml(path, text)
    except yamlcache.AliasRefused as exc:
        return Problem(str(path), exc.line, "-", exc.message)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or str(exc)
        return Problem(str(path), line, "-", f"invalid YAML: {what}")
    except yaml.YAMLError as exc:
        return Problem(str(path), 1, "-", f"invalid YAML: {exc}")


# --- validation -----------------------------------------------------------------------------


def _text_pair(value: object) -> str | None:
    """Why an {en, zh} text is invalid, or None when it is fine."""
    if not isinstance(value, dict):
        return "must be a mapping with 'en' and 'zh' texts"
    missing = [lang for lang in LANGS if lang not in value]
    extra = [k for k in value if k not in LANGS]
    if missing:
        return f"missing {' and '.join(missing)} text"
    if extra:
        return f"unknown language key(s) {', '.join(map(str, extra))} (use en, zh)"
    for lang in LANGS:
        if not isinstance(value[lang], str) or not value[lang].strip():
            return f"{lang} text must be a non-empty string"
    return None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _build_card(raw: dict, deck_id: str, file: str, lines: dict, report, check_text: bool = False) -> Card | None:
    """Check one card mapping; report each problem; return the Card when it is valid. With
    check_text, formulas are checked too (unknown macros, unclosed `$`): `cards check` does."""
    line = lines.get("_", 1)
    card_id = raw.get("id")
    label = card_id if isinstance(card_id, str) and card_id else "-"
    before = report.count

    def bad(key: str | None, message: str) -> None:
        report(Problem(file, lines.get(key, line) if key else line, label, message))

    if not isinstance(card_id, str) or not card_id:
        bad("id", "missing card id" if card_id is None else "id must be a string")
    elif not SLUG.match(card_id):
        bad("id", f"id {card_id!r} must be a lowercase slug (a-z, 0-9, single hyphens)")
    ctype = raw.get("type")
    if ctype is None:
        bad(None, "missing field 'type'")
    elif ctype not in CARD_TYPES:
        bad("type", f"type must be one of {', '.join(CARD_TYPES)}, not {ctype!r}")
    allowed = COMMON_CARD_KEYS | TYPE_KEYS.get(ctype, set()) if ctype in CARD_TYPES else None
    for key in raw:
        if allowed is not None and key not in allowed:
            where = f" for a {ctype} card" if key in set().union(*TYPE_KEYS.values()) else ""
            bad(key, f"unknown key {key!r}{where}")
    for key in ("front", "back"):
        if key not in raw:
            bad(None, f"missing field {key!r}")
        elif (why := _text_pair(raw[key])) is not None:
            bad(key, f"{key}: {why}")

    options: tuple[dict[str, str], ...] = ()
    answer = raw.get("answer")
    tolerance = 0.0
    aliases: tuple[str, ...] = ()
    if ctype == "choice":
        opts = raw.get("options")
        if opts is None:
            bad(None, "missing field 'options' (a choice card lists 2-8 options)")
        elif not isinstance(opts, list) or not 2 <= len(opts) <= 8:
            bad("options", "options must be a list of 2 to 8 options")
        else:
            parsed = []
            for i, opt in enumerate(opts):
                if isinstance(opt, str | int | float) and not isinstance(opt, bool) and str(opt).strip():
                    parsed.append({"en": str(opt), "zh": str(opt)})
                elif (why := _text_pair(opt)) is None:
                    parsed.append(opt)
                else:
                    bad("options", f"option {i}: must be a non-empty string or {{en, zh}} ({why})")
            options = tuple(parsed)
        if answer is None:
            bad(None, "missing field 'answer' (0-based index of the right option)")
        elif not isinstance(answer, int) or isinstance(answer, bool):
            bad("answer", "answer must be the 0-based index of the right option")
        elif isinstance(opts, list) and not 0 <= answer < len(opts):
            bad("answer", f"answer index {answer} is out of range for {len(opts)} options")
    elif ctype == "numeric":
        if answer is None:
            bad(None, "missing field 'answer' (a number)")
        elif not _is_number(answer):
            bad("answer", "answer must be a number")
        tol = raw.get("tolerance", 0.0)
        if not _is_number(tol) or tol < 0:
            bad("tolerance", "tolerance must be a number >= 0")
        else:
            tolerance = float(tol)
    elif ctype == "term":
        if answer is None:
            bad(None, "missing field 'answer' (the expected term)")
        elif not isinstance(answer, str) or not answer.strip():
            bad("answer", "answer must be a non-empty string")
        al = raw.get("aliases", [])
        if not isinstance(al, list) or not all(isinstance(a, str) and a.strip() for a in al):
            bad("aliases", "aliases must be a list of non-empty strings")
        else:
            aliases = tuple(al)

    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags):
        bad("tags", "tags must be a list of strings")
        tags = []
    see = raw.get("see", [])
    if not isinstance(see, list) or not all(isinstance(s, str) and s for s in see):
        bad("see", "see must be a list of card ids")
        see = []
    drill = raw.get("drill")
    if drill is not None and (not isinstance(drill, str) or not drill):
        bad("drill", "drill must be a drill id")
        drill = None
    if check_text:
        _check_texts(raw, bad)
    if report.count > before:
        return None
    return Card(
        id=card_id,
        type=ctype,
        front=dict(raw["front"]),
        back=dict(raw["back"]),
        deck=deck_id,
        file=file,
        line=line,
        options=options,
        answer=answer if ctype != "numeric" else float(answer),
        tolerance=tolerance,
        aliases=aliases,
        tags=tuple(tags),
        drill=drill,
        see=tuple(see),
    )


def _check_texts(raw: dict, bad) -> None:
    """Report each formula problem of a card's front, back and options."""
    from quizdl.text import formula_problems

    fields: list[tuple[str, str, object]] = []
    for key in ("front", "back"):
        if isinstance(raw.get(key), dict):
            fields += [(key, f"{key}.{lang}", raw[key].get(lang)) for lang in LANGS]
    if isinstance(raw.get("options"), list):
        for i, opt in enumerate(raw["options"]):
            if isinstance(opt, dict):
                fields += [("options", f"option {i}.{lang}", opt.get(lang)) for lang in LANGS]
            else:
                fields.append(("options", f"option {i}", opt))
    for key, where, text in fields:
        if isinstance(text, str):
            for message in formula_problems(text):
                bad(key, f"{where}: {message}")


class _Report:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def __call__(self, problem: Problem) -> None:
        self.problems.append(problem)

    @property
    def count(self) -> int:
        return len(self.problems)


def _card_at(lines: dict, line: int) -> int | None:
    """The index of the card whose mapping holds `line`, if any."""
    best = None
    for i, card_lines in lines.get("cards", {}).items():
        if card_lines["_"] <= line and (best is None or card_lines["_"] >= lines["cards"][best]["_"]):
            best = i
    return best


def _build_deck(data: object, lines: dict, file: str, report: _Report, *, builtin: bool = True,
                check_text: bool = False) -> Deck | None:
    """Check one parsed deck file; report each problem. A user's own deck (builtin=False) may
    give any section; a built-in one must name its curriculum section 1-10."""
    raw_cards = data.get("cards") if isinstance(data, dict) else None
    for line, key, first in lines.get("duplicates", []):
        index = _card_at(lines, line) if isinstance(raw_cards, list) else None
        raw = raw_cards[index] if index is not None and index < len(raw_cards) else None
        label = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else "-"
        report(Problem(file, line, label, f"duplicate key {key!r} (first at line {first}; YAML would keep only the last)"))
    if not isinstance(data, dict):
        report(Problem(file, 1, "-", "a deck file must be a mapping with deck, title and cards"))
        return None
    deck_id = data.get("deck")
    label = deck_id if isinstance(deck_id, str) and deck_id else "-"
    before = report.count
    for key in data:
        if key not in DECK_KEYS:
            report(Problem(file, lines.get(str(key), 1), label, f"unknown deck key {key!r}"))
    if deck_id is None:
        report(Problem(file, 1, "-", "missing field 'deck' (the deck id)"))
    elif not isinstance(deck_id, str) or not SLUG.match(deck_id):
        report(Problem(file, lines.get("deck", 1), label, "deck id must be a lowercase slug"))
    title = data.get("title")
    if title is None:
        report(Problem(file, 1, label, "missing field 'title' ({en, zh})"))
    elif (why := _text_pair(title)) is not None:
        report(Problem(file, lines.get("title", 1), label, f"title: {why}"))
    section = data.get("section")
    if not builtin:
        section = section if isinstance(section, int | str) and not isinstance(section, bool) else None
    elif section is not None and (not isinstance(section, int) or isinstance(section, bool) or not 1 <= section <= 10):
        report(Problem(file, lines.get("section", 1), label, "section must be a curriculum section number 1-10"))
    cards: list[Card] = []
    raw_ids: list[tuple[str, int]] = []
    if raw_cards is None:
        report(Problem(file, 1, label, "missing field 'cards'"))
    elif not isinstance(raw_cards, list) or not raw_cards:
        report(Problem(file, lines.get("cards", 1), label, "cards must be a non-empty list"))
    else:
        for i, raw in enumerate(raw_cards):
            card_lines = lines["cards"].get(i, {"_": lines.get("cards_line", 1)})
            if not isinstance(raw, dict):
                report(Problem(file, card_lines["_"], "-", "a card must be a mapping"))
                continue
            if isinstance(raw.get("id"), str) and raw["id"]:
                raw_ids.append((raw["id"], card_lines["_"]))
            card = _build_card(raw, label, file, card_lines, report, check_text)
            if card is not None:
                cards.append(card)
    if report.count > before and not cards:
        if raw_ids:  # nothing loads, but its ids still clash with other decks'
            return Deck(id=label, title={}, section=None, file=file, cards=[], raw_ids=raw_ids, broken=True)
        return None
    title = dict(title) if isinstance(title, dict) else {}
    return Deck(id=label, title=title, section=section, file=file, cards=cards, raw_ids=raw_ids)


# --- cache ----------------------------------------------------------------------------------


# The cache is one binary file: a header, a marshal'd index of every valid deck file (its stamp,
# its deck fields and, per card, every field but the texts) and then each card's texts, marshal'd
# one by one. Loading reads the index only; a card's texts are read from the still-open file when
# first used (see _TextField), so start-up costs little per card and no text sits in memory
# unused. marshal handles exactly the plain built-ins stored here, and is several times faster
# than JSON. Files with problems are not cached: they are parsed and reported every time.

_MAGIC = b"quizdl-decks\x00\x00\x00" + bytes([CACHE_VERSION])
_HEADER = 16 + 16 + 8  # magic, interpreter tag (marshal's format may change), index length


def _cache_file() -> Path:
    from quizdl import paths

    return paths.cache_dir() / "decks.cache"


def _tag() -> bytes:
    import sys

    return sys.implementation.cache_tag.encode().ljust(16, b"\x00")[:16]


class _CacheFile:
    """The deck cache being read: its index, and the open file the texts are read from."""

    def __init__(self, fd: int, index: dict, base: int) -> None:
        self.fd, self.index, self.base = fd, index, base

    def read(self, offset: int, size: int) -> bytes:
        data = os.pread(self.fd, size, self.base + offset)
        if len(data) != size:
            raise ValueError("short read")
        return data

    def __copy__(self) -> _CacheFile:
        return self  # one owner of the file descriptor: copies of cards share it

    def __deepcopy__(self, memo: dict) -> _CacheFile:
        return self

    def __del__(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)


def _open_cache() -> _CacheFile | None:
    import marshal

    try:
        fd = os.open(_cache_file(), os.O_RDONLY)
    except OSError:
        return None
    try:
        head = os.pread(fd, _HEADER, 0)
        if len(head) != _HEADER or head[:16] != _MAGIC or head[16:32] != _tag():
            raise ValueError("not a deck cache of this version")
        size = int.from_bytes(head[32:], "little")
        raw = os.pread(fd, size, _HEADER)
        if len(raw) != size:
            raise ValueError("short read")
        index = marshal.loads(raw)
        if not isinstance(index, dict):
            raise ValueError("bad index")
        return _CacheFile(fd, index, _HEADER + size)
    except (OSError, ValueError, EOFError, TypeError):
        os.close(fd)
        return None


def _cached_deck(cache: _CacheFile, entry: tuple, file: str) -> Deck:
    _stamp, deck_id, title, section, rows = entry
    cards = []
    new, set_attr = object.__new__, object.__setattr__
    for cid, ctype, line, answer, tolerance, aliases, tags, drill, see, offset, size in rows:
        texts = _Texts(cache, offset, size)
        # What Card(...) does (it has no __post_init__), minus 14 frozen-attribute calls per card.
        card = new(Card)
        set_attr(card, "__dict__", {
            "id": cid, "type": ctype, "front": texts, "back": texts, "deck": deck_id, "file": file,
            "line": line, "options": texts, "answer": answer, "tolerance": tolerance,
            "aliases": aliases, "tags": tags, "drill": drill, "see": see,
        })
        cards.append(card)
    return Deck(id=deck_id, title=title, section=section, file=file, cards=cards)


def _read_texts(card: Card, texts: _Texts) -> None:
    """Fill in a cached card's front, back and options (from the cache, else from its file)."""
    import marshal

    try:
        front, back, options = marshal.loads(texts.source.read(texts.offset, texts.size))
    except (OSError, ValueError, EOFError, TypeError):
        # The cache went bad under us (it is never rewritten in place): parse the deck again.
        parsed = _read_deck_file(Path(card.file))
        deck = _build_deck(*parsed, card.file, _Report()) if not isinstance(parsed, Problem) else None
        fresh = next((c for c in deck.cards if c.id == card.id), None) if deck else None
        if fresh is None:
            raise QuizdlError(f"{card.file}: card {card.id} changed while quizdl was reading it; run again",
                              zh=f"{card.file}：卡片 {card.id} 在 quizdl 读取时被改动了；请重新运行") from None
        front, back, options = fresh.front, fresh.back, fresh.options
    card.__dict__.update(front=front, back=back, options=options)


def _save_cache(entries: dict, old: _CacheFile | None) -> None:
    """Write the cache: entries maps a resolved path to (stamp, deck, old index entry or None)."""
    import marshal

    index: dict = {}
    bodies: list[bytes] = []
    offset = 0
    try:
        for key, (stamp, deck, old_entry) in entries.items():
            rows = []
            if old_entry is not None:  # unchanged file: copy its texts over, still encoded
                sources = [old.read(r[9], r[10]) for r in old_entry[4]]  # type: ignore[union-attr]
                cards = old_entry[4]
                make = lambda r: r[:9]  # noqa: E731
            else:
                sources = [marshal.dumps((c.front, c.back, c.options)) for c in deck.cards]
                cards = deck.cards
                make = lambda c: (c.id, c.type, c.line, c.answer, c.tolerance, c.aliases, c.tags,  # noqa: E731
                                  c.drill, c.see)
            for card, body in zip(cards, sources, strict=True):
                rows.append((*make(card), offset, len(body)))
                bodies.append(body)
                offset += len(body)
            if old_entry is not None:
                index[key] = (stamp, *old_entry[1:4], rows)
            else:
                index[key] = (stamp, deck.id, deck.title, deck.section, rows)
        raw = marshal.dumps(index)
    except (OSError, ValueError, EOFError, TypeError):
        return  # could not read the old cache's texts: leave it, next start rebuilds
    path = _cache_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            f.write(_MAGIC + _tag() + len(raw).to_bytes(8, "little"))
            f.write(raw)
            f.writelines(bodies)
        tmp.replace(path)  # readers keep the file they opened: texts stay consistent
        path.with_name("decks.json").unlink(missing_ok=True)  # the cache of quizdl <= 0.1
    except OSError:
        pass  # a cache we cannot write only costs speed


# --- loading --------------------------------------------------------------------------------


def deck_files(locations: Iterable[Path]) -> list[Path]:
    """Every *.yaml under the given files/folders, sorted per folder, duplicates removed."""
    seen: set[Path] = set()
    out: list[Path] = []
    for loc in locations:
        loc = Path(loc)
        if loc.is_dir():
            found = sorted(p for p in loc.rglob("*.yaml") if p.is_file())
        elif loc.is_file():
            found = [loc]
        else:
            raise QuizdlError(f"no such deck file or folder: {loc}", zh=f"没有这个卡组文件或文件夹：{loc}")
        for p in found:
            key = p.resolve()
            if key not in seen:
                seen.add(key)
                out.append(p)
    return out


def default_locations(extra: Iterable[Path] = ()) -> list[Path]:
    from quizdl import paths

    locations = [paths.builtin_dir("cards")]
    user = paths.user_cards_dir()
    if user.is_dir():
        locations.append(user)
    locations.extend(Path(p) for p in extra)
    return locations


def known_drill_ids() -> set[str]:
    """Drill ids present on disk (folder names holding a drill.yaml) — cheap: no parsing."""
    from quizdl import paths

    ids: set[str] = set()
    for root in (paths.builtin_dir("drills"), paths.user_drills_dir()):
        if root.is_dir():
            ids.update(p.name for p in root.iterdir() if (p / "drill.yaml").is_file())
    return ids


def load_library(
    locations: Iterable[Path] | None = None,
    *,
    extra: Iterable[Path] = (),
    drill_ids: set[str] | None = None,
    use_cache: bool = True,
    strict: bool = True,
    check_text: bool | Sequence[Path] = False,
) -> Library:
    """Load and validate decks. strict: raise DeckError listing every problem. Not strict: skip
    what is invalid (a bad card, a clashing id, a dangling link) and keep the problems in
    `library.problems`, so one broken deck of the user's does not stop the rest. check_text also
    checks every formula (slower; `cards check` does): True for all files, or the files and
    folders whose decks to check."""
    from quizdl import paths

    files = deck_files(default_locations(extra) if locations is None else locations)
    builtin_root = paths.builtin_dir("cards").resolve()
    text_roots = None if isinstance(check_text, bool) else [Path(p).resolve() for p in check_text]
    if drill_ids is None:
        drill_ids = known_drill_ids()
    report = _Report()
    cache = _open_cache() if use_cache else None
    index = cache.index if cache is not None else {}
    entries: dict = {}  # what the cache should hold after this load
    decks: list[Deck] = []
    for path in files:
        key = str(path.resolve())
        try:
            st = path.stat()
            stamp = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        entry = index.get(key)
        deck = None
        check_here = check_text is True or text_roots is not None and any(
            Path(key) == root or root in Path(key).parents for root in text_roots)
        if entry and stamp:
            try:
                if entry[0] == stamp:
                    deck = _cached_deck(cache, entry, str(path))  # type: ignore[arg-type]
            except (ValueError, TypeError, IndexError, KeyError):  # a damaged cache entry
                deck = None
        if deck is not None and not check_here:
            entries[key] = (stamp, deck, entry)
        else:
            deck = None
            parsed = _read_deck_file(path)
            if isinstance(parsed, Problem):
                report(parsed)
                continue
            before = report.count
            builtin = builtin_root in Path(key).parents
            deck = _build_deck(*parsed, str(path), report, builtin=builtin, check_text=check_here)
            if stamp and deck is not None and report.count == before:
                entries[key] = (stamp, deck, None)
        if deck is not None:
            decks.append(deck)
    if use_cache and (len(entries) != len(index) or any(e[2] is None for e in entries.values())):
        _save_cache(entries, cache)  # a deck file was added, changed or removed

    library = Library(decks={}, cards={})
    first_at: dict[str, tuple[str, int]] = {}  # every card id met, valid card or not
    for deck in decks:
        if not deck.broken and deck.id in library.decks:
            other = library.decks[deck.id]
            report(Problem(deck.file, 1, deck.id, f"duplicate deck id {deck.id!r} (also in {other.file})"))
            continue
        if not deck.broken:
            library.decks[deck.id] = deck
        valid = {card.id: card for card in deck.cards}
        ids = deck.raw_ids if deck.raw_ids is not None else [(c.id, c.line) for c in deck.cards]
        kept = []
        for card_id, line in ids:
            if card_id in first_at:
                file, first = first_at[card_id]
                report(Problem(deck.file, line, card_id, f"duplicate card id (also at {file}:{first})"))
                continue
            first_at[card_id] = (deck.file, line)
            if card_id in valid:
                library.cards[card_id] = valid[card_id]
                kept.append(valid[card_id])
        if len(kept) != len(deck.cards):
            deck.cards = kept
    for card in list(library.cards.values()):
        dangling = [t for t in card.see if t not in library.cards]
        for target in dangling:
            if target not in first_at:  # else the card exists but is invalid: reported already
                report(Problem(card.file, card.line, card.id, f"see: no card with id {target!r}"))
        bad_drill = card.drill is not None and card.drill not in drill_ids
        if bad_drill:
            report(Problem(card.file, card.line, card.id, f"drill: no drill with id {card.drill!r}"))
        if not strict and (dangling or bad_drill):  # keep the card, drop the links that lead nowhere
            import dataclasses

            fixed = dataclasses.replace(card, see=tuple(t for t in card.see if t in library.cards),
                                        drill=None if bad_drill else card.drill)
            library.cards[card.id] = fixed
            deck = library.decks[card.deck]
            deck.cards = [fixed if c is card else c for c in deck.cards]
    if report.problems and strict:
        raise DeckError(report.problems)
    library.problems = report.problems
    return library


# --- answer checking ------------------------------------------------------------------------


def normalize_term(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s\-_]+", "", text)


def check_term(card: Card, given: str) -> bool:
    want = {normalize_term(card.answer), *(normalize_term(a) for a in card.aliases)}
    return bool(given.strip()) and normalize_term(given) in want


NUMBER_FORMS = "0.25, 1e-3, 25%, 1/8, 2**-3, 0.9^0.01, 1/(1+0.5*10), sqrt(2), ln(2)"
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def parse_number(text: str) -> float | None:
    """A number as typed: 0.25, 1e-3, 25%, 1/8, or simple arithmetic (+ - * / ** ^, parentheses,
    sqrt exp log ln, pi e) evaluated safely: the text is parsed into an expression tree and only
    those nodes are computed, in floats (no eval). None when it is not a number; "1,5" is not one
    (a decimal comma is ambiguous), "1,000" is a thousand."""
    text = text.strip().replace("−", "-").replace("×", "*").replace("^", "**")
    if "," in text:
        if not _THOUSANDS.fullmatch(text):
            return None
        text = text.replace(",", "")
    scale = 1.0
    if text.endswith("%"):
        text, scale = text[:-1], 0.01
    if not text or len(text) > 100:
        return None
    try:
        value = _arith(_ast_parse(text)) * scale
    except (ValueError, ZeroDivisionError, OverflowError, SyntaxError, TypeError, RecursionError):
        return None
    return value if math.isfinite(value) else None


def _ast_parse(text: str):
    import warnings

    from quizdl.grading.scan import parse_ast  # CPython 3.11's AST builder and threads

    with warnings.catch_warnings():
        # "1in 2" parses with a SyntaxWarning that Python would print over the study screen
        warnings.simplefilter("ignore", SyntaxWarning)
        return parse_ast(text, mode="eval").body


_FUNCTIONS = {"sqrt": math.sqrt, "exp": math.exp, "log": math.log, "ln": math.log, "log10": math.log10,
              "log2": math.log2}
_CONSTANTS = {"pi": math.pi, "e": math.e}


def _arith(node) -> float:
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        value = _arith(node.operand)
        return value if isinstance(node.op, ast.UAdd) else -value
    if isinstance(node, ast.BinOp):
        left, right = _arith(node.left), _arith(node.right)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            return left / right
        if isinstance(node.op, ast.Pow):
            result = left ** right  # floats: overflow raises, never a huge integer
            if isinstance(result, complex):
                raise ValueError("complex")
            return result
    if isinstance(node, ast.Name) and node.id in _CONSTANTS:
        return _CONSTANTS[node.id]
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS
            and len(node.args) == 1 and not node.keywords):
        return _FUNCTIONS[node.func.id](_arith(node.args[0]))
    raise ValueError("not arithmetic")


def check_numeric(card: Card, given: str) -> bool:
    value = parse_number(given)
    if value is None:
        return False
    target = float(card.answer)  # type: ignore[arg-type]
    return abs(value - target) <= card.tolerance + 1e-9 * max(1.0, abs(target))
