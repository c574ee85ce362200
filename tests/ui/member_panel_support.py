"""Helpers the member panel tests share: show a member, let a change settle, click, read a
roster row (their fixtures are in conftest.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cohortdesk.core.schemas import MemberDetail, MemberRow
from cohortdesk.core.services.activity import participation
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.views.member_panel import MemberPanel


def show(qtbot: QtBot, panel: MemberPanel, membership_id: int) -> MemberDetail:
    with qtbot.waitSignal(panel.member_loaded) as blocker:
        panel.show_member(membership_id)
    detail: MemberDetail = blocker.args[0]
    return detail


def settle(ctx: AppContext) -> None:
    """Let the write, its announcement and the reload it triggers all deliver."""
    assert ctx.runner.wait_idle(60_000)


def click(qtbot: QtBot, button: Any) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def roster_row(db: Database, membership_id: int) -> MemberRow:
    with db.read() as s:
        return participation.roster_row(s, membership_id)
