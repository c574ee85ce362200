"""`cohortdesk` and `cohortdesk --db X` open the app without building the whole parser; both
ways agree with the parser on what is asked, and anything else goes through it."""

from __future__ import annotations

import pytest

from cohortdesk.cli.main import build_parser, opens_the_app


@pytest.mark.parametrize(
    "argv",
    [[], ["--db", "team.sqlite"], ["--db=team.sqlite"], ["--db", "postgresql+psycopg://u@h/d"]],
)
def test_what_opens_the_app_is_what_the_parser_reads(argv: list[str]) -> None:
    app_only, db = opens_the_app(argv)
    parsed = build_parser().parse_args(argv)
    assert app_only
    assert parsed.command is None
    assert db == parsed.db


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["--help"],
        ["status", "--cohort", "A"],
        ["--db", "x.sqlite", "status"],
        ["--db", "--help"],
        ["--db"],
        ["--bogus"],
    ],
)
def test_anything_else_goes_through_the_parser(argv: list[str]) -> None:
    assert opens_the_app(argv) == (False, None)
