"""Nothing in a pseudonymised export identifies anyone; pseudonyms are stable per key."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

from cohortdesk.core.exporters.pseudonym import Pseudonymiser
from cohortdesk.core.schemas import ExportFormat
from cohortdesk.core.storage.db import Database
from tests.core.exporters.conftest import Sample
from tests.core.exporters.support import pdf_text, run_export


def _readable_bytes(path: Path) -> bytes:
    """The file's bytes, and for zipped or compressed formats what they unpack to."""
    data = path.read_bytes()
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            data += b"".join(archive.read(name) for name in archive.namelist())
    if path.suffix == ".pdf":
        data += pdf_text(path).encode("utf-8")
    return data


@pytest.mark.parametrize("format", list(ExportFormat))
def test_no_name_email_note_or_text_leaks(
    db: Database, sample: Sample, tmp_path: Path, format: ExportFormat
) -> None:
    result = run_export(
        db,
        sample.cohort_id,
        format,
        tmp_path / f"p{format.suffix}",
        pseudonymise=True,
        with_events=True,
    )
    assert result.pseudonymised
    for path in result.files:
        content = _readable_bytes(path)
        for secret in sample.secrets:
            for encoding in ("utf-8", "utf-16-be"):
                assert secret.encode(encoding) not in content, (path.name, secret)
        assert b"example.org" not in content


def test_plain_exports_do_carry_the_names(db: Database, sample: Sample, tmp_path: Path) -> None:
    # The leak test above would pass on an empty file: check it can see names at all.
    for format in ExportFormat:
        result = run_export(
            db, sample.cohort_id, format, tmp_path / f"n{format.suffix}", with_events=True
        )
        content = b"".join(_readable_bytes(path) for path in result.files)
        assert b"Ann Archer" in content, format


def test_pseudonyms_are_stable_with_a_key_and_unlinkable_without(
    db: Database, sample: Sample, tmp_path: Path
) -> None:
    def pseudonyms(name: str, key: str | None) -> list[str]:
        path = tmp_path / name
        run_export(db, sample.cohort_id, ExportFormat.CSV, path, pseudonymise=True, key=key)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return sorted(row["Pseudonym"] for row in csv.DictReader(handle))

    key = "our HR export key, 2025"
    first = pseudonyms("a.csv", key)
    assert pseudonyms("b.csv", key) == first
    assert len(set(first)) == 5 and all(p.startswith("p-") and len(p) == 14 for p in first)
    assert sorted(Pseudonymiser(key).person(i) for i in range(1, 6)) == first
    assert set(pseudonyms("c.csv", None)).isdisjoint(first)
    assert set(pseudonyms("d.csv", None)).isdisjoint(pseudonyms("e.csv", None))


def test_pseudonymised_tables_have_no_name_email_or_detail_columns(
    db: Database, sample: Sample, tmp_path: Path
) -> None:
    path = tmp_path / "p.csv"
    run_export(db, sample.cohort_id, ExportFormat.CSV, path, pseudonymise=True, with_events=True)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert header[0] == "Pseudonym" and "Name" not in header and "Email" not in header
    with (tmp_path / "p-events.csv").open(encoding="utf-8-sig", newline="") as handle:
        events_header = next(csv.reader(handle))
    assert "Detail" not in events_header and "Member" not in events_header
