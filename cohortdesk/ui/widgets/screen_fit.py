"""Windows stay on their screen, and grow to show their wrapped text.

Each dialog picks a comfortable size for a desktop screen (the templates library 1280x800, the
settings 760x760...). On a laptop's 1280x720 that puts its buttons below the screen's edge, so
every window is made to fit the screen it opens on when it is shown. And Qt does not grow a
window when its wrapped text needs more lines (a message that appears, a longer name chosen):
the text is cut instead. A window therefore grows, never beyond its screen, when its content
asks for more height than it has; it never shrinks on its own (the user's size stays).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtWidgets import QApplication, QStyle, QWidget

_FITTED_TYPES = (Qt.WindowType.Window, Qt.WindowType.Dialog)
# a Move comes when the window manager has framed the window (and when it changes screen)
_WATCHED_EVENTS = (QEvent.Type.Show, QEvent.Type.LayoutRequest, QEvent.Type.Move)


def frame_size(window: QWidget) -> QSize:
    """What the window manager's frame adds to `window` (title bar and borders). Before the
    frame is drawn (a window being shown for the first time) Qt knows none: a typical one is
    assumed, so the first size already leaves room for it; the window is fitted again when the
    real frame is known."""
    frame = window.frameGeometry().size() - window.geometry().size()
    if frame.width() > 0 or frame.height() > 0:
        return frame
    style = window.style()
    border = style.pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth)
    title = style.pixelMetric(QStyle.PixelMetric.PM_TitleBarHeight)
    return QSize(2 * border, title + 2 * border)


def screen_room(window: QWidget) -> QSize:
    """The room for `window`'s contents on its screen: the screen's free area less the frame
    a window manager draws around it (`frame_size`)."""
    free = window.screen().availableGeometry().size()
    frame = frame_size(window)
    return QSize(free.width() - frame.width(), free.height() - frame.height())


def wanted_height(window: QWidget, width: int) -> int:
    """The height `window`'s layout needs at `width` (wrapped text included)."""
    layout = window.layout()
    if layout is None or not layout.hasHeightForWidth():
        return window.height()
    return layout.totalHeightForWidth(width)


def fit_to_screen(window: QWidget) -> None:
    """No wider or taller than the screen (its minimum size permitting), and tall enough for
    its wrapped text where the screen has room."""
    room = screen_room(window)
    width = min(window.width(), room.width())
    height = min(max(window.height(), wanted_height(window, width)), room.height())
    width, height = max(width, window.minimumWidth()), max(height, window.minimumHeight())
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)


def keep_within(window: QWidget) -> None:
    """Smaller when `window` and its frame no longer fit the screen (the window manager drew
    a frame larger than assumed, or the window moved to a smaller screen); never larger."""
    if not shiboken6.isValid(window) or not window.isVisible():
        return
    room = screen_room(window)
    least = window.minimumSize()
    width = max(min(window.width(), room.width()), least.width())
    height = max(min(window.height(), room.height()), least.height())
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)


def grow_for_text(window: QWidget) -> None:
    """Taller, up to the screen, when the content needs more height than the window has."""
    if not shiboken6.isValid(window) or not window.isVisible():
        return
    room = screen_room(window)
    needed = min(wanted_height(window, window.width()), room.height())
    if needed > window.height():
        window.resize(window.width(), needed)


class ScreenFit(QObject):
    """Watches every window of the application (see `keep_windows_on_screen`)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()  # first: this sees every event of the application
        if kind not in _WATCHED_EVENTS or not isinstance(watched, QWidget):
            return False
        if not watched.isWindow() or watched.windowType() not in _FITTED_TYPES:
            return False
        if kind == QEvent.Type.Show:
            if not event.spontaneous():
                fit_to_screen(watched)
        elif kind == QEvent.Type.Move:
            if watched.isVisible():
                QTimer.singleShot(0, lambda: keep_within(watched))
        elif watched.isVisible():
            # the layout is brought up to date after this event: measure once it is
            QTimer.singleShot(0, lambda: grow_for_text(watched))
        return False


def keep_windows_on_screen(app: QApplication) -> ScreenFit:
    """Fit every window of `app` to its screen from now on (once: a second call returns the
    same watcher)."""
    existing = app.findChild(ScreenFit)
    if existing is not None:
        return existing
    fit = ScreenFit(app)
    app.installEventFilter(fit)
    return fit
