"""`quizdl grade FILE --watch`: re-grade on every save, keys for hints and the solution.

The screen is redrawn after each grade: the report, the hints taken so far, one line of history
(attempt, status, tests passed, time) and the keys. Every grade runs in a fresh sandbox child, but
the next child is started as soon as a grade ends and waits with numpy (and torch, for a torch
drill) already imported, so a re-grade costs the tests rather than the imports.

With a deadline (the drill part of `quizdl interview`) the status line counts down (`mm:ss left`,
rewritten in place each second on a terminal) and the watch ends when the time is up.
"""

from __future__ import annotations

import os
import select
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from quizdl.cli.i18n import t, ui_language
from quizdl.errors import QuizdlError


@dataclass
class Attempt:
    number: int
    status: str
    passed: int
    total: int
    seconds: float
    at: datetime


def _history_line(history: list[Attempt], keep: int = 6, ui: str = "en") -> str:
    marks = {"pass": "[green]✓[/]", "fail": "[red]✗[/]", "error": "[red]![/]"}
    shown = [f"#{a.number} {marks.get(a.status, '?')} {a.passed}/{a.total} {a.seconds:.2f}s {a.at:%H:%M:%S}"
             for a in history[-keep:]]
    more = t(ui, "watch_earlier", n=len(history) - keep) if len(history) > keep else ""
    return t(ui, "watch_history") + more + " · ".join(shown)


