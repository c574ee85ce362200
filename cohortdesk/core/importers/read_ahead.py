"""Reading a file's next batch while the database stores the last one.

An import alternates between parsing a batch (polars, which runs without holding the
interpreter, and a little Python) and waiting for the database to store it (a server works in
its own process; SQLite releases the interpreter while it writes). `read_ahead` runs the parser
in a thread of its own, one batch ahead, so the two overlap. The items come out in the order
the parser makes them, and whatever the parser raises is raised where the item it failed on
would have come out, so an import reads, counts and refuses a file exactly as before.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator
from typing import TypeVar

T = TypeVar("T")

#: how long the parser waits to hand over an item before looking whether it was stopped
_POLL_SECONDS = 0.1


class _Done:
    """The parser's last word: finished, or failed with `error`."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


def read_ahead(items: Iterator[T], depth: int = 1) -> Generator[T, None, None]:
    """`items`, made in a thread of their own up to `depth` ahead of the caller.

    Closing the returned generator early (the caller stopped: a cancel, an error while
    storing) stops the parser after the item it is making and closes `items` in its thread.
    """
    handed: queue.Queue[T | _Done] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand(item: T | _Done) -> bool:
        while not stop.is_set():
            try:
                handed.put(item, timeout=_POLL_SECONDS)
            except queue.Full:
                continue
            return True
        return False

    def produce() -> None:
        try:
            for item in items:
                if not hand(item):
                    break
        except BaseException as error:  # handed over and raised again in the caller's thread
            hand(_Done(error))
        else:
            hand(_Done())
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name="cohortdesk-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = handed.get()
            if isinstance(item, _Done):
                if item.error is not None:
                    raise item.error
                return
            yield item
    finally:
        stop.set()
        thread.join()
