"""Start-up: built-in templates a later version ships join an existing library."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import delete, select

from cohortdesk.core.enums import TemplatePurpose
from cohortdesk.core.models import PromptTemplate
from cohortdesk.core.schemas import TemplateInput
from cohortdesk.core.services.messaging import templates
from cohortdesk.core.storage.db import Database


def test_a_missing_built_in_is_added_at_start_up_and_only_once(db: Database) -> None:
    with db.write() as session:
        session.execute(delete(PromptTemplate).where(PromptTemplate.key == "follow-up"))
        templates.create_template(
            session,
            TemplateInput(name="Mine", purpose=TemplatePurpose.THANKS, subject="", body="Hi"),
        )
    assert templates.add_builtin_templates(db) == 1
    assert templates.add_builtin_templates(db) == 0
    with db.read() as session:
        keys = set(session.scalars(select(PromptTemplate.key)))
        names = {row.name for row in templates.list_templates(session)}
    assert "follow-up" in keys
    assert "Mine" in names  # the facilitator's own are left alone


def test_a_missing_package_in_the_window_is_said_not_reported_as_a_bug(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cohortdesk import app

    said: list[str] = []
    monkeypatch.setattr(app.QMessageBox, "critical", lambda _p, _t, text: said.append(text))
    monkeypatch.setattr(app.QMessageBox, "exec", lambda _self: pytest.fail("a bug report"))
    error = ModuleNotFoundError("No module named 'polars'", name="polars")
    app._show_bug(ModuleNotFoundError, error, None)
    assert len(said) == 1 and "lacks the package 'polars'" in said[0]
