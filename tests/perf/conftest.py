"""Benchmarks: run by `make bench`, never by `make test`.

Each benchmark records its figures with `record(...)`; they are merged into one JSON object in
`.bench/results.json` (git-ignored), so a run of all benchmarks leaves every figure there.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

RESULTS = Path(__file__).resolve().parents[2] / ".bench" / "results.json"

Record = Callable[..., None]


@pytest.fixture
def record() -> Record:
    """`record(name=value, ...)`: merge figures into .bench/results.json and print them."""

    def _record(**figures: float | int | str) -> None:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        current = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        current.update(figures)
        RESULTS.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
        for name, value in figures.items():
            print(f"{name} = {value}")

    return _record


def best_ms(work: Callable[[], object], repeat: int = 3) -> float:
    """The best wall-clock time of `repeat` runs of `work`, in milliseconds (0.01 ms steps)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return round(min(times), 2)


def run_script(script: str, *argv: str) -> dict[str, Any]:
    """Run `script` in a fresh Python with `argv`; the JSON object its last line prints."""
    done = subprocess.run(
        [sys.executable, "-c", script, *argv], check=True, capture_output=True, text=True
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
