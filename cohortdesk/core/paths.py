"""Where cohortdesk keeps its data and settings.

By default the platform's user data and config folders (platformdirs). `COHORTDESK_HOME`
relocates everything below one folder (tests and portable installs use it); `COHORTDESK_DB`,
or `--db` on the command line, picks another database file or SQLAlchemy URL.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from cohortdesk.core.errors import ErrorKind, KnownError

APP_NAME = "cohortdesk"
DB_FILENAME = "cohortdesk.sqlite"


@dataclass(frozen=True)
class AppPaths:
    """The folders cohortdesk uses, resolved once at start-up."""

    data_dir: Path
    config_dir: Path

    @property
    def default_db_file(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def qt_settings_file(self) -> Path:
        return self.config_dir / "window.ini"

    def ensure(self) -> None:
        """Create the folders, readable by the owner only (0700, whatever the umask).

        Folders that exist already are made owner-only too: they hold the database, its
        backups and the settings, and nobody else on the computer should read them.
        """
        for folder in (self.data_dir, self.config_dir, self.backup_dir):
            _make_private_folder(folder)
            try:
                if folder.stat().st_mode & 0o077:
                    folder.chmod(0o700)
            except OSError:  # not ours to change (a shared portable folder): leave it
                continue


def _make_private_folder(folder: Path) -> None:
    """Create `folder` and every missing folder above it owner-only (0700), whatever the
    umask: `mkdir(parents=True)` would make the parents by the umask alone (0777 under 000),
    `COHORTDESK_HOME` itself among them."""
    missing: list[Path] = []
    here = folder
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made meanwhile by another process: theirs to keep
        path.chmod(0o700)


def app_paths(environ: os._Environ[str] | dict[str, str] | None = None) -> AppPaths:
    """Resolve the data and config folders, honouring `COHORTDESK_HOME`."""
    env = os.environ if environ is None else environ
    home = env.get("COHORTDESK_HOME")
    if home:
        root = Path(home).expanduser().resolve()
        return AppPaths(data_dir=root / "data", config_dir=root / "config")
    return AppPaths(
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
    )


def database_url(
    paths: AppPaths,
    db_option: str | None = None,
    environ: os._Environ[str] | dict[str, str] | None = None,
) -> str:
    """The SQLAlchemy URL to open: `--db`, else `COHORTDESK_DB`, else the default file.

    A value containing `://` is taken as a URL; anything else as a path to an SQLite file.
    """
    env = os.environ if environ is None else environ
    value = db_option or env.get("COHORTDESK_DB") or ""
    if not value:
        return sqlite_url(paths.default_db_file)
    if "://" in value:
        return value
    check_regular_file(Path(value).expanduser())
    return sqlite_url(Path(value))


def sqlite_url(path: Path) -> str:
    """An SQLAlchemy URL for an SQLite file at `path` (made absolute)."""
    return f"sqlite:///{path.expanduser().resolve()}"


def check_regular_file(path: Path) -> None:
    """Refuse a path that is something other than a file, or a file to be created.

    A device (`/dev/null`), a folder, a pipe or a socket given as a database or an output
    would otherwise be written over, renamed over or have its permissions changed, and as
    the administrator that breaks the computer. A link is judged by what it points to.

    Raises:
        KnownError: what the path is, in one line.
    """
    if str(path) == "-":
        raise KnownError(
            "-: cohortdesk writes files, not standard output: give a file name",
            ErrorKind.BAD_FILE,
        )
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return  # a file to be created (whether its folder can be is said where it is made)
    except OSError as exc:
        raise KnownError(
            f"{path}: cannot be used ({exc.strerror or exc})", ErrorKind.BAD_FILE
        ) from exc
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a device, pipe or socket"
        raise KnownError(f"{path}: is {kind}, not a file", ErrorKind.BAD_FILE)
