"""Filling in prompt templates, safely.

A template is plain text with placeholders such as `{first_name}`. The parser here is the
only thing that reads a template: nothing is handed to `str.format`, so there is no attribute
or index access (`{0.__class__}`, `{a[0]}`), no conversion (`{x!r}`), no format spec
(`{x:>9999999}`) and no code execution. The whole syntax is:

- `{name}`: a placeholder, where `name` is one of `PLACEHOLDERS` (lower-case letters, digits
  and underscores);
- `{{` and `}}`: a literal `{` and `}`;
- everything else: literal text.

Anything else between braces, an unknown name, or a lone brace is a `TemplateError` that
names the problem and where it is (line, column, offset), for the template editor to show.
Values are inserted as they are and never read as template text themselves. A rendered
message is capped at `MAX_MESSAGE_CHARS`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from cohortdesk.core.errors import KnownError
from cohortdesk.core.schemas import MAX_MESSAGE_CHARS, Placeholder, RenderedMessage

_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
_BRACE = re.compile(r"[{}]")
_SHOWN = 40

PLACEHOLDERS: tuple[Placeholder, ...] = (
    Placeholder(name="first_name", description="The member's first name", example="Amina"),
    Placeholder(name="full_name", description="The member's full name", example="Amina Odhiambo"),
    Placeholder(name="cohort", description="The cohort's name", example="Leading Online Learning"),
    Placeholder(name="stage", description="The member's stage, 1 to 5", example="2"),
    Placeholder(
        name="stage_name",
        description="The name of the member's stage",
        example="Online socialisation",
    ),
    Placeholder(
        name="next_stage_name",
        description="The name of the stage after theirs (Development at stage 5)",
        example="Information exchange",
    ),
    Placeholder(
        name="days_since_active",
        description="Whole days since the member was last active (since they joined or the "
        "cohort started, if never)",
        example="9",
    ),
    Placeholder(
        name="last_active",
        description="The day the member was last active, or 'not yet'",
        example="Thu 15 Oct",
    ),
    Placeholder(
        name="last_thread",
        description="The thread of the member's latest post or reply, else 'this week's thread'",
        example="Week 6 · Weaving and summarising",
    ),
    Placeholder(
        name="facilitator",
        description="The cohort's facilitator (the first one listed), else 'your facilitator'",
        example="Farhan Banerjee",
    ),
    Placeholder(
        name="facilitator_first_name",
        description="The facilitator's first name",
        example="Farhan",
    ),
    Placeholder(
        name="peer_name",
        description="A fellow learner to connect with: for stages 1 to 4 someone at a higher "
        "stage who posted in the last two weeks (one sharing an expertise keyword first), for "
        "stage 5 a newcomer (stage 1 or 2) who posted recently; else 'a fellow learner'",
        example="Dina Bakri",
    ),
    Placeholder(name="peer_first_name", description="That peer's first name", example="Dina"),
    Placeholder(
        name="peer_thread",
        description="The thread of that peer's latest post, else 'this week's thread'",
        example="Week 8 · Closing well",
    ),
    Placeholder(
        name="next_etivity",
        description="The next e-tivity, as set in the cohort's settings; else the newest "
        "thread the facilitator started; else 'the next activity'",
        example="Week 9 · Your e-tivity plan",
    ),
    Placeholder(
        name="next_date",
        description="The next e-tivity's date, as set in the cohort's settings; else '[date]'",
        example="Mon 2 Nov",
    ),
    Placeholder(
        name="space_link",
        description="Where the cohort meets (a link), as set in the cohort's settings; else "
        "'the course space'",
        example="https://moodle.example.org/course/view.php?id=42",
    ),
    Placeholder(name="today", description="The day the message is written", example="Fri 30 Oct"),
)
PLACEHOLDER_NAMES = frozenset(p.name for p in PLACEHOLDERS)


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_label(day: date, today: date | None = None) -> str:
    """`Thu 15 Oct`, with the year when it is not `today`'s year; the same in every locale."""
    text = f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"
    return text if today is not None and day.year == today.year else f"{text} {day.year}"


class TemplateError(KnownError):
    """A template that cannot be filled in, and where the problem is.

    Attributes:
        offset: 0-based index of the problem in the template text.
        line: 1-based line.
        column: 1-based column.
        placeholder: the unknown or malformed placeholder text, when that is the problem.
    """

    def __init__(
        self,
        problem: str,
        text: str,
        offset: int,
        placeholder: str | None = None,
        part: str = "",
    ) -> None:
        self.offset = offset
        self.line = text.count("\n", 0, offset) + 1
        self.column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        self.placeholder = placeholder
        self.part = part
        prefix = f"{part}: " if part else ""
        super().__init__(f"{prefix}{problem} at line {self.line}, column {self.column}")


@dataclass(frozen=True)
class _Field:
    name: str
    offset: int


_Piece = str | _Field


