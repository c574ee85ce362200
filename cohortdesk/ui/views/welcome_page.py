"""What a first start shows: an empty database, and two ways to begin."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from cohortdesk.ui.icons import app_icon
from cohortdesk.ui.widgets.centred import centred_row

INTRO = (
    "cohortdesk follows every member of your online cohorts through Gilly Salmon's five "
    "stages: <b>access and motivation</b> first, then socialisation, information exchange, "
    "knowledge construction and development. It keeps your notes, check-ins and activity "
    "on this computer."
)


INTRO_WIDTH = 520


class WelcomePage(QWidget):
    """Shown while there are no cohorts: create one, or explore the demo."""

    create_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        logo = QLabel()
        logo.setPixmap(
            QPixmap(app_icon()).scaled(
                96,
                96,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("Welcome to cohortdesk")
        title.setObjectName("welcomeTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.intro = intro = QLabel(INTRO)
        intro.setWordWrap(True)
        intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        intro.setFixedWidth(INTRO_WIDTH)
        # In a row of its own, so the wrapped text is measured at the width it is shown: the
        # column alone measured it at the window's width and cut it off after two lines.
        intro_row = centred_row(intro)
        self.create_button = QPushButton("Create a cohort…")
        self.create_button.setToolTip(
            "Create your first cohort, then import its people and activity"
        )
        self.create_button.setDefault(True)
        self.demo_button = QPushButton("Open the demo cohort")
        self.demo_button.setToolTip(
            "24 people over 8 weeks: learners at every stage, a lurker or two, "
            "an access problem and a motivation dip"
        )
        for button in (self.create_button, self.demo_button):
            button.setMinimumHeight(36)
            button.setMinimumWidth(200)
        self.create_button.clicked.connect(self.create_requested)
        self.demo_button.clicked.connect(self.demo_requested)
        buttons = centred_row(self.create_button, self.demo_button)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(logo)
        layout.addWidget(title)
        layout.addSpacing(8)
        layout.addLayout(intro_row)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        layout.addStretch(3)
