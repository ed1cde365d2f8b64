"""`quizdl grade FILE`: grade and record the attempt (quizdl.attempts), print the report.

Kept apart from the typer layer so that the console entry point can run the plain forms of the
command without importing the CLI framework (see quizdl/cli/launch.py): a passing numpy drill is
graded in about the time Python takes to import numpy twice, once here and once in the sandbox,
and typer's import alone would add a fifth to that. The typer command in quizdl/cli/drills.py calls
`run()` too, so both ways do exactly the same work and print exactly the same report.
"""

from __future__ import annotations

import contextlib
import os
from datetime import datetime
from pathlib import Path


def run(file: Path, drill_id: str | None = None, json_out: bool = False, verbose: bool = False,
        lang: str | None = None) -> int:
    """Grade `file` and return the exit code: 0 pass, 1 fail (2, a usage error, is raised).
    `lang` (en, zh, both) overrides the language setting for the drill's texts."""
    lang = check_lang(lang)
    with _clean_exit_on_hangup():
        return _run(file, drill_id, json_out, verbose, lang)


def check_lang(lang: str | None) -> str | None:
    """--lang as given (any case), checked: en, zh, both or None (the language setting)."""
    if lang is None:
        return None
    from quizdl.config import LANGUAGES
    from quizdl.errors import QuizdlError

    if lang.lower() not in LANGUAGES:
        raise QuizdlError(f"--lang must be one of {', '.join(LANGUAGES)}, not {lang!r}", exit_code=2,
                          zh=f"--lang 只能是 {', '.join(LANGUAGES)} 之一，而不是 {lang!r}")
    return lang.lower()


@contextlib.contextmanager
def _clean_exit_on_hangup():
    """SIGTERM or SIGHUP (the terminal closed) end the grade like Ctrl-C does: through the
    cleanup code, so the sandbox child is killed and its temp dir removed."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _run(file: Path, drill_id: str | None, json_out: bool, verbose: bool, lang: str | None = None) -> int:
    # This process compares a few small arrays: it needs no BLAS thread pool, whose start-up
    # threads would compete with the sandbox child for the CPU (≈10% of a numpy grade on 2 cores).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # Likewise torch, if this process needs it (a cold cache, a diagnosis): tiny tensors, where a
    # second thread only adds start-up and, on a loaded machine, waiting.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from quizdl.attempts import grade_and_record, json_report, read

    sub = read(file, drill_id)
    opened = {}

    def while_the_child_starts():
        # While the sandbox child starts (its Python and numpy imports), get everything else
        # ready: settings, the store, the scheduler and the renderer.
        from quizdl import config as cfg
        from quizdl import scheduler as sched
        from quizdl.store import Store

        opened["config"] = config = cfg.load()  # validated: config.language is en, zh or both
        opened["console"] = None if json_out else _console()
        opened["store"] = Store.open()
        return opened["store"], sched.make_scheduler(config, drills=True)

    try:
        with spinner(enabled=not json_out):
            graded = grade_and_record(sub, None, None, on_started=while_the_child_starts)
    finally:
        if "store" in opened:
            opened["store"].close()
    if json_out:
        import json

        print(json.dumps(json_report(sub, graded), indent=2, ensure_ascii=False))
    else:
        console = opened["console"]
        print_result(console, sub.drill, file, graded.result, lang or opened["config"].language, verbose,
                     graded.recorded.state, graded.notes)
        _print_isolation(console, graded.isolation, verbose)
    return 0 if graded.result.passed else 1


SPINNER_AFTER_S = 1.0
_FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


@contextlib.contextmanager
def spinner(enabled: bool = True, stream=None, after_s: float = SPINNER_AFTER_S):
    """A grade that takes longer than `after_s` shows `⠋ grading… 1.4 s` on a terminal, redrawn
    in place and erased when the grade ends; piped output never sees it."""
    import sys
    import threading
    import time

    stream = stream or sys.stdout
    try:
        tty = enabled and stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty:
        yield
        return
    done = threading.Event()
    start = time.monotonic()
    drawn = []

    def spin() -> None:
        if done.wait(after_s):
            return
        i = 0
        while not done.is_set():
            stream.write(f"\r{_FRAMES[i % len(_FRAMES)]} grading… {time.monotonic() - start:.1f} s")
            stream.flush()
            drawn.append(True)
            i += 1
            done.wait(0.1)

    thread = threading.Thread(target=spin, name="quizdl-spinner", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        if drawn:
            stream.write("\r\x1b[2K")  # erase the spinner's line
            stream.flush()


def _print_isolation(console, report: dict | None, verbose: bool) -> None:
    """--verbose: every isolation layer; otherwise one note, once, when some layer is off."""
    from rich.markup import escape

    from quizdl.grading import isolation

    if verbose:
        console.print("[dim]sandbox isolation:[/]", highlight=False)
        for line in isolation.format_rows(isolation.layers(report)):
            console.print(f"[dim]{escape(line)}[/]", highlight=False, soft_wrap=True)
        return
    note = isolation.degraded_note(report)
    if note:
        console.print(f"[dim]{escape(note)}[/]", highlight=False, soft_wrap=True)


def _console():
    from rich.console import Console

    return Console()


def _err(value: float | None) -> str:
    return "—" if value is None else f"{value:.2g}"


def local_date(ts: float) -> str:
    """A timestamp as the user's local YYYY-MM-DD (next review dates)."""
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d")


