"""Names typed two ways are one name, a name is one line, a long name is said to be cut,
and the folders cohortdesk makes are owner-only whatever the umask."""

from __future__ import annotations

import json
import os
import stat
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cohortdesk.core.paths import app_paths
from tests.cli.support import run
from tests.safety.fuzz import FUZZ

CONTROL = st.sampled_from(["\n", "\r", "\t", "\x00", "\x1b", "\u2028", "\x85"])


@pytest.mark.parametrize("name", ["Café", "Zoë’s group", "Ångström 2"])
def test_a_name_typed_in_either_unicode_form_is_one_cohort(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    composed, decomposed = (unicodedata.normalize(f, name) for f in ("NFC", "NFD"))
    assert run(capsys, "cohort", "create", composed)[0] == 0
    code, _, err = run(capsys, "cohort", "create", decomposed)
    assert code == 1 and "already exists" in err, err
    code, _, err = run(capsys, "status", "--cohort", decomposed)
    assert code == 0, err


@FUZZ
@given(before=st.text(min_size=1, max_size=5), control=CONTROL)
def test_a_name_with_a_line_break_or_control_character_is_refused(
    capsys: pytest.CaptureFixture[str], before: str, control: str
) -> None:
    # after "--", as a name that starts with a dash is typed (else it reads as an option)
    code, _, err = run(capsys, "cohort", "create", "--", f"{before.strip() or 'x'}{control}End")
    assert code == 1 and len(err.strip().splitlines()) == 1, err


def test_a_name_over_200_characters_is_refused_when_typed_and_said_when_imported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    long = "A" * 150 + " " + "B" * 100
    code, _, err = run(capsys, "cohort", "create", long)
    assert code == 1 and "200" in err, err
    assert run(capsys, "cohort", "create", "T1")[0] == 0
    log = tmp_path / "log.csv"
    log.write_text(f"who,when,kind\n{long},2024-02-13 10:00,post\n")
    code, out, err = run(
        capsys, "import", "activity-csv", str(log), "--cohort", "T1", "--map",
        "who=who,when=when,kind=kind", "--json",
    )  # fmt: skip
    assert code == 0, err
    assert any("shortened" in note for note in json.loads(out)["notes"])


@pytest.mark.skipif(os.name != "posix", reason="umask is POSIX")
def test_every_folder_made_for_the_data_is_owner_only_under_an_open_umask(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "fresh" / "cohortdesk-home"
    monkeypatch.setenv("COHORTDESK_HOME", str(home))
    old = os.umask(0)
    try:
        assert run(capsys, "cohort", "list")[0] == 0
    finally:
        os.umask(old)
    paths = app_paths()
    for folder in (tmp_path / "fresh", home, paths.data_dir, paths.config_dir, paths.backup_dir):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
