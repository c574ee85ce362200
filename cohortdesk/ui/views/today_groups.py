"""Today's groups: the attention list by main reason, to show one alone and nudge it at once.

One line, whatever the cohort's size: "Show [All 413 ▾]" lists the groups ("3 never logged
in", "35 gone quiet since week 3"...), and "Nudge these N" writes to the group shown: one
message per learner, each filled in for them from the template suggested for them. Learners
nudged recently and waiting for a response form a group of their own, which is not nudged.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from cohortdesk.core.schemas import AttentionGroup
from cohortdesk.ui.message_labels import group_label

ALL = ""
"""The key of the entry that shows everyone."""


class GroupsBar(QWidget):
    """Choose a group of the attention list to show alone, and nudge it in one go."""

    group_chosen = Signal(object)
    """The learners to show (membership ids), or None for everyone."""
    nudge_requested = Signal(list)
    """Nudge these learners (membership ids, in the list's order)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._groups: dict[str, AttentionGroup] = {}
        self.combo = QComboBox()
        self.combo.setAccessibleName("Show a group of learners")
        self.combo.setToolTip("The learners grouped by their main reason: show one group alone")
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(22)
        self.combo.currentIndexChanged.connect(self._chosen)
        label = QLabel("&Show")
        label.setBuddy(self.combo)
        self.nudge_button = QPushButton("Nudge these")
        self.nudge_button.setAutoDefault(False)
        self.nudge_button.clicked.connect(self._nudge)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        layout.addWidget(self.nudge_button)
        layout.addStretch(1)
        self._update_button()

    def groups(self) -> list[AttentionGroup]:
        return list(self._groups.values())

    def shown(self) -> AttentionGroup | None:
        """The group shown alone, or None when everyone is shown."""
        return self._groups.get(str(self.combo.currentData() or ALL))

    def set_groups(self, groups: list[AttentionGroup]) -> None:
        """List these groups; the group shown stays chosen while it still exists."""
        kept = str(self.combo.currentData() or ALL)
        self._groups = {g.key: g for g in groups}
        self.combo.blockSignals(True)
        self.combo.clear()
        everyone = sum(len(g.membership_ids) for g in groups)
        self.combo.addItem(f"All {everyone} on the list", ALL)
        for group in groups:
            self.combo.addItem(group_label(group), group.key)
        position = self.combo.findData(kept)
        self.combo.setCurrentIndex(max(0, position))
        self.combo.blockSignals(False)
        self.setEnabled(bool(groups))
        self._chosen()

    def show_group(self, key: str) -> bool:
        """Show one group alone (`AttentionGroup.key`; `ALL` for everyone)."""
        position = self.combo.findData(key)
        if position < 0:
            return False
        self.combo.setCurrentIndex(position)
        return True

    @Slot()
    def _chosen(self) -> None:
        group = self.shown()
        self._update_button()
        self.group_chosen.emit(list(group.membership_ids) if group else None)

    def _update_button(self) -> None:
        group = self.shown()
        if group is None:
            self.nudge_button.setText("Nudge these…")
            self.nudge_button.setEnabled(False)
            self.nudge_button.setToolTip("Show one group first, then write to all of it at once")
        elif not group.needs_you:
            self.nudge_button.setText("Nudge these…")
            self.nudge_button.setEnabled(False)
            self.nudge_button.setToolTip("Nudged recently: give them time to respond")
        else:
            label = group_label(group)
            self.nudge_button.setText(f"Nudge these {len(group.membership_ids)}")
            self.nudge_button.setEnabled(True)
            self.nudge_button.setToolTip(
                f"Write to the {label} at once: one message each, filled in for each of "
                "them, to read before sending"
            )
        self.nudge_button.setAccessibleName(self.nudge_button.text().rstrip("…"))

    @Slot()
    def _nudge(self) -> None:
        group = self.shown()
        if group is not None and group.needs_you:
            self.nudge_requested.emit(list(group.membership_ids))
