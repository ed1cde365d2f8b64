"""The one error class users see: the CLI (quizdl/cli/guard.py) prints its message in red and exits
with its code. An error may carry a Chinese text as well, shown instead when the interface is zh,
so that every error is localised the same way rather than case by case."""

from __future__ import annotations


class QuizdlError(Exception):
    """A user-facing failure: a clear one-line message (more lines allowed), an exit code and,
    optionally, the same message in Chinese (`zh`)."""

    def __init__(self, message: str, exit_code: int = 2, zh: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.zh = zh

    def text(self, ui: str) -> str:
        """The message in interface language `ui` (en or zh); English when there is no zh text."""
        return self.zh if ui == "zh" and self.zh else self.message


INTERNAL_ERROR_EXIT = 70  # EX_SOFTWARE
