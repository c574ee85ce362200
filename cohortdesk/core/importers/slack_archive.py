"""The ZIP side of a Slack export: checking the archive and reading its JSON members.

The archive is read in place with `zipfile` (never extracted), after checking its member names
(no absolute paths, no `..`), its member count and its declared uncompressed size (zip bombs).
Only `users.json`, `channels.json` and the `<channel>/YYYY-MM-DD.json` day files are read;
anything else (`integration_logs.json`, `__MACOSX/`...) is listed as ignored.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from cohortdesk.core.importers.base import ImportRejectedError, SourceFile
from cohortdesk.core.importers.jsonio import parse_json_text, read_text

_DAY_FILE = re.compile(r"([^/]+)/(\d{4}-\d{2}-\d{2})\.json")
_DRIVE = re.compile(r"[A-Za-z]:")


@dataclass(slots=True)
class ExportLayout:
    """The members of the archive the importer reads."""

    root: str
    users: zipfile.ZipInfo
    channels: zipfile.ZipInfo
    #: channel folder -> [(date, member)], both sorted
    days: dict[str, list[tuple[str, zipfile.ZipInfo]]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)


def open_archive(source: SourceFile) -> zipfile.ZipFile:
    """The export opened as a ZIP archive; anything unreadable is a rejection."""
    try:
        return zipfile.ZipFile(source.path)
    except zipfile.BadZipFile as exc:
        raise source.reject(None, f"not a readable ZIP archive ({exc})") from exc
    except Exception as exc:  # zipfile raises many kinds on damaged archives
        raise source.reject(None, f"not a readable ZIP archive ({type(exc).__name__})") from exc


def _short(name: str) -> str:
    return name if len(name) <= 80 else name[:77] + "..."


def read_layout(
    source: SourceFile, archive: zipfile.ZipFile, max_bytes: int, max_members: int
) -> ExportLayout:
    """Check every member name and size, and find the members to read.

    Args:
        source: the archive's file, for rejections.
        archive: the open archive.
        max_bytes: the cap on the total declared uncompressed size.
        max_members: the cap on the number of members.

    Returns:
        Where `users.json`, `channels.json` and each channel's day files are.

    Raises:
        ImportRejectedError: too many members, an unsafe or repeated member name, too big
            unpacked, or `users.json` or `channels.json` missing.
    """
    infos = archive.infolist()
    if len(infos) > max_members:
        raise source.reject(
            None, f"the archive holds {len(infos):,} files, over the limit of {max_members:,}"
        )
    total = 0
    names: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or _DRIVE.match(name) or ".." in name.split("/"):
            raise source.reject(
                None,
                f"the archive holds an unsafe file name ({_short(info.filename)!r}) that points "
                "outside the archive; it was not read",
            )
        total += info.file_size
        if info.is_dir() or name.startswith("__MACOSX/"):
            continue
        if name in names:
            raise source.reject(None, f"the archive lists {_short(name)!r} twice")
        names[name] = info
    if total > max_bytes:
        raise source.reject(
            None,
            f"the archive would unpack to {total / 1e6:,.0f} MB, over the "
            f"{max_bytes / 1e6:,.0f} MB limit (a damaged or malicious ZIP?)",
        )
    root = _root(names)
    users = names.get(root + "users.json")
    channels = names.get(root + "channels.json")
    if users is None:
        raise source.reject(None, "users.json is missing: this is not a Slack workspace export")
    if channels is None:
        raise source.reject(None, "channels.json is missing: this is not a Slack workspace export")
    layout = ExportLayout(root, users, channels)
    found: list[tuple[str, str, zipfile.ZipInfo]] = []
    for name, info in names.items():
        if info is users or info is channels:
            continue
        match = _DAY_FILE.fullmatch(name, len(root)) if name.startswith(root) else None
        if match is None:
            layout.ignored.append(_short(name))
        else:
            found.append((match[1], match[2], info))
    found.sort(key=lambda item: (item[0], item[1]))
    for folder, day, info in found:
        layout.days.setdefault(folder, []).append((day, info))
    return layout


def _root(names: dict[str, zipfile.ZipInfo]) -> str:
    """`""`, or the one folder holding the export when it was zipped inside a folder."""
    if "users.json" in names:
        return ""
    roots = [name[: -len("users.json")] for name in names if name.endswith("/users.json")]
    if len(roots) == 1 and roots[0].count("/") == 1 and roots[0] + "channels.json" in names:
        return roots[0]
    return ""


def load_member(
    source: SourceFile, archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str
) -> Any:
    """One member's JSON; every failure is a rejection naming the member (as `label`)."""
    if info.flag_bits & 0x1:
        raise source.reject(
            None, f"{label} is encrypted (password-protected); export again without a password"
        )
    try:
        with archive.open(info) as handle:
            data = handle.read(info.file_size + 1)
    except zipfile.BadZipFile as exc:
        raise source.reject(None, f"{label} is damaged ({exc})") from exc
    except NotImplementedError as exc:
        raise source.reject(
            None,
            f"{label} is compressed with a method that cannot be read "
            f"(method {info.compress_type}); zip the export again with standard compression",
        ) from exc
    except Exception as exc:  # zlib.error, EOFError, OSError... from a damaged member
        raise source.reject(None, f"{label} cannot be read ({type(exc).__name__})") from exc
    if len(data) > info.file_size:
        raise source.reject(None, f"{label} is larger than the archive declares")
    try:
        return parse_json_text(source, read_text(source, data))
    except ImportRejectedError as exc:
        where = f"{label}: line {exc.row}" if exc.row is not None else label
        raise source.reject(None, f"{where}: {exc.reason}") from exc
