"""Terminal output that shows control characters instead of obeying them.

A name imported from a file may hold ESC sequences (OSC to retitle the terminal, CSI to
recolour or clear it) or other control characters. The data keeps them as they were; what
the command line writes to a terminal or a pipe shows them as `\\x1b`, so printing a roster
can never drive the terminal. JSON output escapes them the JSON way (`\\u001b`) first, so
it stays exact data.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

#: C0 controls but newline and tab, DEL, and the C1 controls (CSI is U+009B)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown(text: str) -> str:
    """`text` with each control character written out as `\\xNN`."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def json_escaped(text: str) -> str:
    """JSON text with the C1 controls `json` leaves raw escaped as `\\u00NN` (C0 it escapes)."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class SafeStream:
    """A text stream that passes everything on to `stream`, control characters shown."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(shown(text))

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)  # flush, fileno, isatty, encoding...


@contextmanager
def safe_output() -> Iterator[None]:
    """While inside, stdout and stderr show control characters instead of sending them."""
    saved = sys.stdout, sys.stderr
    sys.stdout = SafeStream(saved[0])
    sys.stderr = SafeStream(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


class ProgressLine:
    """A long command's progress on one line of the terminal, redrawn in place at most five
    times a second; a message is kept to one line and its control characters are shown, as
    everywhere (`shown`).

    Args:
        stream: where the line goes (unwrapped from `SafeStream`: the line's own carriage
            returns must reach the terminal).
        share: add how far the work is as a percentage, for messages that do not say it.
    """

    def __init__(
        self, stream: TextIO, clock: Callable[[], float] = time.monotonic, *, share: bool = False
    ) -> None:
        self._stream = stream.stream if isinstance(stream, SafeStream) else stream
        self._clock = clock
        self._share = share
        self._shown = ""
        self._when = -1.0

    def report(self, done: int, total: int, message: str = "") -> None:
        now = self._clock()
        if not message or (now - self._when < 0.2 and done < total):
            return
        self._when = now
        message = " ".join(message.split())  # one line, whatever a file name holds
        if self._share:
            message = f"{message}… {done * 100 // total}%" if total else f"{message}…"
        padding = " " * max(0, len(self._shown) - len(message))
        self._stream.write(f"\r{shown(message)}{padding}")
        self._stream.flush()
        self._shown = message

    def check(self) -> None:
        """The command line cancels with Ctrl+C, which raises by itself."""

    def end(self) -> None:
        """End the line, so what is printed next starts on its own."""
        if self._shown:
            self._stream.write("\n")
            self._stream.flush()
