"""The commands that judge a cohort as of one day: the roster, who needs you, the report.

    cohortdesk status --cohort NAME [--as-of D] [--json]
    cohortdesk attention --cohort NAME [--as-of D] [--json]
    cohortdesk report --cohort NAME [--as-of D] [--from D] [--to D] [--json]

Each is judged as of the end of one day (`core/metrics/period.py`): by default today, or the
cohort's end date once it has ended. `report` prints the dashboard's and the PDF report's
figures, from the same function; `status --json` sums and the CSV/XLSX totals equal them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cohortdesk.cli.common import add_as_of, as_of_day, iso_date, print_json, print_table
from cohortdesk.core.text import plural

if TYPE_CHECKING:
    from cohortdesk.core.schemas import MemberRow
    from cohortdesk.core.storage.db import Database

Handler = Callable[[argparse.Namespace, "Database"], int]


def _judging(commands: Any, name: str, help: str, description: str | None = None) -> Any:
    """A command that judges one cohort as of a day: `--cohort`, `--as-of` and `--json`."""
    parser = commands.add_parser(name, help=help, description=description or help)
    parser.add_argument("--cohort", required=True, help="cohort name")
    add_as_of(parser)
    parser.add_argument("--json", action="store_true", help="print JSON")
    return parser


def add_parsers(commands: Any) -> None:
    """Add this module's commands to the `cohortdesk` parser's subcommands."""
    _judging(commands, "status", "every member's stage, access and activity")
    _judging(
        commands,
        "attention",
        "the learners who need you, most urgent first, with reasons and a message",
        "Who needs the facilitator: learners only, each with the reasons (and the weight each "
        "adds to the priority) and the suggested message filled in for them.",
    )
    report = _judging(
        commands,
        "report",
        "the dashboard's and the PDF report's key figures and findings",
        "The key figures and the story of a cohort over a period, exactly as the dashboard "
        "and the PDF report show them.",
    )
    report.add_argument(
        "--from",
        dest="date_from",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="first day counted (default: the first activity)",
    )
    report.add_argument(
        "--to",
        dest="date_to",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="last day counted (default: the as-of day)",
    )


def member_json(row: MemberRow) -> dict[str, Any]:
    """One member of `status --json`."""
    return {
        "name": row.name,
        "email": row.email,
        "role": row.role.value,
        "stage": row.stage,
        "access": row.access.value,
        "motivation": row.motivation,
        "events": row.events,
        "logins": row.logins,
        "threads": row.threads,
        "replies": row.replies,
        "posts": row.posts,
        "peer_replies": row.peer_replies,
        "last_active": row.last_active.isoformat() if row.last_active else None,
    }


def cmd_status(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core.metrics.period import cohort_period
    from cohortdesk.core.rendering import day_label
    from cohortdesk.core.services.activity import participation
    from cohortdesk.core.services.people import cohorts

    with db.read() as session:
        cohort = cohorts.find_cohort(session, args.cohort)
        period = cohort_period(session, cohort.id, as_of=as_of_day(args.as_of))
        rows = participation.roster(session, cohort.id, period=period)
    if args.json:
        print_json(
            {
                "cohort": cohort.name,
                "as_of": period.as_of.isoformat(),
                "members": [member_json(r) for r in rows],
            }
        )
        return 0
    print(f"{cohort.name}, as of {day_label(period.as_of)}: {plural(len(rows), 'member')}")
    print_table(
        ["Name", "Role", "Stage", "Access", "Motivation", "Posts", "Peer replies", "Last active"],
        [
            [
                r.name,
                r.role.value,
                r.stage,
                r.access.value.replace("_", " "),
                r.motivation or "-",
                r.posts,
                r.peer_replies,
                r.last_active.isoformat() if r.last_active else "never",
            ]
            for r in rows
        ],
    )
    return 0


def cmd_attention(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core.metrics.period import cohort_period
    from cohortdesk.core.rendering import day_label
    from cohortdesk.core.services.attention import attention
    from cohortdesk.core.services.attention.groups import needing_you
    from cohortdesk.core.services.people import cohorts

    with db.read() as session:
        cohort = cohorts.find_cohort(session, args.cohort)
        as_of = cohort_period(session, cohort.id, as_of=as_of_day(args.as_of)).as_of
        items = attention.attention(session, cohort.id, as_of)
    if args.json:
        print_json([item.cli_json() for item in items])
        return 0
    when = day_label(as_of)
    if not items:
        print(f"{cohort.name}, as of {when}: no learner needs your attention")
        return 0
    waiting = len(items) - len(needing_you(items))
    need = plural(len(items) - waiting, "learner needs", "learners need")
    print(
        f"{cohort.name}, as of {when}: {need} you"
        + (f"; {waiting} nudged recently, waiting for a response (listed last)" if waiting else "")
    )
    rows: list[list[object]] = []
    for item in items:
        for n, reason in enumerate(item.reasons):
            first = n == 0
            rows.append(
                [
                    item.priority if first else "",
                    item.name if first else "",
                    item.stage if first else "",
                    f"{reason.weight:+d} {reason.detail}",
                    (item.suggested_template or "-") if first else "",
                ]
            )
    print_table(["Priority", "Name", "Stage", "Why (weight)", "Suggested template"], rows)
    return 0


def cmd_report(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core.rendering import day_label
    from cohortdesk.core.services.dashboards.report import cohort_report
    from cohortdesk.core.services.dashboards.story import sentence
    from cohortdesk.core.services.people import cohorts

    with db.read() as session:
        cohort = cohorts.find_cohort(session, args.cohort)
        report = cohort_report(
            session,
            cohort.id,
            as_of=as_of_day(args.as_of),
            first=args.date_from,
            last=args.date_to,
        )
    if args.json:
        print_json(report.cli_json())
        return 0
    figures = report.figures
    since = day_label(report.first) if report.first else "the start"
    print(f"{report.cohort}: {since} to {day_label(report.last)}, as of {day_label(report.as_of)}")
    stages = ", ".join(f"{n}: {count}" for n, count in figures.stages.items())
    print_table(
        ["Figure", "Value"],
        [
            ["Learners", figures.learners],
            ["Active in the last 7 days", figures.active_last_7_days],
            ["Threads started", figures.threads],
            ["Replies", figures.replies],
            ["Posts (threads and replies)", figures.posts],
            ["Peer replies (learner to learner)", figures.peer_replies],
            ["Replies to staff", figures.replies_to_staff],
            ["Median replies per learner", f"{figures.median_replies_per_learner:g}"],
            ["At stage 3 or above", f"{round(100 * figures.share_at_stage_3_or_above)}%"],
            ["Learners per stage", stages],
        ],
    )
    for finding in report.findings:
        print(f"- {sentence(finding)}")
    return 0


COMMANDS: dict[str, Handler] = {
    "status": cmd_status,
    "attention": cmd_attention,
    "report": cmd_report,
}
