"""`quizdl study` and `quizdl interview`: the commands; the screens are study_screen and interview_screen."""

from __future__ import annotations

from pathlib import Path

import typer

from quizdl.cli.common import CardsOption, LangOption, _console, _lang, _library, _now
from quizdl.errors import QuizdlError

# --- study ----------------------------------------------------------------------------------


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
    from quizdl.cards import known_drill_ids
    from quizdl.cli import study_screen
    from quizdl.cli.i18n import t, ui_language
    from quizdl.session import StudySession
    from quizdl.store import Store

    config = cfg.load()
    language = _lang(lang, config)
    ui = ui_language(language)
    library = _library(cards)
    console = _console()
    with Store.open() as store:
        session = StudySession(
            store, library, config, topics=topic or [], new_limit=new, limit=limit,
            drill_ids=known_drill_ids(),
        )
        if session.next_card() is None:
            summary = session.summary()
            if not summary.new_waiting:
                console.print(f"[green]{t(ui, 'nothing_to_study')}[/]", highlight=False)
            study_screen.print_summary(console, summary, ui)
            return
        summary = study_screen.run(session, console, study_screen.Keys(console), language, redraw=True)
        study_screen.print_summary(console, summary, ui)


# --- interview ------------------------------------------------------------------------------


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
        raise QuizdlError("--json goes with --history (an interview itself is interactive)",
                          zh="--json 要和 --history 一起用（面试本身是交互式的）")
    if history:
        with Store.open() as store:
            past = iv.history(store)
        if json_out:
            import json

            typer.echo(json.dumps([p.to_dict() for p in past], indent=2, ensure_ascii=False))
            return
        from quizdl.cli import interview_screen
        from quizdl.cli.i18n import ui_language

        interview_screen.print_history(_console(), past, ui_language(_lang(lang, cfg.load())))
        return
    iv.check_minutes(minutes)
    config = cfg.load()
    language = _lang(lang, config)
    library = _library(cards)
    from quizdl.cli import interview_screen
    from quizdl.drills import load_drills

    drills = load_drills(strict=False)
    with Store.open() as store:
        plan = iv.make_plan(library, store, config, drills, minutes=minutes, topics=topic or [], now=_now())
        interview_screen.run(plan, store, library, config, _console(), language)


def register(app: typer.Typer) -> None:
    app.command()(study)
    app.command()(interview)
