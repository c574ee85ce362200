"""What a cohort with nobody in it, or no activity yet, says: what to do next, with buttons.

Shown in place of an empty list ("Nobody needs you today" is true but no help when there is
nobody to need you). The buttons run the window's own flows: the import dialog (a file can be
dropped on the window too) and adding people.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from cohortdesk.ui.widgets.centred import centred_row
from cohortdesk.ui.widgets.labels import guide_labels

NO_MEMBERS = "Nobody is in this cohort yet"
NO_ACTIVITY = "No activity recorded yet"
WHAT_NEXT = (
    "Import what your platform exports: a Moodle log or forum export, a Slack export (ZIP), "
    "xAPI statements, a roster, or any activity CSV; or drop the file on this window. "
    "Or add people one by one and record what they do."
)
#: the one line a cohort with people but no activity gets, above its lists
ACTIVITY_NEXT = "import what your platform exports, or drop the file on this window"
#: the text's widest line: it wraps at this width, and narrower when the window is
TEXT_WIDTH = 560


def is_empty(members: int, events: int) -> bool:
    """Whether a cohort has nothing to go on yet: no members, or no activity."""
    return members == 0 or events == 0


class EmptyCohortGuide(QWidget):
    """Says why there is nothing to show and offers "Import a file…" and "Add people…"."""

    import_requested = Signal()
    """Import a file into the cohort."""
    add_people_requested = Signal()
    """Add a member by hand."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title, self.text = guide_labels(NO_MEMBERS, WHAT_NEXT, TEXT_WIDTH)
        self.import_button = QPushButton("Import a file…")
        self.import_button.setToolTip("Choose an export to import into this cohort (Ctrl+I)")
        self.import_button.setAccessibleName("Import a file")
        self.add_button = QPushButton("Add people…")
        self.add_button.setToolTip("Add a member by name and email")
        self.add_button.setAccessibleName("Add people")
        for button in (self.import_button, self.add_button):
            button.setMinimumHeight(32)
        self.import_button.clicked.connect(self.import_requested)
        self.add_button.clicked.connect(self.add_people_requested)

        text_row = QHBoxLayout()
        text_row.addStretch(1)
        text_row.addWidget(self.text, 100)
        text_row.addStretch(1)
        buttons = centred_row(self.import_button, self.add_button)
        self._layout = layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addSpacing(4)
        layout.addLayout(text_row)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(2)

    def show_for(self, members: int, events: int) -> bool:
        """Show the guide when the cohort is empty (`is_empty`), hide it otherwise; returns
        whether it takes the place of the lists.

        With nobody in the cohort it fills the page. With members but no activity yet it sits
        compact above the lists, which still show who has not got in (they need you most).
        """
        empty = is_empty(members, events)
        replaces = members == 0
        if empty:
            self.title.setText(NO_MEMBERS if replaces else f"{NO_ACTIVITY}: {ACTIVITY_NEXT}")
            self.text.setVisible(replaces)
            last = self._layout.count() - 1
            self._layout.setStretch(0, 1 if replaces else 0)
            self._layout.setStretch(last, 2 if replaces else 0)
            vertical = QSizePolicy.Policy.Preferred if replaces else QSizePolicy.Policy.Maximum
            self.setSizePolicy(QSizePolicy.Policy.Preferred, vertical)
        self.setVisible(empty)
        return replaces
