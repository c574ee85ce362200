"""Editing one prompt template: fields, the documented placeholders, live checks and preview.

The check runs as you type (it is a small parser, no database): the first problem is named
under the editor and its place is marked in the text. The preview fills the template in for
a real member of the cohort, in the background, a moment after typing stops.
"""

from __future__ import annotations

from datetime import date

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from cohortdesk.core.enums import Role, TemplatePurpose
from cohortdesk.core.name_order import name_key
from cohortdesk.core.rendering import PLACEHOLDERS, TemplateError, check
from cohortdesk.core.schemas import (
    MemberRow,
    RenderedMessage,
    TemplateInput,
    TemplateRow,
    validated,
)
from cohortdesk.core.stages import all_stages
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.message_labels import PURPOSE_LABELS
from cohortdesk.ui.widgets.labels import error_label, heading_label, muted_label, show_error

BUILTIN_NOTE = "Built in, kept as shipped: duplicate it to make your own version to adapt."
ERROR_BACKGROUND = QColor("#f9d0d0")
ERROR_BORDER = "border: 1px solid #d93f3f;"
PREVIEW_DELAY_MS = 250


def preview_for(
    session: Session, subject: str, body: str, membership_id: int, as_of: date
) -> RenderedMessage | str:
    """The template filled in for a member, or the problem in words (in a worker)."""
    from cohortdesk.core.services.messaging import templates

    try:
        return templates.preview(session, subject, body, membership_id, as_of)
    except TemplateError as exc:
        return str(exc)


