"""The terminal side of `quizdl interview`: the cards through study_screen, the drill through the
watch screen, then the scorecard. What is asked and what is stored is quizdl/interview.py's.

On a terminal the drill is watched until it passes and the user quits (q), or the time is up.
When stdin is not a terminal (a pipe, a script, a test) the cards read one line per key as in
`quizdl study`, and the drill part grades the starter file once, reports and ends: nothing could
end a watch there but Ctrl-C.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from quizdl import interview as iv
from quizdl.cards import Card, Library
from quizdl.cli import study_screen
from quizdl.config import Config
from quizdl.session import StudySession
from quizdl.store import Store


def run(plan: iv.Plan, store: Store, library: Library, config: Config, console: Console, lang: str,
        folder: Path | None = None, stream=None) -> iv.Scorecard:
    """The whole interview; returns its scorecard, already stored."""
    folder = folder or Path.cwd()
    timer = iv.Timer(plan.minutes)
    started_at = time.time()
    keys = study_screen.Keys(console, stream)
    _intro(console, plan)

    session = iv.InterviewSession(store, library, config, plan.cards)
    count = len(plan.cards)

    def status(session: StudySession, card: Card) -> str:
        number = min(len(session.history) + 1, count)
        return (f"interview · {card.deck} · {session.state_label(card)} · card {number}/{count}"
                f" · {iv.format_left(timer.left())} left")

    study_screen.run(session, console, keys, lang, status=status, stop=timer.concept_over)
    if timer.concept_over() and session.next_card() is not None:
        console.print("[yellow]Time for the concept questions is up.[/]", highlight=False)

    drill_score = None
    if plan.drill is not None:
        drill_score = _drill_part(plan.drill, store, console, lang, folder, timer, keys.tty, stream)
    card = iv.Scorecard(
        started_at=started_at, minutes=plan.minutes, elapsed_s=timer.elapsed(),
        topics=iv.topic_scores(session.history), drill=drill_score, filter=list(plan.topics),
    )
    iv.save(store, card)
    print_scorecard(console, card)
    return card


def _intro(console: Console, plan: iv.Plan) -> None:
    minutes = f"{plan.minutes:g} min"
    concept = iv.format_left(plan.concept_seconds)
    topics = ", ".join(plan.asked_topics)
    line = (f"[bold]Mock interview[/] · {minutes}: concept questions for about {concept} "
            f"({len(plan.cards)} card{'s' * (len(plan.cards) != 1)}: {escape(topics)})")
    if plan.drill is not None:
        line += f", then drill [bold]{plan.drill.drill.id}[/] for the rest"
    console.print(line, highlight=False)
    console.print("[dim]q ends the current part early; every answer is stored as a review.[/]", highlight=False)
    if plan.drill is not None and plan.drill.note:
        console.print(f"[dim]{escape(plan.drill.note)}[/]", highlight=False)


def _drill_part(choice: iv.DrillChoice, store: Store, console: Console, lang: str, folder: Path,
                timer: iv.Timer, tty: bool, stream) -> iv.DrillScore:
    from quizdl.cli.drills import _print_task
    from quizdl.cli.watch_screen import WatchScreen
    from quizdl.grading import prepare

    drill = choice.drill
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as quizdl.cli.grade: small arrays, one thread
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    console.print()
    why = "passed before" if choice.passed_before else "never passed"
    why += ", due" if choice.due else ", not due"
    console.print(f"[bold]Coding drill[/] · {drill.id} · topic {drill.topic} ({why}) · "
                  f"{iv.format_left(timer.left())} left", highlight=False)
    since = time.time()
    path = iv.write_starter(drill, folder)
    _print_task(drill, lang)
    shown = _relative(path)
    console.print(f"\nWrote [bold]{escape(shown)}[/] — fill it in and save; each save is graded.", highlight=False)
    prepare.start_in_background(drill.id)  # known mistakes computed while you write
    # The watch screen counts on time.monotonic(), whatever clock the timer runs on.
    screen = WatchScreen(Path(shown), drill.id, console, stream=stream, deadline=time.monotonic() + timer.left())
    if tty:
        screen.run(grade_first=False)
    else:
        console.print("[dim]stdin is not a terminal: the starter is graded once, then the interview ends.[/]",
                      highlight=False)
        screen.grade_once()
    return iv.drill_score(store, drill.id, shown, since)


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# --- the scorecard and the history ---------------------------------------------------------------


def _duration(seconds: float | None) -> str:
    return "—" if seconds is None else iv.format_left(seconds)


def print_scorecard(console: Console, card: iv.Scorecard) -> None:
    console.print()
    console.print(f"[bold]Scorecard[/] · {card.minutes:g} min planned · {_duration(card.elapsed_s)} taken",
                  highlight=False)
    if card.cards_total:
        console.print(f"Concept cards: [bold]{card.cards_right}/{card.cards_total}[/] right", highlight=False)
        width = max(len(t.topic) for t in card.topics)
        for t in card.topics:
            wrong = f"[red]{t.wrong} wrong[/]" if t.wrong else "0 wrong"
            console.print(f"  {escape(t.topic):<{width}}  [green]{t.right} right[/] · {wrong}", highlight=False)
    else:
        console.print("Concept cards: none answered", highlight=False)
    drill = card.drill
    if drill is None:
        console.print("Drill: none", highlight=False)
    else:
        grades = f"{drill.grades} grade{'s' * (drill.grades != 1)}"
        if drill.passed:
            verdict = f"[green]passed in {_duration(drill.seconds_to_pass)}[/]"
        else:
            verdict = "[red]not passed[/]"
        hints = f"{drill.hints_used} hint{'s' * (drill.hints_used != 1)} used"
        console.print(f"Drill [bold]{drill.drill_id}[/] ({escape(drill.file)}): {verdict} · {grades} · {hints}",
                      highlight=False)
        mistakes = ", ".join(drill.mistakes) if drill.mistakes else "none"
        console.print(f"Mistakes diagnosed: {escape(mistakes)}", highlight=False)
        if not drill.passed:
            console.print(f"[dim]keep going: quizdl grade {escape(drill.file)} --watch[/]", highlight=False)
    console.print("[dim]Saved: quizdl interview --history lists past interviews.[/]", highlight=False)


def print_history(console: Console, cards: list[iv.Scorecard]) -> None:
    if not cards:
        console.print("No interviews yet: start one with [bold]quizdl interview[/].", highlight=False)
        return
    table = Table(title="Mock interviews")
    for column in ("date", "minutes", "cards", "drill", "passed", "time to pass"):
        table.add_column(column, justify="right" if column in ("minutes", "cards", "time to pass") else "left")
    for card in cards:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(card.started_at))
        drill = card.drill
        passed = "—" if drill is None else ("✓" if drill.passed else "✗")
        table.add_row(when, f"{card.minutes:g}", f"{card.cards_right}/{card.cards_total}",
                      drill.drill_id if drill else "—", passed,
                      _duration(drill.seconds_to_pass) if drill else "—")
    console.print(table)
