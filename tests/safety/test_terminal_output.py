"""Names with terminal control sequences are printed shown, never obeyed; the data keeps them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.cli.support import run
from tests.safety.fuzz import FUZZ

#: what a terminal obeys: C0 but newline, DEL, C1 (U+009B is a one-character CSI)
OBEYED = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
SEQUENCES = [
    "\x1b]0;pwned\x07",  # OSC: retitle the window
    "\x1b[2J\x1b[H",  # CSI: clear the screen
    "\x9b31m",  # C1 CSI: recolour
    "\x1bP+q\x1b\\",  # DCS
    "\r\x08\x08",  # carriage return and backspaces: overwrite what was printed
]
CONTROL = st.sampled_from([chr(c) for c in (*range(9), *range(11, 32), *range(127, 160))])
HOSTILE_NAME = st.lists(
    st.one_of(st.sampled_from(SEQUENCES), CONTROL, st.sampled_from(["Ann", " ", "Lee", "é"])),
    min_size=1,
    max_size=6,
).map("".join)
COMMANDS = [
    ("status", "--cohort", "T1"),
    ("attention", "--cohort", "T1"),
    ("report", "--cohort", "T1"),
    ("imports", "list", "--cohort", "T1"),
    ("cohort", "list"),
]


def _import(capsys: pytest.CaptureFixture[str], folder: Path, name: str) -> tuple[int, str]:
    path = folder / "log.csv"
    cell = '"' + name.replace('"', '""') + '"'
    path.write_text(f"who,when,kind\n{cell},2024-02-13 10:00,post\nBo,2024-02-14 10:00,post\n")
    code, _, err = run(
        capsys, "import", "activity-csv", str(path), "--cohort", "T1", "--map",
        "who=who,when=when,kind=kind",
    )  # fmt: skip
    return code, err


@pytest.fixture
def cohort(capsys: pytest.CaptureFixture[str]) -> str:
    assert run(capsys, "cohort", "create", "T1", "--start", "2024-02-01")[0] == 0
    return "T1"


@pytest.mark.parametrize("sequence", SEQUENCES)
def test_every_table_and_message_shows_the_sequence_instead_of_sending_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, cohort: str, sequence: str
) -> None:
    name = f"Eve{sequence}Evil"
    code, err = _import(capsys, tmp_path, name)
    if code != 0:  # refused: the message itself must be safe
        assert not OBEYED.search(err)
        return
    for command in COMMANDS:
        code, out, err = run(capsys, *command)
        assert code == 0, err
        assert not OBEYED.search(out + err), (command, out)
    code, out, _ = run(capsys, "status", "--cohort", cohort)
    if OBEYED.search(name.replace("\r", "")):  # a carriage return is read as a space
        assert "\\x" in out  # shown, so the facilitator sees something is odd


@FUZZ
@given(name=HOSTILE_NAME)
def test_json_keeps_the_name_exactly_and_sends_no_control_character(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, cohort: str, name: str
) -> None:
    code, err = _import(capsys, tmp_path, name)
    assert not OBEYED.search(err)
    if code != 0:
        return
    code, out, err = run(capsys, "status", "--cohort", cohort, "--json")
    assert code == 0 and not OBEYED.search(out + err)
    assert len(json.loads(out)["members"]) >= 2  # still valid JSON, every member in it


def test_a_usage_error_echoing_the_argument_is_shown_safely(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "status", "--cohort", "\x1b]0;pwned\x07")
    assert code == 1 and not OBEYED.search(out + err) and "\\x1b" in err
