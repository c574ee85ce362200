"""What the command-line modules share: argument types and the way results are printed.

Output goes to stdout; `--json` output is one JSON document and nothing else there.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

from cohortdesk.cli.terminal import json_escaped
from cohortdesk.core.dates import MAX_ID, is_kept, outside_reason
from cohortdesk.core.errors import KnownError


def positive(text: str) -> int:
    """argparse type: a whole number from 1 to the largest id a database keeps."""
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from exc
    if not 1 <= value <= MAX_ID:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_ID}: {text}")
    return value


def _kept_day(text: str) -> date:
    """The date `text` names; ValueError with the reason when it is not one cohortdesk keeps."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"not a date in YYYY-MM-DD form: {text!r}") from None
    if not is_kept(day):
        raise ValueError(outside_reason(day))
    return day


def iso_date(text: str) -> date:
    """An argparse type: a YYYY-MM-DD date in the kept range (else a usage error, exit 2)."""
    try:
        return _kept_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


AS_OF_HELP = (
    "judge as of the end of this day, YYYY-MM-DD (default: today, or the cohort's end date "
    "once it has ended; a day after the end is taken as the end)"
)


def add_as_of(parser: argparse.ArgumentParser) -> None:
    """The `--as-of` option of every command that judges (read with `as_of_day`)."""
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help=AS_OF_HELP)


def as_of_day(text: str | None) -> date | None:
    """The day `--as-of` names, or None for the cohort's default.

    Raises:
        KnownError: not a date in YYYY-MM-DD form.
    """
    if text is None:
        return None
    try:
        return _kept_day(text)
    except ValueError as exc:
        raise KnownError(f"--as-of: {exc}") from None


def print_json(document: Any) -> None:
    """Print `document` as indented JSON (dates and paths as text), control characters
    escaped the JSON way so that the data stays exact (`cli.terminal.json_escaped`)."""
    text = json.dumps(document, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write(json_escaped(text) + "\n")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print a plain-text table: left-aligned columns under a dashed rule."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    sys.stdout.write("".join(f"{line}\n" for line in lines))


class Written(Protocol):
    """What a command that writes files reports: a pydantic result with a one-line message."""

    def model_dump(self, *, mode: str) -> dict[str, Any]: ...

    def message(self) -> str: ...


def print_written(result: Written, as_json: bool) -> None:
    """Print what a command wrote: the whole result as JSON, or its one-line message."""
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        sys.stdout.write(f"{result.message()}\n")
