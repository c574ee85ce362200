"""What an import proposes for the facilitator to confirm: staff, and the cohort's dates.

- `StaffChoice`: the people a file suggests are staff (a Moodle log's teacher), one checkbox
  each, all unchecked: the checked ones join as facilitators when the file is imported;
  nobody is made staff without the facilitator's tick.
- `DatesOffer`: the file's activity lies outside the cohort's dates (or the cohort has none):
  says so, with a button that sets the dates from the file's first and last day.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from cohortdesk.core.schemas import ImportSummary
from cohortdesk.ui import format as fmt
from cohortdesk.ui.widgets.labels import muted_label

PROPOSED_TEXT = (
    "Their activity looks like a teacher's (participant lists, other people's profiles, "
    "grading, course reports). Tick those who are staff: they join as facilitators; the "
    "others stay learners."
)
DONE_TEXT = "Proposed as staff: those ticked joined as facilitators, the others as learners."


class StaffChoice(QWidget):
    """One checkbox per person proposed as staff; `checked()` is the ids ticked."""

    changed = Signal()
    """A box was ticked or unticked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = muted_label(PROPOSED_TEXT)
        self.boxes: dict[str, QCheckBox] = {}
        self._rows = QVBoxLayout()
        self._rows.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addLayout(self._rows)
        self.hide()

    def show_proposals(self, summary: ImportSummary, *, done: bool = False) -> None:
        """The file's proposals; ticks already made stay. After the import (`done`) the
        boxes only show who was made staff."""
        ticked = self.checked()
        self.intro.setText(DONE_TEXT if done else PROPOSED_TEXT)
        for box in self.boxes.values():
            box.deleteLater()
        self.boxes = {}
        for proposal in summary.proposed_staff:
            box = QCheckBox(f"Staff: {proposal.describe()}")
            box.setAccessibleName(f"Make {proposal.who} a facilitator")
            box.setToolTip("Ticked: they join the cohort as a facilitator, not a learner")
            box.setChecked(proposal.source_id in ticked)
            box.setEnabled(not done)
            box.toggled.connect(self.changed)
            self._rows.addWidget(box)
            self.boxes[proposal.source_id] = box
        self.setVisible(bool(self.boxes))

    def checked(self) -> frozenset[str]:
        """The ids of the people ticked as staff."""
        return frozenset(uid for uid, box in self.boxes.items() if box.isChecked())

    def clear(self) -> None:
        """No proposal (another file or other settings): the ticks are kept for the next one."""
        self.hide()


class DatesOffer(QWidget):
    """The file's activity lies outside the cohort's dates: a line and a button to set them."""

    set_dates = Signal(object, object)
    """The facilitator asked to set the cohort's dates: (first day, last day)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = muted_label()
        self.button = QPushButton("Set the cohort's &dates from the file")
        self.button.setToolTip("Start and end the cohort on the file's first and last day")
        self.button.setAutoDefault(False)  # Enter still imports
        self.button.clicked.connect(self._clicked)
        self._days: tuple[date, date] | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.hide()

    def show_offer(self, summary: ImportSummary) -> None:
        """Offer the file's days when they lie outside the cohort's dates; hide otherwise."""
        first, last = summary.activity_first, summary.activity_last
        if not summary.outside_dates or first is None or last is None:
            self.clear()
            return
        self._days = (first, last)
        self.label.setText(
            f"The file's activity runs from {fmt.short_date(first)} to {fmt.short_date(last)}, "
            "outside the cohort's dates: figures count the cohort's dates only."
        )
        self.button.setEnabled(True)
        self.show()

    def dates_set(self, first: date, last: date) -> None:
        """The dates were set: say so, and offer nothing more."""
        self.label.setText(
            f"The cohort now runs from {fmt.short_date(first)} to {fmt.short_date(last)}."
        )
        self.button.setEnabled(False)

    def clear(self) -> None:
        self._days = None
        self.hide()

    @Slot()
    def _clicked(self) -> None:
        if self._days is not None:
            self.button.setEnabled(False)
            self.set_dates.emit(*self._days)
