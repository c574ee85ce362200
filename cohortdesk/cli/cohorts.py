"""Cohort commands: `demo`, `cohort create|edit|list`, `templates list`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cohortdesk.cli.common import iso_date, positive, print_json, print_table
from cohortdesk.core.errors import KnownError
from cohortdesk.core.text import plural

if TYPE_CHECKING:
    from cohortdesk.core.storage.db import Database


def add_parsers(commands: Any) -> None:
    """The cohort subcommands, added to the main parser's."""
    demo = commands.add_parser("demo", help="create a believable demo cohort")
    demo.add_argument("--cohort", help="name of the demo cohort")
    demo.add_argument("--members", type=positive, help="people in it (default 24)")
    demo.add_argument("--days", type=positive, help="days of activity (default 56)")
    demo.add_argument("--seed", type=int, help="random seed: same seed, same data")
    demo.add_argument("--end", type=iso_date, help="last day of activity (default today)")
    demo.add_argument(
        "--if-empty", action="store_true", help="do nothing when the database has a cohort"
    )

    cohort = commands.add_parser("cohort", help="create, edit and list cohorts")
    cohort_commands = cohort.add_subparsers(dest="cohort_command", metavar="ACTION", required=True)
    create = cohort_commands.add_parser("create", help="create a cohort")
    create.add_argument("name")
    create.add_argument("--start", type=iso_date, help="first day (YYYY-MM-DD)")
    create.add_argument("--end", type=iso_date, help="last day (YYYY-MM-DD)")
    create.add_argument(
        "--timezone", help="IANA time zone, e.g. Europe/London (default: this computer's)"
    )
    create.add_argument("--description", default="")
    edit = cohort_commands.add_parser(
        "edit", help="change a cohort's dates, time zone or description (the rest is kept)"
    )
    edit.add_argument("name", help="the cohort's name")
    edit.add_argument("--start", type=iso_date, help="first day (YYYY-MM-DD)")
    edit.add_argument("--end", type=iso_date, help="last day (YYYY-MM-DD)")
    edit.add_argument("--timezone", help="IANA time zone, e.g. Europe/London")
    edit.add_argument("--description")
    edit.add_argument("--rename", metavar="NEW_NAME", help="a new name")
    listing = cohort_commands.add_parser("list", help="list cohorts")
    listing.add_argument("--json", action="store_true", help="print JSON")

    library = commands.add_parser("templates", help="the prompt templates")
    library_commands = library.add_subparsers(
        dest="templates_command", metavar="ACTION", required=True
    )
    library_list = library_commands.add_parser("list", help="list the prompt templates")
    library_list.add_argument("--all", action="store_true", help="include retired templates")
    library_list.add_argument("--json", action="store_true", help="print JSON")


def cmd_demo(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core.demo.build import DemoSpec, create_demo
    from cohortdesk.core.schemas import validated
    from cohortdesk.core.services.people import cohorts

    with db.write() as session:
        if args.if_empty and cohorts.list_cohorts(session):
            return 0
        given = {
            "cohort": args.cohort,
            "members": args.members,
            "days": args.days,
            "seed": args.seed,
            "end": args.end,
        }
        spec = validated(DemoSpec, **{k: v for k, v in given.items() if v is not None})
        row = create_demo(session, spec)
    print(
        f"Created the demo cohort {row.name!r}: {plural(row.members, 'member')}, "
        f"{plural(row.learners, 'learner')}"
    )
    return 0


def cmd_cohort(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core.localzone import local_zone_name
    from cohortdesk.core.schemas import CohortInput, validated
    from cohortdesk.core.services.people import cohorts

    if args.cohort_command == "create":
        data = validated(
            CohortInput,
            name=args.name,
            description=args.description,
            start_date=args.start,
            end_date=args.end,
            timezone=args.timezone or local_zone_name(),
        )
        with db.write() as session:
            row = cohorts.create_cohort(session, data).value
        print(f"Created the cohort {row.name!r} (time zone {row.timezone})")
        return 0
    if args.cohort_command == "edit":
        return _edit(args, db)
    with db.read() as session:
        rows = cohorts.list_cohorts(session)
    if args.json:
        print_json([row.model_dump(mode="json") for row in rows])
    elif not rows:
        print("No cohorts yet. Create one with: cohortdesk cohort create NAME")
    else:
        print_table(
            ["Cohort", "Members", "Learners", "Start", "End", "Time zone", "Archived"],
            [
                [
                    r.name,
                    r.members,
                    r.learners,
                    r.start_date or "",
                    r.end_date or "",
                    r.timezone,
                    "yes" if r.archived else "",
                ]
                for r in rows
            ],
        )
    return 0


def _edit(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core.services.people import cohorts

    given = {
        "name": args.rename,
        "start_date": args.start,
        "end_date": args.end,
        "timezone": args.timezone,
        "description": args.description,
    }
    fields = {key: value for key, value in given.items() if value is not None}
    if not fields:
        raise KnownError(
            "Nothing to change: give --start, --end, --timezone, --description or --rename"
        )
    with db.write() as session:
        cohort = cohorts.find_cohort(session, args.name)
        row = cohorts.change_cohort(session, cohort.id, **fields).value
    dates = f"{row.start_date or 'no start'} to {row.end_date or 'no end'}"
    print(f"Changed the cohort {row.name!r}: {dates}, time zone {row.timezone}")
    return 0


def cmd_templates(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core.services.messaging import templates

    with db.read() as session:
        rows = templates.list_templates(session, include_retired=args.all)
    if args.json:
        print_json([row.model_dump(mode="json") for row in rows])
        return 0
    print_table(
        ["Id", "Name", "Purpose", "Stage", "Kind", "Used"],
        [
            [
                r.id,
                r.name,
                r.purpose.value.replace("_", " "),
                r.stage or "any",
                ("built in" if r.builtin else "own") + (", retired" if r.retired else ""),
                r.uses,
            ]
            for r in rows
        ],
    )
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Database], int]] = {
    "demo": cmd_demo,
    "cohort": cmd_cohort,
    "templates": cmd_templates,
}
