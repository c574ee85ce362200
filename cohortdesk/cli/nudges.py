"""Nudge commands: list a cohort's nudges with their status, confirm drafts as sent or not.

    cohortdesk nudges list --cohort NAME [--as-of D] [--json]
    cohortdesk nudges confirm ID [ID...] (--sent | --not-sent)

A nudge copied, opened in the mail client or saved as an `.eml` file is a draft until the
facilitator confirms it; only a sent one has an outcome and counts (`metrics.terms`).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from cohortdesk.cli.common import add_as_of, as_of_day, print_json, print_table
from cohortdesk.core.enums import NudgeStatus
from cohortdesk.core.text import plural

if TYPE_CHECKING:
    from cohortdesk.core.schemas import NudgeRow
    from cohortdesk.core.storage.db import Database


def add_parsers(commands: Any) -> None:
    """The nudge subcommands, added to the main parser's."""
    group = commands.add_parser("nudges", help="list nudges and confirm drafts as sent")
    actions = group.add_subparsers(dest="nudges_command", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list",
        help="a cohort's nudges, newest first, with status and outcome",
        description="A cohort's nudges, newest first: each one's status (draft, sent, not "
        "sent) and, once sent, its outcome (responded, waiting, no response).",
    )
    listing.add_argument("--cohort", required=True, help="cohort name")
    add_as_of(listing)
    listing.add_argument("--json", action="store_true", help="print JSON")
    confirm = actions.add_parser(
        "confirm",
        help="say whether draft nudges were sent",
        description="Mark nudges (by the id `nudges list` shows) as sent or not sent.",
    )
    confirm.add_argument("ids", nargs="+", type=int, metavar="ID", help="nudge id")
    how = confirm.add_mutually_exclusive_group(required=True)
    how.add_argument("--sent", action="store_true", help="they were sent: they count")
    how.add_argument("--not-sent", action="store_true", help="they were not sent")


def nudge_json(row: NudgeRow) -> dict[str, Any]:
    """One nudge of `nudges list --json`."""
    return {
        "id": row.id,
        "name": row.name,
        "email": row.email,
        "sent_at": row.sent_at.isoformat(),
        "channel": row.channel.value,
        "status": row.status.value,
        "outcome": row.outcome.value if row.outcome is not None else None,
        "template": row.template_name,
        "subject": row.subject,
    }


def local_time(row: NudgeRow) -> str:
    """When it left cohortdesk, to the minute, in UTC (`2026-10-30 08:00`)."""
    return f"{row.sent_at:%Y-%m-%d %H:%M}"


def _state(row: NudgeRow) -> str:
    if row.outcome is not None:
        return row.outcome.label
    return "draft: sent?" if row.status is NudgeStatus.DRAFT else "not sent"


def cmd_nudges(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core.metrics.period import cohort_period
    from cohortdesk.core.rendering import day_label
    from cohortdesk.core.services.messaging import nudges
    from cohortdesk.core.services.people import cohorts

    if args.nudges_command == "confirm":
        status = NudgeStatus.SENT if args.sent else NudgeStatus.NOT_SENT
        with db.write() as session:
            nudges.confirm_nudges(session, args.ids, status)
        word = "sent" if args.sent else "not sent"
        print(f"Marked {plural(len(args.ids), 'nudge')} {word}")
        return 0
    with db.read() as session:
        cohort = cohorts.find_cohort(session, args.cohort)
        as_of = cohort_period(session, cohort.id, as_of=as_of_day(args.as_of)).as_of
        rows = nudges.list_nudges(session, cohort.id, as_of=as_of)
    if args.json:
        print_json(
            {
                "cohort": cohort.name,
                "as_of": as_of.isoformat(),
                "nudges": [nudge_json(r) for r in rows],
            }
        )
        return 0
    drafts = sum(r.status is NudgeStatus.DRAFT for r in rows)
    waiting = f", {plural(drafts, 'draft')} to confirm" if drafts else ""
    print(f"{cohort.name}, as of {day_label(as_of)}: {plural(len(rows), 'nudge')}{waiting}")
    print_table(
        ["Id", "Sent", "Member", "Channel", "Status", "Subject"],
        [
            [
                r.id,
                r.sent_at.isoformat(timespec="minutes"),
                r.name,
                r.channel.value,
                _state(r),
                r.subject,
            ]
            for r in rows
        ],
    )
    return 0


COMMANDS = {"nudges": cmd_nudges}
