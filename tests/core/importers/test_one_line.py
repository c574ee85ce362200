"""Details and names shown in a table row: one line, cut with an ellipsis."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cohortdesk.core.importers.base import one_line


def test_whitespace_runs_become_one_space_and_the_ends_go() -> None:
    assert one_line("  Week 1:\n\tIntroduce\u00a0 yourself  ", 100) == "Week 1: Introduce yourself"


def test_a_long_text_is_cut_at_the_limit_with_an_ellipsis_not_after_a_space() -> None:
    assert one_line("Discussion created: Week 1", 20) == "Discussion created:…"
    assert one_line("Discussion created: Week 1", 21) == "Discussion created:…"  # no "created: …"
    assert one_line("short", 5) == "short"


@given(st.text(), st.integers(min_value=1, max_value=300))
def test_the_result_is_one_line_within_the_limit(text: str, limit: int) -> None:
    line = one_line(text, limit)
    assert len(line) <= limit
    assert line == line.strip() or line.endswith("…")
    assert not any(c.isspace() and c != " " for c in line)
