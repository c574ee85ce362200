"""The frame cohortdesk's dialogs share: the page's margins and the action-and-Cancel footer."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QPushButton, QVBoxLayout, QWidget

_ROLE_TIPS = {
    QDialogButtonBox.ButtonRole.RejectRole: "Close without changing anything",
    QDialogButtonBox.ButtonRole.DestructiveRole: "Close without changing anything",
}
CLOSE_TIP = "Close this window"

DIALOG_MARGINS = (18, 16, 18, 14)
"""Left, top, right, bottom: a little less below, where the buttons already have some air."""
DIALOG_SPACING = 10


def dialog_layout(dialog: QWidget) -> QVBoxLayout:
    """The dialog's page: a vertical layout with the margins and spacing every dialog uses."""
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(*DIALOG_MARGINS)
    layout.setSpacing(DIALOG_SPACING)
    return layout


def action_buttons(
    action: str, *others: QPushButton
) -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    """The footer of a dialog that does one thing: its action button, then Cancel.

    Enter always means the action, whichever other button has the focus: neither Cancel nor
    any of `others` becomes the default button.

    Args:
        action: the action button's text, with its mnemonic ("&Export").
        others: the dialog's other buttons.

    Returns:
        The button box, the action button and the Cancel button.
    """
    box = QDialogButtonBox()
    action_button = box.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
    cancel_button = box.addButton(QDialogButtonBox.StandardButton.Cancel)
    action_button.setDefault(True)
    for button in (*others, cancel_button):
        button.setAutoDefault(False)
    explain_buttons(box)
    return box, action_button, cancel_button


def explain_buttons(box: QDialogButtonBox, action_tip: str = "") -> QDialogButtonBox:
    """Give each button of `box` without a tooltip one: Cancel and Close say so, the action
    says `action_tip` (by default its own words, then that the dialog closes)."""
    for button in box.buttons():
        if button.toolTip():
            continue
        role = box.buttonRole(button)
        if box.standardButton(button) == QDialogButtonBox.StandardButton.Close:
            button.setToolTip(CLOSE_TIP)
        elif role in _ROLE_TIPS:
            button.setToolTip(_ROLE_TIPS[role])
        else:
            words = button.text().replace("&", "").rstrip("…").strip()
            button.setToolTip(action_tip or f"{words}, then close this window")
    return box


def close_button(tip: str = CLOSE_TIP) -> QPushButton:
    """A dialog's Close button, with its tooltip."""
    button = QPushButton("Close")
    button.setToolTip(tip)
    return button
