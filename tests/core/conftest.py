"""The core tests that use `db` run on SQLite and on PostgreSQL (`tests.databases`)."""

from tests.databases import database_kind  # noqa: F401
