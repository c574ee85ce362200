"""Chart colours, read from the widget's QPalette so charts follow light and dark themes.

Categorical colours (stages, kinds of activity, access) are mid-tones that read on white and
on near-black alike; what changes with the theme is the background, text, grid, and the
heatmap's scale, which always runs from "nothing" (the background) to "a lot" (strongest).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from cohortdesk.core.enums import AccessStatus, EventKind, Role
from cohortdesk.core.stages import stage
from cohortdesk.ui import format as fmt

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

KIND_ORDER = (
    EventKind.POST,
    EventKind.REPLY,
    EventKind.SHARE,
    EventKind.REACTION,
    EventKind.SUBMIT,
    EventKind.ATTEND,
    EventKind.VIEW,
    EventKind.LOGIN,
)
"""How kinds stack, bottom up: the contributions that matter most sit on the axis."""

KIND_LABELS = {
    EventKind.LOGIN: "Logins",
    EventKind.VIEW: "Views",
    EventKind.POST: "Threads started",
    EventKind.REPLY: "Replies",
    EventKind.REACTION: "Reactions",
    EventKind.SHARE: "Shares",
    EventKind.ATTEND: "Attended",
    EventKind.SUBMIT: "Submissions",
}

_KIND_COLOURS = {
    EventKind.POST: "#3b73c4",
    EventKind.REPLY: "#2f9e8f",
    EventKind.SHARE: "#8a63c9",
    EventKind.REACTION: "#e0a526",
    EventKind.SUBMIT: "#5f9b3a",
    EventKind.ATTEND: "#d0663d",
    EventKind.VIEW: "#8e9aaf",
    EventKind.LOGIN: "#b7bec9",
}

PEER_COLOUR = "#2f9e8f"
"""Learners answering learners: the teal of information exchange."""
STAFF_COLOUR = "#d0663d"
"""Replies to the facilitator and mentors."""
ALERT_COLOUR = "#d93f3f"
SERIES_COLOURS = ("#3b73c4", "#d0663d", "#2f9e8f", "#8a63c9", "#e0a526", "#b0508f", "#5f9b3a")
"""One colour per cohort when several are compared."""


@dataclass(frozen=True)
class ChartTheme:
    """The colours one chart paints with, for the palette it is shown in."""

    dark: bool
    background: QColor
    foreground: QColor
    muted: QColor
    grid: QColor
    outline: QColor
    """A thin edge between touching shapes: the background colour."""
    highlight: QColor

    @staticmethod
    def stage(number: int) -> QColor:
        return QColor(stage(number).colour)

    @staticmethod
    def kind(kind: EventKind) -> QColor:
        return QColor(_KIND_COLOURS[kind])

    @staticmethod
    def access(status: AccessStatus) -> QColor:
        return QColor(fmt.ACCESS_COLOURS[status])

    def motivation(self, rating: int, low: int) -> QColor:
        """Red at or below the cohort's `low` rating, amber just above, green for good; muted
        for "no check-in yet" (0)."""
        return fmt.motivation_colour(rating or None, low) or QColor(self.muted)

    def role_edge(self, role: Role) -> QColor:
        """Staff nodes are ringed in the text colour, so they stand out in both themes."""
        return QColor(self.foreground) if role is not Role.LEARNER else QColor(self.background)

    def series(self, position: int) -> QColor:
        return QColor(SERIES_COLOURS[position % len(SERIES_COLOURS)])

    def translucent(self, colour: QColor | str, alpha: int) -> QColor:
        result = QColor(colour)
        result.setAlpha(alpha)
        return result

    def heat_lookup(self, steps: int = 256) -> NDArray[np.uint8]:
        """RGBA rows from "no activity" (the background) to "most activity".

        Light: white through pale teal to deep blue. Dark: near-black through teal to a warm
        yellow, so the busiest cells are the brightest in both.
        """
        import numpy as np

        stops = (
            [self.background, QColor("#2a6f73"), QColor("#42b49f"), QColor("#f2d45c")]
            if self.dark
            else [self.background, QColor("#c7e9e0"), QColor("#3aa39a"), QColor("#1d3f8f")]
        )
        anchors = np.linspace(0.0, 1.0, len(stops))
        positions = np.linspace(0.0, 1.0, steps)
        table = np.empty((steps, 4), dtype=np.uint8)
        for channel, getter in enumerate(
            (QColor.red, QColor.green, QColor.blue)  # one channel at a time
        ):
            values = [getter(colour) for colour in stops]
            table[:, channel] = np.interp(positions, anchors, values).round().astype(np.uint8)
        table[:, 3] = 255
        return table


def is_dark(palette: QPalette) -> bool:
    """True when the palette's base (what charts are drawn on) is darker than mid-grey."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def theme_for(source: QWidget | QPalette) -> ChartTheme:
    """The chart theme for a widget's current palette (or a palette)."""
    palette = source.palette() if isinstance(source, QWidget) else source
    background = palette.color(QPalette.ColorRole.Base)
    foreground = palette.color(QPalette.ColorRole.Text)
    muted = palette.color(QPalette.ColorRole.PlaceholderText)
    if muted.alpha() < 255 or abs(muted.lightness() - background.lightness()) < 60:
        # Some styles leave the placeholder colour translucent or close to the base.
        muted = _mix(foreground, background, 0.55)
    return ChartTheme(
        dark=is_dark(palette),
        background=background,
        foreground=foreground,
        muted=muted,
        grid=_mix(foreground, background, 0.15),
        outline=QColor(background),
        highlight=palette.color(QPalette.ColorRole.Highlight),
    )


def _mix(front: QColor, back: QColor, share: float) -> QColor:
    """`share` of `front` over `back`, opaque."""
    return QColor(
        round(front.red() * share + back.red() * (1 - share)),
        round(front.green() * share + back.green() * (1 - share)),
        round(front.blue() * share + back.blue() * (1 - share)),
    )


def dark_palette() -> QPalette:
    """A dark palette like the Fusion style's dark mode (for tests and screenshots)."""
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, "#2b2b2b"),
        (roles.WindowText, "#e6e6e6"),
        (roles.Base, "#1f1f1f"),
        (roles.AlternateBase, "#2a2a2a"),
        (roles.Text, "#e6e6e6"),
        (roles.Button, "#333333"),
        (roles.ButtonText, "#e6e6e6"),
        (roles.Highlight, "#3d7bd9"),
        (roles.HighlightedText, "#ffffff"),
        (roles.PlaceholderText, "#9a9a9a"),
        (roles.ToolTipBase, "#333333"),
        (roles.ToolTipText, "#e6e6e6"),
        (roles.Mid, "#444444"),
        (roles.Link, "#7fb2ff"),
        (roles.LinkVisited, "#c39bff"),
    ):
        palette.setColor(role, QColor(colour))
    return palette