def wrap_words(text: str, width: int, indent: str = "") -> list[str]:
    """Lines of at most `width` columns (where words allow), broken only at spaces outside
    brackets: an index such as running_var[after step 3, feature 1] is never split. The text's
    own leading spaces start the first line; `indent` starts the others."""
    import re

    tokens = re.findall(r"(?:\[[^\]]*\]|\S)+|\s+", text)
    lines: list[str] = []
    line, gap = "", ""
    for token in tokens:
        if token.isspace():
            gap = token if line.strip() or not lines else ""
            if not line and not lines:
                line = token  # the text's own indent
                gap = ""
            continue
        if line.strip() and len(line) + len(gap) + len(token) > width:
            lines.append(line)
            line, gap = indent + token, ""
        else:
            line, gap = line + gap + token, ""
    if line.strip():
        lines.append(line)
    return lines


def _say(console, text: str, indent: str = "", style: str | None = None) -> None:
    """Print plain text wrapped at the terminal width without breaking inside an index."""
    from rich.markup import escape

    width = max(20, console.width - 1)
    lead = text[: len(text) - len(text.lstrip(" "))]
    paragraphs = [p.strip().replace("\n", " ") for p in text.split("\n\n") if p.strip()]
    for line in (line for p in paragraphs for line in wrap_words(lead + p, width, indent)):
        shown = escape(line)
        console.print(f"[{style}]{shown}[/]" if style else shown, highlight=False, soft_wrap=True)


def _row(console, name: str, text: str) -> None:
    """A failing report row: ✗, the group name (padded), then `text` wrapped beside it."""
    from rich.markup import escape

    room = console.width - 5 - len(name) - 2
    if room < 24:  # a narrow terminal: the text goes under the name
        console.print(f"  [red]✗[/] {escape(name.rstrip())}", highlight=False, soft_wrap=True)
        for line in wrap_words(text, max(20, console.width - 7)):
            console.print(f"      {escape(line)}", highlight=False, soft_wrap=True)
        return
    lines = wrap_words(text, room)
    console.print(f"  [red]✗[/] {escape(name)}  {escape(lines[0] if lines else '')}", highlight=False, soft_wrap=True)
    for line in lines[1:]:
        console.print(" " * (4 + len(name) + 2) + escape(line), highlight=False, soft_wrap=True)


def _notes(message: str) -> list[str]:
    """Remarks the comparison appended to a numeric failure (e.g. float32 precision)."""
    return [part.strip() for part in message.split(" — ")[1:] if part.strip()]


