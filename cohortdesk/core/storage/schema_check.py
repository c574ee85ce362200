"""Is a database file's schema exactly the one cohortdesk made for its revision?

A backup crafted to keep erased people (an extra table, and a trigger that copies every
deleted person into it) passed every integrity check: it is a sound SQLite file. What gives
it away is its schema: cohortdesk makes no triggers and no views, and only the tables and
indexes of its migrations. `foreign_objects` lists whatever else a file holds; restoring and
opening refuse such a file instead of running the attacker's code on the user's data.

The schema of the current revision comes from the models (`Base.metadata`), which a test
holds equal to what the migrations make; an older revision's is made once per process by
migrating an empty file in a temporary folder.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterable, Sequence
from contextlib import closing
from functools import cache
from pathlib import Path

from cohortdesk.core.storage.db import Database, connect_sqlite

#: what SQLite itself makes (AUTOINCREMENT counters, ANALYZE statistics, unique indexes)
_SQLITE_OWN = "sqlite_"
#: the table Alembic keeps the revision in
_VERSION_TABLE = "alembic_version"

SchemaObject = tuple[str, str]  # (type, name): ("table", "people"), ("trigger", "keep")

#: The current revision's tables and indexes, written down so that opening a database needs
#: neither the models nor Alembic (a test holds it equal to `Base.metadata`).
HEAD_SCHEMA: frozenset[SchemaObject] = frozenset(
    [
        ("table", name)
        for name in (
            "access_issues",
            "activity_events",
            "alembic_version",
            "cohort_rules",
            "cohorts",
            "daily_activity",
            "daily_replies",
            "daily_totals",
            "highlights",
            "identities",
            "import_batches",
            "interventions",
            "member_notes",
            "memberships",
            "mentor_links",
            "mentor_reviews",
            "mentoring_groups",
            "mentoring_sessions",
            "motivation_checks",
            "people",
            "prompt_templates",
            "review_pack_info",
            "stage_changes",
            "suggestion_dismissals",
            "team_logins",
        )
    ]
    + [
        ("index", name)
        for name in (
            "ix_access_issues_membership_id",
            "ix_activity_events_cohort_person_time",
            "ix_activity_events_cohort_time",
            "ix_activity_events_import_batch_id",
            "ix_activity_events_replied_to_id",
            "ix_highlights_event_id",
            "ix_highlights_membership_id",
            "ix_identities_person_id",
            "ix_identities_source_external_id",
            "ix_import_batches_cohort_id",
            "ix_interventions_membership_sent",
            "ix_interventions_template_id",
            "ix_member_notes_membership_id",
            "ix_memberships_import_batch_id",
            "ix_memberships_person_id",
            "ix_mentor_links_group_id",
            "ix_mentor_links_mentee_membership_id",
            "ix_mentor_links_mentor_membership_id",
            "ix_mentor_reviews_mentor_membership_id",
            "ix_mentoring_groups_mentor_membership_id",
            "ix_mentoring_sessions_group_id",
            "ix_mentoring_sessions_mentee_membership_id",
            "ix_mentoring_sessions_mentor_membership_id",
            "ix_motivation_checks_membership_id",
            "ix_people_email_lower",
            "ix_review_pack_info_mentor_membership_id",
            "ix_stage_changes_membership_id",
            "ix_suggestion_dismissals_membership_id",
            "ix_team_logins_person_id",
        )
    ]
)


def current_schema() -> frozenset[SchemaObject]:
    """The tables and indexes the models define: the current revision's schema."""
    from cohortdesk.core.models import Base

    found: set[SchemaObject] = {("table", _VERSION_TABLE)}
    for table in Base.metadata.tables.values():
        found.add(("table", table.name))
        found.update(("index", str(index.name)) for index in table.indexes)
    return frozenset(found)


@cache
def revision_schema(revision: str) -> frozenset[SchemaObject]:
    """The tables and indexes the migrations make up to `revision` (made once per process)."""
    from cohortdesk.core.storage.migrate import HEAD_REVISION, upgrade_to

    if revision == HEAD_REVISION:
        return HEAD_SCHEMA
    with tempfile.TemporaryDirectory(prefix="cohortdesk-schema-") as folder:
        file = Path(folder) / "schema.sqlite"
        db = Database(f"sqlite:///{file}")
        try:
            upgrade_to(db, revision)
        finally:
            db.dispose()
        with closing(connect_sqlite(file, read_only=True)) as connection:
            return frozenset(schema_of(connection.execute(SCHEMA_QUERY)))


#: the rows `schema_of` reads, on any connection
SCHEMA_QUERY = "SELECT type, name FROM sqlite_master WHERE name IS NOT NULL"


def schema_of(rows: Iterable[Sequence[object]]) -> set[SchemaObject]:
    """The tables, indexes, triggers and views among `SCHEMA_QUERY`'s rows, SQLite's own
    left out."""
    return {(str(kind), str(name)) for kind, name in rows if not str(name).startswith(_SQLITE_OWN)}


def foreign_objects(rows: Iterable[Sequence[object]], revision: str) -> list[str]:
    """What a file holds (`SCHEMA_QUERY`'s rows) that cohortdesk's schema of `revision` does
    not, as `trigger keep_people`, sorted; empty for a file exactly as cohortdesk made it."""
    extra = schema_of(rows) - revision_schema(revision)
    return [f"{kind} {name}" for kind, name in sorted(extra)]


def foreign_in(connection: sqlite3.Connection) -> list[str]:
    """`foreign_objects` of an open file at its recorded revision; empty when it records
    none this cohortdesk knows (that is refused elsewhere, with its own reason)."""
    from cohortdesk.core.storage.migrate import HEAD_REVISION, known_revisions

    try:
        row = connection.execute(f"SELECT version_num FROM {_VERSION_TABLE}").fetchone()
    except sqlite3.Error:
        return []
    if row is None or (str(row[0]) != HEAD_REVISION and str(row[0]) not in known_revisions()):
        return []
    return foreign_objects(connection.execute(SCHEMA_QUERY), str(row[0]))


def refusal(found: list[str]) -> str:
    """The reason a file with foreign objects is refused, to follow its name."""
    shown = ", ".join(found[:4]) + (f" and {len(found) - 4} more" if len(found) > 4 else "")
    return (
        f"holds what cohortdesk never makes ({shown}): it may have been tampered with, so "
        "it is not used"
    )
