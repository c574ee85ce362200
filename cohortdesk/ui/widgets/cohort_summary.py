"""The strip above the roster: learners per stage (the staircase) and access at a glance.

Each stage is a button; clicking one filters the roster to that stage, clicking it again
shows everyone.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QButtonGroup, QPushButton, QSizePolicy, QWidget

from cohortdesk.core.enums import AccessStatus, Role
from cohortdesk.core.schemas import MemberRow
from cohortdesk.core.stages import all_stages
from cohortdesk.ui import format as fmt
from cohortdesk.ui.widgets.flow_layout import FlowLayout
from cohortdesk.ui.widgets.labels import WrappingLabel

_STAGE_STYLE = """
QPushButton {{
    border: 1px solid {colour};
    border-left: 6px solid {colour};
    border-radius: 6px;
    padding: 4px 10px;
    text-align: left;
    background: palette(base);
}}
QPushButton:checked {{ background: {colour}; color: white; }}
"""


class CohortSummary(QWidget):
    """Counts of learners per stage and by access status, for the shown cohort."""

    stage_clicked = Signal(object)  # the stage number, or None to clear the filter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The chips wrap onto a second row in a narrow pane rather than widen the window.
        layout = FlowLayout(self, spacing=6)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._group = QButtonGroup(self)
        self._group.setExclusive(False)
        self._buttons: dict[int, QPushButton] = {}
        for info in all_stages():
            button = QPushButton()
            button.setCheckable(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setStyleSheet(_STAGE_STYLE.format(colour=info.colour))
            button.setToolTip(
                f"{info.label}\n{info.emoderator_role}\nClick to show only this stage"
            )
            button.setAccessibleName(f"Stage {info.number} filter")
            self._group.addButton(button, info.number)
            self._buttons[info.number] = button
            layout.addWidget(button)
        self._group.idClicked.connect(self._clicked)
        # On the chips' row when there is room, else on a row of its own; wraps only when
        # even that is too narrow.
        self.access_label = WrappingLabel()
        self.access_label.setTextFormat(Qt.TextFormat.RichText)
        self.access_label.setContentsMargins(8, 0, 0, 0)
        # As tall as a chip, so its text lines up with theirs when it shares their row.
        self.access_label.setAlignment(Qt.AlignmentFlag.AlignVCenter)
        self.access_label.setMinimumHeight(self._buttons[1].sizeHint().height())
        layout.addWidget(self.access_label)

    def set_rows(self, rows: tuple[MemberRow, ...]) -> None:
        """Recount from the roster rows (learners only)."""
        learners = [r for r in rows if r.role is Role.LEARNER]
        per_stage = Counter(r.stage for r in learners)
        for number, button in self._buttons.items():
            info = all_stages()[number - 1]
            button.setText(f"{number} · {info.short}   {per_stage.get(number, 0)}")
        access = Counter(r.access for r in learners)
        parts = []
        for status in (AccessStatus.NOT_YET, AccessStatus.PROBLEM):
            count = access.get(status, 0)
            colour = fmt.ACCESS_COLOURS[status].name() if count else "#9aa0a6"
            if status is AccessStatus.NOT_YET:
                said = f"{count:,} not accessed yet"
            else:
                said = fmt.plural(count, "access problem")
            parts.append(f"<span style='color:{colour}'>●</span> {said}")
        self.access_label.setText("&nbsp;&nbsp;&nbsp;".join(parts))

    def set_checked_stage(self, number: int | None) -> None:
        for stage_number, button in self._buttons.items():
            button.setChecked(stage_number == number)

    @Slot(int)
    def _clicked(self, number: int) -> None:
        chosen = number if self._buttons[number].isChecked() else None
        self.set_checked_stage(chosen)
        self.stage_clicked.emit(chosen)
