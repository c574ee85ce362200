"""Ask for one piece of text: an access problem's description, how it was resolved."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cohortdesk.ui.widgets.dialog_parts import explain_buttons


class TextPromptDialog(QDialog):
    """A question, a text box and an action button, disabled while a required text is empty.

    Args:
        parent: the window the dialog belongs to.
        title: the window title.
        prompt: the question, one or two sentences.
        action_label: the OK button's text ("Report problem").
        required: whether an empty text is refused.
        placeholder: a hint inside the empty text box.
    """

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        prompt: str,
        action_label: str,
        *,
        required: bool = True,
        placeholder: str = "",
    ) -> None:
        super().__init__(parent)
        self.required = required
        self.setWindowTitle(title)
        self.setMinimumWidth(400)
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(label)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlaceholderText(placeholder)
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setFixedHeight(self.text_edit.fontMetrics().lineSpacing() * 5)
        label.setBuddy(self.text_edit)
        layout.addWidget(self.text_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(action_label)
        explain_buttons(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.text_edit.textChanged.connect(self._update)
        self._update()

    def text(self) -> str:
        return self.text_edit.toPlainText().strip()

    def set_text(self, text: str) -> None:
        self.text_edit.setPlainText(text)

    @Slot()
    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.text()) or not self.required)

    def accept(self) -> None:
        if self.text() or not self.required:
            super().accept()
