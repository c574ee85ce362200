"""One window per database: a second launch raises the running one and exits.

The first instance takes a `QLockFile` in the data folder and listens on a `QLocalServer`
whose name is derived from the database (two windows writing one file would only wait on each
other's locks). A second launch on the same database fails to take the lock, connects to the
server, sends `raise` and exits once the first answers `ok`. A lock left by a killed process
is stale (its process is gone) and `QLockFile` takes it over; so is a server socket file a
killed process left behind, which the new owner of the lock removes before listening.

Locks are never considered stale by age (`setStaleLockTime(0)`): a window may stay open for
weeks.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QLockFile, QObject, Qt, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

RAISE = b"raise\n"
OK = b"ok\n"
LOCK_WAIT_MS = 200
ANSWER_WAIT_MS = 3000
CONNECT_TRIES = 15


def instance_key(database: str) -> str:
    """A short stable key for a database URL or path (same database, same key)."""
    return hashlib.sha256(database.encode("utf-8")).hexdigest()[:16]


class SingleInstance(QObject):
    """The lock and the local server of the one window on a database.

    Args:
        database: the database URL (the instance is per database).
        lock_dir: where the lock file lives (the data folder).
    """

    activation_requested = Signal()
    """Another launch on this database asked this window to come to the front."""

    def __init__(self, database: str, lock_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        key = instance_key(database)
        user = os.getuid() if hasattr(os, "getuid") else os.getlogin()
        self.server_name = f"cohortdesk-{user}-{key}"
        self.lock_path = lock_dir / f"instance-{key}.lock"
        self._lock = QLockFile(str(self.lock_path))
        self._lock.setStaleLockTime(0)
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """Become the one instance: True when the lock was free (or stale) and the server runs.

        False means another live instance holds the lock: call `notify_running`.
        """
        if not self._lock.tryLock(LOCK_WAIT_MS):
            return False
        # We hold the lock, so a server socket under this name is a dead process's leftover.
        QLocalServer.removeServer(self.server_name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._connected)
        if not server.listen(self.server_name):
            # Still the only instance (we hold the lock); we just cannot be raised.
            server.deleteLater()
            return True
        self._server = server
        return True

    def notify_running(self, tries: int = CONNECT_TRIES) -> bool:
        """Ask the running instance to raise its window; True when it answered.

        The running instance may be starting (lock taken, server not yet listening): the
        connection is retried a few times.
        """
        for _ in range(tries):
            socket = QLocalSocket()
            socket.connectToServer(self.server_name)
            if socket.waitForConnected(ANSWER_WAIT_MS // tries):
                socket.write(QByteArray(RAISE))
                socket.flush()
                answered = socket.waitForReadyRead(ANSWER_WAIT_MS)
                reply = bytes(socket.readAll().data()) if answered else b""
                socket.disconnectFromServer()
                return reply.startswith(OK)
        return False

    def release(self) -> None:
        """Stop listening and give the lock back (at exit)."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        self._lock.unlock()

    @Slot()
    def _connected(self) -> None:
        # The other launch writes its one line as soon as it is connected: read it here, at
        # once, rather than keep the socket around for later signals.
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            arrived = socket.bytesAvailable() > 0 or socket.waitForReadyRead(ANSWER_WAIT_MS)
            if arrived and bytes(socket.readLine().data()) == RAISE:
                socket.write(QByteArray(OK))
                socket.waitForBytesWritten(ANSWER_WAIT_MS)
                self.activation_requested.emit()
            socket.disconnectFromServer()
            socket.deleteLater()


def bring_to_front(window: QWidget) -> None:
    """Show a window, un-minimised, raised and active (as far as the window system allows)."""
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
