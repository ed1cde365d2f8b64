"""`quizdl topics` and `quizdl cards list|show|check`."""

from __future__ import annotations

from pathlib import Path

import typer

from quizdl.cli.common import CardsOption, LangOption, _console, _lang, _library, _now

# --- topics ---------------------------------------------------------------------------------


def topics(lang: str = LangOption, cards: list[Path] = CardsOption) -> None:
    """Decks with their card counts: new, learning, due today, mature (interval ≥ 21 days).

    Example: [bold]quizdl topics[/]
    """
    from rich.table import Table

    from quizdl import config as cfg
    from quizdl import stats
    from quizdl.store import Store

    config = cfg.load()
    language = _lang(lang, config)
    library = _library(cards)
    with Store.open() as store:
        rows = stats.deck_counts(library, store, config, _now(), "zh" if language == "zh" else "en")
    table = Table(title="Topics")
    for col in ("deck", "title", "cards", "new", "learning", "due today", "mature"):
        table.add_column(col, justify="right" if col not in ("deck", "title") else "left")
    for r in rows:
        table.add_row(r.deck, r.title, str(r.total), str(r.new), str(r.learning), str(r.due), str(r.mature))
    _console().print(table)


# --- cards ----------------------------------------------------------------------------------

cards_app = typer.Typer(help="List, show and check cards.", no_args_is_help=True)


@cards_app.command("list")
def cards_list(
    topic: list[str] = typer.Option(None, "--topic", "-t", help="Only this deck id or tag (repeatable).", show_default=False),
    leeches: bool = typer.Option(False, "--leeches", help="Only leeches: cards forgotten 8 or more times."),
    cards: list[Path] = CardsOption,
    lang: str = LangOption,
) -> None:
    """List cards with their type and schedule.

    Example: [bold]quizdl cards list -t normalization[/]   ·   [bold]quizdl cards list --leeches[/]
    """
    from quizdl import config as cfg
    from quizdl import text as cardtext
    from quizdl.session import LEECH_LAPSES
    from quizdl.store import Store

    config = cfg.load()
    language = _lang(lang, config)
    library = _library(cards)
    selected = library.select(topic or [])
    with Store.open() as store:
        states = store.all_states()
    if leeches:
        selected = [c for c in selected if (s := states.get(c.id)) is not None and s.lapses >= LEECH_LAPSES]
    console = _console()
    if not selected:
        console.print("No leeches — nothing forgotten 8 times." if leeches else "No cards match.")
        return
    from rich.text import Text

    id_width = max(len(c.id) for c in selected)
    show_lang = "zh" if language == "zh" else "en"
    console.print(f"[bold]{len(selected)} card(s)[/]", highlight=False)
    listing = Text()  # printed at once: one print per line costs ~0.5 ms each
    deck = None
    for c in selected:
        if c.deck != deck:
            deck = c.deck
            title = library.decks[deck].title.get(show_lang, deck)
            listing.append("\n")
            listing.append(deck, style="bold cyan")
            listing.append(f" — {title}\n")
        st = states.get(c.id)
        due = "new" if st is None else _fmt_due(st.due)
        lapses = f"  lapses {st.lapses if st else 0}" if leeches else ""
        front = cardtext.first_line(c.front[show_lang])
        listing.append(f"  {c.id:<{id_width}}  {c.type:<7}  {due:<10}{lapses}  {front}\n")
    listing.rstrip()
    console.print(listing, no_wrap=True, overflow="ellipsis", highlight=False)


def _fmt_due(ts: float) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d")


