"""The import preview names each person as the roster will after the import.

Someone the import matches shows under their member's name; someone it adds, under the name
a new member is given: a file that names people by a platform id alone (a Moodle log, a forum
export without names, an xAPI account) shows "Moodle user 5104" in the preview's Who column,
in the staff it proposes and in its notes, never a bare id.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from cohortdesk.core.importers.base import ImportOptions
from cohortdesk.core.importers.registry import detect_format
from cohortdesk.core.models import Membership, Person
from cohortdesk.core.schemas import ImportSummary
from cohortdesk.core.services.activity import imports
from cohortdesk.core.storage.db import Database
from tests.core.builders import make_cohort

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FILES = (
    "moodle_log/realistic_en_bom.csv",
    "moodle_log/no_seconds_anonymised.csv",
    "moodle_log/login_as.csv",
    "moodle_log/turnitin_with_names.csv",
    "moodle_forum/realistic_export.csv",
    "moodle_forum/realistic_export.json",
    "moodle_forum/no_user.csv",
    "xapi/realistic_array.json",
    "xapi/statements_without_ids.json",
    "xapi/mixed_mbox_account.json",
)


def preview_then_import(db: Database, path: Path, name: str) -> tuple[ImportSummary, set[str]]:
    """The dry run's summary, and the names on the roster after the real import."""
    with db.write() as session:
        cohort = make_cohort(session, name, start_date=date(2000, 1, 1))
    fmt = detect_format(path)
    assert fmt is not None, path
    with db.trial() as session:
        preview = imports.import_file(session, cohort.id, path, fmt, ImportOptions(), dry_run=True)
    with db.write() as session:
        imports.import_file(session, cohort.id, path, fmt, ImportOptions())
    with db.read() as session:
        names = set(
            session.scalars(
                select(Person.full_name)
                .join(Membership, Membership.person_id == Person.id)
                .where(Membership.cohort_id == cohort.id)
            )
        )
    return preview, names


def check_named_as_on_the_roster(preview: ImportSummary, names: set[str]) -> None:
    shown = {row.who for row in preview.sample if row.outcome in ("event", "person")}
    assert shown, "the preview shows nobody"
    assert shown <= names, shown - names
    assert not any(who.isdigit() for who in shown), shown
    assert set(preview.new_people) <= names
    for proposal in preview.proposed_staff:
        assert proposal.describe().startswith(proposal.who)
        assert not proposal.who.isdigit()


@pytest.mark.parametrize("name", FILES)
def test_the_preview_names_people_as_the_roster_will(db: Database, name: str) -> None:
    preview, names = preview_then_import(db, FIXTURES / name, name)
    check_named_as_on_the_roster(preview, names)


def test_the_real_moodle_log_preview_says_moodle_user(db: Database, real_fixtures: Path) -> None:
    path = real_fixtures / "moodle_log_edify_module3_sp17.csv"
    preview, names = preview_then_import(db, path, "Edify")
    check_named_as_on_the_roster(preview, names)
    assert "Moodle user 5104" in {row.who for row in preview.sample}
    assert [p.who for p in preview.proposed_staff] == ["Moodle user 394"]
    assert any("Moodle user 394. Nobody was made staff" in note for note in preview.notes)
