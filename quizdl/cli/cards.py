"""`quizdl topics` and `quizdl cards list|show|check`."""

from __future__ import annotations

from pathlib import Path

import typer

from quizdl.cli.common import CardsOption, LangOption, _console, _lang, _library, _now

# --- topics ---------------------------------------------------------------------------------


def topics(
    tags: bool = typer.Option(False, "--tags", help="List the tags (usable with -t) and how many cards carry each."),
    lang: str = LangOption,
    cards: list[Path] = CardsOption,
) -> None:
    """Decks with their card counts: new, learning, due today, mature (interval ≥ 21 days).

    Deck ids and tags are what `-t TOPIC` takes. Example: [bold]quizdl topics --tags[/]
    """
    from rich.table import Table

    from quizdl import config as cfg
    from quizdl import stats
    from quizdl.store import Store

    config = cfg.load()
    language = _lang(lang, config)
    library = _library(cards)
    console = _console()
    if tags:
        from quizdl.catalog import tag_counts

        counted = tag_counts(library)
        if not counted:
            console.print("No card has a tag.")
            return
        table = Table(title="Tags", box=None, pad_edge=False, header_style="bold")
        table.add_column("tag", no_wrap=True, min_width=max(len(t) for t, _ in counted))
        table.add_column("cards", justify="right", no_wrap=True)
        for tag, n in counted:
            table.add_row(tag, str(n))
        console.print(table)
        return
    with Store.open() as store:
        rows = stats.deck_counts(library, store, config, _now(), "zh" if language == "zh" else "en")
    # Ids are what -t takes, so they are never cut: titles shrink (then vanish) first.
    counts = ("cards", "new", "learning", "due", "mature") + (("suspended",) if any(r.suspended for r in rows) else ())
    deck_width = max((len(r.deck) for r in rows), default=4)
    numbers = sum(len(c) for c in counts)
    room = console.width - deck_width - numbers - 2 * (len(counts) + 1)
    table = Table(title="Topics", box=None, pad_edge=False, caption="due = due today", header_style="bold")
    table.add_column("deck", no_wrap=True, min_width=deck_width)
    if room >= 6:
        table.add_column("title", no_wrap=True, overflow="ellipsis", max_width=room)
    for col in counts:
        table.add_column(col, justify="right", no_wrap=True, min_width=len(col))
    for r in rows:
        title = [_crop(r.title, room) if cell_len(r.title) > room else r.title] if room >= 6 else []
        values = [r.total, r.new, r.learning, r.due, r.mature, r.suspended][: len(counts)]
        table.add_row(r.deck, *title, *map(str, values))
    console.print(table)


# --- cards ----------------------------------------------------------------------------------

cards_app = typer.Typer(help="List, search, show, suspend and check cards.", no_args_is_help=True)


@cards_app.command("list")
def cards_list(
    topic: list[str] = typer.Option(None, "--topic", "-t", help="Only this deck id or tag (repeatable).", show_default=False),
    type_: list[str] = typer.Option(None, "--type", help="Only this card type: basic, choice, numeric or term (repeatable).", show_default=False),
    state: list[str] = typer.Option(None, "--state", help="Only cards in this state: new, learning, review, suspended or buried (repeatable).", show_default=False),
    due: str = typer.Option(None, "--due", help="Only cards due now, or due today (before the study day rolls over): now or today."),
    leeches: bool = typer.Option(False, "--leeches", help="Only leeches: cards forgotten 8 or more times."),
    cards: list[Path] = CardsOption,
    lang: str = LangOption,
) -> None:
    """List cards: id, type, state (new, learning, review, suspended, buried), due, lapses, front.

    Due shows the time of day for learning cards. Example: [bold]quizdl cards list -t normalization --state review[/]   ·   [bold]quizdl cards list --due today[/]
    """
    from quizdl import catalog
    from quizdl import config as cfg
    from quizdl import scheduler as sched
    from quizdl.session import LEECH_LAPSES
    from quizdl.store import Store

    config = cfg.load()
    language = _lang(lang, config)
    library = _library(cards)
    now = _now()
    with Store.open() as store:
        rows = catalog.rows(
            library, store, now, topics=topic or [], types=type_ or [], states=state or [], due=due,
            day_ends=sched.next_day_start(now, config.day_starts_at).timestamp(), leeches=leeches,
            leech_lapses=LEECH_LAPSES,
        )
    console = _console()
    if not rows:
        console.print("No leeches — nothing forgotten 8 times." if leeches else "No cards match.")
        return
    _print_rows(console, library, rows, "zh" if language == "zh" else "en")


