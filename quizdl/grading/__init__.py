"""Grading coding drills: a sandboxed child runs the submission, this process compares.

Modules: scan (static checks), warm (starting child processes, early), sandbox (the child's job,
limits and outcome), child_runner (the standalone script the child runs), reference (harness, reference and mistake outputs, cache),
compare (numerics), diagnose (known mistakes), result (data), engine (the whole flow).
Importing this package is cheap; numpy is imported by the modules that need it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizdl.grading.result import GradeResult


def grade(*args, **kwargs) -> GradeResult:
    """See quizdl.grading.engine.grade."""
    from quizdl.grading.engine import grade as _grade

    return _grade(*args, **kwargs)
