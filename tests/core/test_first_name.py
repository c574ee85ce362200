"""How a message greets a member: `{first_name}` from the name the cohort holds."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cohortdesk.core.services.messaging.message_context import _HONORIFICS, first_name

WORD = st.text(st.characters(categories=("Lu", "Ll")), min_size=1, max_size=8)


@pytest.mark.parametrize(
    ("name", "greeted"),
    [
        ("Amina Yusuf", "Amina"),
        ("Dr Ann Lee", "Ann"),
        ("Prof. María José García", "María"),
        ("Cher", "Cher"),
        ("", ""),
        ("Participant 12", "Participant 12"),
        ("Moodle user 394", "Moodle user 394"),
        ("  Learner   ٣٩٤ ", "Learner ٣٩٤"),
    ],
)
def test_a_member_is_greeted_by_first_name_or_by_the_number_they_are_known_by(
    name: str, greeted: str
) -> None:
    assert first_name(name) == greeted


@given(st.lists(WORD, min_size=1, max_size=3), st.integers(0, 10**6), st.booleans())
def test_people_known_by_number_are_never_greeted_alike(
    words: list[str], number: int, number_last: bool
) -> None:
    """Exports name people by number ("Participant 1", "Participant 2"): each greeting names
    the one person, whatever words stand around the number."""
    parts = [*words, str(number)] if number_last else [str(number), *words]
    name = " ".join(parts)
    assert first_name(name) == name
    assert first_name(name) != first_name(" ".join([*words, str(number + 1)]))


@given(st.lists(WORD, min_size=2, max_size=4))
def test_a_named_person_is_greeted_by_the_first_word_that_is_not_a_title(
    words: list[str],
) -> None:
    assume(words[0].rstrip(".").lower() not in _HONORIFICS)
    name = " ".join(["Dr", *words])
    assert first_name(name) == words[0]
