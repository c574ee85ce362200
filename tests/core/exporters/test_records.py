"""What an export contains: the roster's counts, limited to a period, with nudges and check-ins."""

from __future__ import annotations

from datetime import date

from cohortdesk.core.exporters.records import iter_events
from cohortdesk.core.schemas import ExportOptions
from cohortdesk.core.services.activity import participation
from cohortdesk.core.storage.db import Database
from tests.core.exporters.conftest import Sample
from tests.core.exporters.support import collected


def test_without_a_period_the_counts_are_the_rosters(db: Database, sample: Sample) -> None:
    data = collected(db, sample.cohort_id)
    with db.read() as session:
        roster = {r.membership_id: r for r in participation.roster(session, sample.cohort_id)}
    assert len(data.members) == len(roster) == 5
    for member in data.members:
        row = roster[member.membership_id]
        assert (member.name, member.email, member.role, member.stage, member.access) == (
            row.name,
            row.email,
            row.role,
            row.stage,
            row.access,
        )
        assert (member.logins, member.threads, member.replies, member.peer_replies) == (
            row.logins,
            row.threads,
            row.replies,
            row.peer_replies,
        )
        assert (member.events, member.last_active) == (row.events, row.last_active)
    assert data.event_count == sum(r.events for r in roster.values())


def test_the_period_is_local_days_in_the_cohorts_time_zone(db: Database, sample: Sample) -> None:
    # Dev's login is at 00:30 on 2 June in London, 23:30 on 1 June in UTC.
    june_2 = collected(db, sample.cohort_id, date_from=date(2025, 6, 2))
    dev = next(m for m in june_2.members if m.name == "Dev Dunn")
    assert (dev.logins, dev.threads, dev.first_active) == (1, 1, date(2025, 6, 2))
    june_1 = collected(db, sample.cohort_id, date_to=date(2025, 6, 1), date_from=date(2025, 6, 1))
    assert june_1.event_count == 0
    assert all(m.events == 0 for m in june_1.members)


def test_inactive_members_can_be_left_out(db: Database, sample: Sample) -> None:
    everyone = collected(db, sample.cohort_id)
    active = collected(db, sample.cohort_id, include_inactive=False)
    assert "Cara Colé" in [m.name for m in everyone.members]
    assert [m.name for m in active.members] == [m.name for m in everyone.members if m.events]
    assert active.left_out == 1


def test_latest_motivation_is_taken_up_to_the_end_of_the_period(
    db: Database, sample: Sample
) -> None:
    whole = collected(db, sample.cohort_id)
    march = collected(db, sample.cohort_id, date_to=date(2025, 3, 31))
    ann = next(m for m in whole.members if m.name == "Ann Archer")
    ann_march = next(m for m in march.members if m.name == "Ann Archer")
    assert (ann.motivation, ann_march.motivation) == (2, 4)


def test_nudges_received_and_answered(db: Database, sample: Sample) -> None:
    data = collected(db, sample.cohort_id)
    by_name = {m.name: m for m in data.members}
    assert (by_name["Ben Brook"].nudges_received, by_name["Ben Brook"].nudges_answered) == (1, 1)
    assert (by_name["Cara Colé"].nudges_received, by_name["Cara Colé"].nudges_answered) == (1, 0)
    later = collected(db, sample.cohort_id, date_from=date(2025, 4, 1))
    assert all(m.nudges_received == 0 for m in later.members)


def test_events_stream_in_time_order_with_labels(db: Database, sample: Sample) -> None:
    data = collected(db, sample.cohort_id)
    with db.read() as session:
        events = list(iter_events(session, data))
    assert len(events) == data.event_count
    assert [e.occurred_at for e in events] == sorted(e.occurred_at for e in events)
    replies = [e for e in events if e.replied_to]
    assert {e.replied_to for e in replies} == {"Ann Archer", "Ben Brook", "Fay Fox"}
    assert any("SECRET-DETAIL" in e.detail for e in events)


def test_pseudonymised_data_carries_no_names_emails_or_text(db: Database, sample: Sample) -> None:
    data = collected(db, sample.cohort_id, pseudonymise=True)
    with db.read() as session:
        events = list(iter_events(session, data))
    text = repr(data.members) + repr(events) + repr(dict(data.people))
    for secret in sample.secrets:
        assert secret not in text
    assert all(m.label == m.pseudonym and m.pseudonym.startswith("p-") for m in data.members)
    assert all(e.thread is None or e.thread.startswith("t-") for e in events)


def test_options_refuse_a_period_that_ends_before_it_starts() -> None:
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="ends before it starts"):
        ExportOptions(date_from=date(2025, 3, 2), date_to=date(2025, 3, 1))
    with pytest.raises(ValidationError, match="at least 16"):
        ExportOptions(pseudonymise=True, key="short")
