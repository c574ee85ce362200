"""The copy's one-line summary counts in words a reader expects, one or many."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cohortdesk.core.schemas.copying import CopySummary
from cohortdesk.core.services.transfer.copying import LABELS


def summary(added: dict[str, int]) -> str:
    copied = CopySummary(source="a", destination="b", cohorts=["X"], added=added, matched={})
    return copied.message()


def test_one_of_each_kind_is_singular_and_more_are_plural() -> None:
    ones = summary(dict.fromkeys(LABELS.values(), 1))
    assert "1 cohort," in ones
    assert "1 person," in ones
    assert "1 identity," in ones
    assert "1 import batch," in ones
    assert "1 mentoring group," in ones
    assert "1 check-in," in ones
    many = summary(dict.fromkeys(LABELS.values(), 2))
    for label in LABELS.values():
        assert f"2 {label}" in many


@given(st.dictionaries(st.sampled_from(sorted(LABELS.values())), st.integers(0, 5_000)))
def test_every_kind_added_is_named_once_and_none_that_was_not(added: dict[str, int]) -> None:
    line = summary(added)
    if not any(added.values()):
        assert line.endswith("nothing was added")
        return
    named = line.split(": added ", 1)[1].split(", ")
    assert len(named) == sum(1 for count in added.values() if count)
    for part in named:
        count = int(part.split(" ", 1)[0].replace(",", ""))
        assert count > 0
