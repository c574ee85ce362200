"""Nudges: the log, outcomes computed from later activity, and getting messages out."""

from __future__ import annotations

import email
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cohortdesk.core.enums import EventKind, NudgeChannel, Role
from cohortdesk.core.errors import KnownError, NotFoundError
from cohortdesk.core.models import CohortRules as RulesRecord
from cohortdesk.core.models import Intervention, SuggestionDismissal
from cohortdesk.core.schemas import (
    AttentionSettings,
    CohortRules,
    NudgeInput,
    NudgeOutcome,
    validated,
)
from cohortdesk.core.services.attention import evidence, rules
from cohortdesk.core.services.messaging import nudges, outbox, templates
from cohortdesk.core.services.people import cohorts, members
from cohortdesk.core.storage.db import Database
from tests.core.builders import add, event, make_cohort

SENT = datetime(2025, 3, 5, 9, 30, tzinfo=UTC)  # a Wednesday


def day(n: int) -> date:
    """The calendar day `n` days after the nudge."""
    return (SENT + timedelta(days=n)).date()


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.write() as s:
        yield s


@pytest.fixture
def cohort_id(session: Session) -> int:
    return make_cohort(session).id


def send(session: Session, mid: int, at: datetime = SENT, **fields: object) -> int:
    values: dict[str, object] = {"body": "Hi there", "channel": NudgeChannel.EMAIL, "sent_at": at}
    return nudges.log_nudge(session, mid, NudgeInput.model_validate(values | fields)).value.id


# ---- outcome --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_activity", "now", "expected"),
    [
        (None, SENT + timedelta(days=3), NudgeOutcome.WAITING),
        (None, SENT + timedelta(days=7), NudgeOutcome.NO_RESPONSE),
        (SENT + timedelta(hours=1), SENT + timedelta(hours=2), NudgeOutcome.RESPONDED),
        (SENT + timedelta(days=7), SENT + timedelta(days=30), NudgeOutcome.RESPONDED),
        (SENT + timedelta(days=7, seconds=1), SENT + timedelta(days=30), NudgeOutcome.NO_RESPONSE),
        (SENT + timedelta(days=8), SENT + timedelta(days=6), NudgeOutcome.WAITING),
    ],
)
def test_outcome(first_activity: datetime | None, now: datetime, expected: NudgeOutcome) -> None:
    assert nudges.outcome(SENT, first_activity, now, 7) is expected


def test_outcome_labels() -> None:
    labels = [o.label for o in NudgeOutcome]
    assert labels == ["responded", "no response yet", "no response"]


def test_outcomes_follow_later_activity(session: Session, cohort_id: int) -> None:
    quick, slow, silent = (
        add(session, cohort_id, n) for n in ("Quin Quick", "Sol Slow", "Si Lent")
    )
    for mid in (quick, slow, silent):
        event(session, mid, EventKind.LOGIN, SENT - timedelta(days=1))  # before: not a response
        send(session, mid)
    event(session, quick, EventKind.VIEW, SENT + timedelta(days=2))
    event(session, slow, EventKind.LOGIN, SENT + timedelta(days=9))

    def outcomes(n: int) -> dict[str, tuple[NudgeOutcome, datetime | None]]:
        rows = nudges.list_nudges(session, cohort_id, as_of=day(n))
        return {r.name: (r.outcome, r.active_again_at) for r in rows}

    assert outcomes(1) == {
        "Quin Quick": (NudgeOutcome.WAITING, None),
        "Sol Slow": (NudgeOutcome.WAITING, None),
        "Si Lent": (NudgeOutcome.WAITING, None),
    }
    assert outcomes(3)["Quin Quick"] == (NudgeOutcome.RESPONDED, SENT + timedelta(days=2))
    assert outcomes(7)["Sol Slow"] == (NudgeOutcome.NO_RESPONSE, None)
    assert outcomes(10) == {
        "Quin Quick": (NudgeOutcome.RESPONDED, SENT + timedelta(days=2)),
        "Sol Slow": (NudgeOutcome.NO_RESPONSE, SENT + timedelta(days=9)),
        "Si Lent": (NudgeOutcome.NO_RESPONSE, None),
    }
    now = nudges.list_nudges(session, cohort_id, now=SENT + timedelta(days=10))
    assert {r.name: r.outcome for r in now} == {n: o for n, (o, _) in outcomes(10).items()}