class WatchScreen:
    def __init__(self, file: Path, drill_id: str | None, console: Console, stream=None,
                 deadline: float | None = None) -> None:
        from quizdl import attempts
        from quizdl import config as cfg
        from quizdl import scheduler as sched
        from quizdl.store import Store

        self.file = file
        self.drill_id = drill_id
        self.console = console
        self.stream = stream or sys.stdin
        try:
            self.tty = self.stream.isatty()
        except (AttributeError, ValueError):
            self.tty = False
        self.config = cfg.load()
        self.scheduler = sched.make_scheduler(self.config, drills=True)
        self.store = Store.open()
        self.sub = attempts.read(file, drill_id)  # a bad file or drill id ends here, clearly
        self.history: list[Attempt] = []
        self.hints_shown: list[int] = []
        self.last_sha: str | None = None
        self.last_report = None
        self.message = ""
        self.deadline = deadline  # time.monotonic() at which the watch ends (None: never)
        self.watching = True  # False: one grade and done (grade_once)
        self._status_shown: str | None = None  # the status line, when it is the screen's last line

    @property
    def ui(self) -> str:
        """The interface language: it follows the language setting (or --lang, set on config)."""
        return ui_language(self.config.language)

    # grading -----------------------------------------------------------------------------------
    def grade_if_changed(self) -> bool:
        from quizdl import attempts, drill_progress, watch
        from quizdl.grading import warm

        if not watch.wait_until_present(self.file):
            self.message = t(self.ui, "watch_deleted", file=self.file.name)
            self.redraw()
            return False
        try:
            sub = attempts.read(self.file, self.drill_id or self.sub.drill.id)
        except QuizdlError as exc:
            self.message = exc.text(self.ui)
            self.redraw()
            return False
        sha = drill_progress.source_sha(sub.source)
        if sha == self.last_sha:
            return False  # saved without a change (touch, a second write of the same text)
        self.sub, self.last_sha = sub, sha
        self.message = ""
        self.console.clear()
        self.console.print(f"[dim]{escape(t(self.ui, 'watch_grading', file=self.file))}[/]", highlight=False)
        graded = attempts.grade_and_record(sub, self.store, self.scheduler)
        result = graded.result
        self.history.append(Attempt(len(self.history) + 1, result.status, result.tests_passed,
                                    result.tests_total, result.duration_s, datetime.now()))
        self.last_report = graded
        self.redraw()
        if self.watching:  # the next grade's child, waiting with its imports done (a fresh one for every grade)
            warm.start_early(preload="torch" if sub.drill.framework == "torch" else None)
        return True

    # drawing -----------------------------------------------------------------------------------
    def redraw(self) -> None:
        from quizdl.cli import grade as grade_report
        from quizdl.cli.drills import _print_hint

        console = self.console
        console.clear()
        drill = self.sub.drill
        title = t(self.ui, "watch_title", drill=f"[bold]{escape(drill.id)}[/]", n=len(self.history))
        console.print(f"[bold]quizdl watch[/] · {escape(str(self.file))} · {title}", highlight=False)
        if self.last_report is not None:
            graded = self.last_report
            notes = [n for n in graded.notes if not n.startswith(("stuck?", "compare with"))]
            grade_report.print_result(console, drill, self.file, graded.result, self.config.language,
                                       False, graded.recorded.state, notes)
        for number in self.hints_shown:
            console.print()
            _print_hint(console, drill, number, self.config.language)
        if self.message:
            console.print(f"[yellow]{escape(self.message)}[/]", highlight=False)
        console.print()
        if self.history:
            console.print(_history_line(self.history, ui=self.ui), highlight=False)
        self.print_status()

    def status_text(self) -> str:
        ui = self.ui
        if not self.watching:
            return t(ui, "watch_once")
        left = ""
        if self.deadline is not None:
            from quizdl.interview import format_left

            left = t(ui, "watch_left", left=format_left(self.deadline - time.monotonic()))
        keys = t(ui, "watch_keys" if self.tty else "watch_keys_no_tty")
        return t(ui, "watch_status", left=left, keys=keys)

    def print_status(self) -> None:
        text = self.status_text()
        if self.deadline is None:
            self.console.print(f"[dim]{text}[/]", highlight=False)
            return
        # One line, never wrapped, so that tick() can rewrite it in place.
        self.console.print(f"[dim]{escape(text)}[/]", highlight=False, no_wrap=True, overflow="ellipsis")
        self._status_shown = text

    def tick(self) -> None:
        """Rewrite the countdown in place when its text changed (a terminal, a deadline, and the
        status line still the last one on screen)."""
        if self.deadline is None or not self.tty or self._status_shown is None:
            return
        if self.status_text() != self._status_shown:
            self.console.file.write("\x1b[1A\r\x1b[2K")  # up one line, to its start, erase it
            self.print_status()

    # keys --------------------------------------------------------------------------------------
    def on_key(self, key: str) -> bool:
        """Handle one key; False when the user quits."""
        from quizdl import drill_progress

        drill = self.sub.drill
        if key in ("q", "\x04", "\x03"):
            return False
        if key == "h":
            if not drill.hints:
                self.message = t(self.ui, "watch_no_hints", drill=drill.id)
            else:
                number = drill_progress.take_hint(self.store, drill.id, datetime.now().astimezone())
                if number is None:
                    self.message = t(self.ui, "watch_hints_spent", n=len(drill.hints))
                else:
                    self.hints_shown = sorted({*self.hints_shown, number})
                    self.message = t(self.ui, "watch_hint_cost")
            self.redraw()
        elif key == "s":
            if drill_progress.has_passed(self.store.drill_attempts(drill.id)):
                self.show_solution()
            else:
                self.message = t(self.ui, "watch_solution_locked")
                self.redraw()
        return True

    def show_solution(self) -> None:
        from rich.syntax import Syntax

        drill = self.sub.drill
        self.store.record_solution_view(drill.id, time.time(), forced=False)
        self.console.print()
        self.console.print(f"[bold]{escape(t(self.ui, 'watch_solution', drill=drill.id))}[/]", highlight=False)
        self.console.print(Syntax(drill.reference_path.read_text(encoding="utf-8"), "python",
                                  theme="ansi_dark", word_wrap=True))
        if self.deadline is not None:
            self.print_status()  # the countdown goes on under the solution

    # the loop ----------------------------------------------------------------------------------
    def run(self, grade_first: bool = True) -> int:
        """Watch until q, Ctrl-C or the deadline. `grade_first`: grade the file as it is now
        (otherwise the first grade waits for the first save, below what is on screen)."""
        import signal
        import threading

        from quizdl import watch
        from quizdl.grading import warm

        warm.start_early(preload="torch" if self.sub.drill.framework == "torch" else None)
        watcher = watch.FileWatch(self.file)
        # Ctrl-C ends the watch wherever it lands: as the usual KeyboardInterrupt, and as a flag
        # the loop checks, should a library on the way have swallowed the exception.
        interrupted = threading.Event()
        previous = None
        if threading.current_thread() is threading.main_thread():
            def on_interrupt(signum, frame):
                interrupted.set()
                raise KeyboardInterrupt

            previous = signal.signal(signal.SIGINT, on_interrupt)
        try:
            if grade_first:
                self.grade_if_changed()
            else:
                self.print_status()
            with _cbreak_if(self.stream, self.tty):
                while not interrupted.is_set():
                    if watcher.error is not None:
                        raise QuizdlError(t("en", "watch_stopped", file=self.file, error=watcher.error),
                                          zh=t("zh", "watch_stopped", file=self.file, error=watcher.error))
                    if self.deadline is not None and time.monotonic() >= self.deadline:
                        self.message = t(self.ui, "watch_time_up")
                        self.redraw()
                        break
                    self.tick()
                    key = _poll_key(self.stream, 0.05) if self.tty else None
                    if key is not None and not self.on_key(key.lower()):
                        break
                    if watcher.wait_for_save(0.0 if self.tty else 0.2):
                        self.grade_if_changed()
        except KeyboardInterrupt:
            pass
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
            watcher.close()
            self.store.close()
        self.console.print()
        return 0 if self.history and self.history[-1].status == "pass" else 1

    def grade_once(self) -> int:
        """Grade the file as it is, show the report and stop: for stdin that is no terminal,
        where nothing could end a watch but Ctrl-C."""
        self.watching = False
        try:
            self.grade_if_changed()
        finally:
            self.store.close()
        return 0 if self.history and self.history[-1].status == "pass" else 1


class _cbreak_if:
    def __init__(self, stream, active: bool) -> None:
        self.stream, self.active, self.saved = stream, active, None

    def __enter__(self):
        if self.active:
            import termios
            import tty

            fd = self.stream.fileno()
            self.saved = termios.tcgetattr(fd)
            tty.setcbreak(fd)
        return self

    def __exit__(self, *exc):
        if self.saved is not None:
            import termios

            termios.tcsetattr(self.stream.fileno(), termios.TCSADRAIN, self.saved)


def _poll_key(stream, timeout: float) -> str | None:
    fd = stream.fileno()
    if not select.select([fd], [], [], timeout)[0]:
        return None
    data = os.read(fd, 8)
    if not data:
        return "q"  # end of input
    return data.decode("utf-8", errors="replace")[:1]


def run(file: Path, drill_id: str | None, lang: str | None = None) -> int:
    """Watch `file`; `lang` (checked by the caller) overrides the language setting."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as quizdl.cli.grade: small arrays, one thread
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    console = Console()
    screen = WatchScreen(file, drill_id, console)
    if lang is not None:
        screen.config.language = lang
    return screen.run()
