"""The user's preferences, a pydantic model kept as JSON in the config folder."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from pydantic import BaseModel, ValidationError


class Settings(BaseModel):
    """What cohortdesk remembers between runs (window geometry lives in QSettings)."""

    last_cohort_id: int | None = None
    show_archived: bool = False


def load_settings(path: Path) -> Settings:
    """Read settings; a missing or damaged file gives the defaults (it is only preferences)."""
    try:
        return Settings.model_validate(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError, ValidationError):
        return Settings()


def save_settings(path: Path, settings: Settings) -> None:
    """Write settings atomically (temporary file, then rename), readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(settings.model_dump_json(indent=2))
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
