"""Fixtures and helpers the member panel tests share: a panel on a real database, and the
means to answer its questions and watch what it says."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from cohortdesk.core.paths import AppPaths
from cohortdesk.core.schemas import MemberDetail, MemberRow
from cohortdesk.core.services.activity import participation
from cohortdesk.core.storage.db import Database
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.views.member_panel import MemberPanel
from cohortdesk.ui.widgets import confirm
from tests.ui.member_data import Cohort, make_cohort, make_context


@pytest.fixture
def ctx(db: Database, paths: AppPaths) -> Iterator[AppContext]:
    context = make_context(db, paths)
    yield context
    context.runner.wait_idle()
    context.runner.shutdown()


@pytest.fixture
def cohort(db: Database) -> Cohort:
    return make_cohort(db)


@pytest.fixture
def panel(qtbot: QtBot, ctx: AppContext) -> MemberPanel:
    widget = MemberPanel(ctx)
    qtbot.addWidget(widget)
    widget.resize(520, 760)
    widget.show()
    return widget


@pytest.fixture
def said(panel: MemberPanel) -> list[str]:
    """What the panel put in the status bar."""
    messages: list[str] = []
    panel.status_message.connect(messages.append)
    return messages


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every confirmation is answered yes; the questions are kept."""
    questions: list[str] = []

    def yes(parent: Any, title: str, text: str, action_label: str) -> bool:
        questions.append(text)
        return True

    monkeypatch.setattr(confirm, "confirm", yes)
    return questions


@pytest.fixture
def warnings_shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *args: shown.append(text)
    )
    return shown


def show(qtbot: QtBot, panel: MemberPanel, membership_id: int) -> MemberDetail:
    with qtbot.waitSignal(panel.member_loaded) as blocker:
        panel.show_member(membership_id)
    detail: MemberDetail = blocker.args[0]
    return detail


def settle(ctx: AppContext) -> None:
    """Let the write, its announcement and the reload it triggers all deliver."""
    assert ctx.runner.wait_idle()


def click(qtbot: QtBot, button: Any) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def roster_row(db: Database, membership_id: int) -> MemberRow:
    with db.read() as s:
        return participation.roster_row(s, membership_id)
