"""The command-line tests run on SQLite and on PostgreSQL (`tests.databases`)."""

from tests.databases import database_kind, every_command_on_both  # noqa: F401
