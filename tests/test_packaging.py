"""The wheel holds every package and the top-level resources/ as `cohortdesk.resources`."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _listed_packages() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(config["tool"]["setuptools"]["packages"])


def test_every_package_is_listed_in_pyproject() -> None:
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "cohortdesk").rglob("__init__.py")
    }
    assert _listed_packages() == found | {"cohortdesk.resources"}


def test_resources_live_only_at_the_top_level() -> None:
    assert (ROOT / "resources" / "stages.json").is_file()
    assert not (ROOT / "cohortdesk" / "resources").exists()


def test_the_wheel_carries_the_resources_inside_the_package(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("cohortdesk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.name for p in (ROOT / "resources").iterdir() if p.suffix in {".json", ".svg"}}
    assert shipped
    for name in shipped:
        assert f"cohortdesk/resources/{name}" in names
    assert not any(n.startswith("resources/") for n in names)
    assert "cohortdesk/core/migrations/script.py.mako" in names
    packages = {n.rsplit("/", 1)[0].replace("/", ".") for n in names if n.endswith("__init__.py")}
    assert packages == _listed_packages()


def test_the_committed_icons_are_the_svg_rendered(qapp: object) -> None:
    """packaging/icons is what tools/render_icons.py makes of resources/cohortdesk.svg."""
    from PySide6.QtGui import QImage

    from cohortdesk import APP_ID
    from tools.render_icons import SIZES, SOURCE, THEME, render

    assert (THEME / "scalable" / "apps" / f"{APP_ID}.svg").read_bytes() == SOURCE.read_bytes()
    for size in SIZES:
        committed = QImage(str(THEME / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
        fresh = render(SOURCE, size).convertToFormat(committed.format())
        assert committed.size() == fresh.size()
        assert committed == fresh, f"{size}px: run tools/render_icons.py again"