def test_the_response_window_is_a_cohort_setting(session: Session, cohort_id: int) -> None:
    mid = add(session, cohort_id, "Wyn Window")
    send(session, mid)
    event(session, mid, EventKind.LOGIN, SENT + timedelta(days=9))
    [row] = nudges.list_nudges(session, cohort_id, as_of=day(12))
    assert row.outcome is NudgeOutcome.NO_RESPONSE
    rules.save_rules(session, cohort_id, CohortRules(attention=AttentionSettings(response_days=10)))
    [row] = nudges.list_nudges(session, cohort_id, as_of=day(12))
    assert row.outcome is NudgeOutcome.RESPONDED


def test_only_their_own_activity_in_this_cohort_counts(session: Session, cohort_id: int) -> None:
    mid = add(session, cohort_id, "Ola Own", email="ola@example.org")
    other = add(session, cohort_id, "Pat Peer")
    send(session, mid)
    event(session, other, EventKind.REPLY, SENT + timedelta(days=1), to=mid, thread="T")
    elsewhere = make_cohort(session, "Elsewhere")
    again = add(session, elsewhere.id, "Ola Own", email="ola@example.org")
    event(session, again, EventKind.LOGIN, SENT + timedelta(days=1))
    [row] = nudges.list_nudges(session, cohort_id, as_of=day(8))
    assert row.outcome is NudgeOutcome.NO_RESPONSE


# ---- the log --------------------------------------------------------------------------------


def test_log_and_list_per_cohort_and_member(session: Session, cohort_id: int) -> None:
    ann, bea = add(session, cohort_id, "Ann Able"), add(session, cohort_id, "Bea Bright")
    welcome = next(r for r in templates.list_templates(session) if r.key == "welcome")
    first = nudges.log_nudge(
        session,
        ann,
        NudgeInput(
            template_id=welcome.id,
            subject="Welcome,\n Ann",
            body="Hi Ann,\n\nWelcome!",
            channel=NudgeChannel.CLIPBOARD,
            sent_at=SENT,
        ),
    ).value
    assert (first.name, first.email, first.template_name) == (
        "Ann Able",
        "ann.able@example.org",
        "Welcome a newcomer",
    )
    assert (first.subject, first.body, first.channel) == (
        "Welcome, Ann",
        "Hi Ann,\n\nWelcome!",
        NudgeChannel.CLIPBOARD,
    )
    assert first.sent_at == SENT
    second = send(session, bea, SENT + timedelta(hours=2), channel=NudgeChannel.EML)
    third = send(session, ann, SENT + timedelta(days=1))
    rows = nudges.list_nudges(session, cohort_id, as_of=day(1))
    assert [r.id for r in rows] == [third, second, first.id]
    assert [
        r.id for r in nudges.list_nudges(session, cohort_id, membership_id=ann, as_of=day(1))
    ] == [
        third,
        first.id,
    ]
    assert [r.id for r in nudges.list_nudges(session, cohort_id, as_of=day(0))] == [
        second,
        first.id,
    ]
    latest = nudges.latest_per_member(rows)
    assert {mid: row.id for mid, row in latest.items()} == {ann: third, bea: second}


def test_sent_now_by_default(session: Session, cohort_id: int) -> None:
    mid = add(session, cohort_id, "Nia Now")
    before = datetime.now(UTC)
    row = nudges.log_nudge(session, mid, NudgeInput(body="Hi", channel=NudgeChannel.OTHER)).value
    assert before <= row.sent_at <= datetime.now(UTC)
    assert row.outcome is NudgeOutcome.WAITING


def test_bad_nudges_are_refused(session: Session, cohort_id: int) -> None:
    mid = add(session, cohort_id, "Rex Refused")
    with pytest.raises(KnownError, match="empty"):
        nudges.log_nudge(session, mid, NudgeInput(body="  \n", channel=NudgeChannel.EMAIL))
    with pytest.raises(NotFoundError):
        nudges.log_nudge(
            session, mid, NudgeInput(template_id=999, body="x", channel=NudgeChannel.EMAIL)
        )
    with pytest.raises(NotFoundError):
        nudges.log_nudge(session, 999, NudgeInput(body="x", channel=NudgeChannel.EMAIL))
    with pytest.raises(KnownError, match="Channel"):
        validated(NudgeInput, body="x", channel="pigeon")
    with pytest.raises(KnownError, match="Sent: a time needs its time zone"):
        validated(NudgeInput, body="x", channel="email", sent_at=datetime(2025, 3, 5))
    with pytest.raises(NotFoundError):
        nudges.list_nudges(session, 999)


def test_delete_and_member_removal(session: Session, cohort_id: int) -> None:
    ann, bea = add(session, cohort_id, "Ann Able"), add(session, cohort_id, "Bea Bright")
    wrong = send(session, ann)
    send(session, bea)
    nudges.delete_nudge(session, wrong)
    with pytest.raises(NotFoundError):
        nudges.delete_nudge(session, wrong)
    members.remove_member(session, bea)
    assert nudges.list_nudges(session, cohort_id, as_of=day(1)) == []


