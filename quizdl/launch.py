"""Console entry point (`quizdl`, `python -m quizdl`), and the guard every command runs under.

`quizdl grade FILE [--drill ID] [--json] [--verbose]`, the command run after every attempt, is
mostly two imports of numpy (the sandbox child's and the grader's), so it takes a short path:
the sandbox child is started first of all (grading/warm.py), and the CLI framework is skipped
(typer's import and command tree would cost about a fifth of a passing numpy grade). Anything
this small parser does not fully understand (--help, an unknown, repeated or combined option, a
missing value) goes to the typer app, which owns help and usage errors; both ways run the same
`grade_command.run`. Imports here stay minimal: they delay the child.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import NoReturn


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["grade"]:
        parsed = parse_grade_args(args[1:])
        if parsed is not None:
            from quizdl.grading import warm

            warm.start_early()
            from pathlib import Path

            from quizdl.grade_command import run

            file, drill_id, json_out, verbose = parsed
            run_guarded(lambda: run(Path(file), drill_id, json_out, verbose))
    from quizdl.cli import main as cli_main

    cli_main()


def parse_grade_args(tokens: list[str]) -> tuple[str, str | None, bool, bool] | None:
    """(file, drill id, --json, --verbose) for the plain forms of `quizdl grade`, else None."""
    file: str | None = None
    drill_id: str | None = None
    flags: set[str] = set()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in ("--drill", "-d") or token.startswith("--drill="):
            if drill_id is not None:
                return None
            if "=" in token:
                drill_id = token.split("=", 1)[1]
            elif i + 1 < len(tokens):
                i += 1
                drill_id = tokens[i]
            else:
                return None
            if not drill_id or drill_id.startswith("-"):
                return None
        elif token in ("--json", "--verbose", "-v"):
            name = "--verbose" if token == "-v" else token
            if name in flags:
                return None
            flags.add(name)
        elif token.startswith("-") or not token or file is not None:
            return None  # --help, an unknown or combined option, `--`, a second file
        else:
            file = token
        i += 1
    if file is None:
        return None
    return file, drill_id, "--json" in flags, "--verbose" in flags


def run_guarded(command: Callable[[], int | None]) -> NoReturn:
    """Run a command and exit: a QuizdlError becomes a red one-liner and its exit code, a broken
    pipe a quiet exit 1, Ctrl-C "Aborted!" (as click prints it), anything else one "internal
    error" line (QUIZDL_DEBUG=1 shows the traceback)."""
    from quizdl.errors import INTERNAL_ERROR_EXIT, QuizdlError, print_error, print_internal_error

    try:
        code = command()
    except QuizdlError as exc:
        print_error(exc)
        code = exc.exit_code
    except BrokenPipeError:  # output piped into `head` and the like
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # what is still buffered goes nowhere, quietly
        code = 1
    except KeyboardInterrupt:
        print("\nAborted!", file=sys.stderr)
        code = 1
    except Exception as exc:
        if os.environ.get("QUIZDL_DEBUG"):
            raise
        print_internal_error(exc)
        code = INTERNAL_ERROR_EXIT
    raise SystemExit(code or 0)
