"""Unpack and run the self-contained bundle the way a facilitator does (no Python, no venv).

Shared by tests/packaging (run by `make package-test`) and tests/perf/test_bundle_bench.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cohortdesk import __version__

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TARBALL = ROOT / "dist" / f"cohortdesk-{__version__}-linux-x86_64.tar.gz"
PROBE_VARIABLE = "COHORTDESK_STARTUP_PROBE"


def tarball() -> Path | None:
    """The bundle to test: $COHORTDESK_BUNDLE (set by `make package-test`), else this version's
    tarball in dist/ if it was built; None when there is none."""
    chosen = os.environ.get("COHORTDESK_BUNDLE")
    if chosen:
        return Path(chosen).resolve()
    return DEFAULT_TARBALL if DEFAULT_TARBALL.is_file() else None


def unpack(archive: Path, into: Path) -> Path:
    """Unpack the tarball into `into`; the folder holding the `cohortdesk` executable."""
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="tar")
    return into / "cohortdesk"


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """What `env -i HOME=<home> PATH=/usr/bin:/bin` leaves, plus `extra`."""
    return {"HOME": str(home), "PATH": "/usr/bin:/bin", **extra}


def probe_supported() -> bool:
    """Whether the GUI in this checkout (and so in its bundle) writes the start-up probe."""
    return any(
        PROBE_VARIABLE in path.read_text(encoding="utf-8")
        for path in (ROOT / "cohortdesk").rglob("*.py")
    )


@dataclass(frozen=True)
class GuiRun:
    """One start of the GUI with the start-up probe."""

    returncode: int
    stderr: str
    events: dict[str, dict[str, Any]]  # "paint" / "ready" -> the probe's JSON line
    launched: float  # epoch seconds just before the process started

    def ms_to(self, event: str) -> float:
        """Milliseconds from launch to the event."""
        return round((float(self.events[event]["t"]) - self.launched) * 1000, 1)


def run_gui_probe(bundle: Path, home: Path, probe: Path, timeout: float = 60) -> GuiRun:
    """Start the bundle's GUI offscreen with the probe; it quits by itself once Today is
    filled. Fails with the process's output when it does not within `timeout` seconds."""
    probe.unlink(missing_ok=True)
    env = clean_env(home, QT_QPA_PLATFORM="offscreen", **{PROBE_VARIABLE: str(probe)})
    launched = time.time()
    done = subprocess.run(
        [str(bundle / "cohortdesk")],
        env=env,
        cwd=bundle,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    events: dict[str, dict[str, Any]] = {}
    if probe.exists():
        for line in probe.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            events[record["event"]] = record
    return GuiRun(done.returncode, done.stderr, events, launched)