@cards_app.command("search")
def cards_search(
    text: str = typer.Argument(..., help="Words to find (all of them, any case) in ids, fronts, backs, options and tags, English and Chinese."),
    cards: list[Path] = CardsOption,
    lang: str = LangOption,
) -> None:
    """Find cards by text in their id, front, back (both languages), options or tags.

    Example: [bold]quizdl cards search dropout[/]   ·   [bold]quizdl cards search 归一化[/]
    """
    from quizdl import catalog
    from quizdl import config as cfg
    from quizdl.store import Store

    config = cfg.load()
    language = _lang(lang, config)
    library = _library(cards)
    found = {c.id for c in catalog.search(library, text)}
    console = _console()
    if not found:
        console.print(f"No card mentions {text!r}.", highlight=False)
        raise typer.Exit(1)
    with Store.open() as store:
        rows = [r for r in catalog.rows(library, store, _now()) if r.card.id in found]
    _print_rows(console, library, rows, "zh" if language == "zh" else "en")


def _print_rows(console, library, rows, show_lang: str) -> None:
    """A header, then each deck's cards; the front preview takes what the terminal has left."""
    from rich.text import Text

    from quizdl import text as cardtext

    id_width = max(len(r.card.id) for r in rows)
    due_texts = [_fmt_due(r.due, r.learning) for r in rows]
    due_width = max(3, *(len(d) for d in due_texts))
    fixed = f"  {'':<{id_width}}  {'':<7}  {'':<9}  {'':<{due_width}}  {'':>6}  "
    room = console.width - len(fixed)
    below = room < 20  # a narrow terminal: each front on its own line, under its row
    stacked = len(fixed) - 2 > console.width  # narrower still: id, then the rest, then the front
    if below:
        room = max(10, console.width - 4)
    console.print(f"[bold]{len(rows)} card(s)[/]", highlight=False)
    listing = Text()  # printed at once: one print per line costs ~0.5 ms each
    header = f"  {'id':<{id_width}}  {'type':<7}  {'state':<9}  {'due':<{due_width}}  {'lapses':>6}"
    if stacked:
        header = "  id\n    type · state · due · lapses"
    listing.append(header + ("\n    front\n" if below else "  front\n"), style="bold")
    deck = None
    for r, due_text in zip(rows, due_texts, strict=True):
        c = r.card
        if c.deck != deck:
            deck = c.deck
            title = library.decks[deck].title.get(show_lang, deck)
            listing.append("\n")
            listing.append(deck, style="bold cyan")
            listing.append(f" — {title}\n")
        front = cardtext.first_line(c.front[show_lang] if show_lang in c.front else next(iter(c.front.values())))
        if cell_len(front) > room:
            front = _crop(front, room)
        if stacked:
            row = f"  {c.id}\n    {c.type} · {r.state} · due {due_text} · lapses {r.lapses}"
        else:
            row = f"  {c.id:<{id_width}}  {c.type:<7}  {r.state:<9}  {due_text:<{due_width}}  {r.lapses:>6}"
        listing.append(f"{row}\n    {front}\n" if below else f"{row}  {front}\n")
    listing.rstrip()
    console.print(listing, no_wrap=True, overflow="ellipsis", highlight=False)


def cell_len(text: str) -> int:
    from rich.cells import cell_len as _cell_len

    return _cell_len(text)


