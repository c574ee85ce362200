"""How long template rendering takes at its limits.

Figures (in .bench/results.json), each the best of three runs, in milliseconds:
- `render_refuse_huge_ms`: the slowest refusal among the templates past the length cap that
  tests/core/test_rendering.py refuses (`HUGE_TEMPLATES`): a template is refused before any
  work in proportion to its length;
- `render_2500_placeholders_ms`: a template with 2,500 placeholders, within the cap.

They used to be limits in the normal tests (tests/core/test_rendering.py); here they are
figures to compare between runs.
"""

from __future__ import annotations

import pytest

from cohortdesk.core.rendering import TemplateError, render
from tests.core.test_rendering import FIELDS, HUGE_TEMPLATES
from tests.perf.conftest import Record, best_ms


def _refuse(text: str) -> None:
    with pytest.raises(TemplateError, match="longer than"):
        render(text, FIELDS)


def test_rendering_at_its_limits(record: Record) -> None:
    refusals = [best_ms(lambda text=text: _refuse(text)) for text in HUGE_TEMPLATES]
    many = best_ms(lambda: render("{stage}" * 2500, FIELDS))
    record(render_refuse_huge_ms=max(refusals), render_2500_placeholders_ms=many)
    assert render("{stage}" * 2500, FIELDS) == "2" * 2500
