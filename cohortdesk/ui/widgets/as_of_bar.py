"""The "As of" control above the cohort's pages: the day every screen judges the cohort by."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QToolButton, QWidget

from cohortdesk.core.schemas import CohortRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.as_of import AsOf
from cohortdesk.ui.widgets.edit_form import day_edit

WORDS = ("today", "its end", "its start", "chosen")
"""Why the day shown is the one (`_note`)."""


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class AsOfBar(QWidget):
    """`As of [30 Jun 2017] its end`: the day, and a word on why (more in the tooltip).

    Picking a day judges the shown cohort as of it on every screen; the word then gives way
    to Reset, which goes back to the cohort's own day (today, or its end once it has ended).
    The word and Reset share one place: the bar sits beside the pages' tabs, and every pixel
    it takes counts in the narrowest window.
    """

    def __init__(self, as_of: AsOf, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.as_of = as_of
        self.cohort: CohortRow | None = None
        self.label = QLabel("As of")
        self.edit = day_edit(name="As of")
        self.reset_button = QToolButton()
        self.reset_button.setText("Reset")
        self.reset_button.setAccessibleName("Reset the as-of day")
        self.note = QLabel()
        self.note.setObjectName("muted")
        # As wide as its widest word, so that the tabs beside it never move.
        metrics = self.note.fontMetrics()
        self.note.setMinimumWidth(max(metrics.horizontalAdvance(word) for word in WORDS))
        self.why = QStackedWidget()
        self.why.addWidget(self.note)
        self.why.addWidget(self.reset_button)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 4, 2)
        layout.setSpacing(6)
        for widget in (self.label, self.edit, self.why):
            layout.addWidget(widget)
        self.edit.dateChanged.connect(self._edited)
        self.reset_button.clicked.connect(self._reset)
        as_of.changed.connect(self._changed)
        self.setEnabled(False)

    def show_cohort(self, cohort: CohortRow | None) -> None:
        """Follow `cohort` (None: nothing to judge)."""
        self.cohort = cohort
        self.as_of.show(cohort)
        self.setEnabled(cohort is not None)
        self._refresh()

    def day(self) -> date | None:
        """The day shown (None without a cohort)."""
        return None if self.cohort is None else self.as_of.day(self.cohort)

    def _refresh(self) -> None:
        cohort = self.cohort
        self.edit.blockSignals(True)
        try:
            if cohort is None:
                self.note.setText("")
                self.reset_button.setEnabled(False)
                self.why.setCurrentWidget(self.note)
                return
            latest = cohort.end_date or max(self.as_of.default(cohort), self.as_of.today())
            self.edit.setMaximumDate(_qdate(latest))
            self.edit.setDate(_qdate(self.as_of.day(cohort)))
        finally:
            self.edit.blockSignals(False)
        chosen = self.as_of.is_chosen(cohort)
        self.reset_button.setEnabled(chosen)
        self.note.setText(self._note(cohort, chosen))
        self.why.setCurrentWidget(self.reset_button if chosen else self.note)

    def _note(self, cohort: CohortRow, chosen: bool) -> str:
        """A word on why this day (the whole sentence in the tooltip)."""
        default = self.as_of.default(cohort)
        if chosen:
            why = f"Chosen by you; the cohort's own day is {fmt.short_date(default)}."
            word = "chosen"
        elif cohort.end_date is not None and default == cohort.end_date:
            why = "The cohort has ended: it is judged as it was on its last day."
            word = "its end"
        elif cohort.start_date is not None and default == cohort.start_date:
            why = "The cohort has not begun: it is judged as of its first day."
            word = "its start"
        else:
            why, word = "Today.", "today"
        self.note.setToolTip(why)
        self.reset_button.setToolTip(f"{why} Reset goes back to the cohort's own day.")
        self.edit.setToolTip(
            f"{why} Every figure, list and chart counts up to the end of this day."
        )
        return word

    @Slot(QDate)
    def _edited(self, day: QDate) -> None:
        if self.cohort is not None:
            self.as_of.choose(self.cohort, date(day.year(), day.month(), day.day()))

    @Slot()
    def _reset(self) -> None:
        if self.cohort is not None:
            self.as_of.choose(self.cohort, None)

    @Slot(int)
    def _changed(self, cohort_id: int) -> None:
        if self.cohort is not None and self.cohort.id == cohort_id:
            self._refresh()
