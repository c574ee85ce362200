"""Logging the nudge dialog's messages as draft nudges, in the write thread.

The dialog puts a message on its way (the clipboard, the mail client); this logs it as a draft
(cohortdesk cannot see it sent), writing the `.eml` files first where that is the way
(`sending.save_emls`). The task runner announces the nudges logged; the dialog hears back by
`sent` (with the draft nudges' ids, to confirm) or `not_sent`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Signal
from sqlalchemy.orm import Session

from cohortdesk.core.enums import NudgeChannel
from cohortdesk.core.errors import KnownError
from cohortdesk.core.schemas import CohortRow
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.tasks import Task, pass_on_failure

if TYPE_CHECKING:
    from cohortdesk.core.services.messaging.sending import Draft


class NudgeSender(QObject):
    """Logs messages to members of `cohort` as draft nudges.

    Args:
        context: the open database's services.
        cohort: the members' cohort (its time zone dates a demo's or a test's nudges).
        parent: the nudge dialog.
    """

    sent = Signal(object, object, str, object)
    """These drafts went through this channel: (drafts, channel, what happened, the draft
    nudges' ids in the same order)."""
    not_sent = Signal(str, str)
    """A known problem stopped them: (what was being done, why)."""

    def __init__(self, context: AppContext, cohort: CohortRow, parent: QObject) -> None:
        super().__init__(parent)
        self.context = context
        self.cohort = cohort

    def _when(self) -> datetime | None:
        from cohortdesk.core.services.messaging import sending

        return sending.sent_time(self.context.today, self.cohort.timezone)

    def log(self, drafts: list[Draft], channel: NudgeChannel, message: str) -> Task:
        """Log `drafts` as put on their way through `channel`; `message` says how they went."""
        from cohortdesk.core.services.messaging import sending

        when = self._when()
        return self._run(
            "Logging the nudge",
            lambda session: sending.log_drafts(session, drafts, channel, when),
            drafts,
            channel,
            lambda _rows: message,
            lambda rows: [row.id for row in rows],
        )

    def save_emls(
        self,
        description: str,
        folder: Path,
        drafts: list[Draft],
        say: Callable[[list[Path]], str],
        *,
        create_folder: bool = False,
    ) -> Task:
        """Write an `.eml` file per draft into `folder`, then log them; `say(paths)` tells."""
        from cohortdesk.core.services.messaging import sending

        when = self._when()
        return self._run(
            description,
            lambda session: sending.save_emls(
                session, folder, drafts, when, create_folder=create_folder
            ),
            drafts,
            NudgeChannel.EML,
            lambda saved: say([s.path for s in saved]),
            lambda saved: [s.nudge.id for s in saved],
        )

    def _run(
        self,
        description: str,
        work: Callable[[Session], Any],
        drafts: list[Draft],
        channel: NudgeChannel,
        say: Callable[[Any], str],
        ids: Callable[[Any], list[int]],
    ) -> Task:
        started: list[Task] = []

        def done(result: Any) -> None:
            if shiboken6.isValid(self):
                self.sent.emit(drafts, channel, say(result), ids(result))

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, KnownError):
                pass_on_failure(self.context.runner, started[0], exc)
            elif shiboken6.isValid(self):
                self.not_sent.emit(description, str(exc))

        started.append(self.context.runner.write(description, work, done, failed))
        return started[0]