def _shown(text: str) -> str:
    text = text.replace("\r", " ").replace("\n", " ")
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _parse(text: str, known: frozenset[str] | Mapping[str, str], part: str = "") -> list[_Piece]:
    """Literal runs and placeholders, in order; a `TemplateError` at the first problem.

    `part` ("Subject", say) starts the error message when there is one.
    """
    if len(text) > MAX_MESSAGE_CHARS:
        raise TemplateError(
            f"The template is longer than {MAX_MESSAGE_CHARS:,} characters",
            text,
            MAX_MESSAGE_CHARS,
            part=part,
        )
    pieces: list[_Piece] = []
    literal: list[str] = []
    position = 0
    while (match := _BRACE.search(text, position)) is not None:
        at = match.start()
        literal.append(text[position:at])
        brace = match.group()
        if text.startswith(brace * 2, at):
            literal.append(brace)
            position = at + 2
            continue
        if brace == "}":
            raise TemplateError("A lone } (write }} for a brace)", text, at, part=part)
        close = text.find("}", at + 1)
        opened = text.find("{", at + 1)
        if close == -1 or (opened != -1 and opened < close):
            raise TemplateError(
                "A { that is not closed (write {{ for a brace)", text, at, part=part
            )
        inside = text[at + 1 : close]
        token = "{" + _shown(inside) + "}"
        if inside.strip() != inside and inside.strip() in known:
            raise TemplateError(
                f"{token} has spaces inside the braces: write {{{inside.strip()}}}",
                text,
                at,
                inside,
                part,
            )
        if not _NAME.fullmatch(inside):
            raise TemplateError(
                f"{token} is not a placeholder: placeholders are names like {{first_name}}, "
                "with nothing else inside the braces",
                text,
                at,
                inside,
                part,
            )
        if inside not in known:
            close_names = difflib.get_close_matches(inside, sorted(known), n=1)
            hint = f" (did you mean {{{close_names[0]}}}?)" if close_names else ""
            raise TemplateError(f"Unknown placeholder {token}{hint}", text, at, inside, part)
        if literal:
            pieces.append("".join(literal))
            literal = []
        pieces.append(_Field(inside, at))
        position = close + 1
    literal.append(text[position:])
    if tail := "".join(literal):
        pieces.append(tail)
    return pieces


def check(text: str, part: str = "") -> tuple[str, ...]:
    """Check a template against the documented placeholders; return the ones it uses.

    Raises:
        TemplateError: the first problem, with its position.
    """
    names = (p.name for p in _parse(text, PLACEHOLDER_NAMES, part) if isinstance(p, _Field))
    return tuple(dict.fromkeys(names))


def render(text: str, fields: Mapping[str, str], *, part: str = "") -> str:
    """Fill in `text` with `fields`; values are inserted verbatim, never re-read.

    Args:
        text: the template.
        fields: a value for each placeholder that may be used (see `PLACEHOLDERS`).
        part: what `text` is ("Subject", "Body"), to start an error message with.

    Raises:
        TemplateError: a placeholder not in `fields`, a malformed one, a lone brace, or a
            result longer than `MAX_MESSAGE_CHARS`.
    """
    out: list[str] = []
    length = 0
    for piece in _parse(text, fields, part):
        value = piece if isinstance(piece, str) else fields[piece.name]
        length += len(value)
        if length > MAX_MESSAGE_CHARS:
            offset = piece.offset if isinstance(piece, _Field) else len(text)
            raise TemplateError(
                f"The message would be longer than {MAX_MESSAGE_CHARS:,} characters",
                text,
                offset,
                part=part,
            )
        out.append(value)
    return "".join(out)


def used_placeholders(text: str, fields: Mapping[str, str]) -> tuple[str, ...]:
    """The placeholders `text` uses, each once, in order of first use.

    Raises:
        TemplateError: as `render`.
    """
    names = (p.name for p in _parse(text, fields) if isinstance(p, _Field))
    return tuple(dict.fromkeys(names))


def render_message(
    subject: str, body: str, fields: Mapping[str, str], fallbacks: Collection[str] = ()
) -> RenderedMessage:
    """Fill in a template's subject (kept to one line) and body for one member.

    Args:
        subject: the subject template.
        body: the body template.
        fields: the member's values (see `services.messaging.message_context.context_for`).
        fallbacks: the fields that hold a documented fallback rather than a value of their
            own; those the template uses are listed in the result, for the editor to warn.

    Raises:
        TemplateError: as `render`, its message starting with "Subject" or "Body".
    """
    rendered_subject = " ".join(render(subject, fields, part="Subject").split())
    rendered_body = render(body, fields, part="Body")
    used = used_placeholders(subject, fields) + used_placeholders(body, fields)
    guessed = tuple(dict.fromkeys(name for name in used if name in fallbacks))
    return RenderedMessage(subject=rendered_subject, body=rendered_body, fallback_fields=guessed)
