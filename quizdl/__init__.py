"""quizdl: deep-learning interview prep — FSRS-scheduled cards and sandbox-graded coding drills."""

__version__ = "0.1.0"
