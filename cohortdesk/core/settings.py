"""The user's preferences, a pydantic model kept as JSON in the config folder."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ValidationError

from cohortdesk.core.storage.safefile import write_file


class Settings(BaseModel):
    """What cohortdesk remembers between runs (window geometry lives in QSettings)."""

    last_cohort_id: int | None = None
    show_archived: bool = False
    show_member_panel: bool = True
    """The member panel beside the cohort's pages (it is hidden anyway while nobody is selected)."""


def load_settings(path: Path) -> Settings:
    """Read settings; a missing or damaged file gives the defaults (it is only preferences)."""
    try:
        return Settings.model_validate(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError, ValidationError):
        return Settings()


def save_settings(path: Path, settings: Settings) -> None:
    """Write settings atomically, synced to disk and readable by the owner only.

    Raises:
        KnownError: the file cannot be written (disk full, no permission).
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_file(path, settings.model_dump_json(indent=2))
