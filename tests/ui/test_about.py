"""Help ▸ About names the version, the data folder and the database in use."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from cohortdesk import __version__
from cohortdesk.core.paths import AppPaths
from cohortdesk.ui.main_window import MainWindow
from cohortdesk.ui.views.about_box import about_html


def plain(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_about_shows_the_version_the_data_folder_and_the_database(
    window: MainWindow, paths: AppPaths
) -> None:
    box = window.show_about()
    text = plain(box.text())
    assert f"cohortdesk {__version__}" in text
    assert str(paths.data_dir) in text
    assert str(paths.backup_dir) in text
    assert window.context.db.display_name in text
    assert box.isVisible()
    box.close()


@pytest.mark.parametrize(
    "folder", ["/home/ana/data", "/tmp/a <b> & 'c'", "C:\\Users\\Zoë\\AppData\\Local\\cohortdesk"]
)
def test_every_path_is_shown_as_it_is(folder: str) -> None:
    paths = AppPaths(data_dir=Path(folder), config_dir=Path(folder) / "config")
    text = plain(about_html(paths, "postgresql+psycopg://ana:***@db/team", version="9.8.7"))
    assert "cohortdesk 9.8.7" in text
    assert str(Path(folder)) in text
    assert "postgresql+psycopg://ana:***@db/team" in text
