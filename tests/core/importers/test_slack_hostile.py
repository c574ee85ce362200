"""Hostile input to the Slack importer never raises anything but ImportRejectedError."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohortdesk.core.importers import slack
from cohortdesk.core.importers.base import (
    ActivityRecord,
    ImportOptions,
    ImportRejectedError,
    SourceFile,
)
from tests.core.importers.slack_support import build_zip

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
_PLAUSIBLE = st.sampled_from(
    [
        "1614589200.000001",
        "1614589300",
        "U01ANA",
        "USLACKBOT",
        "file_comment",
        "tombstone",
        "thread_broadcast",
        "bot_message",
        "channel_join",
        "<@U01ANA> hi &amp;",
        "",
    ]
)
_FIELDS = st.sampled_from(
    [
        "ts",
        "user",
        "subtype",
        "text",
        "thread_ts",
        "parent_user_id",
        "reactions",
        "file",
        "files",
        "comment",
        "name",
        "users",
        "count",
        "id",
    ]
)
_MESSAGE = st.dictionaries(_FIELDS, _PLAUSIBLE | _JSON, max_size=8)
_ANY = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _only_rejections(path: Path) -> None:
    try:
        for item in slack.parse(SourceFile(path), ImportOptions()):
            if isinstance(item, ActivityRecord):
                assert item.occurred_at.tzinfo is not None
                assert len(item.detail) <= 120
    except ImportRejectedError:
        pass


@_ANY
@given(data=st.binary(max_size=300), cut=st.integers(min_value=0, max_value=4000))
def test_damaged_real_archive_only_rejects(tmp_path: Path, data: bytes, cut: int) -> None:
    """Bytes overwritten anywhere in a genuine archive."""
    source = build_zip(tmp_path, "realistic", name="good.zip").read_bytes()
    cut = min(cut, len(source))
    path = tmp_path / "export.zip"
    path.write_bytes(source[:cut] + data + source[cut + len(data) :])
    _only_rejections(path)


@_ANY
@given(
    messages=st.lists(_MESSAGE | _JSON, max_size=6),
    users=st.lists(st.dictionaries(_FIELDS, _PLAUSIBLE | _JSON, max_size=5), max_size=3),
)
def test_arbitrary_json_members_only_reject(
    tmp_path: Path, messages: list[object], users: list[object]
) -> None:
    extra: dict[str, bytes | str] = {
        "general/2021-03-02.json": json.dumps(messages),
        "extra/2021-03-02.json": json.dumps(messages[::-1]),
    }
    _only_rejections(build_zip(tmp_path, "joins", extra=extra))
    extra["users.json"] = json.dumps(users)
    _only_rejections(build_zip(tmp_path, "joins", extra=extra, exclude=("users.json",)))
