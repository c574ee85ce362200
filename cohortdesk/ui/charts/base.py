"""What every dashboard chart shares: a titled card around pyqtgraph plots, themed from the
palette, with hover tooltips, click-to-select, a legend, and PNG/SVG export.

A chart keeps the data it was last given and draws everything again from it in `redraw()`,
which also runs when the palette changes (light to dark), so colours never go stale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QCursor,
    QFont,
    QGuiApplication,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QStackedLayout,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from cohortdesk.core.metrics.period import week_days_in
from cohortdesk.core.schemas.dashboard import Week
from cohortdesk.ui import format as fmt
from cohortdesk.ui.charts import chart_export
from cohortdesk.ui.charts.axes import bare_axes
from cohortdesk.ui.charts.theme import ALERT_COLOUR, ChartTheme, theme_for
from cohortdesk.ui.widgets.flow_layout import FlowLayout
from cohortdesk.ui.widgets.labels import heading_label, muted_label

pg.setConfigOptions(antialias=True, foreground="k", background="w")

MENU_BUTTON_STYLE = "QToolButton::menu-indicator { image: none; width: 0px; }"


@dataclass(frozen=True)
class Selection:
    """Members a click on a chart picked, and what they have in common (for the status bar)."""

    membership_ids: tuple[int, ...]
    description: str


def days_shown(week: Week, start: date | None = None, end: date | None = None) -> int:
    """How many of the week's seven days fall in the range (the current week is partial)."""
    return week_days_in(week.starts, start, end)


def week_heading(week: Week, start: date | None = None, end: date | None = None) -> str:
    """`Week 3 · from 21 Sep 2026`, and `· 2 of 7 days` for a week the range cuts."""
    text = f"Week {week.number} · from {fmt.short_date(week.starts)}"
    days = days_shown(week, start, end)
    if days < 7:
        text += f" · {days} of 7 days{' so far' if end and week.starts <= end else ''}"
    return text


def column_at(x: float, numbers: Sequence[int], half_width: float = 0.45) -> int | None:
    """The bar (by its x position) a point falls in, or None between bars."""
    nearest = round(x)
    if nearest in numbers and abs(x - nearest) <= half_width:
        return nearest
    return None


def percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def tooltip_table(heading: str, rows: Sequence[tuple[str, str]], footer: str = "") -> str:
    """A tooltip: a bold heading, then label/value rows with the values right-aligned."""
    body = "".join(
        f"<tr><td>{escape(label)}</td><td align='right'>&nbsp;&nbsp;<b>{value}</b></td></tr>"
        for label, value in rows
    )
    text = f"<b>{escape(heading)}</b><table cellspacing='0'>{body}</table>"
    if footer:
        lines = "<br>".join(escape(line) for line in footer.splitlines())
        text += f"<div style='margin-top:4px'>{lines}</div>"
    return text


class Swatch(QWidget):
    """A legend's coloured square, painted (so it stays a vector in an SVG export)."""

    SIZE = 11

    def __init__(self, colour: QColor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colour = QColor(colour)
        self.setFixedSize(self.SIZE, self.SIZE)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.colour)
        painter.drawRoundedRect(QRectF(0.5, 0.5, self.SIZE - 1, self.SIZE - 1), 2.5, 2.5)
        painter.end()


