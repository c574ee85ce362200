"""Help ▸ About: the version, where the data folder is and which database is open.

A facilitator asked "which version is this?" or "where are my backups?" finds both here; the
paths can be selected and copied.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from cohortdesk import __version__
from cohortdesk.core.paths import AppPaths

NOWRAP = 'style="white-space: nowrap"'  # a path is read (and copied) on one line


def about_html(paths: AppPaths, database: str, version: str = __version__) -> str:
    """The About box's text: version, data folder (with its backups), settings, database."""
    rows = (
        ("Data folder", str(paths.data_dir)),
        ("Backups", str(paths.backup_dir)),
        ("Settings", str(paths.config_dir)),
        ("Database", database),
    )
    table = "".join(
        f"<tr><td {NOWRAP}>{escape(name)}:&nbsp;</td>"
        f"<td {NOWRAP}><code>{escape(value)}</code></td></tr>"
        for name, value in rows
    )
    return (
        f"<h3>cohortdesk {escape(version)}</h3>"
        "<p>Tracks access, motivation and contribution of online cohorts through "
        "Gilly Salmon's five-stage model.</p>"
        f"<table>{table}</table>"
    )


def about_box(parent: QWidget, paths: AppPaths, database: str) -> QMessageBox:
    """The About box (not yet shown); its paths can be selected and copied."""
    box = QMessageBox(parent)
    box.setWindowTitle("About cohortdesk")
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_html(paths, database))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    return box
