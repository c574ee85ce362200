"""The Notes tab: the facilitator's own notes about the member, newest first."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout

from cohortdesk.core.schemas import MemberDetail, NoteRow
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.models.notes_model import COL_BODY, COL_WHEN, NotesModel
from cohortdesk.ui.views.member_tabs.base import MemberTab
from cohortdesk.ui.views.member_tabs.writer import MemberWriter
from cohortdesk.ui.widgets import confirm
from cohortdesk.ui.widgets.tables import make_table, select_id, selected_id

ADD_SHORTCUT = "Ctrl+Return"
PREVIEW_CHARS = 120


class NotesTab(MemberTab):
    """The notes table, a text box with "Add note" (Ctrl+Return), and "Delete note"."""

    def __init__(self, context: AppContext, writer: MemberWriter) -> None:
        super().__init__(context, writer)
        layout = QVBoxLayout(self)
        self.notes_model = NotesModel(self)
        self.notes_view = make_table(
            self.notes_model,
            (COL_BODY,),
            fitted=(COL_WHEN,),
            wrap=True,
            empty_text="No notes about this member yet.",
        )
        layout.addWidget(self.notes_view, 1)

        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(
            "Write a note: who you nudged, what they said, what to follow up… "
            f"({ADD_SHORTCUT} adds it)"
        )
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.note_edit.fontMetrics().lineSpacing() * 4 + 12)
        layout.addWidget(self.note_edit)
        shortcut = QShortcut(QKeySequence(ADD_SHORTCUT), self.note_edit)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(self.add_note)

        buttons = QHBoxLayout()
        self.delete_button = QPushButton("Delete note")
        self.delete_button.setToolTip("Delete the selected note")
        self.delete_button.clicked.connect(self.delete_selected)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        self.add_button = QPushButton("Add note")
        self.add_button.setToolTip(f"Add the note ({ADD_SHORTCUT})")
        self.add_button.clicked.connect(self.add_note)
        buttons.addWidget(self.add_button)
        layout.addLayout(buttons)

        self.note_edit.textChanged.connect(self._update)
        self.notes_view.selectionModel().selectionChanged.connect(self._update)
        self._update()

    def show_detail(self, detail: MemberDetail) -> None:
        if self.detail is not None and self.detail.row.membership_id != detail.row.membership_id:
            self.note_edit.clear()  # a draft belongs to the member it was written about
        super().show_detail(detail)
        kept = selected_id(self.notes_view)
        self.notes_model.set_rows(detail.notes, detail.timezone)
        select_id(self.notes_view, kept)
        self._update()

    def selected_note(self) -> NoteRow | None:
        row = self.notes_model.row_of_id(selected_id(self.notes_view) or -1)
        return None if row is None else self.notes_model.row_at(row)

    def focus_note(self) -> None:
        self.note_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @Slot()
    def _update(self) -> None:
        self.add_button.setEnabled(bool(self.note_edit.toPlainText().strip()))
        self.delete_button.setEnabled(self.selected_note() is not None)

    @Slot()
    def add_note(self) -> None:
        """Keep the typed note; the box empties once it is saved."""
        from cohortdesk.core.services.people import tracking

        target, body = self.target(), self.note_edit.toPlainText().strip()
        if target is None or not body:
            return
        self.writer.write(
            "Add note",
            target,
            lambda s: tracking.add_note(s, target.membership_id, body),
            f"Added a note about {target.name}",
            on_done=lambda _row: self._clear_if(body),
        )

    def _clear_if(self, body: str) -> None:
        # Only if it is still the saved text: the user may have started another note meanwhile.
        if self.note_edit.toPlainText().strip() == body:
            self.note_edit.clear()

    @Slot()
    def delete_selected(self) -> None:
        """Delete the selected note, after asking."""
        from cohortdesk.core.services.people import tracking

        target, note = self.target(), self.selected_note()
        if target is None or note is None:
            return
        preview = note.body if len(note.body) <= PREVIEW_CHARS else note.body[:PREVIEW_CHARS] + "…"
        question = f"Delete this note about {target.name}?\n\n“{preview}”"
        if not confirm.confirm(self, "Delete note", question, "Delete"):
            return
        self.writer.write(
            "Delete note",
            target,
            lambda s: tracking.delete_note(s, note.id),
            f"Deleted a note about {target.name}",
        )