class ChartCard(QFrame):
    """A titled chart: subclasses add plots with `add_plot` and draw them in `redraw`.

    Args:
        title: what the chart shows, in the facilitator's words.
        subtitle: how to read it, one line.
        parent: the dashboard, usually.
    """

    members_selected = Signal(object)
    """A click picked members: a `Selection`."""

    PLOT_HEIGHT = 220

    def __init__(self, title: str, subtitle: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartCard")
        self.title = title
        self.theme: ChartTheme = theme_for(self)
        self.plots: list[Any] = []
        self._plot_titles: dict[Any, str] = {}
        self._legend_entries: list[tuple[QColor, str]] = []
        self.last_tooltip = ""
        self._redrawing = False
        self._header_widgets: list[QWidget] = []
        self._bare_axes: list[Any] = []

        self.title_label = heading_label(title, scale=1.1)
        self.menu_button = QToolButton()
        self.menu_button.setText("⋯")
        self.menu_button.setAutoRaise(True)
        self.menu_button.setStyleSheet(MENU_BUTTON_STYLE)
        self.menu_button.setToolTip("Export this chart")
        self.menu_button.setAccessibleName(f"Export {title}")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setMenu(self._export_menu())
        self.subtitle_label = muted_label(subtitle)
        self.subtitle_label.setVisible(bool(subtitle))
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextFormat(Qt.TextFormat.RichText)
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.notes_label.hide()

        self.view = pg.GraphicsLayoutWidget()
        # As tall as the chart needs, no taller: in a scrolling grid the card would otherwise
        # take the graphics view's generous default height.
        self.view.setFixedHeight(self.PLOT_HEIGHT)
        self.view.setAccessibleName(title)
        self.view.ci.setContentsMargins(2, 4, 8, 2)
        self.empty_label = muted_label("")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setFixedHeight(self.PLOT_HEIGHT)
        self.body = QStackedLayout()
        self.body.addWidget(self.view)
        self.body.addWidget(self.empty_label)
        self.legend = FlowLayout(spacing=10)

        top = self.header_layout = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title_label, 1)
        top.addWidget(self.menu_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.subtitle_label)
        layout.addWidget(self.notes_label)
        layout.addLayout(self.body, 1)
        layout.addLayout(self.legend)

        scene = self.view.scene()
        scene.sigMouseMoved.connect(self._mouse_moved)
        scene.sigMouseClicked.connect(self._mouse_clicked)

    # -- building ------------------------------------------------------------------------

    def add_plot(
        self, row: int = 0, column: int = 0, *, title: str = "", pan: bool = False, **kwargs: Any
    ) -> Any:
        """A plot in the card's grid; fixed (no pan or zoom) unless `pan`."""
        plot = self.view.addPlot(row=row, col=column, **kwargs)
        self._plot_titles[plot] = title
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=pan, y=pan)
        plot.getViewBox().setMenuEnabled(False)
        self.plots.append(plot)
        self._style_plot(plot)
        return plot

    def _style_plot(self, plot: Any) -> None:
        theme = self.theme
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        for name in ("left", "bottom", "right", "top"):
            axis = plot.getAxis(name)
            axis.setPen(pg.mkPen(theme.grid))
            axis.setTextPen(pg.mkPen(theme.muted))
            axis.setStyle(tickFont=font, tickLength=-4)
            axis.label.setDefaultTextColor(theme.muted)
        title = self._plot_titles.get(plot)
        if title:
            size = f"{font.pointSizeF():.1f}pt"
            plot.setTitle(title, color=theme.foreground.name(), size=size)

    def add_header_widget(self, widget: QWidget) -> None:
        """A control beside the title (before the export button); left out of exports."""
        self._header_widgets.append(widget)
        self.header_layout.insertWidget(self.header_layout.count() - 1, widget)

    def set_legend(self, entries: Sequence[tuple[QColor, str]]) -> None:
        """Coloured squares with their meaning, under the plot."""
        if list(entries) == self._legend_entries:
            return
        self._legend_entries = list(entries)
        while self.legend.count():
            item = self.legend.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for colour, text in entries:
            holder = QWidget()
            row = QHBoxLayout(holder)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(4)
            swatch = Swatch(colour)
            entry = QLabel(text)
            entry.setTextFormat(Qt.TextFormat.PlainText)
            row.addWidget(swatch)
            row.addWidget(entry)
            self.legend.addWidget(holder)

    def legend_texts(self) -> list[str]:
        texts: list[str] = []
        for position in range(self.legend.count()):
            item = self.legend.itemAt(position)
            holder = item.widget() if item is not None else None
            labels = holder.findChildren(QLabel) if holder is not None else []
            texts.extend(label.text() for label in labels if label.text())
        return texts

    def set_notes(
        self, lines: Sequence[str], alert: bool = False, quiet: Sequence[str] = ()
    ) -> None:
        """Sentences above the plot (what the chart says), one per line; `alert` shows them in
        red; `quiet` lines follow in the muted colour."""
        colour = ALERT_COLOUR if alert else self.theme.foreground.name()
        parts = [f"<span style='color:{colour}'>{escape(s)}</span>" for s in lines]
        muted = self.theme.muted.name()
        parts += [f"<span style='color:{muted}'>{escape(s)}</span>" for s in quiet]
        self.notes_label.setText("<br>".join(parts))
        self.notes_label.setVisible(bool(parts))

    def notes(self) -> str:
        return self.notes_label.text()

    def set_plot_height(self, height: int) -> None:
        """Make the plot area at most `height` pixels tall (a heatmap grows with its rows)."""
        self.view.setFixedHeight(height)
        self.empty_label.setFixedHeight(height)

    def set_empty(self, text: str | None) -> None:
        """Say `text` in place of the plot (no data), or show the plot again (None).

        An empty chart's axes are left bare (no weeks of an earlier range, none of the numbers
        pyqtgraph puts on an axis nobody labelled); shown again, the chart labels them anew."""
        self.empty_label.setText(text or "")
        self.body.setCurrentWidget(self.empty_label if text else self.view)
        for plot in self.plots:
            if text:
                self._bare_axes += bare_axes(plot)
        if not text:
            for axis in self._bare_axes:
                axis.setTicks(None)  # pyqtgraph's own again, until the chart gives its own
            self._bare_axes = []

    def is_empty(self) -> bool:
        return self.body.currentWidget() is self.empty_label

    # -- drawing -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Take the palette's colours again and draw everything anew."""
        if self._redrawing:
            return
        self._redrawing = True
        try:
            self.theme = theme_for(self)
            for label in (self.subtitle_label, self.empty_label):
                # muted labels keep the colour they were made with; give them today's
                palette = label.palette()
                palette.setColor(QPalette.ColorRole.WindowText, self.theme.muted)
                label.setPalette(palette)
            self.view.setBackground(self.theme.background)
            for plot in self.plots:
                self._style_plot(plot)
            self.redraw()
        finally:
            self._redrawing = False

    def redraw(self) -> None:
        """Draw the data last given; subclasses override."""

    def paintEvent(self, event: QPaintEvent) -> None:
        """A card: the base colour with a thin rounded border (follows the palette)."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        painter.end()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.refresh()

    # -- interaction ---------------------------------------------------------------------

    def hover_text(self, plot: Any, point: QPointF) -> str | None:
        """The tooltip at `point` (data coordinates of `plot`), or None; subclasses override."""
        return None

    def selection_at(self, plot: Any, point: QPointF) -> Selection | None:
        """The members a click at `point` picks, or None; subclasses override."""
        return None

    def plot_at(self, scene_pos: QPointF) -> Any:
        for plot in self.plots:
            if plot.getViewBox().sceneBoundingRect().contains(scene_pos):
                return plot
        return None

    def scene_position(self, plot: Any, x: float, y: float) -> QPointF:
        """Where a data point of `plot` is in the scene (tests click and hover there)."""
        return QPointF(plot.getViewBox().mapViewToScene(QPointF(x, y)))

    def widget_position(self, plot: Any, x: float, y: float) -> QPoint:
        """Where a data point of `plot` is on the view's viewport, in pixels."""
        return QPoint(self.view.mapFromScene(self.scene_position(plot, x, y)))

    @Slot(object)
    def _mouse_moved(self, scene_pos: QPointF) -> None:
        plot = self.plot_at(scene_pos)
        text = None
        clickable = False
        if plot is not None and not self.is_empty():
            point = plot.getViewBox().mapSceneToView(scene_pos)
            text = self.hover_text(plot, point)
            clickable = self.selection_at(plot, point) is not None
        self.view.viewport().setCursor(
            Qt.CursorShape.PointingHandCursor if clickable else Qt.CursorShape.ArrowCursor
        )
        self.last_tooltip = text or ""
        if text:
            where = self.view.mapToGlobal(self.view.mapFromScene(scene_pos))
            QToolTip.showText(where + QPoint(12, 12), text, self.view)
        else:
            QToolTip.hideText()

    @Slot(object)
    def _mouse_clicked(self, event: Any) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            self._export_menu().popup(QCursor.pos())
            event.accept()
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        scene_pos = event.scenePos()
        plot = self.plot_at(scene_pos)
        if plot is None or self.is_empty():
            return
        selection = self.selection_at(plot, plot.getViewBox().mapSceneToView(scene_pos))
        if selection is not None and selection.membership_ids:
            self.members_selected.emit(selection)

    # -- export --------------------------------------------------------------------------

    def _export_menu(self) -> QMenu:
        menu = QMenu(self)
        png = QAction("Export as &PNG…", menu)
        png.triggered.connect(lambda: self.ask_and_export(".png"))
        svg = QAction("Export as &SVG…", menu)
        svg.triggered.connect(lambda: self.ask_and_export(".svg"))
        copy = QAction("&Copy as image", menu)
        copy.triggered.connect(self.copy_image)
        menu.addActions([png, svg, copy])
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self._export_menu().popup(event.globalPos())

    def export_to(self, path: Path) -> Path:
        """Write the card (title, notes, plot, legend) to PNG or SVG, by suffix.

        Raises:
            chart_export.ExportError: the file could not be written.
        """
        # the controls (export menu, filters) are not part of the picture
        controls = [self.menu_button, *self._header_widgets]
        shown = [widget for widget in controls if not widget.isHidden()]
        for widget in shown:
            widget.hide()
        try:
            return chart_export.export_chart(self, path, self.title)
        finally:
            for widget in shown:
                widget.show()

    def ask_and_export(self, suffix: str) -> Path | None:
        """Ask where, then export; a failure is said in a message box."""
        start = Path.home() / chart_export.file_name(self.title, suffix)
        chosen, _filter = QFileDialog.getSaveFileName(
            self, f"Export {self.title}", str(start), chart_export.FILTERS[suffix]
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        try:
            return self.export_to(path)
        except chart_export.ExportError as exc:
            QMessageBox.warning(self, "Cannot export the chart", str(exc))
            return None

    @Slot()
    def copy_image(self) -> None:
        """Put the chart on the clipboard, for pasting into a slide or an e-mail."""
        self.menu_button.hide()
        try:
            QGuiApplication.clipboard().setPixmap(self.grab())
        finally:
            self.menu_button.show()