def test_staff_can_be_nudged_too(session: Session, cohort_id: int) -> None:
    mentor = add(session, cohort_id, "Max Mentor", Role.MENTOR)
    send(session, mentor)
    assert [r.name for r in nudges.list_nudges(session, cohort_id, as_of=day(0))] == ["Max Mentor"]


# ---- .eml and mailto: -----------------------------------------------------------------------


def _read(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_write_eml_is_a_valid_utf8_message(tmp_path: Path) -> None:
    path = tmp_path / outbox.eml_file_name("Tomáš Horvat", SENT)
    assert path.name == "2025-03-05 Tomas Horvat.eml"
    body = "Hi Tomáš,\n\nŁódź, São Paulo, 東京: all welcome.\n\n— Farah"
    written = outbox.write_eml(
        path,
        to_name="Tomáš Horvat",
        to_address="tomas.horvat@example.org",
        subject="Welcome,\r\nBcc: evil@example.org Tomáš",
        body=body,
        from_name="Farah Facil",
        from_address="farah@example.org",
        date=SENT,
    )
    assert written == path
    message = _read(path)
    assert str(message["To"]) == "Tomáš Horvat <tomas.horvat@example.org>"
    assert str(message["From"]) == "Farah Facil <farah@example.org>"
    assert str(message["Subject"]) == "Welcome, Bcc: evil@example.org Tomáš"
    assert message["Bcc"] is None
    assert message["Date"].datetime == SENT
    assert message["X-Unsent"] == "1"
    assert message.get_content_charset() == "utf-8"
    assert message.get_content().replace("\r\n", "\n").rstrip("\n") == body
    assert b"\r\n" in path.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


ADDRESSED = {"to_name": "A", "to_address": "a@example.org", "subject": "", "body": ""}


def test_write_eml_replaces_atomically_and_fails_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "x.eml"
    path.write_text("old")
    outbox.write_eml(path, to_name="A", to_address="a@example.org", subject="S", body="new")
    assert _read(path).get_content().strip() == "new"
    with pytest.raises(KnownError, match="does not exist"):
        outbox.write_eml(
            tmp_path / "missing" / "x.eml",
            to_name="A",
            to_address="a@example.org",
            subject="",
            body="",
        )
    with pytest.raises(KnownError, match="email address"):
        outbox.write_eml(path, to_name="A", to_address="not an address", subject="", body="")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.eml"]
    if os.name == "posix" and os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(KnownError):
            outbox.write_eml(
                locked / "x.eml", to_name="A", to_address="a@example.org", subject="", body=""
            )


def test_eml_file_names_are_safe() -> None:
    assert outbox.eml_file_name("../../etc/passwd", SENT) == "2025-03-05 etc passwd.eml"
    assert outbox.eml_file_name("???", SENT) == "2025-03-05 member.eml"
    assert "/" not in outbox.eml_file_name("a/b\\c:d*e", SENT)


def test_mailto_url_percent_encodes_everything() -> None:
    url = outbox.mailto_url(
        "ann+cohort@example.org", "Hi & welcome? 100%\n#1", "Line 1\nLine 2 é & = # ?\r\nEnd"
    )
    assert url.startswith("mailto:ann%2Bcohort@example.org?subject=")
    assert " " not in url and "\n" not in url and "#" not in url
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert unquote(parts.path) == "ann+cohort@example.org"
    assert query["subject"] == ["Hi & welcome? 100% #1"]
    assert query["body"] == ["Line 1\r\nLine 2 é & = # ?\r\nEnd"]
    assert "%0D%0A" in url


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.text(max_size=200))
def test_mailto_round_trips(subject: str, body: str) -> None:
    url = outbox.mailto_url("a@example.org", subject, body)
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    assert query["subject"] == [" ".join(subject.split())]
    normalised = body.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    assert query["body"] == [normalised]


def test_deleting_the_cohort_removes_its_nudges_rules_and_dismissals(
    session: Session, cohort_id: int
) -> None:
    mid = add(session, cohort_id, "Del Eted")
    send(session, mid)
    event(session, mid, EventKind.POST, SENT, thread="Week 1", words=60)
    [suggestion] = evidence.suggestions(session, cohort_id, day(1))
    evidence.dismiss_suggestion(session, suggestion)
    rules.save_rules(session, cohort_id, CohortRules())
    cohorts.delete_cohort(session, cohort_id)
    for table in (Intervention, SuggestionDismissal, RulesRecord):
        assert session.scalar(select(func.count()).select_from(table)) == 0
    assert templates.list_templates(session), "templates belong to no cohort"
