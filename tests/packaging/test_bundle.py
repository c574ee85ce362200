"""The tarball, unpacked in a fresh folder and run with a clean environment: no Python and no
virtual environment on PATH, a HOME of its own. `make package-test` builds it first (when
older than its sources) and runs these; the normal `pytest` run leaves tests/packaging out.
"""

from __future__ import annotations

import json
import re
import subprocess
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cohortdesk import APP_ID, __version__
from tests.packaging import bundle as b

LIMIT_BYTES = 150 * 1000 * 1000
DEMO = "Leading Online Learning (demo)"


@pytest.fixture(scope="module")
def tarball() -> Path:
    found = b.tarball()
    if found is None:
        pytest.skip(f"no bundle: run `make package` (it writes {b.DEFAULT_TARBALL.name})")
    assert found.is_file(), f"{found}: the bundle to test does not exist"
    return found


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh folder whose path has a space (as a user's often does) and a dollar sign."""
    return tmp_path_factory.mktemp("bundle") / "un packed $x"


@pytest.fixture(scope="module")
def app(tarball: Path, place: Path) -> Path:
    return b.unpack(tarball, place)


@pytest.fixture(scope="module")
def home(place: Path) -> Path:
    home = place.parent / "home"
    home.mkdir()
    return home


@pytest.fixture(scope="module")
def demo(app: Path, home: Path) -> str:
    """The demo cohort, made by the bundle in its clean HOME."""
    done = run(app, home, "demo")
    assert done.returncode == 0, done.stderr
    return DEMO


def run(app: Path, home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(app / "cohortdesk"), *args],
        env=b.clean_env(home, **env),
        cwd=app,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_tarball_stays_under_its_size_limit(tarball: Path) -> None:
    assert tarball.stat().st_size <= LIMIT_BYTES, f"{tarball.stat().st_size / 1e6:.1f} MB"


def test_the_tarball_holds_one_cohortdesk_folder(tarball: Path) -> None:
    with tarfile.open(tarball) as tar:
        names = tar.getnames()
    assert {n.split("/")[0] for n in names} == {"cohortdesk"}
    for inside in (
        "cohortdesk/cohortdesk",
        "cohortdesk/install.sh",
        "cohortdesk/uninstall.sh",
        f"cohortdesk/share/applications/{APP_ID}.desktop",
        f"cohortdesk/share/metainfo/{APP_ID}.metainfo.xml",
        f"cohortdesk/share/icons/hicolor/scalable/apps/{APP_ID}.svg",
        *(f"cohortdesk/share/icons/hicolor/{s}x{s}/apps/{APP_ID}.png" for s in (48, 128, 256)),
    ):
        assert inside in names


def test_no_python_is_needed(app: Path, home: Path) -> None:
    done = run(app, home, "--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"cohortdesk {__version__}\n", "")


def test_every_module_is_in_the_bundle(app: Path, home: Path) -> None:
    """Modules loaded late (the dashboard, exporters, importers) import inside the bundle."""
    done = run(app, home, COHORTDESK_BUNDLE_CHECK="1", QT_QPA_PLATFORM="offscreen")
    assert done.returncode == 0, done.stderr
    assert " 0 failed" in done.stdout


def test_headless_commands_work(app: Path, home: Path, demo: str) -> None:
    listed = json.loads(run(app, home, "cohort", "list", "--json").stdout)
    assert [c["name"] for c in listed] == [demo]
    status = run(app, home, "status", "--cohort", demo, "--json")
    assert status.returncode == 0, status.stderr
    members = json.loads(status.stdout)["members"]
    assert len(members) >= 20
    attention = run(app, home, "attention", "--cohort", demo, "--json")
    assert attention.returncode == 0, attention.stderr
    json.loads(attention.stdout)


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF-"), ("xlsx", b"PK"), ("csv", b"")])
def test_exports_write_their_files(
    app: Path, home: Path, demo: str, tmp_path: Path, fmt: str, magic: bytes
) -> None:
    """reportlab (and Pillow), openpyxl, numpy and networkx all work inside the bundle."""
    target = tmp_path / f"out.{fmt}"
    done = run(app, home, "export", fmt, "--cohort", demo, "-o", str(target))
    assert done.returncode == 0, done.stderr
    written = [target] if target.exists() else sorted(tmp_path.iterdir())
    assert written, f"export {fmt} wrote nothing"
    assert written[0].read_bytes().startswith(magic)
    assert written[0].stat().st_size > 200


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize(
    ("fmt", "file", "extra"),
    [
        ("roster", "roster/first_last_name.csv", ()),
        ("moodle-log", "moodle_log/login_as.csv", ()),
        ("moodle-forum", "moodle_forum/realistic_export.csv", ()),
        (
            "activity-csv",
            "activity_csv/day_first_seconds.csv",
            ("--map", "who=who,when=when,kind=kind"),
        ),
    ],
)
def test_tabular_imports_read_their_files(
    app: Path, tmp_path: Path, fmt: str, file: str, extra: tuple[str, ...]
) -> None:
    """The columnar reader (polars, loaded only when a file is read) works inside the bundle."""
    home = tmp_path / "home"  # of its own: the other tests expect the demo alone
    home.mkdir()
    cohort = f"Imported {fmt}"
    made = run(app, home, "cohort", "create", cohort)
    assert made.returncode == 0, made.stderr
    done = run(
        app,
        home,
        "import",
        "--cohort",
        cohort,
        "--no-progress",
        "--json",
        *extra,
        fmt,
        str(FIXTURES / file),
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["read"] > 0


def test_the_gui_starts_and_fills_today(app: Path, home: Path, demo: str, tmp_path: Path) -> None:
    if b.probe_supported():
        gui = b.run_gui_probe(app, home, tmp_path / "probe.jsonl")
        assert gui.returncode == 0, gui.stderr
        assert {"paint", "ready"} <= gui.events.keys(), gui.stderr
        assert gui.events["ready"]["learners"] > 0
        assert "Traceback" not in gui.stderr
        return
    # Without the probe: the window must come up and stay up without an error.
    env = b.clean_env(home, QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen(
        [str(app / "cohortdesk")], env=env, cwd=app, stderr=subprocess.PIPE, text=True
    )
    time.sleep(15)
    still_up = process.poll() is None
    process.terminate()
    _, stderr = process.communicate(timeout=30)
    assert still_up, stderr
    assert "Traceback" not in stderr and "ERROR" not in stderr, stderr


@pytest.fixture
def installed(app: Path, tmp_path: Path) -> Iterator[Path]:
    """A HOME where install.sh ran (the desktop tools on PATH, when present, ran too)."""
    home = tmp_path / "user home"
    home.mkdir()
    run_script(app, "install.sh", home)
    yield home


def run_script(app: Path, script: str, home: Path) -> None:
    """Run install.sh or uninstall.sh of the bundle as the user whose HOME is `home`."""
    done = subprocess.run(
        ["sh", str(app / script)],
        env=b.clean_env(home),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_install_puts_the_entry_icons_and_command_in_place(app: Path, installed: Path) -> None:
    data = installed / ".local" / "share"
    entry = data / "applications" / f"{APP_ID}.desktop"
    assert (data / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    for size in ("scalable", "48x48", "128x128", "256x256"):
        assert list((data / "icons" / "hicolor" / size / "apps").glob(f"{APP_ID}.*"))
    lines = dict(
        line.split("=", 1) for line in entry.read_text(encoding="utf-8").splitlines() if "=" in line
    )
    # Exec is quoted and escaped (the folder's path holds a space and a $): undo the string
    # escape, then the argument quoting, as the Desktop Entry spec says a desktop does.
    quoted = lines["Exec"].replace("\\\\", "\\")
    assert quoted.startswith('"') and quoted.endswith('"'), quoted
    assert re.sub(r'\\([\\"`$])', r"\1", quoted[1:-1]) == str(app / "cohortdesk")
    assert lines["TryExec"] == str(app / "cohortdesk")
    validated = subprocess.run(
        ["desktop-file-validate", str(entry)], capture_output=True, text=True, check=False
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr
    command = installed / ".local" / "bin" / "cohortdesk"
    done = subprocess.run(
        [str(command), "--version"], env=b.clean_env(installed), capture_output=True, text=True
    )
    assert done.stdout == f"cohortdesk {__version__}\n"


def test_uninstall_takes_it_all_out(app: Path, installed: Path) -> None:
    run_script(app, "uninstall.sh", installed)
    left = [p for p in installed.rglob("*") if APP_ID in p.name or p.name == "cohortdesk"]
    assert left == []


def test_the_bundle_runs_from_where_it_was_moved(app: Path, home: Path, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere"
    app.rename(moved)
    try:
        done = run(moved, home, "--version")
    finally:
        moved.rename(app)
    assert done.returncode == 0, done.stderr
