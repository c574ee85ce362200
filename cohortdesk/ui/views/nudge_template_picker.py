"""The nudge dialog's template picker: one combo, narrowed by stage and purpose.

The picker shows the template of the member on screen; choosing another applies to that
member, and "Use for everyone" to all members still to be sent.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from cohortdesk.core.schemas import TemplateRow
from cohortdesk.core.stages import all_stages
from cohortdesk.ui.message_labels import PURPOSE_LABELS, template_stage_text

SUGGESTED = "  (suggested)"


def template_text(row: TemplateRow, suggested: bool) -> str:
    """`Gone quiet (suggested)`: the name, marked when it is the member's suggestion."""
    return row.name + SUGGESTED if suggested else row.name


def template_tip(row: TemplateRow) -> str:
    """`Gone quiet, any stage · Subject: We've missed you, {first_name}`."""
    kind = "built in" if row.builtin else "your own"
    return (
        f"{PURPOSE_LABELS[row.purpose]}, {template_stage_text(row.stage).lower()}, {kind}\n"
        f"Subject: {row.subject}"
    )


class TemplatePicker(QWidget):
    """Template combo, stage and purpose filters, and "Use for everyone"."""

    template_chosen = Signal(int)
    """The user picked this template for the member on screen."""
    use_for_everyone = Signal()
    """The user wants the shown template for every member not sent yet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.templates: list[TemplateRow] = []
        self._shown: int | None = None
        self._suggested: int | None = None

        self.combo = QComboBox()
        self.combo.setAccessibleName("Template")
        self.combo.setMinimumContentsLength(34)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.stage_filter = QComboBox()
        self.stage_filter.addItem("Any stage", None)
        for info in all_stages():
            self.stage_filter.addItem(f"Stage {info.number} · {info.short}", info.number)
        self.stage_filter.setToolTip("Only templates written for this stage (or for any)")
        self.purpose_filter = QComboBox()
        self.purpose_filter.addItem("Any purpose", None)
        for purpose, label in PURPOSE_LABELS.items():
            self.purpose_filter.addItem(label, purpose.value)
        self.purpose_filter.setToolTip("Only templates for this purpose")
        for combo in (self.stage_filter, self.purpose_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.everyone_button = QPushButton("Use for &everyone")
        self.everyone_button.setAutoDefault(False)
        self.everyone_button.setToolTip("Fill every message not sent yet from this template")

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Template:"))
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.everyone_button)
        layout.addSpacing(12)
        layout.addWidget(QLabel("Show:"))
        layout.addWidget(self.stage_filter)
        layout.addWidget(self.purpose_filter)

        self.combo.activated.connect(self._activated)
        self.stage_filter.currentIndexChanged.connect(self._filters_changed)
        self.purpose_filter.currentIndexChanged.connect(self._filters_changed)
        self.everyone_button.clicked.connect(self.use_for_everyone)

    def set_templates(self, rows: list[TemplateRow]) -> None:
        self.templates = rows
        self._fill()

    def show_template(self, template_id: int | None, suggested: int | None) -> None:
        """Show the member's template (and mark the one suggested for them); no signal."""
        self._shown, self._suggested = template_id, suggested
        self._fill()

    def current_id(self) -> int | None:
        return self._shown

    def visible_templates(self) -> list[TemplateRow]:
        stage = self.stage_filter.currentData()
        purpose = self.purpose_filter.currentData()
        return [
            t
            for t in self.templates
            if (stage is None or t.stage in (None, stage))
            and (purpose is None or t.purpose.value == purpose)
        ]

    def _fill(self) -> None:
        rows = self.visible_templates()
        shown = next((t for t in self.templates if t.id == self._shown), None)
        if shown is not None and shown not in rows:
            rows = [shown, *rows]  # the member's template stays visible whatever the filter
        self.combo.blockSignals(True)
        self.combo.clear()
        for row in rows:
            self.combo.addItem(template_text(row, row.id == self._suggested), row.id)
            self.combo.setItemData(
                self.combo.count() - 1, template_tip(row), Qt.ItemDataRole.ToolTipRole
            )
        position = self.combo.findData(self._shown) if self._shown is not None else -1
        self.combo.setCurrentIndex(position)
        self.combo.blockSignals(False)

    @Slot(int)
    def _activated(self, _position: int) -> None:
        chosen = self.combo.currentData()
        if chosen is not None and chosen != self._shown:
            self.template_chosen.emit(int(chosen))

    @Slot()
    def _filters_changed(self) -> None:
        self._fill()

    def choose(self, template_id: int) -> None:
        """Pick a template as the user would (tests, keyboard)."""
        position = self.combo.findData(template_id)
        if position < 0:
            self.stage_filter.setCurrentIndex(0)
            self.purpose_filter.setCurrentIndex(0)
            position = self.combo.findData(template_id)
        self.combo.setCurrentIndex(position)
        self._activated(position)
