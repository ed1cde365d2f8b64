"""`quizdl export anki` (an .apkg built with genanki) and `quizdl export csv` (the review log).

Anki notes get GUIDs derived from the quizdl card id, so importing a newer export updates the
notes already in Anki (and their review history there) instead of adding duplicates.
"""

from __future__ import annotations

import csv
import html
import json
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from quizdl.errors import QuizdlError

# Fixed ids: Anki keys note types and decks by them, so every export must reuse the same ones.
MODEL_ID = 1_735_000_014
MODEL_NAME = "quizdl (bilingual)"
FIELDS = ("CardId", "Type", "FrontEn", "FrontZh", "Options", "Answer", "BackEn", "BackZh", "Deck")

_QFMT = """\
{{#FrontEn}}<div class="en">{{FrontEn}}</div>{{/FrontEn}}
{{#FrontZh}}<div class="zh">{{FrontZh}}</div>{{/FrontZh}}
{{#Options}}<ol class="options">{{Options}}</ol>{{/Options}}
"""
_AFMT = """\
{{FrontSide}}
<hr id="answer">
{{#Answer}}<div class="answer">{{Answer}}</div>{{/Answer}}
{{#BackEn}}<div class="en">{{BackEn}}</div>{{/BackEn}}
{{#BackZh}}<div class="zh">{{BackZh}}</div>{{/BackZh}}
<div class="meta">{{Deck}} · {{CardId}}</div>
"""
_CSS = """\
.card { font-family: sans-serif; font-size: 20px; text-align: left; }
.zh { margin-top: .6em; color: #555; }
.options li { margin: .2em 0; }
.answer { font-weight: bold; margin-bottom: .6em; }
.meta { margin-top: 1em; font-size: 12px; color: #999; }
"""


def guid(card_id: str) -> str:
    """The note GUID of a card: a function of its id only (stable across exports and machines)."""
    import genanki

    return genanki.guid_for("quizdl", card_id)


def _stable_id(text: str) -> int:
    # Anki deck ids are 64-bit; a CRC keeps each quizdl deck in the same Anki deck on re-import.
    return 1_700_000_000_000 + zlib.crc32(text.encode())


_MD = None


def to_html(markdown: str) -> str:
    """Card Markdown to Anki HTML, formulas as MathJax `\\(…\\)` / `\\[…\\]` (Anki renders those).
    Formulas are lifted out before the Markdown pass, which would otherwise read `_` as emphasis."""
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt  # rich's own Markdown parser, so no new dependency

        _MD = MarkdownIt("commonmark", {"html": False}).enable("table")
    from quizdl.text import MATH

    formulas: list[str] = []

    def lift(m: re.Match) -> str:
        display, inline = m.group(1), m.group(2)
        body = html.escape(display if display is not None else inline, quote=False)
        formulas.append(f"\\[{body}\\]" if display is not None else f"\\({body}\\)")
        return f"QZMATH{len(formulas) - 1}Q"

    out = _MD.render(MATH.sub(lift, markdown)).strip()
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]  # a one-paragraph field stays inline (fronts, options)
    return re.sub(r"QZMATH(\d+)Q", lambda m: formulas[int(m.group(1))], out)


def _pick(text: dict[str, str], lang: str, which: str) -> str:
    return to_html(text.get(which, "")) if lang in (which, "both") else ""


def _answer(card, lang: str) -> str:
    if card.type == "choice":
        opt = card.options[int(card.answer)]
        parts = [opt.get(k, "") for k in ("en", "zh") if lang in (k, "both")]
        text = " / ".join(dict.fromkeys(p for p in parts if p))
        return f"{int(card.answer) + 1}. {to_html(text)}"
    if card.type == "numeric":
        tol = f" (± {card.tolerance:g})" if card.tolerance else ""
        return html.escape(f"{card.answer}{tol}")
    if card.type == "term":
        aliases = f" (also: {', '.join(card.aliases)})" if card.aliases else ""
        return html.escape(f"{card.answer}{aliases}")
    return ""


def _options(card, lang: str) -> str:
    items = []
    for opt in card.options:
        parts = [opt.get(k, "") for k in ("en", "zh") if lang in (k, "both")]
        items.append(f"<li>{to_html(' / '.join(dict.fromkeys(p for p in parts if p)))}</li>")
    return "".join(items)


