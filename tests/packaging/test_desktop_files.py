"""The desktop entry and the AppStream metainfo in packaging/ pass their validators, and name
the application id the GUI announces."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cohortdesk import APP_ID

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
SCREENSHOTS = PACKAGING.parent / "docs" / "screenshots"


def validate(*command: str) -> subprocess.CompletedProcess[str]:
    if shutil.which(command[0]) is None:
        pytest.fail(f"{command[0]} is missing: `make package-test` installs it (or says how)")
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_the_desktop_entry_is_valid() -> None:
    done = validate("desktop-file-validate", str(PACKAGING / f"{APP_ID}.desktop"))
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr


def test_the_metainfo_is_valid() -> None:
    metainfo = PACKAGING / f"{APP_ID}.metainfo.xml"
    done = validate("appstreamcli", "validate", "--no-net", "--pedantic", str(metainfo))
    assert done.returncode == 0, done.stdout + done.stderr
    # Pedantic notes allowed: only the capitals in the id, which the id keeps on purpose.
    notes = [line for line in done.stdout.splitlines() if line[:2] in {"E:", "W:", "I:", "P:"}]
    assert all("cid-contains-uppercase-letter" in line for line in notes), done.stdout


def test_the_metainfo_names_the_entry_and_shows_existing_screenshots() -> None:
    root = ET.parse(PACKAGING / f"{APP_ID}.metainfo.xml").getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.find("content_rating").get("type") == "oars-1.1"  # type: ignore[union-attr]
    images = [image.text or "" for image in root.iter("image")]
    assert images
    for url in images:
        assert url.startswith("https://")
        assert (SCREENSHOTS / url.rsplit("/", 1)[1]).is_file(), url
