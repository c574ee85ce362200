"""What every tab of the member panel shares: the member shown."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from cohortdesk.core.schemas import MemberDetail
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.views.member_tabs.writer import MemberTarget, MemberWriter


class MemberTab(QWidget):
    """A tab showing one side of the member; `show_detail` is called after every reload."""

    def __init__(self, context: AppContext, writer: MemberWriter) -> None:
        super().__init__()
        self.context = context
        self.writer = writer
        self.detail: MemberDetail | None = None

    def show_detail(self, detail: MemberDetail) -> None:
        self.detail = detail

    def target(self) -> MemberTarget | None:
        return None if self.detail is None else MemberTarget.of(self.detail)
