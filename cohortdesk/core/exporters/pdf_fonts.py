"""The report's typeface: a TrueType sans with the accents people's names have, embedded.

ReportLab's built-in Helvetica covers Western European letters only (no č or ł), so the report
embeds the first of a few common sans-serif families found on the machine (DejaVu Sans on
Linux, Arial or Segoe UI on Windows and macOS) and falls back on Bitstream Vera, which ReportLab
ships. The fonts are registered once per process, under cohortdesk's own names.
"""

from __future__ import annotations

import os
import threading
from functools import cache
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

REGULAR = "CohortdeskSans"
BOLD = "CohortdeskSans-Bold"

_WINDOWS_FONTS = Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"
_REPORTLAB_FONTS = Path(reportlab.__file__).parent / "fonts"
#: (regular, bold) candidates, best first
CANDIDATES: tuple[tuple[Path, Path], ...] = (
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
    (
        Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
        Path("/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    ),
    (
        Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
        Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    ),
    (_WINDOWS_FONTS / "segoeui.ttf", _WINDOWS_FONTS / "segoeuib.ttf"),
    (_WINDOWS_FONTS / "arial.ttf", _WINDOWS_FONTS / "arialbd.ttf"),
    (
        Path("/System/Library/Fonts/Supplemental/Arial.ttf"),
        Path("/System/Library/Fonts/Supplemental/Arial Bold.ttf"),
    ),
    (_REPORTLAB_FONTS / "Vera.ttf", _REPORTLAB_FONTS / "VeraBd.ttf"),
)

_lock = threading.Lock()


@cache
def _register() -> tuple[str, str]:
    for regular, bold in CANDIDATES:
        if not (regular.is_file() and bold.is_file()):
            continue
        try:
            pdfmetrics.registerFont(TTFont(REGULAR, str(regular)))
            pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
        except (TTFError, OSError):
            continue
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)
        return REGULAR, BOLD
    return "Helvetica", "Helvetica-Bold"  # ReportLab without its fonts folder: never seen


def fonts() -> tuple[str, str]:
    """The names of the regular and bold fonts to use, registering them on first call."""
    with _lock:
        return _register()
