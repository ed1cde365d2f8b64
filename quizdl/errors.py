"""The one error class users see: the CLI (quizdl/cli/guard.py) prints its message in red and exits
with its code."""

from __future__ import annotations


class QuizdlError(Exception):
    """A user-facing failure: a clear one-line message (more lines allowed) and an exit code."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


INTERNAL_ERROR_EXIT = 70  # EX_SOFTWARE
