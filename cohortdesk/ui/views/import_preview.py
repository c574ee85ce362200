"""The import dialog's preview: what the file holds (a dry run), or why it cannot be imported.

Shows the counts (`ImportSummaryView`), what the import proposes (staff to confirm, the
cohort's dates: `import_proposals`) and the first rows as the import reads them; after the
import, the same pane shows its result.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from cohortdesk.core.schemas import ImportSummary
from cohortdesk.ui.models.import_preview_model import (
    COL_DETAIL,
    COL_KIND,
    COL_OUTCOME,
    COL_ROW,
    COL_WHEN,
    ImportPreviewModel,
)
from cohortdesk.ui.views.import_proposals import DatesOffer, StaffChoice
from cohortdesk.ui.views.import_summary import ImportSummaryView
from cohortdesk.ui.widgets.dialog_parts import DIALOG_SPACING
from cohortdesk.ui.widgets.labels import error_label, heading_label, muted_label, show_error
from cohortdesk.ui.widgets.tables import make_table

ERROR_STYLE = (
    "QLabel { background: #fdecea; color: #8a1c1c; border: 1px solid #f1b0ab;"
    " border-radius: 4px; padding: 8px 10px; }"
)


class ImportPreview(QWidget):
    """A heading with the Preview button, the reason a file is refused, the counts, the rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading_label("Preview")
        self.status = muted_label(wrap=False)
        self.button = QPushButton("&Preview")
        self.button.setToolTip(
            "Read the whole file without storing anything (F5); it also runs by itself after "
            "every change"
        )
        self.button.setShortcut(QKeySequence("F5"))
        self.summary_view = ImportSummaryView()
        self.staff = StaffChoice()
        self.dates = DatesOffer()
        self.error_label = error_label()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setAccessibleName("Why the file cannot be imported")
        self.model = ImportPreviewModel(self)
        self.table = make_table(
            self.model, (COL_DETAIL,), fitted=(COL_ROW, COL_OUTCOME, COL_WHEN, COL_KIND)
        )
        self.table.setAccessibleName("First rows of the file")
        self.table.setColumnWidth(2, 180)
        self.table.setMinimumHeight(160)

        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.status, 1)
        heading.addWidget(self.button)
        # The same spacing as the dialog's page: the pane reads as part of it.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(DIALOG_SPACING)
        layout.addLayout(heading)
        layout.addWidget(self.error_label)
        layout.addWidget(self.summary_view)
        layout.addWidget(self.staff)
        layout.addWidget(self.dates)
        layout.addWidget(self.table, 1)

    def show_summary(self, summary: ImportSummary, timezone: str, *, done: bool = False) -> None:
        """What the file holds (or, `done`, what the import did), its first rows in
        `timezone`; the staff it proposes, and after the import the offer to set the dates."""
        self.summary_view.show_summary(summary)
        self.staff.show_proposals(summary, done=done)
        if done:
            self.dates.show_offer(summary)
        self.model.set_rows(summary.sample, timezone)

    def clear(self) -> None:
        """Nothing to show: no counts, no proposals, no rows, no error."""
        self.model.set_rows([])
        self.summary_view.clear()
        self.staff.clear()
        self.dates.clear()
        show_error(self.error_label, "")

    def show_failure(self, text: str) -> None:
        """Why the file cannot be imported, in place of the counts and rows."""
        self.clear()
        show_error(self.error_label, text)

    def error_text(self) -> str:
        """The error shown, or an empty string."""
        return "" if self.error_label.isHidden() else self.error_label.text()
