"""Compare cohorts: pick two or more, see their staircases and weekly activity side by side."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from cohortdesk.core.schemas import CohortRow
from cohortdesk.core.schemas.dashboard import CohortComparison, CohortSeries
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.widgets.dialog_parts import explain_buttons
from cohortdesk.ui.widgets.labels import heading_label, muted_label

ID_ROLE = Qt.ItemDataRole.UserRole + 1
PICK_TEXT = "Tick two or more cohorts to compare them."
ONE_COHORT_TEXT = "There is only one cohort: create or import another to compare."


def series_summary(series: CohortSeries) -> str:
    """`Spring 2026: 18 learners · 72% at stage 3+ · busiest in week 6 (4.4 per learner)`."""
    from cohortdesk.ui.charts.base import percent

    learners = series.learners
    upper = sum(series.stages_now.get(n, 0) for n in (3, 4, 5))
    text = f"{series.cohort_name}: {fmt.plural(learners, 'learner')}"
    if learners:
        text += f" · {percent(upper / learners)} at stage 3+"
    values = series.weekly_per_learner
    if values and max(values) > 0:
        peak = max(range(len(values)), key=lambda i: values[i])
        text += f" · busiest in week {peak + 1} ({values[peak]:.1f} per learner)"
    return text


class CompareDialog(QDialog):
    """Cohorts ticked on the left, compared on the right; each chart exports on its own."""

    comparison_shown = Signal(object)
    """The `CohortComparison` now on screen."""

    def __init__(
        self, context: AppContext, current_id: int | None, parent: QWidget | None = None
    ) -> None:
        from cohortdesk.core.services.people import cohorts
        from cohortdesk.ui.charts.compare_charts import CompareStagesChart, CompareWeeklyChart

        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Compare cohorts")
        self._current_id = current_id
        self._request = 0
        self.comparison: CohortComparison | None = None

        self._rows: dict[int, CohortRow] = {}
        self.cohort_list = QListWidget()
        self.cohort_list.setAccessibleName("Cohorts to compare")
        self.cohort_list.setMinimumWidth(220)
        self.hint = muted_label(PICK_TEXT)
        self.summary = muted_label()
        self.stages_chart = CompareStagesChart()
        self.weekly_chart = CompareWeeklyChart()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        explain_buttons(buttons)
        buttons.rejected.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(heading_label("Cohorts"))
        left.addWidget(self.cohort_list, 1)
        left.addWidget(self.hint)
        right = QVBoxLayout()
        right.addWidget(self.summary)
        right.addWidget(self.stages_chart, 1)
        right.addWidget(self.weekly_chart, 1)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        self.resize(1180, 780)

        self.cohort_list.itemChanged.connect(self._ticks_changed)
        context.runner.read("Loading cohorts", cohorts.list_cohorts, self._cohorts_arrived)

    def _cohorts_arrived(self, rows: list[CohortRow]) -> None:
        """List the cohorts; tick the current one and the most recent other one."""
        self._rows = {row.id: row for row in rows}
        self.cohort_list.blockSignals(True)
        self.cohort_list.clear()
        others = [r for r in rows if r.id != self._current_id and not r.archived]
        ticked = {self._current_id} if self._current_id is not None else set()
        if others:
            newest = max(others, key=lambda r: (r.start_date is not None, r.start_date, r.id))
            ticked.add(newest.id)
        for row in rows:
            item = QListWidgetItem(row.name + (" (archived)" if row.archived else ""))
            item.setData(ID_ROLE, row.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if row.id in ticked else Qt.CheckState.Unchecked
            )
            self.cohort_list.addItem(item)
        self.cohort_list.blockSignals(False)
        self.hint.setText(ONE_COHORT_TEXT if len(rows) < 2 else PICK_TEXT)
        self._ticks_changed()

    def ticked_ids(self) -> list[int]:
        return [
            int(item.data(ID_ROLE))
            for item in (self.cohort_list.item(i) for i in range(self.cohort_list.count()))
            if item.checkState() == Qt.CheckState.Checked
        ]

    def set_ticked(self, cohort_ids: list[int]) -> None:
        """Tick exactly these cohorts (and compare them)."""
        self.cohort_list.blockSignals(True)
        for position in range(self.cohort_list.count()):
            item = self.cohort_list.item(position)
            wanted = int(item.data(ID_ROLE)) in cohort_ids
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
        self.cohort_list.blockSignals(False)
        self._ticks_changed()

    @Slot()
    def _ticks_changed(self, *_args: object) -> None:
        from cohortdesk.core.services.dashboards import dashboard as dashboard_service

        ids = self.ticked_ids()
        self._request += 1
        if len(ids) < 2:
            empty = CohortComparison(weeks=0, cohorts=[])
            self._show(self._request, empty)
            return
        request = self._request
        # each cohort as of its own day: a finished one as it ended, a running one today
        days = {i: self.context.as_of_day(self._rows[i]) for i in ids if i in self._rows}

        def query(session: Session) -> CohortComparison:
            return dashboard_service.compare_cohorts(session, ids, as_of=days)

        self.context.runner.read(
            "Comparing cohorts", query, lambda result: self._show(request, result)
        )

    def _show(self, request: int, comparison: CohortComparison) -> None:
        if request != self._request:
            return
        self.comparison = comparison
        self.stages_chart.set_data(comparison)
        self.weekly_chart.set_data(comparison)
        self.summary.setText("\n".join(series_summary(s) for s in comparison.cohorts))
        self.summary.setVisible(bool(comparison.cohorts))
        self.comparison_shown.emit(comparison)
