"""Staff proposed from a Moodle log's staff-like rows, on generated logs.

Someone is proposed when at least `STAFF_MIN_ROWS` of their rows are staff-like and those make
at least `STAFF_MIN_SHARE` of their rows; viewing one's own profile is not staff-like; nobody
becomes staff unless the import is told their id.
"""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import given, settings
from hypothesis import strategies as st

from cohortdesk.core.enums import Role
from cohortdesk.core.importers import moodle_log, moodle_staff
from cohortdesk.core.importers.base import ImportOptions, PersonRecord, SourceFile

_HEADER = (
    "Time,User full name,Affected user,Event context,Component,Event name,Description,"
    "Origin,IP address"
)
#: (event name, Description with {me} and {other}, staff-like)
_ROWS = {
    "course": ("Course viewed", "The user with id '{me}' viewed the course with id '5'.", False),
    "module": (
        "Course module viewed",
        "The user with id '{me}' viewed the 'page' activity with course module id '9'.",
        False,
    ),
    "own profile": (
        "User profile viewed",
        "The user with id '{me}' viewed the profile for the user with id '{me}' in the course "
        "with id '5'.",
        False,
    ),
    "list": (
        "User list viewed",
        "The user with id '{me}' viewed the list of users in the course with id '5'.",
        True,
    ),
    "profile": (
        "User profile viewed",
        "The user with id '{me}' viewed the profile for the user with id '{other}' in the "
        "course with id '5'.",
        True,
    ),
    "graded": (
        "Submission graded",
        "The user with id '{me}' has graded the submission '3' for the user with id '{other}' "
        "for the assignment with course module id '9'.",
        True,
    ),
    "grader report": (
        "Grader report viewed",
        "The user with id '{me}' viewed the grader report in the course with id '5'.",
        True,
    ),
}
_PEOPLE = ("11", "12", "13", "14")
_ROW = st.tuples(st.sampled_from(_PEOPLE), st.sampled_from(sorted(_ROWS)))


def _write(folder: Path, rows: list[tuple[str, str]]) -> Path:
    lines = [_HEADER]
    for index, (me, what) in enumerate(rows):
        event, description, _ = _ROWS[what]
        other = "12" if me != "12" else "11"
        text = description.format(me=me, other=other)
        minute = index % 60
        lines.append(
            f'"1/03/17, 10:{minute:02d}",-,-,Course: X,System,{event},"{text}",web,1.1.1.1'
        )
    path = folder / "log.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def _expected(rows: list[tuple[str, str]]) -> set[str]:
    proposed = set()
    for person in _PEOPLE:
        mine = [what for who, what in rows if who == person]
        staffish = sum(_ROWS[what][2] for what in mine)
        if (
            staffish >= moodle_staff.STAFF_MIN_ROWS
            and staffish >= moodle_staff.STAFF_MIN_SHARE * len(mine)
        ):
            proposed.add(person)
    return proposed


@settings(max_examples=60, deadline=None)
@given(st.lists(_ROW, min_size=1, max_size=80), st.data())
def test_staff_like_people_are_proposed_and_only_the_confirmed_become_staff(
    rows: list[tuple[str, str]], data: st.DataObject
) -> None:
    present = sorted({who for who, _ in rows})
    confirmed = frozenset(data.draw(st.lists(st.sampled_from(present), unique=True)))
    with TemporaryDirectory() as folder:
        source = SourceFile(_write(Path(folder), rows))
        items = list(moodle_log.parse(source, ImportOptions(staff=confirmed)))
    proposals = {p.source_id: p for p in source.staff_proposals}
    assert set(proposals) == _expected(rows)
    for person, proposal in proposals.items():
        assert proposal.rows == sum(who == person for who, _ in rows)
        assert sum(count for _, count in proposal.patterns) >= moodle_staff.STAFF_MIN_ROWS
    made_staff = {
        item.who.source_id for item in items if isinstance(item, PersonRecord) and item.role
    }
    assert made_staff == set(confirmed)
    assert all(item.role is Role.FACILITATOR for item in items if isinstance(item, PersonRecord))


def test_a_learner_glancing_at_the_list_is_not_proposed(tmp_path: Path) -> None:
    rows = [("11", "course")] * 60 + [("11", "list")] * 5 + [("11", "own profile")] * 20
    source = SourceFile(_write(tmp_path, rows))
    list(moodle_log.parse(source, ImportOptions()))
    assert source.staff_proposals == []  # 5 of 85 rows: under a tenth


def test_staff_like_patterns_are_named_in_the_proposal(tmp_path: Path) -> None:
    rows = [("13", "graded")] * 3 + [("13", "profile")] * 2 + [("13", "grader report")] * 2
    source = SourceFile(_write(tmp_path, [*rows, ("13", "course")]))
    list(moodle_log.parse(source, ImportOptions()))
    (proposal,) = source.staff_proposals
    assert proposal.patterns == (
        ("graded a submission", 3),
        ("viewed another person's profile", 2),
        ("viewed the grader report", 2),
    )
    assert any(
        "Moodle user 13" in note and "Nobody was made staff" in note for note in source.notes
    )
