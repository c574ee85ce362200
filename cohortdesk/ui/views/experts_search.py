"""Tools › Find experts…: who knows about something, across every cohort.

Type a few words ("online facilitation", "rubrics"): people whose expertise keywords match
every word appear, best match first, with the cohorts they are in. Case and accents do not
matter. Select people and "Copy emails" to write to them.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from cohortdesk.core.schemas.mentoring import ExpertRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.models.experts_model import COL_EXPERTISE, ExpertsModel
from cohortdesk.ui.tasks import Task
from cohortdesk.ui.widgets.dialog_parts import close_button
from cohortdesk.ui.widgets.labels import heading_label, muted_label
from cohortdesk.ui.widgets.tables import make_table, selected_ids

PROMPT = "Type what you are looking for: people's expertise keywords are searched."
SEARCH_DELAY_MS = 200


class ExpertsDialog(QDialog):
    """A search box over everyone's expertise and the people it finds."""

    results_shown = Signal()
    status_message = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None, query: str = ""):
        super().__init__(parent)
        self.context = context
        self._request = 0
        self.setWindowTitle("Find experts")
        self.setMinimumSize(720, 420)
        self.resize(960, 560)
        self.search = QLineEdit(query)
        self.search.setPlaceholderText("Who knows about… e.g. online facilitation, rubrics")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Find experts")
        self.model = ExpertsModel(self)
        self.table = make_table(
            self.model, (COL_EXPERTISE,), fitted=(0, 1, 3, 4), empty_text=PROMPT
        )
        self.table.setSelectionMode(self.table.SelectionMode.ExtendedSelection)
        self.count_label = muted_label(wrap=False)
        self.copy_button = QPushButton("&Copy emails")
        self.copy_button.setToolTip("Copy the selected people's emails (or everyone found's)")
        close = close_button()
        close.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.copy_button)
        bottom.addSpacing(12)
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addWidget(heading_label("Find experts", scale=1.3))
        layout.addWidget(
            muted_label(
                "Tapping the experts: people list their expertise as keywords (Edit details…). "
                "Every word typed must match; the best matches come first."
            )
        )
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self.run_search)
        self.copy_button.clicked.connect(self.copy_emails)
        self.copy_button.setEnabled(False)
        if query:
            self.run_search()

    @Slot()
    def run_search(self) -> Task:
        """Search for what the box says (in the background); the newest search wins."""
        from cohortdesk.core.services.people import expertise

        self._timer.stop()
        self._request += 1
        request, query = self._request, self.search.text()

        def arrived(rows: list[ExpertRow]) -> None:
            if request == self._request and shiboken6.isValid(self):
                self._show(query, rows)

        return self.context.runner.read(
            "Finding experts", lambda s: expertise.find_experts(s, query), arrived
        )

    def _show(self, query: str, rows: list[ExpertRow]) -> None:
        self.model.set_rows(rows)
        if not query.strip():
            self.table.set_empty_text(PROMPT)
            self.count_label.setText("")
        else:
            self.table.set_empty_text(f"Nobody lists expertise in “{query.strip()}” yet.")
            self.count_label.setText(fmt.plural(len(rows), "person", "people") + " found")
        self.copy_button.setEnabled(bool(rows))
        self.results_shown.emit()

    @Slot()
    def copy_emails(self) -> str:
        """Put the selected (or all found) people's emails on the clipboard."""
        chosen = set(selected_ids(self.table))
        rows = [r for r in self.model.rows() if not chosen or r.person_id in chosen]
        emails = ", ".join(r.email for r in rows if r.email)
        QGuiApplication.clipboard().setText(emails)
        self.status_message.emit(f"Copied {fmt.plural(len(rows), 'email')}")
        return emails
