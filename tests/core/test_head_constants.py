"""The head revision and its schema, written down for a start that needs neither Alembic nor
the models, are the ones the migration scripts and the models define."""

from __future__ import annotations

from cohortdesk.core.storage import migrate
from cohortdesk.core.storage.schema_check import HEAD_SCHEMA, current_schema


def test_the_written_head_revision_is_the_migrations_head() -> None:
    assert migrate.head_revision() == migrate.HEAD_REVISION


def test_the_written_head_schema_is_the_models_schema() -> None:
    assert current_schema() == HEAD_SCHEMA
