"""Notice what others commit on a shared server, and refresh the open screens.

On a server set up with `cohortdesk team init`, every committed change to the app's tables is
announced on a channel (`storage.team.CHANGES_CHANNEL`). One background thread listens on a
connection of its own and, at most every `QUIET_SECONDS`, tells the window's notifier that
the data changed elsewhere (the same announcement a restore makes: each view reads afresh).
The app's own writes are left out: they were announced by the task runner already.

A server that goes away is waited for and listened to again when it is back; nothing here
blocks the GUI. psycopg is imported in the thread, after the window is shown.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from sqlalchemy import event

from cohortdesk.core.schemas import Changes
from cohortdesk.core.storage.db import Database
from cohortdesk.core.storage.team import CHANGES_CHANNEL
from cohortdesk.ui.changes import ChangeNotifier

log = logging.getLogger(__name__)

#: at most one refresh this often, however many changes arrive
QUIET_SECONDS = 2.0
#: how long to wait before listening again after the server went away
RETRY_SECONDS = 5.0


class ServerWatch(QObject):
    """Listens for others' changes on `db`'s server and announces them to `notifier`."""

    changed_elsewhere = Signal()

    def __init__(self, db: Database, notifier: ChangeNotifier, parent: QObject | None = None):
        super().__init__(parent)
        self._db = db
        self._notifier = notifier
        self._stop = threading.Event()
        #: set while a connection listens (tests wait for it before writing elsewhere)
        self.listening = threading.Event()
        self._own: set[int] = set()
        self._thread: threading.Thread | None = None
        event.listen(db.engine, "checkout", self._remember_own)
        self.changed_elsewhere.connect(self._announce)

    def _remember_own(self, dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        pid = getattr(getattr(dbapi_connection, "info", None), "backend_pid", None)
        if isinstance(pid, int):
            self._own.add(pid)

    def start(self) -> None:
        """Start listening (on a server only; a file has no one else writing to it)."""
        if self._db.file is not None or self._db.engine.dialect.name != "postgresql":
            return
        self._thread = threading.Thread(target=self._listen, name="server-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening and wait for the thread (at most a second or two)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        event.remove(self._db.engine, "checkout", self._remember_own)

    @Slot()
    def _announce(self) -> None:
        self._notifier.apply(Changes(everything=True))

    def _listen(self) -> None:
        import psycopg

        args, kwargs = self._db.engine.dialect.create_connect_args(self._db.engine.url)
        while not self._stop.is_set():
            try:
                with psycopg.connect(*args, **kwargs, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANGES_CHANNEL}")
                    self.listening.set()
                    self._relay(connection)
            except psycopg.Error as exc:
                self.listening.clear()
                log.info("not listening for others' changes for now: %s", exc)
                self._stop.wait(RETRY_SECONDS)

    def _relay(self, connection: Any) -> None:
        pending, last = False, 0.0
        while not self._stop.is_set():
            for note in connection.notifies(timeout=0.5):
                if note.pid not in self._own:
                    pending = True
            if pending and time.monotonic() - last >= QUIET_SECONDS:
                pending, last = False, time.monotonic()
                self.changed_elsewhere.emit()
