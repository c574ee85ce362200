"""Running exports in tests, and reading their files back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from cohortdesk.core import exporters
from cohortdesk.core.exporters.records import ExportData, collect
from cohortdesk.core.schemas import ExportFormat, ExportOptions, ExportResult
from cohortdesk.core.storage.db import Database
from tests.core.exporters.conftest import NOW


def run_export(
    db: Database, cohort_id: int, format: ExportFormat, path: Path, **options: Any
) -> ExportResult:
    return exporters.run_export(db, cohort_id, format, path, ExportOptions(**options), now=NOW)


def collected(db: Database, cohort_id: int, **options: Any) -> ExportData:
    with db.read() as session:
        return collect(session, cohort_id, ExportOptions(**options), now=NOW)


def pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def statements(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text("utf-8"))
    assert isinstance(data, list)
    return data
