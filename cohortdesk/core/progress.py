"""How a long use case reports how far it got, and learns that the user cancelled.

The GUI hands its task's progress (`ui.tasks.Progress`) to the use case; the command line
hands nothing. A use case calls `check` between units of work: it raises when the user
cancelled, so the transaction rolls back and nothing is half-written.
"""

from __future__ import annotations

from typing import Protocol


class JobProgress(Protocol):
    """Where a long use case reports progress; it may raise from `check` to cancel."""

    def report(self, done: int, total: int, message: str = "") -> None:
        """How far the work got (`total` 0: unknown), with what it is doing."""

    def check(self) -> None:
        """Raise if the user cancelled."""


def step(progress: JobProgress | None, done: int, total: int = 0, message: str = "") -> None:
    """Stop here if the user cancelled, else report `done` of `total` (no `progress`: nothing)."""
    if progress is not None:
        progress.check()
        progress.report(done, total, message)