def _tag(text: str) -> str:
    return re.sub(r"\s+", "_", text.strip())  # Anki tags are space-separated


def note_fields(card, deck_title: str, lang: str = "both") -> list[str]:
    """The note's fields, in FIELDS order."""
    return [
        card.id, card.type, _pick(card.front, lang, "en"), _pick(card.front, lang, "zh"),
        _options(card, lang), _answer(card, lang), _pick(card.back, lang, "en"),
        _pick(card.back, lang, "zh"), html.escape(deck_title),
    ]


@dataclass(frozen=True)
class AnkiExport:
    path: Path
    notes: int
    decks: int


def export_anki(library, path: Path, *, topics: Sequence[str] = (), lang: str = "both") -> AnkiExport:
    """Write the selected cards as one .apkg: an Anki deck `quizdl::<deck title>` per quizdl deck,
    one note per card, tagged with the deck id and the card's tags."""
    import genanki

    cards = library.select(topics)
    if not cards:
        raise QuizdlError("no cards to export", zh="没有可导出的卡片")
    model = genanki.Model(
        MODEL_ID, MODEL_NAME, fields=[{"name": f} for f in FIELDS],
        templates=[{"name": "Card", "qfmt": _QFMT, "afmt": _AFMT}], css=_CSS,
    )
    decks: dict[str, genanki.Deck] = {}
    for card in cards:
        info = library.decks.get(card.deck)
        title = (info.title.get("en") or card.deck) if info else card.deck
        deck = decks.get(card.deck)
        if deck is None:
            deck = decks[card.deck] = genanki.Deck(_stable_id(card.deck), f"quizdl::{title}")
        tags = list(dict.fromkeys(_tag(t) for t in (card.deck, *card.tags) if t.strip()))
        deck.add_note(genanki.Note(model=model, fields=note_fields(card, title, lang), tags=tags,
                                   guid=guid(card.id), sort_field=card.id))
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        genanki.Package(list(decks.values())).write_to_file(str(tmp))
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise QuizdlError(f"cannot write {path}: {exc.strerror or exc}",
                          zh=f"无法写入 {path}：{exc.strerror or exc}") from None
    return AnkiExport(path, len(cards), len(decks))


# --- the review log as CSV ------------------------------------------------------------------

CSV_COLUMNS = (
    "review_id", "item_id", "kind", "reviewed_at", "rating", "rating_name", "duration_ms",
    "state_before", "state_after", "elapsed_days", "stability", "difficulty", "due",
)
_STATE_NAMES = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
_RATING_NAMES = {1: "again", 2: "hard", 3: "good", 4: "easy"}


def _iso(ts: float | None) -> str:
    return "" if ts is None else datetime.fromtimestamp(ts, tz=UTC).isoformat(timespec="seconds")


def review_rows(store) -> Iterator[list]:
    """One row per review, oldest first (CSV_COLUMNS order)."""
    from quizdl.store import DRILL_PREFIX

    cur = store.conn.execute(
        "SELECT id, item_id, rating, reviewed_at, duration_ms, prev_state, state_before, state_after"
        " FROM review_log ORDER BY reviewed_at, id"
    )
    for rid, item, rating, at, dur, prev, before, after in cur:
        b = json.loads(before) if before else None
        a = json.loads(after)
        last = b.get("last_review") if b else None
        elapsed = "" if last is None else f"{(at - last) / 86400:.4f}"
        kind = "drill" if item.startswith(DRILL_PREFIX) else "card"
        yield [
            rid, item.removeprefix(DRILL_PREFIX), kind, _iso(at), rating, _RATING_NAMES.get(rating, ""),
            "" if dur is None else dur, _STATE_NAMES.get(prev, prev), _STATE_NAMES.get(a["state"], a["state"]),
            elapsed, "" if a.get("stability") is None else f"{a['stability']:.6g}",
            "" if a.get("difficulty") is None else f"{a['difficulty']:.6g}", _iso(a.get("due")),
        ]


def export_csv(store, path: Path) -> int:
    """Write the review log to `path` (UTF-8, header row); returns the number of reviews."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    n = 0
    try:
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(CSV_COLUMNS)
            for row in review_rows(store):
                writer.writerow(row)
                n += 1
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise QuizdlError(f"cannot write {path}: {exc.strerror or exc}",
                          zh=f"无法写入 {path}：{exc.strerror or exc}") from None
    return n
