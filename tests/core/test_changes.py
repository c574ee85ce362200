"""What a write changed: the `Changes` value, and what each kind of write says it changed."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from cohortdesk.core.enums import EventKind, NudgeChannel, Role
from cohortdesk.core.schemas import (
    Changed,
    Changes,
    CohortInput,
    CohortRules,
    EventInput,
    MemberInput,
    NudgeInput,
    TemplateInput,
)
from cohortdesk.core.schemas.mentoring import GroupInput, HighlightInput
from cohortdesk.core.services.attention import rules
from cohortdesk.core.services.dashboards import highlights
from cohortdesk.core.services.mentoring import mentoring
from cohortdesk.core.services.messaging import nudges, templates
from cohortdesk.core.services.people import cohorts, members, tracking
from cohortdesk.core.storage.db import Database
from tests.core.builders import MONDAY, add, make_cohort, person_of


def test_changes_are_empty_by_default_frozen_and_merge() -> None:
    assert not Changes()
    first = Changes(rosters=frozenset({1}), members=frozenset({(1, 10)}))
    second = Changes(cohorts=True, rosters=frozenset({2}), nudges=frozenset({1}))
    both = first | second
    assert both == Changes(
        cohorts=True,
        rosters=frozenset({1, 2}),
        members=frozenset({(1, 10)}),
        nudges=frozenset({1}),
    )
    assert both and Changes.merged([first, second]) == both and Changes.merged([]) == Changes()
    with pytest.raises(ValidationError):
        first.cohorts = True  # type: ignore[misc]
    changed = Changed(value=3, changes=first)
    assert changed.with_value("three") == Changed(value="three", changes=first)


def test_cohort_writes_change_the_list_and_figures_only_when_dates_move(db: Database) -> None:
    with db.write() as s:
        created = cohorts.create_cohort(s, CohortInput(name="Spring"))
        cohort_id = created.value.id
        renamed = cohorts.rename_cohort(s, cohort_id, "Spring 2026")
        moved = cohorts.update_cohort(
            s, cohort_id, CohortInput(name="Spring 2026", start_date=date(2026, 3, 2))
        )
        archived = cohorts.set_archived(s, cohort_id, True)
        deleted = cohorts.delete_cohort(s, cohort_id)
    listed = Changes(cohorts=True)
    assert created.changes == renamed.changes == archived.changes == deleted == listed
    assert moved.changes == listed | Changes.of_roster(cohort_id)


def test_member_writes_name_the_member_or_the_rosters_they_move(db: Database) -> None:
    with db.write() as s:
        spring, autumn = make_cohort(s, "Spring").id, make_cohort(s, "Autumn").id
        ana = add(s, spring, "Ana Souza")
        ben = add(s, spring, "Ben Okafor")
        ana_autumn = members.add_member(
            s, autumn, MemberInput(full_name="Ana Souza", email="ana.souza@example.org")
        )
        edited = members.update_member(
            s, ana, MemberInput(full_name="Ana Sousa", email="ana.souza@example.org")
        )
        reply = tracking.add_event(
            s,
            ben,
            EventInput(
                kind=EventKind.REPLY, occurred_at=MONDAY, replied_to_person_id=person_of(s, ana)
            ),
        )
        note = tracking.add_note(s, ana, "Keen on the forums")
        stage = tracking.change_stage(s, ben, 2, "Posted a first message")
        unposted = tracking.delete_event(s, reply.value.id)
        unnoted = tracking.delete_note(s, note.value.id)
        removed = members.remove_member(s, ben)
    assert ana_autumn.changes == Changes(cohorts=True, rosters=frozenset({autumn}))
    # Her name is shown in both cohorts.
    assert edited == Changes(
        rosters=frozenset({spring, autumn}), members=frozenset({(spring, ana)})
    )
    both = Changes(members=frozenset({(spring, ana), (spring, ben)}))
    assert reply.changes == unposted == both  # the reply counts for the one replied to as well
    assert note.changes == unnoted == Changes.of_member(spring, ana)
    assert stage.changes == Changes.of_member(spring, ben)
    assert removed == Changes(cohorts=True, rosters=frozenset({spring}))


def test_messaging_mentoring_and_highlight_writes_name_their_part(db: Database) -> None:
    with db.write() as s:
        cohort = make_cohort(s).id
        mentor = add(s, cohort, "Mei Chen", Role.MENTOR)
        learner = add(s, cohort, "Ana Souza")
        logged = nudges.log_nudge(
            s, learner, NudgeInput(body="Hi Ana", channel=NudgeChannel.EMAIL, sent_at=MONDAY)
        )
        unlogged = nudges.delete_nudge(s, logged.value.id)
        template = templates.create_template(
            s, TemplateInput(name="Hello", purpose="welcome", subject="Hi", body="Hi {first_name}")
        )
        group = mentoring.create_group(s, mentor, GroupInput(name="Circle"))
        assigned = mentoring.assign_mentor(s, mentor, learner, group.value.id)
        highlight = highlights.add_highlight(
            s, HighlightInput(membership_id=learner, happened_on=MONDAY.date(), text="A story")
        )
        saved = rules.save_rules(s, cohort, CohortRules())
    assert logged.changes == unlogged == Changes(nudges=frozenset({cohort}))
    assert template.changes == Changes(templates=True)
    assert group.changes == assigned.changes == Changes(mentoring=frozenset({cohort}))
    assert highlight.changes == Changes(highlights=frozenset({cohort}))
    assert saved.changes == Changes.of_roster(cohort)
