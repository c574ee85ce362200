"""Salmon's staircase, painted small: five ascending steps with the member's step lit."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from cohortdesk.core.stages import LAST_STAGE, all_stages, stage

GAP = 3.0
LOWEST = 0.3
"""Share of the height every step has anyway, so the first one still holds its number."""
INACTIVE_ALPHA = 70


def step_tooltip(number: int) -> str:
    """The stage's name and what the e-moderator does there."""
    info = stage(number)
    return f"<b>{info.label}</b><br>E-moderator: {info.emoderator_role}"


class StaircaseWidget(QWidget):
    """Five steps in the stage colours; `set_stage(None)` shows them all unlit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stage: int | None = None
        # Narrower steps in a narrow member panel, rather than a wider window.
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Stage staircase")
        self.setMouseTracking(True)

    def stage(self) -> int | None:
        return self._stage

    def set_stage(self, number: int | None) -> None:
        """Light the member's step (1 to 5), or none."""
        self._stage = number
        self.setAccessibleDescription(
            "No stage" if number is None else f"Stage {stage(number).label}, of {LAST_STAGE}"
        )
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(150, 64)

    def minimumSizeHint(self) -> QSize:
        return QSize(100, 44)

    def step_rect(self, number: int) -> QRectF:
        """Where step `number` is painted: each step one fifth wider and taller than the last."""
        width = (self.width() - GAP * (LAST_STAGE - 1)) / LAST_STAGE
        height = self.height() - 1
        step_height = height * (LOWEST + (1 - LOWEST) * number / LAST_STAGE)
        left = (number - 1) * (width + GAP)
        return QRectF(left, height - step_height + 0.5, width, step_height)

    def step_at(self, point: QPoint) -> int | None:
        """The step under `point` (the full column above it counts), or None."""
        for info in all_stages():
            rect = self.step_rect(info.number)
            if rect.left() <= point.x() <= rect.right():
                return info.number
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            number = self.step_at(event.pos())
            if number is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), step_tooltip(number), self)
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        for info in all_stages():
            rect = self.step_rect(info.number)
            lit = info.number == self._stage
            colour = QColor(info.colour)
            if not lit:
                colour.setAlpha(INACTIVE_ALPHA)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(rect, 3, 3)
            text_colour = QColor("white") if lit else QColor(info.colour).darker(130)
            painter.setPen(text_colour)
            label_rect = QRectF(rect.left(), rect.bottom() - 20, rect.width(), 18)
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, str(info.number))
        painter.end()
