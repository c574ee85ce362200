"""How long cohortdesk takes to show its window, and to fill Today, against a bare window.

Each start is a fresh process on the demo cohort in a temporary data folder, timed from just
before the process is spawned to the start-up probe's lines (`cohortdesk.ui.startup_probe`);
each figure is the median of `RUNS` starts, the bare PySide6 window measured in the same run,
interleaved with cohortdesk's starts so both see the same load on the machine.

Figures (in .bench/results.json):
- `startup_bare_ms`: a bare PySide6 `QMainWindow`, shown, to its first paint;
- `startup_paint_ms`: cohortdesk's main window to its first paint;
- `startup_ready_ms`: to Today filled with the demo cohort's learners;
- `startup_paint_ratio` (goal <= 2.0) and `startup_ready_ratio` (goal <= 8.0): each over the
  bare window's time.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from tests.perf.conftest import Record
from tests.startup_runs import StartupRun, make_demo, start

RUNS = 7
PAINT_RATIO_GOAL = 2.0
READY_RATIO_GOAL = 8.0


def test_startup_against_a_bare_window(tmp_path: Path, record: Record) -> None:
    home = tmp_path / "home"
    make_demo(home)
    # The first starts write the settings and the bytecode cache.
    start(home, tmp_path / "warm.jsonl")
    start(home, tmp_path / "warm.jsonl", bare=True)
    bare: list[StartupRun] = []
    runs: list[StartupRun] = []
    for _ in range(RUNS):
        bare.append(start(home, tmp_path / "bare.jsonl", bare=True))
        runs.append(start(home, tmp_path / "app.jsonl"))
    bare_ms = statistics.median(r.paint_ms for r in bare)
    paint_ms = statistics.median(r.paint_ms for r in runs)
    ready_ms = statistics.median(r.ready_ms for r in runs)
    record(
        startup_bare_ms=round(bare_ms, 1),
        startup_paint_ms=round(paint_ms, 1),
        startup_ready_ms=round(ready_ms, 1),
        startup_paint_ratio=round(paint_ms / bare_ms, 2),
        startup_ready_ratio=round(ready_ms / bare_ms, 2),
    )
    assert all(r.learners > 0 for r in runs)
    assert paint_ms / bare_ms <= PAINT_RATIO_GOAL, "first paint over the goal"
    assert ready_ms / bare_ms <= READY_RATIO_GOAL, "Today filled over the goal"
