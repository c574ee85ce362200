"""Labels the member panel and its dialogs share: muted hints, headings, big numbers."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QPalette,
    QResizeEvent,
    QTextDocument,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


def set_muted(widget: QWidget) -> None:
    """Draw the widget's text in the quieter colour placeholders use."""
    palette = widget.palette()
    palette.setColor(
        QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText)
    )
    widget.setPalette(palette)


def muted_label(text: str = "", *, wrap: bool = True) -> QLabel:
    """A hint or caption in the muted colour."""
    label = WrappingLabel(text) if wrap else QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    set_muted(label)
    return label


class WrappingLabel(QLabel):
    """A label that wraps only when it must: it asks for the width of its text on one line
    (a wrapping QLabel otherwise asks for a narrow block, and wraps even beside empty space)
    and can be as narrow as its longest word."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        document = QTextDocument()
        document.setDefaultFont(self.font())
        document.setDocumentMargin(0)
        if self.textFormat() == Qt.TextFormat.RichText:
            document.setHtml(self.text())
        else:
            document.setPlainText(self.text())
        margins = self.contentsMargins()
        extra = 2 * self.margin() + margins.left() + margins.right() + 1
        one_line = int(document.idealWidth()) + extra
        return QSize(one_line, self.heightForWidth(one_line)) if one_line > hint.width() else hint


def heading_label(text: str = "", *, scale: float = 1.0, wrap: bool = True) -> QLabel:
    """A bold label, `scale` times the normal size (plain text: names are never markup).

    It wraps by default: a heading that says something about the data ("424 members show
    evidence of a next stage", a long name) must not make its pane, and the window, wider.
    """
    label = WrappingLabel(text) if wrap else QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = QFont(label.font())
    font.setBold(True)
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


def guide_labels(title: str, text: str, width: int) -> tuple[QLabel, QLabel]:
    """What a screen with nothing to show says instead: a centred heading, and a centred
    sentence wrapped no wider than `width` (what the screen is for, and what to do)."""
    heading = heading_label(title, scale=1.2)
    heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
    sentence = QLabel(text)
    sentence.setWordWrap(True)
    sentence.setAlignment(Qt.AlignmentFlag.AlignCenter)
    sentence.setMaximumWidth(width)
    return heading, sentence


class StatLabel(QWidget):
    """A key number over its caption: `12` / `Posts`."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.value_label = heading_label("—", scale=1.35)
        self.caption_label = muted_label(caption, wrap=False)
        for label in (self.value_label, self.caption_label):
            label.setAlignment(Qt.AlignmentFlag.AlignLeft)
            layout.addWidget(label)

    def set_value(self, text: str, tooltip: str = "") -> None:
        self.value_label.setText(text)
        self.setToolTip(tooltip)

    def value(self) -> str:
        return self.value_label.text()


ERROR_COLOUR = "#d93f3f"


def error_label() -> QLabel:
    """A hidden label for a dialog's inline error: shown with `show_error`."""
    label = QLabel()
    label.setWordWrap(True)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, ERROR_COLOUR)
    label.setPalette(palette)
    label.hide()
    return label


def show_error(label: QLabel, message: str) -> None:
    label.setText(message)
    label.setVisible(bool(message))


class ElidedLabel(QLabel):
    """One line that ends in "…" when its pane is too narrow for it (whole in the tooltip).

    For text that cannot wrap (an email address, a date range): it asks for its full width
    but makes do with a few letters, so it never makes the window wider. With `link`, the
    text is a link to it (a `mailto:` address).
    """

    MINIMUM_CHARACTERS = 8

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self._link = ""
        self.set_full_text(text)

    def set_full_text(self, text: str, link: str = "") -> None:
        self._full, self._link = text, link
        self.setTextFormat(Qt.TextFormat.RichText if link else Qt.TextFormat.PlainText)
        self._elide()
        self.updateGeometry()

    def full_text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:
        width = self.fontMetrics().horizontalAdvance(self._full) + 2 * self.margin() + 2
        return QSize(width, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        width = min(
            metrics.averageCharWidth() * self.MINIMUM_CHARACTERS,
            metrics.horizontalAdvance(self._full),
        )
        return QSize(width + 2 * self.margin(), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = max(0, self.contentsRect().width() - 2 * self.margin())
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, room)
        if self._link:
            shown = f'<a href="{escape(self._link)}">{escape(shown)}</a>'
        if shown != self.text():
            self.setText(shown)
        self.setToolTip(self._full if shown != self._full else "")


def _line_starts(text: str, font: QFont, width: int, most: int) -> list[int]:
    """Where each of the first `most` lines of `text` wrapped at `width` pixels starts
    (in UTF-16 code units, as Qt counts)."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    starts: list[int] = []
    while len(starts) < most:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        starts.append(line.textStart())
    layout.endLayout()
    return starts


def elide_to_lines(text: str, font: QFont, width: int, lines: int) -> str:
    """`text` as it wraps at `width` pixels, cut after `lines` lines, the last ending in "…"
    when more follows (line breaks in `text` count as spaces)."""
    flat = " ".join(text.split())
    starts = _line_starts(flat, font, width, lines + 1)
    if len(starts) <= lines:
        return flat
    # Qt counts in UTF-16 code units, and may even break a line between the two halves of
    # a character beyond the first plane: cut before such a character, never through it
    units = flat.encode("utf-16-le")
    cut = 2 * starts[lines - 1]
    if cut >= 2 and 0xD800 <= int.from_bytes(units[cut - 2 : cut], "little") <= 0xDBFF:
        cut -= 2
    head = units[:cut].decode("utf-16-le")
    rest = flat[len(head) :]
    metrics = QFontMetrics(font)
    # the font's advance and the line breaker round differently: a last line said to fit
    # may still wrap by a pixel, so narrow it until it keeps to its line
    room = width
    while True:
        shown = head + metrics.elidedText(rest, Qt.TextElideMode.ElideRight, room)
        if room <= 1 or len(_line_starts(shown, font, width, lines + 1)) <= lines:
            return shown
        room -= 1


class LinesLabel(QLabel):
    """Plain text on at most `lines` lines: the last ends in "…" when the text is longer
    (never a line cut through). The caller says in the tooltip what the whole text holds."""

    def __init__(self, lines: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines = lines
        self._full = ""
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setMaximumHeight(self.fontMetrics().lineSpacing() * lines + 4)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        # a little narrower than the label: its own wrapping must not need one more line
        room = max(1, self.contentsRect().width() - 2 * self.margin() - 4)
        shown = elide_to_lines(self._full, self.font(), room, self._lines)
        if shown != self.text():
            self.setText(shown)
