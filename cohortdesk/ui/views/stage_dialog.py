"""Choose a member's new stage, with the reason the stage history keeps."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from cohortdesk.core.stages import all_stages, stage
from cohortdesk.ui.widgets.dialog_parts import explain_buttons
from cohortdesk.ui.widgets.labels import muted_label


def _swatch(colour: str) -> QPixmap:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(colour))
    return pixmap


class StageDialog(QDialog):
    """Stages 1 to 5 by name, the current one preselected but not acceptable; a reason required.

    Args:
        parent: the member panel.
        member_name: whose stage changes, for the title.
        current_stage: where they are now.
    """

    def __init__(self, parent: QWidget | None, member_name: str, current_stage: int) -> None:
        super().__init__(parent)
        self.current_stage = current_stage
        self.setWindowTitle(f"Change stage of {member_name}")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"{member_name} is at stage {stage(current_stage).label}. People climb at different "
            "speeds and may skip or revisit a stage: choose where they are now."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(intro)

        self.stage_group = QButtonGroup(self)
        stages = QVBoxLayout()
        stages.setSpacing(4)
        for info in all_stages():
            row = QHBoxLayout()
            swatch = QLabel()
            swatch.setPixmap(_swatch(info.colour))
            button = QRadioButton(
                info.label + (" (current)" if info.number == current_stage else "")
            )
            button.setToolTip(f"E-moderator: {info.emoderator_role}\nEvidence: {info.evidence}")
            self.stage_group.addButton(button, info.number)
            row.addWidget(swatch)
            row.addWidget(button, 1)
            stages.addLayout(row)
        layout.addLayout(stages)

        self.evidence_label = muted_label()
        layout.addWidget(self.evidence_label)

        form = QFormLayout()
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText(
            "Why? e.g. replied to three peers in the week 2 e-tivity"
        )
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(self.reason_edit.fontMetrics().lineSpacing() * 4)
        form.addRow("&Reason:", self.reason_edit)
        layout.addLayout(form)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )

        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Change stage")
        explain_buttons(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.stage_group.idToggled.connect(self._update)
        self.reason_edit.textChanged.connect(self._update)
        self.set_stage(current_stage)
        self.reason_edit.setFocus()

    def chosen_stage(self) -> int:
        return self.stage_group.checkedId()

    def set_stage(self, number: int) -> None:
        button = self.stage_group.button(number)
        if button is not None:
            button.setChecked(True)
        self._update()

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def is_acceptable(self) -> bool:
        """A different stage is chosen and a reason typed."""
        return self.chosen_stage() != self.current_stage and bool(self.reason())

    @Slot()
    def _update(self) -> None:
        chosen = self.chosen_stage()
        if chosen == self.current_stage:
            self.evidence_label.setText("Choose the stage they are moving to.")
        elif chosen > 0:
            self.evidence_label.setText(f"Evidence of stage {chosen}: {stage(chosen).evidence}")
        self.ok_button.setEnabled(self.is_acceptable())

    def accept(self) -> None:
        if self.is_acceptable():
            super().accept()
