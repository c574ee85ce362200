"""Start-up of the self-contained bundle: `startup_bundle_ready_ms`, from launch to Today filled
with the demo's learners, the median of several fresh processes, unpacked in a fresh folder
and run with a clean environment (as tests/packaging does). Also `startup_bundle_version_ms`,
`cohortdesk --version` from the bundle.

Needs a bundle (`make package`) and the GUI's start-up probe (COHORTDESK_STARTUP_PROBE).
"""

from __future__ import annotations

import statistics
import subprocess
import time
from pathlib import Path

import pytest

from tests.packaging import bundle as b
from tests.perf.conftest import Record

RUNS = 5


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tarball = b.tarball()
    if tarball is None or not tarball.is_file():
        pytest.skip(f"no bundle built: run `make package` first (writes {b.DEFAULT_TARBALL.name})")
    return b.unpack(tarball, tmp_path_factory.mktemp("bundle"))


@pytest.fixture(scope="module")
def home(app: Path) -> Path:
    home = app.parent / "home"
    home.mkdir()
    done = subprocess.run(
        [str(app / "cohortdesk"), "demo"], env=b.clean_env(home), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return home


def test_bundle_version_start(app: Path, home: Path, record: Record) -> None:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(
            [str(app / "cohortdesk"), "--version"],
            env=b.clean_env(home),
            check=True,
            capture_output=True,
        )
        times.append((time.perf_counter() - started) * 1000)
    record(startup_bundle_version_ms=round(statistics.median(times), 1))


def test_bundle_ready(app: Path, home: Path, tmp_path: Path, record: Record) -> None:
    if not b.probe_supported():
        pytest.skip(f"the GUI does not write {b.PROBE_VARIABLE} yet: no ready time to measure")
    ready = []
    for run in range(RUNS + 1):
        gui = b.run_gui_probe(app, home, tmp_path / "probe.jsonl")
        assert gui.returncode == 0 and "ready" in gui.events, gui.stderr
        if run:  # the first start warms the file cache, as a user's second start finds it
            ready.append(gui.ms_to("ready"))
    record(startup_bundle_ready_ms=round(statistics.median(ready), 1))
