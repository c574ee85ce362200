"""The xAPI importer reading statements: arrays, LRS pages and JSON lines; identities, verbs,
voiding, time zones, and what the import service makes of them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from cohortdesk.core.enums import EventKind
from cohortdesk.core.importers import xapi
from cohortdesk.core.importers.base import (
    ActivityRecord,
    PersonKey,
    Skipped,
)
from cohortdesk.core.services.activity import imports
from cohortdesk.core.storage.db import Database
from tests.core.builders import add, make_cohort
from tests.core.importers.xapi_support import (
    ANN_MBOX,
    BOB,
    CLEO,
    D11,
    FIXTURES,
    FRAN,
    HOME,
    parse,
    records,
    statement,
    write_json,
)

# --- the three layouts ------------------------------------------------------------------------


def test_a_realistic_array_maps_verbs_to_kinds_and_people_to_canonical_ids() -> None:
    items, source = parse(FIXTURES / "realistic_array.json")

    got = records(items)
    assert len(items) == 12 and len(got) == 11
    assert items[10] == Skipped(11, "not participation: progressed")
    assert [r.row for r in got] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12]
    assert [r.kind for r in got] == [
        EventKind.LOGIN,  # adl logged-in
        EventKind.VIEW,  # tincan viewed
        EventKind.POST,  # activitystrea.ms create
        EventKind.REPLY,  # tincan replied
        EventKind.REPLY,  # adl commented
        EventKind.REACTION,  # liked
        EventKind.SHARE,
        EventKind.ATTEND,
        EventKind.SUBMIT,  # submitted
        EventKind.SUBMIT,  # completed
        EventKind.LOGIN,  # brindlewaye loggedin/ (trailing slash)
    ]
    assert [r.who.source_id for r in got] == [
        ANN_MBOX,
        ANN_MBOX,
        FRAN,
        ANN_MBOX,
        BOB,
        CLEO,
        BOB,
        CLEO,
        ANN_MBOX,
        BOB,
        CLEO,
    ]
    assert got[0].who == PersonKey(ANN_MBOX, "ann.lee@example.org", "Ann Lee")
    assert got[3].replied_to == PersonKey(FRAN, None, "Fran Okafor")
    assert got[4].replied_to == PersonKey(ANN_MBOX, "ann.lee@example.org", "Ann Lee")
    assert [r.replied_to is None for r in got] == [True] * 3 + [False] * 2 + [True] * 6
    assert got[2].thread == D11  # a new discussion without a parent: the object itself
    assert got[3].thread == D11 and got[4].thread == D11  # the first parent activity
    assert got[1].thread == f"{HOME}/course/view.php?id=2"
    assert got[5].thread is None
    assert [r.word_count for r in got[2:5]] == [7, 4, None]  # words of result.response
    assert got[2].detail == "created: Week 1: Introductions"
    assert got[6].detail == "shared: Salmon, E-tivities (slides)"
    assert got[0].occurred_at == datetime(2025, 3, 3, 8, 55, tzinfo=UTC)
    assert got[2].occurred_at == datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
    assert got[10].occurred_at == datetime(2025, 3, 6, 12, 0, tzinfo=UTC)
    assert len({r.key for r in got}) == 11
    assert source.encoding == "utf-8"
    assert source.notes == []


def test_an_lrs_page_is_read_and_says_there_is_more() -> None:
    items, source = parse(FIXTURES / "lrs_page.json")

    assert [r.row for r in records(items)] == [1, 2, 3]
    assert source.notes == [
        "This is one page of an LRS answer: the rest is at '/xapi/statements?more=7b1c0d'; "
        "fetch and import it too."
    ]


def test_json_lines_are_numbered_by_line_and_keyed_like_the_array() -> None:
    lines = records(parse(FIXTURES / "json_lines.jsonl")[0])
    array = records(parse(FIXTURES / "realistic_array.json")[0])[:4]

    assert [r.row for r in lines] == [1, 2, 4, 5]  # line 3 is blank
    assert [(r.key, r.kind, r.who, r.occurred_at) for r in lines] == [
        (r.key, r.kind, r.who, r.occurred_at) for r in array
    ]


def test_one_statement_on_its_own_is_read(tmp_path: Path) -> None:
    items, _ = parse(write_json(tmp_path, statement()))

    assert [(r.row, r.kind) for r in records(items)] == [(1, EventKind.ATTEND)]


# --- traps ------------------------------------------------------------------------------------


def test_a_voiding_statement_before_its_target_drops_both() -> None:
    items, source = parse(FIXTURES / "voiding_before_target.jsonl")

    assert items[0] == Skipped(1, "voided")
    assert items[2] == Skipped(3, "voided")
    assert [(r.row, r.who.source_id) for r in records(items)] == [(2, ANN_MBOX), (4, CLEO)]
    assert source.notes == []


def test_a_voiding_statement_after_its_target_drops_both() -> None:
    items, _ = parse(FIXTURES / "voiding_after_target.json")

    assert items[1] == Skipped(2, "voided")  # the reply Bob took back
    assert items[3] == Skipped(4, "voided")  # the voiding statement (its ref in upper case)
    assert [r.row for r in records(items)] == [1, 3]


def test_a_voiding_verb_written_with_escapes_is_still_seen_before_its_target(
    tmp_path: Path,
) -> None:
    target = statement(id="6f1c2a3e-0000-4000-8000-000000000002")
    voiding = statement(
        id="6f1c2a3e-0000-4000-8000-000000000003",
        verb={"id": "VERB"},
        object={"objectType": "StatementRef", "id": "6f1c2a3e-0000-4000-8000-000000000002"},
    )
    escaped = json.dumps(voiding).replace("VERB", "http:\\/\\/adlnet.gov/expapi/verbs/\\u0076oided")
    path = tmp_path / "escaped.jsonl"
    path.write_text(f"{escaped}\n{json.dumps(target)}\n{json.dumps(statement())}\n")

    items, _ = parse(path)

    assert items[:2] == [Skipped(1, "voided"), Skipped(2, "voided")]
    assert [r.row for r in records(items)] == [3]


def test_voiding_a_statement_not_in_the_file_is_pointed_out() -> None:
    items, source = parse(FIXTURES / "voiding_unknown_target.json")

    assert items[1] == Skipped(2, "voided")
    assert source.notes == [
        "1 voiding statement cancels a statement not in this file; if an earlier import "
        "brought them in, undo that import and import both files again."
    ]


def test_mbox_and_account_are_two_source_ids_and_only_the_mbox_gives_an_email() -> None:
    got = records(parse(FIXTURES / "mixed_mbox_account.json")[0])

    assert [r.who for r in got] == [
        PersonKey(ANN_MBOX, "ann.lee@example.org", "Ann Lee"),
        PersonKey(f"account:{HOME}|u-5", None, "Ann Lee"),
        PersonKey(ANN_MBOX, "ann.lee@example.org", None),  # same mbox, any case, no name
    ]
    assert got[1].replied_to == PersonKey(BOB, None, "Bob Kim")


def test_timestamps_keep_their_offset_and_zoneless_ones_are_utc() -> None:
    items, source = parse(FIXTURES / "timestamps_with_and_without_zone.json")

    assert [r.occurred_at.astimezone(UTC) for r in records(items)] == [
        datetime(2025, 3, 3, 9, 0, tzinfo=UTC),  # Z
        datetime(2025, 3, 3, 8, 0, tzinfo=UTC),  # +02:00
        datetime(2025, 3, 3, 9, 0, tzinfo=UTC),  # -0500
        datetime(2025, 3, 3, 9, 0, tzinfo=UTC),  # no zone
        datetime(2025, 3, 3, 9, 30, 0, 123456, tzinfo=UTC),  # no zone, microseconds
        datetime(2025, 3, 3, 11, 0, tzinfo=UTC),  # no timestamp: the stored time
    ]
    assert source.notes == ["2 statements had no time zone and were read as UTC."]


def test_context_activities_may_be_one_object_or_an_array() -> None:
    got = records(parse(FIXTURES / "context_activities_object_vs_array.json")[0])

    assert [r.thread for r in got] == [
        D11,  # {"parent": {...}}
        f"{HOME}/d/12",  # {"parent": [first, second]}
        f"{D11}#p3",  # {"parent": []}: a reply's own object
        None,  # a view without context
        D11,  # a new discussion: its object
    ]


def test_statements_without_ids_are_keyed_by_their_content_and_instant() -> None:
    got = records(parse(FIXTURES / "statements_without_ids.json")[0])

    # two identical statements are two events; 10:00+01:00 is the same instant as 09:00Z
    base = got[0].key
    assert [r.key for r in got] == [base, f"{base}#1", f"{base}#2"]


def test_not_participation_is_skipped_without_judging_the_actor(tmp_path: Path) -> None:
    group = {"objectType": "Group", "member": []}
    data = [statement(verb={"id": "http://adlnet.gov/expapi/verbs/scored/"}, actor=group)]

    items, _ = parse(write_json(tmp_path, data))

    assert items == [Skipped(1, "not participation: scored")]


def test_a_statement_id_repeated_in_the_file_counts_once(tmp_path: Path) -> None:
    items, _ = parse(write_json(tmp_path, [statement(), statement()]))

    assert isinstance(items[0], ActivityRecord)
    assert items[1] == Skipped(2, "statement repeated in the file")


def test_replied_to_is_read_only_from_the_extension_and_only_for_replies(tmp_path: Path) -> None:
    bob = {"account": {"homePage": HOME, "name": "u-6"}}
    data = [
        statement(
            id="6f1c2a3e-0000-4000-8000-000000000001",
            verb={"id": "http://id.tincanapi.com/verb/replied"},
            context={"instructor": bob, "extensions": {}},
        ),
        statement(
            id="6f1c2a3e-0000-4000-8000-000000000002",
            context={"extensions": {xapi.REPLIED_TO_EXTENSION: bob}},
        ),
        statement(
            id="6f1c2a3e-0000-4000-8000-000000000003",
            verb={"id": "http://adlnet.gov/expapi/verbs/commented"},
            context={"extensions": {xapi.REPLIED_TO_EXTENSION: bob}},
        ),
    ]

    got = records(parse(write_json(tmp_path, data))[0])

    assert [r.replied_to for r in got] == [None, None, PersonKey(BOB)]


def test_the_replied_to_extension_has_its_documented_name() -> None:
    assert xapi.REPLIED_TO_EXTENSION == "https://w3id.org/xapi/cohortdesk/extensions/replied-to"


def test_a_long_detail_is_cut_to_one_line(tmp_path: Path) -> None:
    name = {"en-US": "A very\nlong title " * 20}
    data = [statement(object={"id": "x", "definition": {"name": name}})]

    got = records(parse(write_json(tmp_path, data))[0])[0]

    assert len(got.detail) == 120 and "\n" not in got.detail
    assert got.detail.startswith("attended: A very long title")


# --- canonical_actor_id -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (
            {"mbox": "mailto:Ann.Lee@Example.ORG", "name": " Ann  Lee "},
            ("mbox:mailto:ann.lee@example.org", "ann.lee@example.org", "Ann Lee"),
        ),
        ({"mbox": "ann@example.org"}, ("mbox:mailto:ann@example.org", "ann@example.org", None)),
        (
            {"objectType": "Agent", "mbox_sha1sum": "A9993E364706816ABA3E25717850C26C9CD0D89D"},
            (CLEO, None, None),
        ),
        ({"openid": "https://id.example.org/fran"}, (FRAN, None, None)),
        (
            {"account": {"homePage": HOME, "name": "u-6"}, "name": "Bob Kim"},
            (BOB, None, "Bob Kim"),
        ),
        (
            {"mbox": None, "openid": "https://x.example/y"},
            ("openid:https://x.example/y", None, None),
        ),
    ],
)
def test_canonical_actor_id(
    agent: dict[str, object], expected: tuple[str, str | None, str | None]
) -> None:
    assert xapi.canonical_actor_id(agent) == expected


@pytest.mark.parametrize(
    ("agent", "message"),
    [
        ({"objectType": "Group", "mbox": "mailto:team@example.org"}, "it is a group"),
        ({"objectType": "Activity", "mbox": "mailto:a@example.org"}, "is not Agent"),
        ({"name": "Nobody"}, "it has no identifier"),
        ({"mbox": "mailto:a@example.org", "openid": "https://a"}, "it has 2 identifiers"),
        ({"mbox": 5}, "its mbox is not a mailto: email address"),
        ({"mbox": "mailto:a b@example.org"}, "its mbox is not a mailto: email address"),
        ({"mbox_sha1sum": "abc"}, "its mbox_sha1sum is not 40 hexadecimal digits"),
        ({"openid": ""}, "its openid is not a URL"),
        ({"account": {"homePage": HOME}}, "its account needs both a homePage and a name"),
        ({"account": "u-6"}, "its account needs both a homePage and a name"),
    ],
)
def test_canonical_actor_id_refuses_what_is_not_one_person(
    agent: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        xapi.canonical_actor_id(agent)


def test_a_very_long_identifier_is_shortened_stably() -> None:
    agent = {"account": {"homePage": HOME, "name": "x" * 500}}

    first, _, _ = xapi.canonical_actor_id(agent)
    second, _, _ = xapi.canonical_actor_id(dict(agent))
    other, _, _ = xapi.canonical_actor_id({"account": {"homePage": HOME, "name": "x" * 499}})

    assert len(first) == 200 and first.startswith(f"account:{HOME}|xxx")
    assert first == second and first != other


# --- the import service -----------------------------------------------------------------------


def test_mbox_and_account_statements_reach_the_same_member(db: Database) -> None:
    with db.write() as session:
        cohort = make_cohort(session, start_date=date(2025, 3, 1))
        add(session, cohort.id, "Ann Lee", email="Ann.Lee@example.org")

    with db.write() as session:
        summary = imports.import_file(
            session, cohort.id, FIXTURES / "mixed_mbox_account.json", "xapi"
        )

    # Ann by email (mbox) and by name (account) is one member; only Bob, replied to, is new
    assert (summary.read, summary.inserted, summary.people_created) == (3, 3, 1)
    assert summary.new_people == ["Bob Kim"]


def test_reimporting_statements_inserts_nothing(db: Database) -> None:
    with db.write() as session:
        cohort = make_cohort(session, start_date=date(2025, 3, 1))
    path = FIXTURES / "realistic_array.json"

    with db.write() as session:
        first = imports.import_file(session, cohort.id, path, "xapi")
    with db.write() as session:
        again = imports.import_file(session, cohort.id, FIXTURES / "json_lines.jsonl", "xapi")

    assert (first.read, first.inserted, first.ignored, first.people_created) == (12, 11, 1, 4)
    assert first.skipped_reasons == {"not participation: progressed": 1}
    assert (again.inserted, again.duplicates) == (0, 4)
