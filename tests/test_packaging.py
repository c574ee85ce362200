"""The wheel holds every package and the top-level resources/ as `cohortdesk.resources`."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any

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


#: How far a pixel of a committed icon may be from a fresh rendering, per channel (of 255):
#: Qt releases round anti-aliased edges differently (6.11.3 moved 34 pixels by one level),
#: while an icon not rendered again after the SVG changed is off by far more.
ICON_LEVELS = 2


def _channels(image: Any) -> Any:
    """An image's pixels as an array of (rows, columns, ARGB channels)."""
    import numpy as np
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    rows = np.frombuffer(bytes(image.constBits()), dtype=np.uint8)
    rows = rows.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 4]
    return rows.reshape(image.height(), image.width(), 4).astype(np.int16)


def test_the_committed_icons_are_the_svg_rendered(qapp: object) -> None:
    """packaging/icons is what tools/render_icons.py makes of resources/cohortdesk.svg."""
    from PySide6.QtGui import QImage

    from cohortdesk import APP_ID
    from tools.render_icons import SIZES, SOURCE, THEME, render

    assert (THEME / "scalable" / "apps" / f"{APP_ID}.svg").read_bytes() == SOURCE.read_bytes()
    for size in SIZES:
        committed = QImage(str(THEME / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
        fresh = render(SOURCE, size)
        assert committed.size() == fresh.size()
        apart = abs(_channels(committed) - _channels(fresh)).max()
        assert apart <= ICON_LEVELS, f"{size}px: run tools/render_icons.py again"


def test_the_icon_check_sees_an_icon_of_an_older_svg(qapp: object, tmp_path: Path) -> None:
    """The tolerance above still fails an icon that is not the SVG's: here, one bar's colour
    changed a little, as an edit would."""
    from tools.render_icons import SOURCE, render

    edited = tmp_path / "edited.svg"
    edited.write_text(SOURCE.read_text(encoding="utf-8").replace("#5b8fd6", "#5b8fe0"))
    for size in (48, 128):
        apart = abs(_channels(render(edited, size)) - _channels(render(SOURCE, size))).max()
        assert apart > ICON_LEVELS
