"""The guard every command runs under, whichever way it was started (launch's short path or the
typer app): what a user sees when a command ends other than normally."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import NoReturn

    from quizdl.errors import QuizdlError


def run_guarded(command: Callable[[], int | None]) -> NoReturn:
    """Run a command and exit: a QuizdlError becomes a red one-liner and its exit code, a broken
    pipe a quiet exit 1, Ctrl-C "Aborted!" (as click prints it), anything else one "internal
    error" line (QUIZDL_DEBUG=1 shows the traceback)."""
    from quizdl.errors import INTERNAL_ERROR_EXIT, QuizdlError

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


def print_error(exc: QuizdlError) -> None:
    """`error: <message>` in red on stderr."""
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True).print(f"[bold red]error:[/] {escape(exc.message)}", highlight=False, soft_wrap=True)


def print_internal_error(exc: BaseException) -> None:
    """One line for a bug in quizdl itself, instead of a traceback."""
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True).print(
        f"[bold red]internal error:[/] {escape(type(exc).__name__)}: {escape(str(exc))} — this is a "
        "quizdl bug; rerun with QUIZDL_DEBUG=1 for details and please report it",
        highlight=False,
        soft_wrap=True,
    )
