"""The Motivation tab: check-ins over time, as a chart and a table."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout

from cohortdesk.core.schemas import MemberDetail, MotivationRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.models.motivation_model import (
    COL_DATE,
    COL_NOTE,
    COL_RATING,
    MotivationModel,
    rating_text,
)
from cohortdesk.ui.views.member_tabs.base import MemberTab
from cohortdesk.ui.views.member_tabs.writer import MemberTarget, MemberWriter
from cohortdesk.ui.views.motivation_dialog import CheckIn, MotivationDialog
from cohortdesk.ui.widgets.labels import heading_label, muted_label
from cohortdesk.ui.widgets.motivation_chart import MotivationChart
from cohortdesk.ui.widgets.tables import make_table


def latest_text(checks: tuple[MotivationRow, ...]) -> str:
    """`Latest: 4 · Good on 3 Oct 2026, up from 3`; checks come newest first."""
    if not checks:
        return "No check-ins yet"
    latest = checks[0]
    text = f"Latest: {rating_text(latest.rating)} on {fmt.short_date(latest.checked_on)}"
    if len(checks) > 1:
        before = checks[1].rating
        if latest.rating == before:
            text += ", unchanged"
        else:
            text += f", {'up' if latest.rating > before else 'down'} from {before}"
    return text


class MotivationTab(MemberTab):
    """Latest rating, "Add check-in…", the chart and the history table."""

    def __init__(self, context: AppContext, writer: MemberWriter) -> None:
        super().__init__(context, writer)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.latest_label = heading_label(scale=1.15)
        self.latest_label.setWordWrap(True)
        top.addWidget(self.latest_label, 1)
        self.add_button = QPushButton("Add check-in…")
        self.add_button.setToolTip("Record how motivated this member says they are, 1 to 5")
        self.add_button.clicked.connect(self.record_motivation)
        top.addWidget(self.add_button)
        layout.addLayout(top)
        layout.addWidget(
            muted_label("Low or falling motivation is a reason to get in touch before it shows.")
        )
        self.chart = MotivationChart()
        self.chart.setMinimumHeight(130)
        layout.addWidget(self.chart)
        self.history_model = MotivationModel(self)
        self.history_view = make_table(
            self.history_model, (COL_NOTE,), fitted=(COL_DATE, COL_RATING), wrap=True
        )
        layout.addWidget(self.history_view, 1)

    def show_detail(self, detail: MemberDetail) -> None:
        super().show_detail(detail)
        self.latest_label.setText(latest_text(detail.motivation))
        self.chart.set_points(
            [(c.checked_on, c.rating) for c in detail.motivation], detail.low_motivation
        )
        self.history_model.low_motivation = detail.low_motivation
        self.history_model.set_rows(detail.motivation, detail.timezone)

    @Slot()
    def record_motivation(self) -> MotivationDialog | None:
        """Open the check-in dialog; on OK the rating is recorded."""
        target = self.target()
        if target is None:
            return None
        # dated as the cohort is judged: an ended cohort's check-in by default on its last day
        day = self.context.as_of.shown_day()
        dialog = MotivationDialog(self, target.name, self.context.current_date(), day)
        dialog.accepted.connect(lambda: self._write(target, dialog.value()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _write(self, target: MemberTarget, check: CheckIn) -> None:
        from cohortdesk.core.services.people import tracking

        self.writer.write(
            "Record motivation",
            target,
            lambda s: tracking.add_motivation(
                s, target.membership_id, check.rating, check.note, checked_on=check.checked_on
            ),
            f"Recorded motivation {rating_text(check.rating)} for {target.name}",
        )
