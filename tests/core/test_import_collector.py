"""A long import keeps the cycle collector's pauses short once it ends.

The collector sleeps while an import runs and walks the newest objects batch by batch.
Each walk of the middle generation counts towards a full collection, and ten make the
collector's first own collection after the import a full one, over everything the
program holds: 70-90 ms with the interpreter held, so the window freezes as the import ends.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from cohortdesk.core.importers import columnar
from cohortdesk.core.services.activity import imports
from cohortdesk.core.storage.db import Database
from tests.core.builders import make_cohort
from tests.perf.moodle_log_gen import generate_moodle_log


def test_an_import_in_many_batches_walks_the_older_generations_once(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "log.csv"
    generate_moodle_log(log, 3_000, users=40)
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 1 << 14)  # about twenty batches
    with db.write() as session:
        cohort_id = make_cohort(session).id
    batches: list[int] = []
    walks: list[int] = []

    def seen(phase: str, info: dict[str, Any]) -> None:
        if phase == "start" and not gc.isenabled():  # the import's own collections
            (walks if info["generation"] >= 1 else batches).append(info["generation"])

    gc.callbacks.append(seen)
    try:
        with db.write() as session:
            summary = imports.import_file(session, cohort_id, log, "moodle-log", columnar=True)
    finally:
        gc.callbacks.remove(seen)
    assert summary.read == 3_000
    assert len(batches) >= 10  # the newest objects, walked batch by batch
    assert walks == [1]  # the older ones once, at the end
