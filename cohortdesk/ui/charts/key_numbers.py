"""The numbers a facilitator reads first, as a row of tiles on top of the dashboard."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPalette, QPen, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from cohortdesk.core.schemas.report import CohortFigures
from cohortdesk.ui.widgets.labels import muted_label

TILES = (
    ("learners", "Learners", "Members with the learner role"),
    (
        "active",
        "Active in the last 7 days",
        "Learners who did anything in the seven days up to the as-of day",
    ),
    ("median", "Median replies per learner", "Half the learners replied more often than this"),
    (
        "stage3",
        "At stage 3 or above",
        "Learners exchanging information, building knowledge "
        "or developing (Salmon's stages 3 to 5)",
    ),
    (
        "peer",
        "Replies between peers",
        "Share of all replies that learners wrote to other "
        "learners rather than to the facilitator or mentors",
    ),
)


class Tile(QWidget):
    """A big number over its caption, on a rounded card."""

    def __init__(self, caption: str, tip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value_label = QLabel("—")
        font = QFont(self.value_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        self.value_label.setFont(font)
        self.detail_label = muted_label("", wrap=False)
        self.caption_label = QLabel(caption)
        self.setToolTip(tip)
        self.setAccessibleName(caption)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 10)
        layout.setSpacing(0)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.value_label)
        top.addWidget(self.detail_label, 1, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(top)
        layout.addWidget(self.caption_label)

    def set_value(self, value: str, detail: str = "") -> None:
        self.value_label.setText(value)
        self.detail_label.setText(detail)
        self.setAccessibleDescription(f"{value} {detail}".strip())

    def value(self) -> str:
        return self.value_label.text()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        painter.end()


class KeyNumbersBar(QWidget):
    """Learners, active in the last 7 days, median replies, share at stage 3+, peers' share of
    replies: the key figures of `core/metrics/figures.py`, as the PDF report shows them.

    The tiles share one row when there is room and wrap onto more rows when the dashboard is
    narrow; the bar is never wider than its widest tile.
    """

    SPACING = 10

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tiles = {key: Tile(caption, tip) for key, caption, tip in TILES}
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(self.SPACING)
        self._columns = 0
        self._arrange(len(self.tiles))

    def columns(self) -> int:
        """How many tiles share a row now."""
        return self._columns

    def columns_for(self, width: int) -> int:
        """As many tiles per row as fit at their natural width."""
        widest = max(tile.sizeHint().width() for tile in self.tiles.values())
        fit = (width + self.SPACING) // (widest + self.SPACING)
        return max(1, min(len(self.tiles), fit))

    def _arrange(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
        for position, tile in enumerate(self.tiles.values()):
            self.grid.addWidget(tile, position // columns, position % columns)
        for column in range(len(self.tiles)):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def minimumSizeHint(self) -> QSize:
        widest = max(tile.minimumSizeHint().width() for tile in self.tiles.values())
        return QSize(widest, self.grid.minimumSize().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(self.columns_for(event.size().width()))

    def set_numbers(self, numbers: CohortFigures | None) -> None:
        """Show the numbers, or dashes while there are none."""
        if numbers is None:
            for tile in self.tiles.values():
                tile.set_value("—")
            return
        learners = numbers.learners
        self.tiles["learners"].set_value(f"{learners:,}")
        active = numbers.active_last_7_days
        self.tiles["active"].set_value(
            f"{active:,}", f"{active / learners * 100:.0f}%" if learners else ""
        )
        median = numbers.median_replies_per_learner
        self.tiles["median"].set_value(f"{median:g}" if median == int(median) else f"{median:.1f}")
        share = numbers.share_at_stage_3_or_above
        at_three = round(share * learners)
        self.tiles["stage3"].set_value(f"{share * 100:.0f}%", f"{at_three:,} of {learners:,}")
        replies = numbers.peer_replies + numbers.replies_to_staff
        self.tiles["peer"].set_value(
            f"{numbers.peer_replies / replies * 100:.0f}%" if replies else "—",
            f"{numbers.peer_replies:,} of {replies:,}" if replies else "no replies yet",
        )

    def values(self) -> dict[str, str]:
        return {key: tile.value() for key, tile in self.tiles.items()}
