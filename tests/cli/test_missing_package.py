"""An installation that lacks a package cohortdesk needs (an environment made before it was
needed) gets one line saying so and exit 1, whichever package and command; a module of
cohortdesk's own that cannot be found stays a bug, with its traceback."""

from __future__ import annotations

import os
import subprocess
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


#: a fresh interpreter in which `package` cannot be imported, running the command line
_WITHOUT = (
    "import sys; sys.modules[sys.argv[1]] = None\n"
    "from cohortdesk.cli.main import main\n"
    "sys.exit(main(sys.argv[2:]))"
)


@pytest.mark.parametrize(("package", "argv"), NEEDS, ids=[p for p, _ in NEEDS])
def test_a_command_needing_a_missing_package_says_so_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, package: str, argv: tuple[str, ...]
) -> None:
    assert run(capsys, "cohort", "create", "C")[0] == 0
    log = tmp_path / "log.csv"
    log.write_text("who,when,kind\nAda,2024-02-13 10:00,post\n")
    words = [a.format(file=log, out=tmp_path / "out") for a in argv]
    # in its own process, as an installation without the package runs: one that imported
    # it already (another test did) cannot unlearn it
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT, package, *words],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    err = done.stderr
    assert done.returncode == 1, err
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
