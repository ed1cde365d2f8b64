"""The command line: typer parses, the core does the work, rich renders. No logic lives here."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import typer
import typer.core

from quizdl.errors import QuizdlError, print_error


class _Group(typer.core.TyperGroup):
    """Turns a QuizdlError raised anywhere below into a red one-liner and its exit code."""

    def invoke(self, ctx):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except QuizdlError as exc:
            _fail(exc)


# --- parameter conversion without pydantic --------------------------------------------------
# typer (0.29) converts every parameter, even an absent one, through a pydantic TypeAdapter:
# importing pydantic and building the adapters costs more than the rest of `quizdl study`'s
# start-up. The plain cases quizdl's commands have — str, int (with min/max), Path and lists of
# them — are converted here to exactly the values typer produces; anything else, and any value
# the fast path does not accept (so every error message), goes to typer's own conversion.


class _Slow(Exception):
    """This value takes typer's own conversion."""


class _FastCoercion:
    """Duck-types typer._coercion.RuntimeParam (the object `get_runtime_param()` returns)."""

    def __init__(self, descriptor) -> None:
        self.descriptor = descriptor
        self._typer = None

    def _full(self):
        if self._typer is None:
            from typer._coercion import build_runtime_param

            self._typer = build_runtime_param(self.descriptor)
        return self._typer

    def coerce(self, value, param, ctx):
        multi = param.multiple or param.nargs == -1
        if value is None:
            return () if multi else None
        try:
            if not multi:
                return self._leaf(self.descriptor.annotation, value)
            ann = self.descriptor.annotation
            if getattr(ann, "__origin__", None) is not list or not isinstance(value, list | tuple):
                raise _Slow
            (item,) = ann.__args__
            return [self._leaf(item, v) for v in value]
        except _Slow:
            return self._full().coerce(value, param=param, ctx=ctx)

    def _leaf(self, ann, value):
        info = self.descriptor.parameter_info
        if info.parser is not None:
            raise _Slow
        if ann is str and type(value) is str:
            return value
        if ann is int and not info.clamp:
            if type(value) is str and value.isascii() and value.isdigit():
                value = int(value)
            elif type(value) is not int:
                raise _Slow
            if (info.min is not None and value < info.min) or (info.max is not None and value > info.max):
                raise _Slow
            return value
        if (
            ann is Path and type(value) is str and info.path_type is None and not info.exists
            and info.file_okay and info.dir_okay and not info.writable and not info.resolve_path
            and not info.allow_dash
        ):
            import os

            path = Path(value)
            try:
                os.stat(path)
            except OSError:
                return path
            if info.readable and not os.access(path, os.R_OK):
                raise _Slow
            return path
        raise _Slow


def _install_fast_coercion() -> None:
    """Hand typer's parameters the fast conversion (built lazily, like typer's own)."""
    base = getattr(typer.core, "_TyperParameter", None)
    if base is None or not hasattr(base, "get_runtime_param") or getattr(base, "_quizdl_fast", False):
        return  # another typer version: nothing to speed up, or already done

    def get_runtime_param(self):
        if self._runtime_param is None:
            self._runtime_param = _FastCoercion(self.type_descriptor)
        return self._runtime_param

    base.get_runtime_param = get_runtime_param
    base._quizdl_fast = True


_install_fast_coercion()


