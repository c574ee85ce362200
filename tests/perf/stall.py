"""A lag probe for the Qt event loop: how long is the GUI blocked while work runs?"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QTimer

TICK_MS = 5


def max_stall_ms(start: Callable[[], None], done: Callable[[], bool], timeout_s: float) -> float:
    """Start background work, spin the event loop until `done()`, return the worst gap.

    A QTimer ticks every 5 ms; the largest interval between ticks beyond that tick is how long
    the event loop could not respond (a user sees a frozen window from about 100 ms).
    """
    clock = QElapsedTimer()
    worst = 0.0
    last = 0

    def tick() -> None:
        nonlocal worst, last
        now = clock.elapsed()
        worst = max(worst, now - last - TICK_MS)
        last = now

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    clock.start()
    timer.start()
    start()
    deadline = time.monotonic() + timeout_s
    while not done() and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.001)
    timer.stop()
    if not done():
        raise TimeoutError("the background work did not finish in time")
    return max(worst, 0.0)
