"""The Slack importer's records: what each user, message and reaction becomes.

One test per trap, each on a small readable fixture under `tests/fixtures/slack/`, then the real
2016 export when it is available.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cohortdesk.core.enums import EventKind
from cohortdesk.core.importers import slack
from cohortdesk.core.importers.base import PersonKey, PersonRecord
from tests.core.importers.slack_support import (
    ANA,
    BEN,
    CHLOE,
    REAL,
    USERS_AS_RECORDS,
    build_zip,
    records,
    rejected,
    run,
    skipped,
    summary,
)

# -- a realistic workspace


def test_realistic_export(tmp_path: Path) -> None:
    items, source = run(build_zip(tmp_path, "realistic"))
    assert [i for i in items if isinstance(i, PersonRecord)] == USERS_AS_RECORDS
    welcome = "general/1614589200.000100"
    assert summary(items) == [
        ("post", "U03CHL", welcome, None, 12),
        ("reaction", "U01ANA", welcome, None, None),
        ("reaction", "U02BEN", welcome, None, None),
        ("reply", "U01ANA", welcome, "U03CHL", 9),
        ("share", "U03CHL", "general/1614589600.000004", None, 0),
        ("reply", "U02BEN", welcome, "U03CHL", 7),
        ("post", "U02BEN", "week-1/1614590200.000010", None, 6),
        ("post", "U01ANA", "week-1/1614590300.000011", None, 6),
    ]
    assert skipped(items) == {
        ("bot account", True): 2,
        ("joined/left a channel", False): 2,
        ("channel event (channel_topic)", False): 1,
        ("bot message", True): 1,
    }
    post = records(items)[0]
    assert post.who == CHLOE
    assert post.occurred_at == datetime(2021, 3, 1, 9, 0, 0, 100, tzinfo=UTC)
    assert post.detail == (
        "#general: Welcome to the cohort! Introduce yourself in a thread & say hi to @Ana Lima"
    )
    assert records(items)[4].detail == "#general: shared Syllabus"
    assert [i.row for i in items][:8] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert source.notes == [
        "Ignored 1 file that is not channel history: integration_logs.json.",
        slack._REACTION_NOTE,
    ]
    keys = [r.key for r in records(items)]
    assert len(set(keys)) == len(keys)


def test_keys_are_stable_across_overlapping_exports(tmp_path: Path) -> None:
    """A later export holding the same messages makes the same keys, whatever the rows."""
    first, _ = run(build_zip(tmp_path, "realistic", exclude=("general/2021-03-02.json",)))
    later, _ = run(build_zip(tmp_path, "realistic", name="later.zip"))
    first_keys = {r.key: r for r in records(first)}
    later_keys = {r.key: r for r in records(later)}
    assert set(first_keys) < set(later_keys)
    assert len(later_keys) - len(first_keys) == 1
    moved = [k for k in first_keys if first_keys[k].row != later_keys[k].row]
    assert len(moved) == 2  # week-1 comes after the extra day file: new rows, same keys


def test_big_channel_is_read_twice_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = build_zip(tmp_path, "threads_across_days")
    cached, _ = run(path)
    monkeypatch.setattr(slack, "CACHE_BYTES", 0)
    reread, _ = run(path)
    assert reread == cached


# -- threads


def test_threads_across_day_files(tmp_path: Path) -> None:
    items, source = run(build_zip(tmp_path, "threads_across_days"))
    thread = "general/1614589200.000001"
    late = "general/1614762000.000009"
    assert summary(items) == [
        ("post", "U01ANA", thread, None, 6),
        ("reply", "U02BEN", thread, "U01ANA", 3),
        # filed a day before its parent, without parent_user_id: linked after all days load
        ("reply", "U01ANA", late, "U03CHL", 5),
        # no parent_user_id: the parent's author, loaded from another day file
        ("reply", "U03CHL", thread, "U01ANA", 5),
        # the parent is not in the export
        ("reply", "U02BEN", "general/1600000000.000001", None, 3),
        ("post", "U03CHL", late, None, 3),
        ("reply", "U01ANA", thread, "U01ANA", 6),
    ]
    assert source.notes == [
        "1 thread reply answers a message that is not in the export: who they answered is unknown."
    ]


def test_thread_broadcast_counts_once(tmp_path: Path) -> None:
    items, _ = run(build_zip(tmp_path, "thread_broadcast"))
    thread = "general/1614589200.000001"
    assert summary(items) == [
        ("post", "U01ANA", thread, None, 8),
        ("reply", "U02BEN", thread, "U01ANA", 1),
        ("reply", "U03CHL", thread, "U01ANA", 6),
    ]
    assert skipped(items) == {("listed twice (thread broadcast)", False): 1}


def test_tombstone_parent_keeps_replies_connected(tmp_path: Path) -> None:
    items, _ = run(build_zip(tmp_path, "tombstone"))
    thread = "general/1614589200.000001"
    assert summary(items) == [
        ("reply", "U02BEN", thread, "U01ANA", 4),
        ("reply", "U03CHL", thread, "U01ANA", 2),
        ("reply", "U02BEN", thread, None, 4),
    ]
    assert skipped(items) == {
        ("bot account", True): 1,
        ("deleted message (its replies are kept)", True): 1,
    }
    assert records(items)[0].replied_to == ANA


# -- what is not a contribution


def test_bots_are_skipped(tmp_path: Path) -> None:
    items, _ = run(build_zip(tmp_path, "bots"))
    assert summary(items) == [
        ("reaction", "U01ANA", "general/1614589200.000001", None, None),  # on a bot's message
        ("post", "U01ANA", "general/1614589240.000005", None, 3),
        ("reaction", "U02BEN", "general/1614589240.000005", None, None),
    ]
    assert skipped(items) == {
        ("bot account", True): 2,  # U05BOT (is_bot) and USLACKBOT
        ("bot message", True): 4,  # bot_message, is_bot user, Slackbot, no user at all
        ("bot reaction", True): 1,
    }


def test_joins_leaves_and_channel_events_are_skipped(tmp_path: Path) -> None:
    items, _ = run(build_zip(tmp_path, "joins"))
    assert summary(items) == [("post", "U01ANA", "general/1614589250.000006", None, 2)]
    assert skipped(items) == {
        ("joined/left a channel", False): 3,
        ("channel event (channel_purpose)", False): 1,
        ("added/removed an integration", False): 1,
    }


# -- people


def test_deleted_user_keeps_messages_and_name(tmp_path: Path) -> None:
    items, _ = run(build_zip(tmp_path, "deleted_user"))
    dan = PersonKey("U04DAN", "dan@example.org", "Dan Wei")
    post, reply = records(items)
    assert (post.kind, post.who) == (EventKind.POST, dan)
    assert (reply.kind, reply.who, reply.replied_to) == (EventKind.REPLY, ANA, dan)
    assert skipped(items) == {("deactivated account (its messages are imported)", False): 1}
    assert [i for i in items if isinstance(i, PersonRecord)] == USERS_AS_RECORDS


def test_emails_present_and_absent(tmp_path: Path) -> None:
    items, _ = run(build_zip(tmp_path, "emails"))
    people = [i.who for i in items if isinstance(i, PersonRecord)]
    assert people == [
        ANA,
        BEN,
        PersonKey("U06EVA", None, "Eva Novak"),  # empty email, name from profile
        PersonKey("U07FIN", "finn@example.org", "finn"),  # no real name: the handle
    ]
    assert [r.who for r in records(items)] == people


def test_user_missing_from_users_json(tmp_path: Path) -> None:
    items, source = run(build_zip(tmp_path, "unknown_user"))
    post, reply = records(items)
    assert post.who == PersonKey(source_id="U09ZED")
    assert reply.replied_to == PersonKey(source_id="U09ZED")
    assert post.detail == "#general: Hi, I joined late @Ana Lima"
    assert post.word_count == 4  # the mention is not a word
    assert source.notes == [
        "1 Slack user id in the messages is not in users.json: they are known by their id only."
    ]


# -- reactions


def test_reactions_one_record_per_person(tmp_path: Path) -> None:
    items, source = run(build_zip(tmp_path, "reactions"))
    post, *reactions = records(items)
    assert post.kind is EventKind.POST
    assert [(r.who, r.detail) for r in reactions] == [
        (BEN, "#general: reacted :tada:"),
        (CHLOE, "#general: reacted :tada:"),
        (BEN, "#general: reacted :thumbsup::skin-tone-3:"),
        (CHLOE, "#general: reacted :heart:"),
    ]
    assert {r.kind for r in reactions} == {EventKind.REACTION}
    assert {r.occurred_at for r in reactions} == {post.occurred_at}
    assert {r.thread for r in reactions} == {post.thread}
    assert len({r.key for r in records(items)}) == 5
    assert source.notes == [
        slack._REACTION_NOTE,
        "Some reactions list fewer people than their count (Slack exports a limited number of "
        "names): only the people listed were counted.",
    ]


# -- the 2016 format


def test_old_export_2016(tmp_path: Path) -> None:
    items, _ = run(build_zip(tmp_path, "old_export_2016"))
    upload = "general/1452837400.000007"
    assert summary(items) == [
        ("post", "U01ANA", "general/1452837352.000006", None, 5),
        ("share", "U02BEN", upload, None, 0),  # "uploaded a file" is Slack's text, not Ben's
        ("reply", "U01ANA", upload, "U02BEN", 4),  # a comment on Ben's file, in its thread
    ]
    assert skipped(items) == {("bot message", True): 1}
    post, share, comment = records(items)
    assert post.detail == "#general: See https://example.org/a/b for the notes"
    assert share.detail == "#general: @ben uploaded a file: plan"
    assert comment.detail == "#general: comment on plan: Looks good to me"
    assert post.occurred_at == datetime(2016, 1, 15, 5, 55, 52, 6, tzinfo=UTC)


def test_times_come_from_ts_not_the_file_name(tmp_path: Path) -> None:
    stray = [{"type": "message", "user": "U01ANA", "text": "filed late", "ts": "1614589200.5"}]
    items, _ = run(
        build_zip(tmp_path, "joins", extra={"general/2030-12-31.json": json.dumps(stray)})
    )
    assert records(items)[-1].occurred_at == datetime(2021, 3, 1, 9, 0, 0, 500000, tzinfo=UTC)


def test_detail_is_one_short_line(tmp_path: Path) -> None:
    text = "word " * 5000 + "\n\nsecond paragraph"
    long = [{"type": "message", "user": "U01ANA", "text": text, "ts": "1614589300.000001"}]
    items, _ = run(
        build_zip(tmp_path, "joins", extra={"general/2021-03-02.json": json.dumps(long)})
    )
    record = records(items)[-1]
    assert record.word_count == 5002
    assert len(record.detail) <= 120
    assert record.detail.startswith("#general: word word")
    assert record.detail.endswith("word…")
    assert "\n" not in record.detail


# -- rejected content


def test_message_without_ts_names_file_and_index(tmp_path: Path) -> None:
    reason = rejected(build_zip(tmp_path, "message_without_ts"))
    assert reason == "general/2021-03-01.json #2: the message has no valid ts (its time and id)"


@pytest.mark.parametrize(
    ("bad", "data"),
    [
        ('{"id": "U1"}', "users.json is not a list of users"),
        ('[{"name": "no id"}]', "users.json #1: the user has no id"),
        ('[{"id": 5}]', "users.json #1: id is not text"),
    ],
)
def test_bad_users_json(tmp_path: Path, bad: str, data: str) -> None:
    path = build_zip(tmp_path, "joins", exclude=("users.json",), extra={"users.json": bad})
    assert rejected(path) == data


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("[1]", "general/2021-03-02.json #1: the message is not a JSON object"),
        ('{"ts": "1"}', "general/2021-03-02.json: not a list of messages"),
        ('[{"ts": "1.2", "user": ["x"]}]', "general/2021-03-02.json #1: user is not text"),
        (
            '[{"ts": "1.2", "thread_ts": "soon"}]',
            "general/2021-03-02.json #1: thread_ts is not a Slack timestamp",
        ),
        ('[{"ts": "1.2", "reactions": {}}]', "general/2021-03-02.json #1: reactions is not a list"),
        (
            '[{"ts": "1.2", "reactions": [{"name": "x", "users": [1]}]}]',
            "general/2021-03-02.json #1: a reaction's users is not a list of user ids",
        ),
        (
            '[{"ts": "99999999999999.1"}]',
            "general/2021-03-02.json #1: the message has no valid ts (its time and id)",
        ),
        ("[[[[" * 40 + "]]]]" * 40, "general/2021-03-02.json: JSON nested deeper than 64 levels"),
    ],
)
def test_bad_messages_are_rejected(tmp_path: Path, message: str, reason: str) -> None:
    path = build_zip(tmp_path, "joins", extra={"general/2021-03-02.json": message})
    assert rejected(path) == reason


# -- the real 2016 export


def test_real_slack_export_2016() -> None:
    path = REAL / "slack_export_2016.zip"
    if not path.is_file():
        pytest.skip(f"the real exports are not available ({REAL})")
    items, source = run(path)
    acts = records(items)
    assert len(items) == 163
    # a flat (2016) export: the 14 messages that address someone by <@U...> are replies
    assert Counter(r.kind.value for r in acts) == {
        "post": 35,
        "share": 3,
        "reply": 15,
        "reaction": 1,
    }
    assert skipped(items) == {
        ("bot message", True): 94,
        ("joined/left a channel", False): 8,
        ("added/removed an integration", False): 3,
    }
    people = [i.who for i in items if isinstance(i, PersonRecord)]
    assert [p.name for p in people] == [
        "Harry Potter",
        "Hermione Granger",
        "Hamza Faran",
        "heroeshannibal",
    ]
    assert {p.email for p in people} == {None}
    assert Counter(r.who.source_id for r in acts) == {
        "U0BMQB6JE": 33,
        "U0BMS113R": 14,
        "U0BMYT2FL": 6,
        "U0BMM2FEH": 1,
    }
    assert {r.who for r in acts} <= set(people)
    assert min(r.occurred_at for r in acts) == datetime(2016, 1, 15, 5, 55, 52, 6, tzinfo=UTC)
    assert max(r.occurred_at for r in acts) == datetime(2016, 3, 28, 8, 52, 54, 25, tzinfo=UTC)
    assert Counter(r.thread.split("/")[0] for r in acts if r.thread) == {
        "enrique": 31,
        "traveling-sailor": 23,
    }
    mentions = [r for r in acts if r.kind is EventKind.REPLY and r.replied_to != r.who]
    assert Counter((r.who.source_id, r.replied_to.source_id) for r in mentions if r.replied_to) == {
        ("U0BMQB6JE", "U0BMYT2FL"): 9,
        ("U0BMQB6JE", "U0BMS113R"): 4,
        ("U0BMYT2FL", "U0BMQB6JE"): 1,
    }
    # the file comment answers the file's owner (here, herself), in the upload's thread
    (comment,) = [r for r in acts if r.kind is EventKind.REPLY and r.replied_to == r.who]
    assert comment.replied_to == comment.who
    assert comment.thread == "traveling-sailor/1459105865.000017"
    # the one reaction is a person's reaction to a bot's message
    (reaction,) = [r for r in acts if r.kind is EventKind.REACTION]
    assert (reaction.who.name, reaction.detail) == ("Harry Potter", "#enrique: reacted :botman:")
    assert all(len(r.detail) <= 120 for r in acts)
    assert len({r.key for r in acts}) == len(acts)
    assert source.notes == [
        "Ignored 1 file that is not channel history: integration_logs.json.",
        "Replies read from mentions: 14 messages in channels without threads mention another "
        "person (@name) and count as replies to the first person mentioned; messages without "
        "a mention stay posts.",
        slack._REACTION_NOTE,
    ]
