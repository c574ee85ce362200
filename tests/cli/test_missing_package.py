"""An installation that lacks a package cohortdesk needs (an environment made before it was
needed) gets one line saying so and exit 1, whichever package and command; a module of
cohortdesk's own that cannot be found stays a bug, with its traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cohortdesk.core.errors import missing_package
from tests.cli.support import run
from tests.databases import sqlite_only

#: each package a command loads only when it needs it, and a command that needs it
NEEDS = [
    ("polars", ("import", "activity-csv", "{file}", "--cohort", "C", "--map",
                "who=who,when=when,kind=kind")),
    ("openpyxl", ("export", "xlsx", "--cohort", "C", "-o", "{out}.xlsx")),
    ("reportlab", ("export", "pdf", "--cohort", "C", "-o", "{out}.pdf")),
]  # fmt: skip


@pytest.mark.parametrize(("package", "argv"), NEEDS, ids=[p for p, _ in NEEDS])
def test_a_command_needing_a_missing_package_says_so_in_one_line(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    package: str,
    argv: tuple[str, ...],
) -> None:
    assert run(capsys, "cohort", "create", "C")[0] == 0
    log = tmp_path / "log.csv"
    log.write_text("who,when,kind\nAda,2024-02-13 10:00,post\n")
    for name in list(sys.modules):
        if name == package or name.startswith(f"{package}."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, package, None)  # import of it now fails as if absent
    for name in list(sys.modules):  # our modules that hold it are loaded afresh
        if name.startswith("cohortdesk.core.") and hasattr(sys.modules[name], package):
            monkeypatch.delitem(sys.modules, name)
    words = [a.format(file=log, out=tmp_path / "out") for a in argv]
    code, _, err = run(capsys, *words)
    assert code == 1, err
    assert len(err.strip().splitlines()) == 1, err
    assert f"lacks the package '{package}'" in err and "Traceback" not in err


@sqlite_only("which errors are a missing package: no database involved")
@pytest.mark.parametrize(
    ("error", "said"),
    [
        (ModuleNotFoundError("No module named 'polars'", name="polars"), True),
        (ModuleNotFoundError("x", name="psycopg.pq"), True),
        (ModuleNotFoundError("x", name="cohortdesk.core.nowhere"), False),
        (ModuleNotFoundError("x"), False),
        (ImportError("cannot import name 'x'", name="polars"), False),
        (ValueError("polars"), False),
    ],
)
def test_only_a_missing_package_of_others_is_said_rather_than_reported(
    error: BaseException, said: bool
) -> None:
    assert (missing_package(error) is not None) is said
