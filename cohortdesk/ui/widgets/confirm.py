"""One place that asks "are you sure?", so every confirmation looks the same.

Tests replace `confirm` (monkeypatch `cohortdesk.ui.widgets.confirm.confirm`); callers must
therefore call it through the module, `confirm.confirm(...)`, not import the function.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(parent: QWidget | None, title: str, text: str, action_label: str) -> bool:
    """Ask before a change that cannot be undone.

    Args:
        parent: the window the question belongs to.
        title: the window title, usually the action ("Remove from cohort").
        text: what will happen, naming the person or thing.
        action_label: the button that goes ahead ("Remove"); Cancel is the default.

    Returns:
        True when the user pressed the action button.
    """
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setParent(parent, box.windowFlags())
    go = box.addButton(action_label, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is go
