"""Keep Python's cycle collector from pausing the window.

The collector walks every container object Python tracks; with a big cohort's data in
memory, one full collection holds the interpreter (and so the GUI thread) for a tenth of a
second or more. Two remedies, each used where it pays:

- `collector_paused` around work that builds tens of thousands of short-lived rows (an
  import, a dashboard load): they are freed by reference counting, and the collector would
  only walk them again and again as they pile up; a long stretch calls `collect_newest`
  now and then for the few cycles among them, and `collect_young` once at its end;
- `freeze_startup_objects` once the window is up: about 200,000 objects (the modules of Qt,
  pyqtgraph, SQLAlchemy, pydantic, numpy; the window's widgets) live as long as the program,
  and walking them cost about 90 ms in every full collection. Frozen, they are out of the
  collector's sight (still freed by reference counting if they ever go).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (reference counting still frees)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def collect_young() -> None:
    """Within a paused stretch, free the reference cycles among recent objects: a walk of
    the two young generations only, a millisecond or so, so memory does not grow with the
    length of the work (a million-row import: 430 MB at the end without, 240 MB with).
    What survives moves to the oldest generation, which only full collections walk."""
    gc.collect(1)


def collect_newest() -> None:
    """`collect_young` for a stretch that collects again and again (batch after batch):
    the youngest generation only. Each collection of the middle generation counts one
    towards a full collection, and ten of them make the collector's next own collection,
    once it wakes, a full one over everything the program holds (70-90 ms with the GIL
    held, so the GUI thread waits too). End such a stretch with one `collect_young`."""
    gc.collect(0)


def freeze_startup_objects() -> None:
    """Collect what start-up left behind, then exempt the survivors from later collections."""
    gc.collect()
    gc.freeze()
