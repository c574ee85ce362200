"""Running the command line in-process, as the tests in this folder do."""

from __future__ import annotations

import pytest

from cohortdesk.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`cohortdesk ARGV...`: the exit code, and what it printed on stdout and stderr."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse: --version, --help, bad usage
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