@cards_app.command("show")
def cards_show(card_id: str = typer.Argument(..., help="Card id, as in `quizdl cards list`."), cards: list[Path] = CardsOption) -> None:
    """Show one card: front and back in both languages, answer, links.

    Example: [bold]quizdl cards show norm-bn-running-var[/]
    """
    from quizdl.cli import study_screen

    library = _library(cards)
    card = library.get(card_id)
    console = _console()
    console.print(f"[bold]{card.id}[/] · {card.deck} · {card.type} · {card.file}:{card.line}", highlight=False)
    study_screen.show_text(console, card.front, "both", title="front", style="cyan")
    for i, option in enumerate(card.options, start=1):
        mark = "✓" if i - 1 == card.answer else " "
        console.print(f"  {mark} {i}  {study_screen.option_text(option, 'both')}", highlight=False)
    if card.type == "numeric":
        console.print(f"  answer: {card.answer:g}" + (f" ± {card.tolerance:g}" if card.tolerance else ""))
    elif card.type == "term":
        console.print(f"  answer: {card.answer}" + (f"  (also: {', '.join(card.aliases)})" if card.aliases else ""), highlight=False)
    study_screen.show_text(console, card.back, "both", title="back", style="green")
    extras = []
    if card.tags:
        extras.append("tags: " + ", ".join(card.tags))
    if card.drill:
        extras.append(f"drill: {card.drill} (quizdl drill {card.drill})")
    if card.see:
        extras.append("see: " + ", ".join(card.see))
    if extras:
        console.print(" · ".join(extras), highlight=False)


@cards_app.command("check")
def cards_check(
    paths: list[Path] = typer.Argument(None, help="Deck files or folders (default: built-in and your own decks).", show_default=False),
) -> None:
    """Validate decks: YAML, fields, types, duplicate ids, see/drill links, formulas.

    Reports every problem at once as file:line: card-id: message and exits 2 if there are any.
    Links may point at built-in cards. Example: [bold]quizdl cards check ~/my-decks[/]
    """
    from quizdl.cards import DeckError, Problem, default_locations, load_library
    from quizdl.text import FormulaError, check_formula, formulas

    locations = default_locations(paths or [])
    library = load_library(locations, use_cache=False)
    problems = []
    chosen = {p.resolve() for p in (paths or [])}
    for card in library.cards.values():
        if chosen and not any(Path(card.file).resolve() == c or c in Path(card.file).resolve().parents for c in chosen):
            continue
        for side in ("front", "back"):
            for lang, body in getattr(card, side).items():
                for expr in formulas(body):
                    try:
                        check_formula(expr)
                    except FormulaError as exc:
                        problems.append(Problem(card.file, card.line, card.id, f"{side}.{lang}: bad formula ${expr}$: {exc}"))
    if problems:
        raise DeckError(problems)
    files = {c.file for c in library.cards.values()}
    _console().print(f"[green]✓[/] {len(library.cards)} cards in {len(files)} file(s): no problems", highlight=False)


@cards_app.command("unbury")
def cards_unbury(
    card_id: str = typer.Argument(None, metavar="ID", help="Card id, as in `quizdl cards list`.", show_default=False),
    all_cards: bool = typer.Option(False, "--all", help="Every buried card."),
    cards: list[Path] = CardsOption,
) -> None:
    """Bring back cards skipped (buried) until tomorrow, so today's session shows them again.

    Example: [bold]quizdl cards unbury norm-bn-forward[/]   ·   [bold]quizdl cards unbury --all[/]
    """
    from quizdl.errors import QuizdlError
    from quizdl.store import Store

    if (card_id is None) == (not all_cards):
        raise QuizdlError("give a card id or --all (not both)")
    if card_id is not None:
        card_id = _library(cards).get(card_id).id
    with Store.open() as store:
        buried = store.buried_at(_now().timestamp())
        if card_id is not None and card_id not in buried:
            raise QuizdlError(f"{card_id} is not buried")
        store.unbury(card_id)
    count = 1 if card_id is not None else len(buried)
    what = card_id if card_id is not None else f"{count} card{'s' if count != 1 else ''}"
    _console().print(f"unburied {what}; `quizdl study` shows {'it' if count == 1 else 'them'} today",
                     highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(topics)
    app.add_typer(cards_app, name="cards")
