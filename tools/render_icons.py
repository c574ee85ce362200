"""Render the hicolor icon theme's PNGs from resources/cohortdesk.svg with Qt's SVG renderer.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/render_icons.py

writes packaging/icons/hicolor/{scalable,48x48,128x128,256x256}/apps/<APP_ID>.{svg,png}.
The PNGs are committed: desktops that do not draw SVG icons (and the AppStream stock icon
cache) use them. Run it again whenever the SVG changes; tests/packaging checks they match.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cohortdesk import APP_ID  # noqa: E402

SOURCE = ROOT / "resources" / "cohortdesk.svg"
THEME = ROOT / "packaging" / "icons" / "hicolor"
SIZES = (48, 128, 256)


def render(svg: Path, size: int) -> QImage:
    """The SVG drawn on a transparent square of `size` pixels, antialiased."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    scalable = THEME / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, scalable / f"{APP_ID}.svg")
    for size in SIZES:
        folder = THEME / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{APP_ID}.png"
        if not render(SOURCE, size).save(str(target), b"PNG"):
            raise SystemExit(f"{target}: could not write the PNG")
        print(target.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
