"""How long template rendering takes at its limits.

Figures (in .bench/results.json), each the best of three runs, in milliseconds:
- `render_refuse_huge_ms`: the slowest refusal among templates past the length cap (a million
  braces, a million placeholders, one character too many, one huge placeholder name): a
  template is refused before any work in proportion to its length;
- `render_2500_placeholders_ms`: a template with 2,500 placeholders, within the cap.

They used to be limits in the normal tests (tests/core/test_rendering.py); here they are
figures to compare between runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from cohortdesk.core.rendering import PLACEHOLDERS, TemplateError, render
from cohortdesk.core.schemas import MAX_MESSAGE_CHARS
from tests.perf.conftest import Record

FIELDS = {p.name: p.example for p in PLACEHOLDERS}
REPEAT = 3
HUGE = [
    "{{" * 1_000_000,
    "{first_name}" * 1_000_000,
    "x" * (MAX_MESSAGE_CHARS + 1),
    "{" + "a" * 1_000_000 + "}",
]


def _best_ms(work: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return round(min(times), 2)


def _refuse(text: str) -> None:
    with pytest.raises(TemplateError, match="longer than"):
        render(text, FIELDS)


def test_rendering_at_its_limits(record: Record) -> None:
    refusals = [_best_ms(lambda text=text: _refuse(text)) for text in HUGE]
    many = _best_ms(lambda: render("{stage}" * 2500, FIELDS))
    record(render_refuse_huge_ms=max(refusals), render_2500_placeholders_ms=many)
    assert render("{stage}" * 2500, FIELDS) == "2" * 2500
