"""The nudge dialog's list of recipients: each with their template, or how it was sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from cohortdesk.ui.views.nudge_drafts import NudgeDrafts

if TYPE_CHECKING:
    from cohortdesk.core.services.messaging.sending import Recipient


class RecipientList(QListWidget):
    """One two-line item per member, in the order given; the current one is on screen."""

    def __init__(self, recipients: list[Recipient], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Recipients")
        self.setMinimumWidth(220)
        self.setSpacing(2)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._recipients = list(recipients)
        for recipient in self._recipients:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, recipient.membership_id)
            self.addItem(item)

    def current_recipient(self) -> Recipient | None:
        row = self.currentRow()
        return self._recipients[row] if 0 <= row < len(self._recipients) else None

    def relabel(self, drafts: NudgeDrafts) -> None:
        """Say where each message stands."""
        for row, recipient in enumerate(self._recipients):
            item = self.item(row)
            item.setText(drafts.label(recipient))
            item.setToolTip(recipient.email or "No email address: copy the message instead")

    def select_next_unsent(self, drafts: NudgeDrafts) -> None:
        """Move on to the first member whose message has not gone yet, if any."""
        unsent = {r.membership_id for r in drafts.unsent()}
        following = next(
            (row for row, r in enumerate(self._recipients) if r.membership_id in unsent), None
        )
        if following is not None:
            self.setCurrentRow(following)
