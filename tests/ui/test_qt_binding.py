"""The installed Qt binding keeps Python's reference counts right.

PySide6 6.12.0 returns None from void methods, and True from Signal.emit, without the
reference the caller is owed; on Python 3.11 (objects are not immortal before 3.12) every
call uses one up, and after a few hundred thousand calls the interpreter frees None and
aborts. pyproject.toml excludes that release; this test fails on any release that does it.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal

CALLS = 200


class _Emitter(QObject):
    fired = Signal(object)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None and True are immortal from 3.12")
def test_void_calls_and_emits_keep_the_references_they_owe() -> None:
    emitter = _Emitter()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(CALLS):
        emitter.setObjectName("")  # a void method
        emitter.fired.emit(None)
    lost_none = none_before - sys.getrefcount(None)
    lost_true = true_before - sys.getrefcount(True)
    assert lost_none < CALLS // 2, f"{lost_none} references to None lost in {CALLS} calls"
    assert lost_true < CALLS // 2, f"{lost_true} references to True lost in {CALLS} emits"
