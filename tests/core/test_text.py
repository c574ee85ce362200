"""How counts read: one function for every sentence with a number in it."""

from __future__ import annotations

import pytest

from cohortdesk.core.text import plural


@pytest.mark.parametrize(
    ("count", "words", "said"),
    [
        (0, ("event",), "0 events"),
        (1, ("event",), "1 event"),
        (2, ("reply", "replies"), "2 replies"),
        (1, ("learner needs", "learners need"), "1 learner needs"),
        (7, ("learner needs", "learners need"), "7 learners need"),
        (-1, ("day",), "-1 days"),
    ],
)
def test_a_count_takes_the_right_form(count: int, words: tuple[str, ...], said: str) -> None:
    assert plural(count, *words) == said


def test_thousands_are_grouped_everywhere() -> None:
    # Attention reasons, evidence lines and the PDF report had copies that wrote 1200.
    assert plural(1200, "day") == "1,200 days"
    assert plural(1_000_000, "event") == "1,000,000 events"
