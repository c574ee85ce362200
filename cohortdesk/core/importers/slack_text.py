"""Slack message text: word counts, and the one short readable line stored as a record's detail.

Slack writes mentions and links as markup (`<@U01ANA>`, `<#C01|general>`, `<!here>`,
`<https://...|label>`) and escapes only `&`, `<` and `>`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from cohortdesk.core.importers.base import PersonKey
from cohortdesk.core.importers.slack_messages import SlackMessage

DETAIL_MAX = 120

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^<>]*)?>")
#: a word: a whitespace-separated token holding at least one letter or digit (linear time)
_WORD = re.compile(r"(?<!\S)[^\s\w]*\w")
_MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def words(text: str) -> int:
    """Words in a message, not counting `<@U...>` mentions."""
    if not text:
        return 0
    if "<@" in text:
        text = _MENTION.sub(" ", text)
    if "&" in text:
        text = _unescape(text)
    return len(_WORD.findall(text))


def _unescape(text: str) -> str:
    """Undo the only three escapes Slack writes in message text."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _markup(match: re.Match[str], people: Mapping[str, PersonKey]) -> str:
    target, label = match[1], match[2]
    if target.startswith("@"):
        if label:
            return "@" + label
        who = people.get(target[1:])
        return "@" + (who.name if who is not None and who.name else "someone")
    if target.startswith("#"):
        return "#" + (label or "channel")
    if target.startswith("!"):
        return "@" + (label or target[1:].split("^", 1)[0])
    return label or target


def detail(folder: str, msg: SlackMessage, people: Mapping[str, PersonKey]) -> str:
    """`msg` as one short line (`#general: ...`), mentions shown by the names in `people`."""
    text = msg.text
    if msg.subtype == "file_comment" and msg.comment:
        text = f"comment on {msg.file_title or 'a file'}: {msg.comment}"
    text = _MARKUP.sub(lambda match: _markup(match, people), text[:1000])
    text = " ".join(_unescape(text).split())
    if not text:
        text = f"shared {msg.file_title}" if msg.file_title else "(no text)"
    return fit(f"#{folder}: {text}")


def fit(text: str) -> str:
    """`text` cut at a word boundary to fit `DETAIL_MAX` characters."""
    if len(text) <= DETAIL_MAX:
        return text
    cut = text[: DETAIL_MAX - 1]
    space = cut.rfind(" ")
    if space > DETAIL_MAX // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"
