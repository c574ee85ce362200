"""Cohort › Highlights…: the success stories and quotes of a cohort (or all), searchable."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from cohortdesk.core.enums import HighlightKind
from cohortdesk.core.schemas import CohortRow
from cohortdesk.core.schemas.mentoring import HighlightRow
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.models.highlights_model import COL_TEXT, HighlightsModel
from cohortdesk.ui.tasks import Task
from cohortdesk.ui.views.highlight_dialog import HighlightDialog
from cohortdesk.ui.widgets import confirm
from cohortdesk.ui.widgets.dialog_parts import close_button
from cohortdesk.ui.widgets.labels import heading_label, muted_label
from cohortdesk.ui.widgets.tables import make_table, select_id, selected_id

EMPTY = "No highlights yet. Capture one from a member (Member › Capture highlight…) or here."
NOTHING_FOUND = "No highlight matches: try fewer words."
SEARCH_DELAY_MS = 200
ALL_TAGS = "All tags"


class HighlightsDialog(QDialog):
    """Highlights, newest first, with search, tag and kind filters; capture, edit, delete."""

    loaded = Signal()
    status_message = Signal(str)

    def __init__(self, context: AppContext, cohort: CohortRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.cohort = cohort
        self._request = 0
        self._tags: list[str] = []
        self.dialog: HighlightDialog | None = None
        """The capture or edit dialog last opened (for tests)."""
        self.setWindowTitle(f"Highlights of {cohort.name}")
        self.setMinimumSize(760, 460)
        self.resize(1040, 620)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search the text, tags and names (accents and case ignored)")
        self.search.setClearButtonEnabled(True)
        self.tag = QComboBox()
        self.tag.addItem(ALL_TAGS, None)
        self.kind = QComboBox()
        self.kind.addItem("Stories and quotes", None)
        self.kind.addItem("Success stories", HighlightKind.STORY)
        self.kind.addItem("Quotes", HighlightKind.QUOTE)
        self.all_cohorts = QCheckBox("All cohorts")
        self.all_cohorts.setToolTip("Show the highlights of every cohort, not only this one")
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.tag)
        filters.addWidget(self.kind)
        filters.addWidget(self.all_cohorts)

        self.model = HighlightsModel(self)
        self.table = make_table(self.model, (COL_TEXT,), fitted=(0, 1, 2, 4, 5), empty_text=EMPTY)
        self.table.setAccessibleName("Highlights")
        self.table.setWordWrap(True)
        self.count_label = muted_label(wrap=False)
        self.new_button = QPushButton("&Capture…")
        self.new_button.setToolTip("Capture a new highlight: a success story or a quote")
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.setToolTip("Edit the selected highlight")
        self.delete_button = QPushButton("&Delete…")
        self.delete_button.setToolTip("Delete the selected highlight (asks first)")
        close = close_button()
        close.clicked.connect(self.close)
        actions = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.delete_button):
            actions.addWidget(button)
        actions.addSpacing(12)
        actions.addWidget(self.count_label)
        actions.addStretch(1)
        actions.addWidget(close)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addWidget(heading_label(f"Highlights of {cohort.name}", scale=1.3))
        layout.addWidget(
            muted_label(
                "Success stories and quotes, as they happened: the stories that show what the "
                "cohort achieves. They appear in the PDF report and in manager summaries."
            )
        )
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self._timer.start)
        for combo in (self.tag, self.kind):
            combo.currentIndexChanged.connect(self.reload)
        self.all_cohorts.toggled.connect(self.reload)
        self.new_button.clicked.connect(self.capture)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.table.doubleClicked.connect(self.edit_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        context.changes.highlights_changed.connect(self._highlights_changed)
        self._update_buttons()
        self.reload()

    def reload(self) -> Task:
        """Search again with the current filters (in the background)."""
        from cohortdesk.core.services.dashboards import highlights

        self._request += 1
        request = self._request
        cohort_id = None if self.all_cohorts.isChecked() else self.cohort.id
        search, tag, kind = self.search.text(), self.tag.currentData(), self.kind.currentData()

        def query(s: Session) -> tuple[list[HighlightRow], list[str]]:
            rows = highlights.list_highlights(s, cohort_id, search=search, tag=tag, kind=kind)
            return rows, highlights.all_tags(s, cohort_id)

        def arrived(result: tuple[list[HighlightRow], list[str]]) -> None:
            if request == self._request and shiboken6.isValid(self):
                self._show(*result, filtered=bool(search or tag or kind))

        return self.context.runner.read("Searching the highlights", query, arrived)

    def _show(self, rows: list[HighlightRow], tags: list[str], *, filtered: bool) -> None:
        kept = selected_id(self.table)
        self.model.set_rows(rows)
        select_id(self.table, kept)
        self.table.set_empty_text(NOTHING_FOUND if filtered else EMPTY)
        self.table.resizeRowsToContents()
        current = self.tag.currentData()
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem(ALL_TAGS, None)
        for tag in tags:
            self.tag.addItem(tag, tag)
        self.tag.setCurrentIndex(max(self.tag.findData(current), 0))
        self.tag.blockSignals(False)
        self._tags = tags
        self.count_label.setText(fmt.plural(len(rows), "highlight"))
        self._update_buttons()
        self.loaded.emit()

    def selected(self) -> HighlightRow | None:
        row = self.model.row_of_id(selected_id(self.table) or -1)
        return None if row is None else self.model.row_at(row)

    @Slot()
    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def _open(self, initial: HighlightRow | None, save: Callable[[HighlightDialog], None]) -> None:
        from cohortdesk.core.services.activity import participation

        cohort_id = initial.cohort_id if initial else self.cohort.id

        def members_arrived(members: list[tuple[int, str]]) -> None:
            if not shiboken6.isValid(self):
                return
            day = self.context.as_of_day(self.cohort)  # an ended cohort's: on its last day
            dialog = HighlightDialog(self, members, day, initial)
            dialog.set_tags(self._tags)
            dialog.finished.connect(dialog.deleteLater)
            dialog.accepted.connect(lambda: save(dialog))
            dialog.open()
            self.dialog = dialog

        self.context.runner.read(
            "Loading the members",
            lambda s: [(r.membership_id, r.name) for r in participation.roster(s, cohort_id)],
            members_arrived,
        )

    @Slot()
    def capture(self) -> None:
        """Capture a new highlight in this cohort."""
        from cohortdesk.core.services.dashboards import highlights

        def save(dialog: HighlightDialog) -> None:
            data = dialog.value()
            self._write(
                "Capturing the highlight",
                lambda s: highlights.add_highlight(s, data),
                "Captured the highlight",
            )

        self._open(None, save)

    @Slot()
    def edit_selected(self) -> None:
        from cohortdesk.core.services.dashboards import highlights

        initial = self.selected()
        if initial is None:
            return

        def save(dialog: HighlightDialog) -> None:
            data = dialog.value()
            self._write(
                "Saving the highlight",
                lambda s: highlights.update_highlight(s, initial.id, data),
                "Saved the highlight",
            )

        self._open(initial, save)

    @Slot()
    def delete_selected(self) -> None:
        from cohortdesk.core.services.dashboards import highlights

        row = self.selected()
        if row is None:
            return
        question = f"Delete this highlight of {row.member_name}?\n\n{row.text}"
        if not confirm.confirm(self, "Delete highlight", question, "Delete"):
            return
        self._write(
            "Deleting the highlight",
            lambda s: highlights.delete_highlight(s, row.id),
            "Deleted the highlight",
        )

    @Slot(int)
    def _highlights_changed(self, cohort_id: int) -> None:
        shown = self.all_cohorts.isChecked() or cohort_id == self.cohort.id
        if shiboken6.isValid(self) and shown:
            self.reload()

    def _write(self, title: str, change: Callable[[Session], object], message: str) -> Task:
        # The list follows the change the service returns (`_highlights_changed`): no reload here.
        return self.context.runner.write(
            title, change, lambda _result: self.status_message.emit(message)
        )
