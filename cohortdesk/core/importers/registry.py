"""The import formats cohortdesk knows, by command-line name, and detection of a file's format."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import cast

from cohortdesk.core.errors import KnownError
from cohortdesk.core.importers.base import FormatModule

#: command-line name -> module under cohortdesk.core.importers, in detection order
_MODULES = {
    "slack": "slack",
    "xapi": "xapi",
    "moodle-forum": "moodle_forum",
    "moodle-log": "moodle_log",
    "roster": "roster",
    "activity-csv": "activity_csv",
}
FORMATS: tuple[str, ...] = tuple(_MODULES)
_HEAD_BYTES = 64 * 1024


def get_format(name: str) -> FormatModule:
    """The importer module for a format name.

    Raises:
        KnownError: no such format.
    """
    module_name = _MODULES.get(name)
    if module_name is None:
        raise KnownError(f"Unknown import format {name!r}; choose one of {', '.join(FORMATS)}")
    module = importlib.import_module(f"cohortdesk.core.importers.{module_name}")
    return cast(FormatModule, module)


def detect_format(path: Path) -> str | None:
    """The format a file looks like, or None when nothing recognises it (use activity-csv)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return None
    for name in FORMATS:
        if get_format(name).detect(path.name, head):
            return name
    return None