app = typer.Typer(
    cls=_Group,
    name="quizdl",
    help="Deep-learning interview prep: FSRS-scheduled concept cards and sandbox-graded coding drills.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def main() -> None:
    """Run the typer app under quizdl's guard (launch.run_guarded): a QuizdlError becomes a
    one-line red message and its exit code, anything unexpected a short "internal error" line."""
    import sys

    if sys.argv[1:2] and sys.argv[1] in _STANDALONE:
        # Start-up creates some 100k long-lived objects (modules, cards, states) and no garbage
        # cycles; the cyclic GC would walk them dozens of times (a third of the deck loading
        # time). It stays off until the first card waits for a key (study_ui.resume_gc), and
        # for the short topics/stats runs.
        import gc

        gc.disable()
    from quizdl.launch import run_guarded

    run_guarded(_app_for(sys.argv[1:]))


# Commands run on their own: typer builds the whole command tree (every command's signature and
# annotations) on each start, about 5 ms spent on commands that will not run.
_STANDALONE = ("study", "topics", "stats")


def _app_for(args: list[str]) -> typer.Typer:
    """The app to run: for `quizdl study|topics|stats …`, the same app holding that one command
    (what runs and what it prints is the same); for anything else, the whole app."""
    if not args or args[0] not in _STANDALONE:
        return app
    import typer.main

    one = typer.Typer(
        cls=_Group, name=app.info.name, help=app.info.help, no_args_is_help=True, add_completion=False,
        rich_markup_mode="rich", pretty_exceptions_enable=False,
    )
    one.registered_commands = [
        info for info in app.registered_commands
        if (info.name or typer.main.get_command_name(info.callback.__name__)) == args[0]  # type: ignore[union-attr]
    ]
    if len(one.registered_commands) != 1:
        return app
    one.callback()(_no_root_options)  # keeps it a group (`quizdl study`), as typer makes one-command apps plain commands
    return one


def _no_root_options() -> None:
    pass


def _fail(exc: QuizdlError) -> None:
    print_error(exc)
    raise typer.Exit(exc.exit_code)


def _register_subcommands() -> None:
    # Drill commands live in their own module; importing it must stay cheap (no numpy/torch).
    from quizdl import cli_drills

    cli_drills.register(app)


# --- shared options -------------------------------------------------------------------------

CardsOption = typer.Option(
    None,
    "--cards",
    help="Extra folder (or file) of your own *.yaml decks, loaded beside the built-ins. Repeatable.",
    show_default=False,
)
LangOption = typer.Option(None, "--lang", help="Card language: en, zh or both (default: config).")


def _console():
    from rich.console import Console

    return Console()


def _library(extra: list[Path] | None):
    from quizdl.cards import load_library

    return load_library(extra=extra or [])


def _lang(lang: str | None, config) -> str:
    from quizdl.config import LANGUAGES

    lang = lang or config.language
    if lang not in LANGUAGES:
        raise QuizdlError(f"--lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return lang


def _now():
    from datetime import datetime

    return datetime.now(UTC)


# --- study ----------------------------------------------------------------------------------


@app.command()
def study(
    topic: list[str] = typer.Option(
        None, "--topic", "-t", help="Only this deck id or tag (repeatable).", show_default=False
    ),
    new: int = typer.Option(None, "--new", min=0, help="New cards this session (default: what is left of new_per_day)."),
    limit: int = typer.Option(None, "--limit", min=1, help="Stop after this many answers."),
    lang: str = LangOption,
    cards: list[Path] = CardsOption,
) -> None:
    """Today's session: due reviews first, then new cards.

    Keys: space/enter shows the answer; 1 Again · 2 Hard · 3 Good · 4 Easy (space/enter = Good);
    u undoes the last answer, s skips a card until tomorrow, q or Ctrl-C quits. Every answer is
    saved before the next card appears. Piped stdin works too, one key per line.

    Example: [bold]quizdl study -t normalization --new 5[/]
    """
    from quizdl import config as cfg
    from quizdl import study_ui
    from quizdl.cards import known_drill_ids
    from quizdl.session import StudySession
    from quizdl.store import Store

    config = cfg.load()
    language = _lang(lang, config)
    library = _library(cards)
    console = _console()
    with Store.open() as store:
        session = StudySession(
            store, library, config, topics=topic or [], new_limit=new, limit=limit,
            drill_ids=known_drill_ids(),
        )
        if session.next_card() is None:
            summary = session.summary()
            console.print("[green]Nothing to study right now — well done.[/]", highlight=False)
            study_ui.print_summary(console, summary)
            return
        summary = study_ui.run(session, console, study_ui.Keys(console), language)
        study_ui.print_summary(console, summary)


# --- interview ------------------------------------------------------------------------------


@app.command()
def interview(
    minutes: int = typer.Option(45, "--minutes", "-m", help="Length of the interview: about 40% concept cards, the rest one coding drill."),
    topic: list[str] = typer.Option(
        None, "--topic", "-t", help="Only this deck id or tag (repeatable); default: your weakest topics.", show_default=False
    ),
    lang: str = LangOption,
    history: bool = typer.Option(False, "--history", help="List past interviews instead of starting one."),
    json_out: bool = typer.Option(False, "--json", help="With --history: print the interviews as JSON."),
    cards: list[Path] = CardsOption,
) -> None:
    """A timed mock interview: concept questions, then one coding drill, then a scorecard.

    Cards come from your weakest topics (lowest retrievability, most lapses; topics never studied
    count as weak), auto-graded ones before self-rated ones, with the time left in each card's
    title; answers are ordinary reviews. Then the weakest drill's starter is written to
    ./ID.interview-N.py and graded on every save (keys: h hint, s solution after a pass, q done)
    until you quit or the time is up. The scorecard (right/wrong per topic, the drill's time to
    pass, mistakes diagnosed, hints used) is stored. With piped stdin the cards read one line
    per key and the drill's starter is graded once.

    Example: [bold]quizdl interview[/]   ·   [bold]quizdl interview --minutes 20 -t normalization[/]   ·   [bold]quizdl interview --history --json[/]
    """
    from quizdl import config as cfg
    from quizdl import interview as iv
    from quizdl.store import Store

    if json_out and not history:
        raise QuizdlError("--json goes with --history (an interview itself is interactive)")
    if history:
        with Store.open() as store:
            past = iv.history(store)
        if json_out:
            import json

            typer.echo(json.dumps([p.to_dict() for p in past], indent=2, ensure_ascii=False))
            return
        from quizdl import interview_screen

        interview_screen.print_history(_console(), past)
        return
    iv.check_minutes(minutes)
    config = cfg.load()
    language = _lang(lang, config)
    library = _library(cards)
    from quizdl import interview_screen
    from quizdl.drills import load_drills

    drills = load_drills(strict=False)
    with Store.open() as store:
        plan = iv.make_plan(library, store, config, drills, minutes=minutes, topics=topic or [], now=_now())
        interview_screen.run(plan, store, library, config, _console(), language)


# --- topics ---------------------------------------------------------------------------------


@app.command()
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
app.add_typer(cards_app, name="cards")


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
    from quizdl import study_ui

    library = _library(cards)
    card = library.get(card_id)
    console = _console()
    console.print(f"[bold]{card.id}[/] · {card.deck} · {card.type} · {card.file}:{card.line}", highlight=False)
    study_ui.show_text(console, card.front, "both", title="front", style="cyan")
    for i, option in enumerate(card.options, start=1):
        mark = "✓" if i - 1 == card.answer else " "
        console.print(f"  {mark} {i}  {study_ui.option_text(option, 'both')}", highlight=False)
    if card.type == "numeric":
        console.print(f"  answer: {card.answer:g}" + (f" ± {card.tolerance:g}" if card.tolerance else ""))
    elif card.type == "term":
        console.print(f"  answer: {card.answer}" + (f"  (also: {', '.join(card.aliases)})" if card.aliases else ""), highlight=False)
    study_ui.show_text(console, card.back, "both", title="back", style="green")
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


# --- stats ----------------------------------------------------------------------------------


@app.command()
def stats(json_out: bool = typer.Option(False, "--json", help="Print machine-readable JSON."), cards: list[Path] = CardsOption) -> None:
    """Totals, reviews today, retention over 30 days, due forecast for the next 7 days.

    Example: [bold]quizdl stats[/]   ·   [bold]quizdl stats --json | jq .retention_30d[/]
    """
    from quizdl import config as cfg
    from quizdl import stats as st
    from quizdl.store import Store

    config = cfg.load()
    library = _library(cards)
    with Store.open() as store:
        result = st.compute(library, store, config, _now())
    if json_out:
        import json

        typer.echo(json.dumps(result.to_dict(), indent=2))
        return
    from rich.table import Table

    console = _console()
    ret = f"{result.retention_30d:.1%} of {result.reviews_30d}" if result.retention_30d is not None else "— (no reviews yet)"
    console.print(
        f"[bold]Cards[/] {result.cards}: new {result.new} · learning {result.learning} · review "
        f"{result.review} (mature {result.mature}) · leeches {result.leeches}\n"
        f"[bold]Reviews[/] today {result.reviews_today} · all time {result.reviews_total}\n"
        f"[bold]Retention[/] (last 30 days, review cards): {ret}\n"
        f"[bold]Drills[/] {result.drills['attempts']} attempt(s), {result.drills['passes']} passed",
        highlight=False,
    )
    table = Table(title="Due in the next 7 days")
    table.add_column("day")
    table.add_column("due", justify="right")
    for i, row in enumerate(result.forecast):
        table.add_row(row["date"] + (" (today, incl. overdue)" if i == 0 else ""), str(row["due"]))
    console.print(table)


# --- config ---------------------------------------------------------------------------------

config_app = typer.Typer(help="Show or change settings (stored in config.yaml in the data dir).", no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("get")
def config_get(key: str = typer.Argument(None, help="One setting; all when omitted.", show_default=False)) -> None:
    """Print settings. Example: [bold]quizdl config get new_per_day[/]"""
    from quizdl import config as cfg

    current = cfg.load().to_dict()
    if key is None:
        for k, v in current.items():
            typer.echo(f"{k} = {_show_value(v)}")
        return
    if key not in current:
        raise QuizdlError(f"unknown setting {key!r}; settings: {', '.join(current)}")
    typer.echo(_show_value(current[key]))


@config_app.command("set")
def config_set(key: str = typer.Argument(..., help="Setting name."), value: str = typer.Argument(..., help="New value.")) -> None:
    """Change a setting. Example: [bold]quizdl config set learning_steps "1 10"[/]

    Settings: desired_retention (0.7-0.99, default 0.9), new_per_day (20), max_reviews_per_day
    (200), learning_steps (minutes, "1 10"), relearning_steps ("10"), language (en/zh/both),
    day_starts_at (local hour, 4).
    """
    from quizdl import config as cfg

    current = cfg.load()
    if key not in cfg.setting_names():
        raise QuizdlError(f"unknown setting {key!r}; settings: {', '.join(cfg.setting_names())}")
    setattr(current, key, cfg.parse_value(key, value))
    path = cfg.save(current)
    typer.echo(f"{key} = {_show_value(getattr(current, key))}  (saved to {path})")


@config_app.command("path")
def config_path() -> None:
    """Print where the config file and progress database live (QUIZDL_HOME overrides).

    Example: [bold]QUIZDL_HOME=/tmp/q quizdl config path[/]
    """
    from quizdl import paths

    typer.echo(f"data dir:  {paths.home()}\nconfig:    {paths.config_path()}\nprogress:  {paths.db_path()}")


def _show_value(value: object) -> str:
    return " ".join(map(str, value)) if isinstance(value, list) else str(value)


# --- doctor ---------------------------------------------------------------------------------


@app.command()
def doctor() -> None:
    """Check the grading sandbox: grade the softmax-ce reference and list which isolation layers
    (Landlock, network and PID namespaces, uid drop, seccomp, no terminal) this machine grants.
    Exit 0 when that grade passes (grading works; a layer marked OFF is simply not there).

    Example: [bold]quizdl doctor[/]
    """
    from quizdl.grading import isolation

    ok, lines = isolation.doctor()
    typer.echo("\n".join(lines))
    if not ok:
        raise typer.Exit(1)


_register_subcommands()