def _print_diagnoses(console, drill, result, lang: str) -> None:
    """Broken contracts, then the known mistakes that together reproduce the submission; or,
    when no combination does, which known mistakes reproduce each failing group."""
    from rich.markup import escape

    from quizdl.cli.i18n import t, ui_language

    ui = ui_language(lang)
    found = result.diagnoses
    if len(found) > 1:
        console.print(f"[bold yellow]{t(ui, 'diagnosis_n', n=len(found))}[/] ({escape(', '.join(d.id for d in found))})",
                      highlight=False)
    for d in found:
        head = t(ui, "diagnosis") if len(found) == 1 else " "
        label = t(ui, "kind_contract" if d.kind == "contract" else "kind_mistake")
        console.print(f"[bold yellow]{head}[/] [bold]{escape(d.id)}[/] [dim]({label})[/]", highlight=False)
        if d.kind == "contract" and d.detail:
            _say(console, f"  {d.detail}", "  ")
        _say(console, f"  {drill.text(d.explanation, lang)}", "  ")
        if d.card:
            console.print(f"  {escape(t(ui, 'see_card', card=d.card))}", highlight=False)
    if result.partial:
        console.print(f"[bold yellow]{t(ui, 'no_combination')}[/] {t(ui, 'per_test')}", highlight=False)
        for p in result.partial:
            _say(console, "  " + t(ui, "looks_like", group=p.group, mistakes=" + ".join(p.mistakes)), "    ")


def print_result(console, drill, file: Path, result, lang: str, verbose: bool, state,
                 notes: list[str] = ()) -> None:
    """The report: one line per test group, the verdict, the diagnosis, the next review and
    `notes` (how the drill was found, whether the grade was a review, what to do next)."""
    from rich.markup import escape

    from quizdl.cli.i18n import note_text, t, ui_language

    ui = ui_language(lang)
    console.print(t(ui, "grading", file=f"[bold]{escape(str(file))}[/]", drill=f"[bold]{drill.id}[/]"), highlight=False)
    ran = any(c.message != "not run" for c in result.cases)
    width = max((len(row.name) for row in result.groups), default=10)
    last_message = None
    for row in result.groups if ran else []:
        name = escape(row.name.ljust(width))
        if row.status == "pass":
            errs = f"abs {_err(row.max_abs)}  rel {_err(row.max_rel)}" if row.max_abs is not None else ""
            console.print(f"  [green]✓[/] {name}  [dim]{errs}[/]", highlight=False)
            continue
        if row.expected is not None:
            errs = f"  abs {_err(row.max_abs)}  rel {_err(row.max_rel)}" if row.max_abs is not None else ""
            _row(console, row.name.ljust(width), f"{row.where or ''}{errs}")
            _say(console, f"      {t(ui, 'expected')} {row.expected}", "        ")
            _say(console, f"      {t(ui, 'got')} {row.got}", "        ")
            for note in _notes(row.message):
                _say(console, f"      {note}", "        ", "yellow")
            continue
        message = (row.message.split(": ", 1)[-1] if row.message else "").strip()
        first = message.splitlines()[0] if message else ""
        shown = t(ui, "same_error") if message and message == last_message else first
        _row(console, row.name.ljust(width), shown)
        last_message = message
    if verbose:
        for case in result.cases:
            mark = "✓" if case.status == "pass" else "✗"
            _say(console, f"  {mark} {case.name}  {case.message}", "      ", None if case.status == "pass" else "red")
        if result.output:
            console.print("[dim]your code printed (last lines):[/]")
            console.print(escape(result.output.rstrip()), highlight=False, markup=False)
    if result.passed:
        console.print(f"[bold green]PASS[/] — {t(ui, 'passed_all', n=result.tests_total)}", highlight=False)
    else:
        verdict = "ERROR" if result.status == "error" else "FAIL"
        console.print(f"[bold red]{verdict}[/] — {t(ui, 'passed_some', passed=result.tests_passed, total=result.tests_total)}",
                      highlight=False)
        if result.message:
            _say(console, result.message)
        if not verbose and not result.message:
            for row in result.groups:
                if row.status != "pass" and row.message and row.expected is None:
                    _say(console, f"  {row.name}: {row.message}", "    ")
                    break
    _print_diagnoses(console, drill, result, lang)
    line = f"[dim]{t(ui, 'time', seconds=f'{result.duration_s:.2f}')}"
    if state is not None:
        line += f" · {t(ui, 'next_review', date=local_date(state.due))}"
    console.print(line + "[/]", highlight=False)
    for note in notes:
        console.print(f"[dim]{escape(note_text(ui, note))}[/]", highlight=False)
    if result.passed:
        console.print(t(ui, "see_reference", drill=drill.id), highlight=False)
