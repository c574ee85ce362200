"""Start cohortdesk (or a bare PySide6 window) in a fresh process and read its start-up probe.

Shared by the start-up tests (what is loaded before the first paint) and the start-up
benchmark (how long it takes); see `cohortdesk.ui.startup_probe` for the probe's lines.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from cohortdesk.ui.startup_probe import ENV_VAR

#: A bare PySide6 main window, shown and timed to its first paint by the same probe.
BARE_WINDOW = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication, QMainWindow
from cohortdesk.ui.startup_probe import FirstPaint, append_event

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1440, 900)
probe = Path(sys.argv[1])
def painted():
    append_event(probe, "paint", modules=[])
    append_event(probe, "ready", learners=0, modules=[])
    app.exit(0)
FirstPaint(window, painted)
window.show()
sys.exit(app.exec())
"""

TIMEOUT_S = 120


@dataclass(frozen=True)
class StartupRun:
    """One start, timed from just before the process was spawned."""

    paint_ms: float
    ready_ms: float
    paint_modules: list[str]
    ready_modules: list[str]
    learners: int


def environment(home: Path) -> dict[str, str]:
    """The environment of a headless start on the data folder `home`.

    Bytecode is cached (beside `home`, not in the checkout) as an installed cohortdesk's is:
    compiling every module on every start would be most of what is measured.
    """
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        COHORTDESK_HOME=str(home),
        PYTHONPYCACHEPREFIX=str(home.parent / "pycache"),
    )
    env.pop("COHORTDESK_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def make_demo(home: Path) -> None:
    """The demo cohort in a fresh data folder `home` (through the command line)."""
    subprocess.run(
        [sys.executable, "-m", "cohortdesk", "demo"],
        env=environment(home),
        check=True,
        capture_output=True,
        timeout=TIMEOUT_S,
    )


def start(home: Path, probe: Path, *, bare: bool = False) -> StartupRun:
    """Start the GUI (or the bare window) on `home` with the probe writing to `probe`."""
    probe.unlink(missing_ok=True)
    env = environment(home)
    env[ENV_VAR] = str(probe)
    command = (
        [sys.executable, "-c", BARE_WINDOW, str(probe)]
        if bare
        else [
            sys.executable,
            "-m",
            "cohortdesk",
        ]
    )
    started = time.time()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
    assert done.returncode == 0, done.stderr[-3000:]
    events = {e["event"]: e for e in map(json.loads, probe.read_text().splitlines())}
    return StartupRun(
        paint_ms=(events["paint"]["t"] - started) * 1000,
        ready_ms=(events["ready"]["t"] - started) * 1000,
        paint_modules=events["paint"]["modules"],
        ready_modules=events["ready"]["modules"],
        learners=events["ready"]["learners"],
    )


def modules_loaded_by(args: list[str], home: Path) -> set[str]:
    """Every module `cohortdesk <args>` imports (from `python -X importtime`)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cohortdesk", *args],
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return {
        line.split("|")[2].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line and "imported package" not in line
    }
