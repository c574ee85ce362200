"""The Stage tab: where the member is on the staircase, what that asks of you, and the history."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from cohortdesk.core.enums import StageChangeSource
from cohortdesk.core.schemas import MemberDetail
from cohortdesk.core.stages import LAST_STAGE, stage
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.models.stage_history_model import (
    COL_CHANGE,
    COL_REASON,
    COL_SOURCE,
    COL_WHEN,
    StageHistoryModel,
)
from cohortdesk.ui.views.member_tabs.base import MemberTab
from cohortdesk.ui.views.member_tabs.evidence_box import EvidenceBox
from cohortdesk.ui.views.member_tabs.writer import MemberTarget, MemberWriter
from cohortdesk.ui.views.stage_dialog import StageDialog
from cohortdesk.ui.widgets.labels import heading_label, muted_label
from cohortdesk.ui.widgets.tables import make_table


def guidance_html(number: int) -> str:
    """What the e-moderator does at this stage, what to watch for, and what comes next."""
    info = stage(number)
    lines = [
        f"<b>Your role:</b> {escape(info.emoderator_role)}",
        f"<b>Technical support:</b> {escape(info.technical_support)}",
        f"<b>Watch for:</b> {escape('; '.join(info.typical_problems))}.",
    ]
    if number < LAST_STAGE:
        following = stage(number + 1)
        lines.append(f"<b>Ready for {following.number} when:</b> {escape(following.evidence)}")
    return "<br>".join(lines)


def since_text(detail: MemberDetail, as_of: date) -> str:
    """Since when the member has been at their stage, counted to the day the cohort is judged
    as of: `Since 3 Oct 2026 (5 days ago)`. A stage never changed since joining holds since the
    day they joined (an import made years after the course records it only on the day it ran).
    """
    if all(change.source is StageChangeSource.JOINED for change in detail.stage_history):
        since, prefix = detail.joined_on, "Since joining on"
    else:
        since, prefix = fmt.local_date(detail.stage_since, detail.timezone), "Since"
    shown, when = fmt.short_date(since), fmt.relative_day(since, as_of)
    return f"{prefix} {shown}" + (f" ({when})" if when != shown else "")


class StageTab(MemberTab):
    """Current stage with guidance, "Change stage…", and the stage history table."""

    def __init__(self, context: AppContext, writer: MemberWriter) -> None:
        super().__init__(context, writer)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.chip = QLabel()
        self.chip.setFixedSize(14, 14)
        top.addWidget(self.chip)
        self.stage_label = heading_label(scale=1.15)
        self.stage_label.setWordWrap(True)
        top.addWidget(self.stage_label, 1)
        self.change_button = QPushButton("Change stage…")
        self.change_button.setToolTip("Move this member to another stage, with a reason")
        self.change_button.clicked.connect(self.change_stage)
        top.addWidget(self.change_button)
        layout.addLayout(top)
        self.since_label = muted_label()
        layout.addWidget(self.since_label)

        self.guidance = QLabel()
        self.guidance.setWordWrap(True)
        self.guidance.setTextFormat(Qt.TextFormat.RichText)
        self.guidance.setFrameShape(QFrame.Shape.StyledPanel)
        self.guidance.setMargin(8)
        layout.addWidget(self.guidance)

        layout.addSpacing(4)
        self.evidence_box = EvidenceBox()
        layout.addWidget(self.evidence_box)

        layout.addSpacing(4)
        layout.addWidget(heading_label("Stage history"))
        self.history_model = StageHistoryModel(self)
        self.history_view = make_table(
            self.history_model, (COL_REASON,), fitted=(COL_CHANGE, COL_WHEN, COL_SOURCE), wrap=True
        )
        layout.addWidget(self.history_view, 1)

    def show_detail(self, detail: MemberDetail) -> None:
        super().show_detail(detail)
        number = detail.row.stage
        info = stage(number)
        self.chip.setStyleSheet(f"background: {info.colour}; border-radius: 3px;")
        self.stage_label.setText(f"Stage {info.label}")
        self.since_label.setText(since_text(detail, self.context.as_of.shown_day()))
        self.guidance.setText(guidance_html(number))
        self.history_model.set_rows(detail.stage_history, detail.timezone)

    @Slot()
    def change_stage(self) -> StageDialog | None:
        """Open the stage dialog; on OK the change is written with its reason."""
        target = self.target()
        if target is None or self.detail is None:
            return None
        dialog = StageDialog(self, target.name, self.detail.row.stage)
        dialog.accepted.connect(lambda: self._write(target, dialog.chosen_stage(), dialog.reason()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _write(self, target: MemberTarget, to_stage: int, reason: str) -> None:
        from cohortdesk.core.services.people import tracking

        self.writer.write(
            "Change stage",
            target,
            lambda s: tracking.change_stage(s, target.membership_id, to_stage, reason),
            f"Moved {target.name} to stage {fmt.stage_label(to_stage)}",
        )
