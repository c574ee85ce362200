"""Replies read from `<@U...>` mentions in flat channels, on generated Slack exports.

A flat channel (no message has `thread_ts`, as in every export before Slack had threads) reads
a message that mentions another person as a reply to the first person it mentions; a channel
with threads keeps its threads and reads no reply from mentions. A reply is never inferred
without a mention, nor to the author, a bot or an id that `users.json` does not list.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cohortdesk.core.enums import EventKind
from cohortdesk.core.importers.base import ActivityRecord
from tests.core.importers.slack_support import run

PEOPLE = ("U01ANA", "U02BEN", "U03CHL")
BOT = "U09BOT"
STRANGER = "U08NOBODY"  # not in users.json
_USERS = [{"id": uid, "name": uid.lower()} for uid in PEOPLE] + [
    {"id": BOT, "name": "bot", "is_bot": True}
]

#: (author, the ids it mentions, whether it answers the previous message in a real thread)
_MESSAGE = st.tuples(
    st.sampled_from(PEOPLE),
    st.lists(st.sampled_from((*PEOPLE, BOT, STRANGER)), max_size=3),
    st.booleans(),
)


def _export(folder: Path, messages: list[dict[str, Any]]) -> Path:
    path = folder / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("users.json", json.dumps(_USERS))
        archive.writestr("channels.json", json.dumps([{"id": "C1", "name": "general"}]))
        archive.writestr("general/2021-03-01.json", json.dumps(messages))
    return path


def _messages(drawn: list[tuple[str, list[str], bool]], threads: bool) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for index, (author, mentioned, in_thread) in enumerate(drawn):
        text = " ".join(f"<@{uid}>" for uid in mentioned) + " about the reading"
        message: dict[str, Any] = {"user": author, "text": text, "ts": f"{1614589200 + index}.0"}
        if threads and in_thread and result:
            message["thread_ts"] = result[0]["ts"]
        result.append(message)
    return result


def _expected_target(author: str, mentioned: list[str]) -> str | None:
    return next((uid for uid in mentioned if uid in PEOPLE and uid != author), None)


@settings(max_examples=60, deadline=None)
@given(st.lists(_MESSAGE, min_size=1, max_size=12))
def test_flat_channel_replies_only_where_someone_is_mentioned(
    drawn: list[tuple[str, list[str], bool]],
) -> None:
    with TemporaryDirectory() as folder:
        items, source = run(_export(Path(folder), _messages(drawn, threads=False)))
    acts = [item for item in items if isinstance(item, ActivityRecord)]
    assert len(acts) == len(drawn)
    for (author, mentioned, _), record in zip(drawn, acts, strict=True):
        target = _expected_target(author, mentioned)
        if target is None:
            assert (record.kind, record.replied_to) == (EventKind.POST, None)
        else:
            assert record.kind is EventKind.REPLY
            assert record.replied_to is not None and record.replied_to.source_id == target
    inferred = sum(_expected_target(a, m) is not None for a, m, _ in drawn)
    notes = [note for note in source.notes if note.startswith("Replies read from mentions")]
    assert len(notes) == (1 if inferred else 0)
    if inferred:
        assert notes[0].startswith(f"Replies read from mentions: {inferred} message")


@settings(max_examples=60, deadline=None)
@given(st.lists(_MESSAGE, min_size=2, max_size=12).filter(lambda d: any(t for _, _, t in d[1:])))
def test_threaded_channel_keeps_its_threads_and_reads_no_mentions(
    drawn: list[tuple[str, list[str], bool]],
) -> None:
    messages = _messages(drawn, threads=True)
    with TemporaryDirectory() as folder:
        items, source = run(_export(Path(folder), messages))
    acts = [item for item in items if isinstance(item, ActivityRecord)]
    first_author = messages[0]["user"]
    for message, record in zip(messages, acts, strict=True):
        if "thread_ts" in message:
            assert record.kind is EventKind.REPLY
            assert record.replied_to is not None
            assert record.replied_to.source_id == first_author
        else:
            assert (record.kind, record.replied_to) == (EventKind.POST, None)
    assert not any(note.startswith("Replies read from mentions") for note in source.notes)


def test_a_mention_replies_in_the_thread_of_the_person_mentioned(tmp_path: Path) -> None:
    messages = [
        {"user": "U01ANA", "text": "Here is my plan", "ts": "1614589200.0"},
        {"user": "U02BEN", "text": "Morning all", "ts": "1614589300.0"},
        {"user": "U02BEN", "text": "<@U01ANA>: nice plan, and <@U03CHL> too", "ts": "1614589400.0"},
        {"user": "U03CHL", "text": "<@U03CHL> talking to myself", "ts": "1614589500.0"},
    ]
    items, _ = run(_export(tmp_path, messages))
    acts = [item for item in items if isinstance(item, ActivityRecord)]
    assert [(r.kind.value, r.thread, r.replied_to and r.replied_to.source_id) for r in acts] == [
        ("post", "general/1614589200.0", None),
        ("post", "general/1614589300.0", None),
        ("reply", "general/1614589200.0", "U01ANA"),  # into Ana's latest thread
        ("post", "general/1614589500.0", None),  # mentioning oneself answers nobody
    ]