def _crop(text: str, width: int) -> str:
    """Cut to `width` terminal cells (CJK characters take two), ending in an ellipsis."""
    from rich.cells import set_cell_size

    return set_cell_size(text, width - 1).rstrip() + "…"


def _fmt_due(ts: float | None, learning: bool) -> str:
    """A review's day; a learning card's day and time (it comes back within minutes or hours)."""
    if ts is None:
        return "-"
    from datetime import datetime

    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M" if learning else "%Y-%m-%d")


@cards_app.command("show")
def cards_show(card_id: str = typer.Argument(..., help="Card id, as in `quizdl cards list`."), cards: list[Path] = CardsOption) -> None:
    """Show one card: front and back in both languages, answer, links.

    Example: [bold]quizdl cards show norm-running-var-unbiased[/]
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


@cards_app.command("suspend")
def cards_suspend(
    card_ids: list[str] = typer.Argument(..., help="Card ids, as in `quizdl cards list`.", show_default=False),
    cards: list[Path] = CardsOption,
) -> None:
    """Take cards out of study and interviews until unsuspended; their history stays.

    For a leech you cannot rewrite (a built-in card). Example: [bold]quizdl cards suspend norm-bn-momentum-default[/]
    """
    from quizdl import catalog
    from quizdl.store import Store

    library = _library(cards)
    ids = catalog.resolve_ids(library, card_ids)
    with Store.open() as store:
        changed = store.suspend(ids, _now().timestamp())
    console = _console()
    for cid in ids:
        console.print(f"suspended {cid}" if cid in changed else f"{cid} was already suspended", highlight=False)
    if changed:
        console.print(f"`quizdl cards unsuspend {' '.join(changed)}` brings {'it' if len(changed) == 1 else 'them'} back",
                      highlight=False, soft_wrap=True)


@cards_app.command("unsuspend")
def cards_unsuspend(
    card_ids: list[str] = typer.Argument(..., help="Card ids, as in `quizdl cards list --state suspended`.", show_default=False),
    cards: list[Path] = CardsOption,
) -> None:
    """Put suspended cards back into study, with the schedule they had.

    Example: [bold]quizdl cards unsuspend norm-bn-momentum-default[/]
    """
    from quizdl import catalog
    from quizdl.store import Store

    library = _library(cards)
    ids = catalog.resolve_ids(library, card_ids)
    with Store.open() as store:
        changed = store.unsuspend(ids)
    console = _console()
    for cid in ids:
        console.print(f"unsuspended {cid}" if cid in changed else f"{cid} was not suspended", highlight=False)


@cards_app.command("check")
def cards_check(
    paths: list[Path] = typer.Argument(None, help="Deck files or folders (default: built-in and your own decks).", show_default=False),
) -> None:
    """Validate decks: YAML, fields, types, duplicate keys and ids, see/drill links, formulas.

    Reports every problem at once as file:line: card-id: message and exits 2 if there are any.
    Links may point at built-in cards. Example: [bold]quizdl cards check ~/my-decks[/]
    """
    from quizdl.cards import default_locations, load_library

    # Raises DeckError listing every problem of every stage (YAML, fields, ids, links, formulas).
    library = load_library(default_locations(paths or []), use_cache=False, check_text=paths or True)
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
        raise QuizdlError("give a card id or --all (not both)", zh="请给出一个卡片 id 或 --all（不能两者都给）")
    if card_id is not None:
        card_id = _library(cards).get(card_id).id
    with Store.open() as store:
        buried = store.buried_at(_now().timestamp())
        if card_id is not None and card_id not in buried:  # nothing to do: said, not an error
            _console().print(f"{card_id} is not buried; nothing to do", highlight=False)
            return
        store.unbury(card_id)
    count = 1 if card_id is not None else len(buried)
    what = card_id if card_id is not None else f"{count} card{'s' if count != 1 else ''}"
    _console().print(f"unburied {what}; `quizdl study` shows {'it' if count == 1 else 'them'} today",
                     highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(topics)
    app.add_typer(cards_app, name="cards")