class TemplateEditor(QWidget):
    """One template's fields, with placeholders, live validation and a live preview.

    Args:
        context: the open database's services (for the preview).
        parent: the templates dialog.
    """

    changed = Signal()
    """The fields changed (typed, or another template shown)."""
    preview_updated = Signal()
    """A preview arrived (or says why there is none)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.row: TemplateRow | None = None
        self._loading = False
        self._request = 0
        self.error: TemplateError | None = None
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)

        self.heading = heading_label("", scale=1.15)
        self.builtin_note = muted_label(BUILTIN_NOTE)
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Template name")
        self.purpose_combo = QComboBox()
        for purpose, label in PURPOSE_LABELS.items():
            self.purpose_combo.addItem(label, purpose.value)
        self.stage_combo = QComboBox()
        self.stage_combo.addItem("Any stage", None)
        for info in all_stages():
            self.stage_combo.addItem(info.label, info.number)
        self.subject_edit = QLineEdit()
        self.subject_edit.setAccessibleName("Subject")
        self.body_edit = QPlainTextEdit()
        self.body_edit.setAccessibleName("Body")
        self.body_edit.setTabChangesFocus(True)
        self._last_field: QLineEdit | QPlainTextEdit = self.body_edit

        self.placeholder_list = QListWidget()
        self.placeholder_list.setAccessibleName("Placeholders")
        self.placeholder_list.setWordWrap(True)
        self.placeholder_list.setSpacing(3)
        self.placeholder_list.setAlternatingRowColors(True)
        for placeholder in PLACEHOLDERS:
            item = QListWidgetItem(f"{placeholder.token}\n{placeholder.description}")
            item.setData(Qt.ItemDataRole.UserRole, placeholder.token)
            item.setToolTip(f"{placeholder.description}\nFor example: {placeholder.example}")
            self.placeholder_list.addItem(item)
        self.placeholder_list.itemClicked.connect(self._insert_placeholder)
        placeholders = QWidget()
        placeholders_layout = QVBoxLayout(placeholders)
        placeholders_layout.setContentsMargins(0, 0, 0, 0)
        placeholders_layout.addWidget(heading_label("Placeholders"))
        placeholders_layout.addWidget(muted_label("Click one to insert it where the cursor is."))
        placeholders_layout.addWidget(self.placeholder_list, 1)

        self.error_label = error_label()
        self.ok_label = muted_label("")
        self.member_combo = QComboBox()
        self.member_combo.setAccessibleName("Preview with")
        self.member_combo.setMinimumContentsLength(18)
        self.preview_subject = heading_label()
        self.preview_subject.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview_subject.setWordWrap(True)
        self.preview_body = QPlainTextEdit()
        self.preview_body.setReadOnly(True)
        self.preview_body.setAccessibleName("Preview")
        self.preview_body.setFrameShape(QFrame.Shape.NoFrame)
        self.preview_body.setStyleSheet("QPlainTextEdit { background: palette(alternate-base); }")
        self.preview_note = muted_label()

        fields = QFormLayout()
        fields.setContentsMargins(0, 0, 0, 0)
        fields.addRow("&Name:", self.name_edit)
        kind = QHBoxLayout()
        kind.addWidget(self.purpose_combo, 1)
        kind.addWidget(QLabel("Stage:"))
        kind.addWidget(self.stage_combo, 1)
        fields.addRow("Purpose:", kind)
        fields.addRow("&Subject:", self.subject_edit)

        text = QWidget()
        text_layout = QVBoxLayout(text)
        text_layout.setContentsMargins(0, 0, 0, 0)
        text_layout.addWidget(self.body_edit, 1)
        text_layout.addWidget(self.error_label)
        text_layout.addWidget(self.ok_label)
        body_row = QSplitter(Qt.Orientation.Horizontal)
        body_row.setChildrenCollapsible(False)
        body_row.addWidget(text)
        body_row.addWidget(placeholders)
        body_row.setStretchFactor(0, 3)
        body_row.setStretchFactor(1, 2)
        body_row.setSizes([480, 260])

        preview = QWidget()
        preview_layout = QVBoxLayout(preview)
        preview_layout.setContentsMargins(0, 6, 0, 0)
        preview_top = QHBoxLayout()
        preview_top.addWidget(heading_label("Preview with"))
        preview_top.addWidget(self.member_combo, 1)
        preview_layout.addLayout(preview_top)
        preview_layout.addWidget(self.preview_subject)
        preview_layout.addWidget(self.preview_body, 1)
        preview_layout.addWidget(self.preview_note)

        parts = QSplitter(Qt.Orientation.Vertical)
        parts.setChildrenCollapsible(False)
        parts.addWidget(body_row)
        parts.addWidget(preview)
        parts.setSizes([330, 250])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.builtin_note)
        layout.addLayout(fields)
        layout.addWidget(muted_label("Body:"))
        layout.addWidget(parts, 1)

        self.name_edit.textEdited.connect(self._typed)
        self.purpose_combo.currentIndexChanged.connect(self._typed)
        self.stage_combo.currentIndexChanged.connect(self._typed)
        self.subject_edit.textChanged.connect(self._typed)
        self.body_edit.textChanged.connect(self._typed)
        self.member_combo.currentIndexChanged.connect(lambda _i: self.refresh_preview())
        self.subject_edit.installEventFilter(self)
        self.body_edit.installEventFilter(self)
        self.show_template(None)

    # -- what is edited ------------------------------------------------------------------

    def show_template(self, row: TemplateRow | None, *, new: bool = False) -> None:
        """Show a saved template, a blank new one (`new`), or nothing."""
        self.row = row
        self._loading = True
        try:
            if row is None and not new:
                self.heading.setText("Select a template, or create one with New")
            elif row is None:
                self.heading.setText("New template")
            else:
                self.heading.setText(row.name)
            self.name_edit.setText(row.name if row else ("New template" if new else ""))
            purpose = row.purpose if row else TemplatePurpose.FOLLOW_UP
            self.purpose_combo.setCurrentIndex(self.purpose_combo.findData(purpose.value))
            self.stage_combo.setCurrentIndex(self.stage_combo.findData(row.stage if row else None))
            self.subject_edit.setText(row.subject if row else "")
            self.body_edit.setPlainText(row.body if row else "")
            editable = new or (row is not None and not row.builtin)
            self.builtin_note.setVisible(row is not None and row.builtin)
            for widget in (self.name_edit, self.subject_edit):
                widget.setReadOnly(not editable)
            self.body_edit.setReadOnly(not editable)
            for combo in (self.purpose_combo, self.stage_combo):
                combo.setEnabled(editable)
            self.placeholder_list.setEnabled(editable)
            self.setEnabled(row is not None or new)
        finally:
            self._loading = False
        self.validate()
        self._show_preview("", "", "")  # not the previous template's while this one loads
        self.refresh_preview()

    def is_editable(self) -> bool:
        return not self.body_edit.isReadOnly()

    def is_dirty(self) -> bool:
        """True when the fields differ from the template shown (or a new one was typed)."""
        if not self.is_editable():
            return False
        if self.row is None:
            return True
        return (
            self.name_edit.text().strip(),
            self.purpose_combo.currentData(),
            self.stage_combo.currentData(),
            " ".join(self.subject_edit.text().split()),
            self.body_edit.toPlainText(),
        ) != (
            self.row.name,
            self.row.purpose.value,
            self.row.stage,
            self.row.subject,
            self.row.body,
        )

    def value(self) -> TemplateInput:
        """The fields as a template to save.

        Raises:
            KnownError: a field is not valid (an empty name, say).
        """
        return validated(
            TemplateInput,
            name=self.name_edit.text(),
            purpose=TemplatePurpose(self.purpose_combo.currentData()),
            stage=self.stage_combo.currentData(),
            subject=self.subject_edit.text(),
            body=self.body_edit.toPlainText(),
        )

    def set_members(self, rows: list[MemberRow]) -> None:
        """The members the preview can use: learners first, then the others, by name."""
        kept = self.member_combo.currentData()
        ordered = sorted(rows, key=lambda r: (r.role is not Role.LEARNER, name_key(r.name)))
        self.member_combo.blockSignals(True)
        self.member_combo.clear()
        for row in ordered:
            self.member_combo.addItem(f"{row.name} · stage {row.stage}", row.membership_id)
        position = self.member_combo.findData(kept) if kept is not None else -1
        self.member_combo.setCurrentIndex(max(position, 0) if ordered else -1)
        self.member_combo.blockSignals(False)
        self.refresh_preview()

    # -- typing, checking, placeholders --------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            if watched is self.subject_edit:
                self._last_field = self.subject_edit
            elif watched is self.body_edit:
                self._last_field = self.body_edit
        return False

    @Slot()
    def _typed(self) -> None:
        if self._loading:
            return
        if self.validate() is not None:
            self.refresh_preview()  # says at once why there is no preview: no database needed
        else:
            self._preview_timer.start()
        self.changed.emit()

    @Slot(QListWidgetItem)
    def _insert_placeholder(self, item: QListWidgetItem) -> None:
        if not self.is_editable():
            return
        token = str(item.data(Qt.ItemDataRole.UserRole))
        field = self._last_field
        if isinstance(field, QLineEdit):
            field.insert(token)
        else:
            field.insertPlainText(token)
        field.setFocus()

    def validate(self) -> TemplateError | None:
        """Check subject and body; show the first problem and mark where it is."""
        self.error = None
        for text, part in (
            (self.subject_edit.text(), "Subject"),
            (self.body_edit.toPlainText(), "Body"),
        ):
            try:
                check(text, part)
            except TemplateError as exc:
                self.error = exc
                break
        self._mark(self.error)
        if self.error is not None:
            show_error(self.error_label, str(self.error))
            self.ok_label.hide()
        else:
            show_error(self.error_label, "")
            used = len(
                set(check(self.subject_edit.text())) | set(check(self.body_edit.toPlainText()))
            )
            self.ok_label.setText(
                f"✓ The template is fine ({used} placeholder{'s' * (used != 1)} used)"
                if self.body_edit.toPlainText().strip()
                else "Write the message in the body."
            )
            self.ok_label.show()
        return self.error

    def _mark(self, error: TemplateError | None) -> None:
        self.subject_edit.setStyleSheet("")
        self.body_edit.setExtraSelections([])
        if error is None:
            return
        length = len(error.placeholder) + 2 if error.placeholder is not None else 1
        if error.part == "Subject":
            self.subject_edit.setStyleSheet(f"QLineEdit {{ {ERROR_BORDER} }}")
            return
        text_length = len(self.body_edit.toPlainText())
        start = min(error.offset, text_length)
        cursor = QTextCursor(self.body_edit.document())
        cursor.setPosition(start)
        cursor.setPosition(min(start + length, text_length), QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        char_format = QTextCharFormat()
        char_format.setBackground(ERROR_BACKGROUND)
        char_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        char_format.setUnderlineColor(QColor("#d93f3f"))
        char_format.setProperty(QTextFormat.Property.FullWidthSelection, False)
        selection.format = char_format
        selection.cursor = cursor
        self.body_edit.setExtraSelections([selection])

    def marked_range(self) -> tuple[int, int] | None:
        """Where the body's error mark is (start, end), or None: what a person sees in red."""
        selections = self.body_edit.extraSelections()
        if not selections:
            return None
        cursor = selections[0].cursor
        return cursor.selectionStart(), cursor.selectionEnd()

    # -- preview -------------------------------------------------------------------------

    @Slot()
    def refresh_preview(self) -> None:
        """Fill the template in for the chosen member (in the background)."""
        self._preview_timer.stop()
        membership_id = self.member_combo.currentData()
        self._request += 1
        if self.error is not None:
            self._show_preview("", "", "Fix the problem above to see the preview.")
            return
        if membership_id is None:
            self._show_preview("", "", "Select a cohort with members to preview with one of them.")
            return
        if not self.body_edit.toPlainText().strip():
            self._show_preview("", "", "")
            return
        request = self._request
        subject, body = self.subject_edit.text(), self.body_edit.toPlainText()
        today = self.context.current_date()
        self.context.runner.read(
            "Previewing the template",
            lambda session: preview_for(session, subject, body, int(membership_id), today),
            lambda result: self._preview_arrived(request, result),
        )

    def _preview_arrived(self, request: int, result: RenderedMessage | str) -> None:
        if request != self._request or not shiboken6.isValid(self):
            return
        if isinstance(result, str):
            self._show_preview("", "", result)
            return
        note = ""
        if result.fallback_fields:
            tokens = ", ".join("{" + name + "}" for name in result.fallback_fields)
            verb = "uses a stand-in" if len(result.fallback_fields) == 1 else "use stand-ins"
            note = f"For this member, {tokens} {verb} (no value of their own yet)."
        self._show_preview(result.subject, result.body, note)

    def _show_preview(self, subject: str, body: str, note: str) -> None:
        self.preview_subject.setText(subject)
        self.preview_subject.setVisible(bool(subject))
        self.preview_body.setPlainText(body)
        self.preview_note.setText(note)
        self.preview_note.setVisible(bool(note))
        self.preview_updated.emit()
