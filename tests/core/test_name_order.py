"""Names sort by their words without regard to case, and by the value of their numbers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cohortdesk.core.enums import EventKind
from cohortdesk.core.name_order import name_key
from cohortdesk.core.services.activity import participation
from cohortdesk.core.services.attention import evidence
from cohortdesk.core.services.dashboards import dashboard
from cohortdesk.core.services.mentoring import mentoring
from cohortdesk.core.services.people import members
from cohortdesk.core.storage.db import Database
from tests.core.builders import add, event, make_cohort


def test_numbered_names_sort_by_their_numbers() -> None:
    names = ["Moodle user 5104", "Moodle user 394", "moodle user 2672", "Moodle user 1905"]
    assert sorted(names, key=name_key) == [
        "Moodle user 394",
        "Moodle user 1905",
        "moodle user 2672",
        "Moodle user 5104",
    ]


@given(st.text(alphabet="aB -.", max_size=8), st.lists(st.integers(0, 10**12), max_size=30))
def test_a_prefix_and_a_number_sort_by_the_number(prefix: str, numbers: list[int]) -> None:
    names = [f"{prefix}{n}" for n in numbers]
    assert [name_key(n) for n in sorted(names, key=name_key)] == [
        name_key(f"{prefix}{n}") for n in sorted(numbers)
    ]


@given(st.lists(st.text(st.characters(blacklist_categories=("Nd", "No", "Nl", "Cs")))))
def test_names_without_digits_sort_as_their_case_folded_text(names: list[str]) -> None:
    assert sorted(names, key=name_key) == sorted(names, key=str.casefold)


@given(st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 4), st.integers(0, 4))
def test_leading_zeros_do_not_change_a_number_s_place(a: int, b: int, za: int, zb: int) -> None:
    padded_a, padded_b = "0" * za + str(a), "0" * zb + str(b)
    assert (name_key(f"Group {padded_a}") < name_key(f"Group {padded_b}")) == (a < b)


@given(st.text(alphabet="aB -", max_size=4), st.integers(0, 10**9), st.sampled_from("٠۰०০"))
def test_digits_of_other_scripts_sort_as_their_values(prefix: str, n: int, zero: str) -> None:
    written = "".join(chr(ord(zero) + int(d)) for d in str(n))
    assert name_key(f"{prefix}{written} x") == name_key(f"{prefix}{n} x")


def test_the_roster_the_pickers_and_the_records_list_numbered_people_by_number(
    db: Database,
) -> None:
    names = ["Moodle user 5104", "Moodle user 394", "ana Silva", "Moodle user 2672", "Ana silva"]
    with db.write() as s:
        cohort_id = make_cohort(s).id
        for number, name in enumerate(names):
            add(s, cohort_id, name, email=f"member{number}@example.org")
    expected = ["ana Silva", "Ana silva", "Moodle user 394", "Moodle user 2672", "Moodle user 5104"]
    with db.read() as s:
        assert [r.name for r in participation.roster(s, cohort_id)] == expected
        assert [c.name for c in members.member_choices(s, cohort_id)] == expected
        assert [r.name for r in mentoring.assignments(s, cohort_id)] == expected


def test_stage_suggestions_and_the_adopter_curve_list_numbered_people_by_number(
    db: Database,
) -> None:
    """Today's stage suggestions and the dashboard's "not yet" list, as the roster orders."""
    names = ["Participant 100", "Participant 11", "Participant 2", "participant 10"]
    expected = ["Participant 2", "participant 10", "Participant 11", "Participant 100"]
    with db.write() as s:
        cohort_id = make_cohort(s).id
        for name in names:
            posted = add(s, cohort_id, name, email=f"{name.replace(' ', '.')}@example.org")
            event(s, posted, EventKind.POST)
            add(s, cohort_id, f"{name} quiet", email=f"{name.replace(' ', '.')}.q@example.org")
    with db.read() as s:
        assert [r.name for r in evidence.suggestions(s, cohort_id)] == expected
        board = dashboard.cohort_dashboard(s, cohort_id)
        assert board.not_yet_contributing == [f"{name} quiet" for name in expected]
