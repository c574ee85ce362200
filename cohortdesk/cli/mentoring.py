"""The command line of mentoring, review packs, highlights, expertise and manager summaries.

Kept beside `cli` (which registers these parsers and handlers) so that neither file grows past
what one person reads at a sitting. Same contract: exit 0, or 1 with one line on stderr;
`--json` prints one JSON document on stdout and nothing else there.

    cohortdesk mentor assign --cohort NAME --mentor WHO --mentee WHO [--mentee WHO] [--group G]
    cohortdesk mentor unassign --cohort NAME --mentee WHO
    cohortdesk mentor list --cohort NAME [--json]
    cohortdesk mentor view [--cohort NAME] [--mentor WHO] [--as-of D] [--json]
    cohortdesk mentor export-notes [--cohort NAME] [--mentor WHO] -o NOTES.json
    cohortdesk review-pack --cohort NAME --mentor WHO -o FILE
    cohortdesk import review-notes NOTES.json --cohort NAME
    cohortdesk experts QUERY... [--json]
    cohortdesk highlights list [--cohort NAME] [--search TEXT] [--tag TAG] [--kind K] [--json]
    cohortdesk highlights add --cohort NAME --member WHO --text TEXT [--date D] [--tags T]
    cohortdesk manager-summary --cohort NAME --member WHO -o FILE [--format pdf|text]

WHO is an email, or a member's exact name. In a review pack, `--cohort` and `--mentor` default
to the pack's own.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from cohortdesk.cli.common import (
    add_as_of,
    as_of_day,
    iso_date,
    print_json,
    print_table,
    print_written,
)
from cohortdesk.core.enums import HighlightKind
from cohortdesk.core.errors import KnownError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from cohortdesk.core.schemas import CohortRow
    from cohortdesk.core.storage.db import Database

REVIEW_NOTES = "review-notes"
"""The `import` format of a mentor's notes file (not an activity format)."""

Handler = Callable[[argparse.Namespace, "Database"], int]


# ---- parsers ----------------------------------------------------------------------------


def add_parsers(commands: Any) -> None:
    """Add this module's commands to the `cohortdesk` parser's subcommands."""
    mentor = commands.add_parser("mentor", help="assign mentors; a mentor's view and notes")
    actions = mentor.add_subparsers(dest="mentor_command", metavar="ACTION", required=True)
    assign = actions.add_parser("assign", help="make someone the mentor of one or more mentees")
    assign.add_argument("--cohort", required=True, help="cohort name")
    assign.add_argument("--mentor", required=True, metavar="WHO", help="mentor's email or name")
    assign.add_argument(
        "--mentee", required=True, action="append", metavar="WHO", help="mentee (repeatable)"
    )
    assign.add_argument("--group", help="the mentor's group to put them in (made if new)")
    assign.add_argument("--goal", default="", help="the goal of a new group")
    unassign = actions.add_parser("unassign", help="leave a mentee without a mentor")
    unassign.add_argument("--cohort", required=True, help="cohort name")
    unassign.add_argument("--mentee", required=True, metavar="WHO")
    listing = actions.add_parser("list", help="the cohort's mentors and their mentees")
    listing.add_argument("--cohort", required=True, help="cohort name")
    listing.add_argument("--json", action="store_true", help="print JSON")
    view = actions.add_parser("view", help="one mentor's mentees: progress, reasons, changes")
    view.add_argument("--cohort", help="cohort name (default: the review pack's)")
    view.add_argument("--mentor", metavar="WHO", help="the mentor (default: the pack's)")
    add_as_of(view)
    view.add_argument("--json", action="store_true", help="print JSON")
    notes = actions.add_parser(
        "export-notes", help="write the mentor's session notes to a file for the facilitator"
    )
    notes.add_argument("--cohort", help="cohort name (default: the review pack's)")
    notes.add_argument("--mentor", metavar="WHO", help="the mentor (default: the pack's)")
    notes.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    notes.add_argument("--json", action="store_true", help="print what was written as JSON")

    pack = commands.add_parser(
        "review-pack",
        help="write a database file for one mentor: their mentees and nothing else",
        description="Write a cohortdesk database holding the cohort, the mentor, their "
        "mentees and the mentees' activity, stages, access and motivation: no other member, "
        "no facilitator notes, no nudges. The mentor opens it with cohortdesk --db FILE.",
    )
    pack.add_argument("--cohort", required=True, help="cohort name")
    pack.add_argument("--mentor", required=True, metavar="WHO", help="mentor's email or name")
    pack.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    pack.add_argument("--json", action="store_true", help="print what was written as JSON")

    experts = commands.add_parser(
        "experts", help="who knows about something, across cohorts (by expertise keywords)"
    )
    experts.add_argument("query", nargs="+", metavar="QUERY", help="words to look for")
    experts.add_argument("--json", action="store_true", help="print JSON")

    found = commands.add_parser("highlights", help="success stories and quotes")
    found_actions = found.add_subparsers(dest="highlights_command", metavar="ACTION", required=True)
    found_list = found_actions.add_parser("list", help="list and search highlights")
    found_list.add_argument("--cohort", help="one cohort (default: all)")
    found_list.add_argument("--search", default="", help="words that must all appear")
    found_list.add_argument("--tag", help="only highlights with this tag")
    found_list.add_argument("--kind", choices=[k.value for k in HighlightKind])
    found_list.add_argument("--json", action="store_true", help="print JSON")
    found_add = found_actions.add_parser("add", help="capture a highlight")
    found_add.add_argument("--cohort", required=True, help="cohort name")
    found_add.add_argument("--member", required=True, metavar="WHO")
    found_add.add_argument("--text", required=True)
    found_add.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="default today")
    found_add.add_argument("--tags", default="", help="comma-separated")
    found_add.add_argument(
        "--kind", choices=[k.value for k in HighlightKind], default=HighlightKind.STORY.value
    )

    summary = commands.add_parser(
        "manager-summary", help="a short summary of one learner for their line manager"
    )
    summary.add_argument("--cohort", required=True, help="cohort name")
    summary.add_argument("--member", required=True, metavar="WHO")
    summary.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    summary.add_argument(
        "--format", choices=["pdf", "text"], help="default: pdf for a .pdf file, else text"
    )
    add_as_of(summary)


# ---- helpers -----------------------------------------------------------------------------


def _cohort(session: Session, name: str | None) -> CohortRow:
    """The named cohort; unnamed, the review pack's, or the only one there is."""
    from cohortdesk.core.services.mentoring import review_pack
    from cohortdesk.core.services.people import cohorts

    if name:
        return cohorts.find_cohort(session, name)
    info = review_pack.pack_info(session)
    if info is not None:
        return cohorts.get_cohort(session, info.cohort_id)
    rows = cohorts.list_cohorts(session)
    if len(rows) == 1:
        return rows[0]
    raise KnownError("--cohort is needed: this database has several cohorts")


def _mentor(session: Session, cohort: CohortRow, who: str | None) -> int:
    from cohortdesk.core.services.mentoring import mentoring, review_pack

    if who:
        return mentoring.find_member(session, cohort.id, who)
    info = review_pack.pack_info(session)
    if info is not None and info.cohort_id == cohort.id:
        return info.mentor_membership_id
    raise KnownError("--mentor is needed (the mentor's email or name)")


# ---- handlers ----------------------------------------------------------------------------


def cmd_mentor(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core.services.mentoring import mentoring, review_notes
    from cohortdesk.core.services.people import cohorts

    command = args.mentor_command
    if command == "assign":
        return _assign(args, db)
    if command == "unassign":
        with db.write() as session:
            cohort = cohorts.find_cohort(session, args.cohort)
            mentee = mentoring.find_member(session, cohort.id, args.mentee)
            former = mentoring.unassign_mentor(session, mentee).value
        print(f"No mentor any more (was {former})" if former else "Had no mentor")
        return 0
    if command == "list":
        return _list_mentors(args, db)
    if command == "view":
        return _view(args, db)
    with db.read() as session:
        cohort = _cohort(session, args.cohort)
        mentor = _mentor(session, cohort, args.mentor)
        result = review_notes.export_notes(session, mentor, args.output)
    print_written(result, args.json)
    return 0


def _assign(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core.schemas import validated
    from cohortdesk.core.schemas.mentoring import GroupInput
    from cohortdesk.core.services.mentoring import mentoring
    from cohortdesk.core.services.people import cohorts

    with db.write() as session:
        cohort = cohorts.find_cohort(session, args.cohort)
        mentor = mentoring.find_member(session, cohort.id, args.mentor)
        group_id = None
        if args.group:
            group = mentoring.find_group(session, mentor, args.group)
            if group is None:
                data = validated(GroupInput, name=args.group, goal=args.goal)
                group = mentoring.create_group(session, mentor, data).value
            group_id = group.id
        results = [
            mentoring.assign_mentor(
                session, mentor, mentoring.find_member(session, cohort.id, who), group_id
            ).value
            for who in args.mentee
        ]
    for result in results:
        print(result.message())
    return 0


def _list_mentors(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core.services.mentoring import mentoring
    from cohortdesk.core.services.people import cohorts

    with db.read() as session:
        cohort = cohorts.find_cohort(session, args.cohort)
        mentors = mentoring.list_mentors(session, cohort.id)
        rows = mentoring.assignments(session, cohort.id)
        groups = {m.membership_id: mentoring.list_groups(session, m.membership_id) for m in mentors}
    mentees = {
        m.membership_id: [r for r in rows if r.mentor_membership_id == m.membership_id]
        for m in mentors
    }
    if args.json:
        print_json(
            [
                {
                    "mentor": m.name,
                    "email": m.email,
                    "last_reviewed_at": m.last_reviewed_at,
                    "mentees": [
                        {"name": r.name, "email": r.email, "group": r.group_name}
                        for r in mentees[m.membership_id]
                    ],
                    "groups": [{"name": g.name, "goal": g.goal} for g in groups[m.membership_id]],
                }
                for m in mentors
            ]
        )
        return 0
    if not mentors:
        print(f"{cohort.name}: no mentors yet. Assign one with: cohortdesk mentor assign")
        return 0
    table: list[list[object]] = []
    for m in mentors:
        for n, r in enumerate(mentees[m.membership_id] or [None]):
            table.append(
                [
                    m.name if n == 0 else "",
                    r.name if r else "-",
                    (r.group_name or "") if r else "",
                ]
            )
    print_table(["Mentor", "Mentee", "Group"], table)
    return 0


def _view(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core.services.mentoring import mentor_overview

    with db.read() as session:
        cohort = _cohort(session, args.cohort)
        mentor = _mentor(session, cohort, args.mentor)
        view = mentor_overview.mentor_overview(session, mentor, as_of_day(args.as_of))
    if args.json:
        print_json(
            {
                "cohort": view.cohort_name,
                "mentor": view.mentor.name,
                "as_of": view.as_of,
                "last_reviewed_at": view.since,
                "mentees": [
                    {
                        "name": m.name,
                        "email": m.email,
                        "stage": m.stage,
                        "access": m.access.value,
                        "motivation": m.motivation,
                        "recent_events": m.recent_events,
                        "last_active": m.last_active,
                        "group": m.group_name,
                        "reasons": [r.detail for r in m.reasons if r.weight > 0],
                        "changes": [c.text for c in m.changes],
                        "goals": m.goals,
                        "next_steps": m.next_steps,
                        "sessions": len(m.sessions),
                    }
                    for m in view.mentees
                ],
            }
        )
        return 0
    print(f"{view.mentor.name}'s mentees in {view.cohort_name}")
    print_table(
        ["Mentee", "Stage", "Access", "Motivation", f"Events ({view.recent_days} days)", "Why"],
        [
            [
                m.name,
                m.stage,
                m.access.value.replace("_", " "),
                m.motivation or "-",
                m.recent_events,
                "; ".join(r.detail for r in m.reasons if r.weight > 0) or "-",
            ]
            for m in view.mentees
        ],
    )
    return 0


def cmd_review_pack(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core.services.mentoring import mentoring, review_pack
    from cohortdesk.core.services.people import cohorts

    if db.file is not None and args.output.resolve() == db.file.resolve():
        raise KnownError(f"{args.output}: that is the database itself; choose another file")
    with db.read() as session:
        cohort = cohorts.find_cohort(session, args.cohort)
        mentor = mentoring.find_member(session, cohort.id, args.mentor)
        result = review_pack.make_review_pack(session, mentor, args.output)
    print_written(result, args.json)
    return 0


def cmd_import_review_notes(args: argparse.Namespace, db: Database) -> int:
    """`cohortdesk import review-notes FILE --cohort NAME`: merge a mentor's notes."""
    from cohortdesk.core.services.mentoring import review_notes
    from cohortdesk.core.services.people import cohorts

    unit = db.trial() if args.dry_run else db.write()
    with unit as session:
        cohort = cohorts.find_cohort(session, args.cohort)
        result = review_notes.import_notes(session, cohort.id, args.file).value
    if args.json:
        print_json(result.cli_json())
        return 0
    print(("Would import: " if args.dry_run else "") + result.message())
    for note in result.notes:
        print(f"  note: {note}")
    return 0


def cmd_experts(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core.services.people import expertise

    query = " ".join(args.query)
    with db.read() as session:
        rows = expertise.find_experts(session, query)
    if args.json:
        print_json(
            [
                {
                    "name": r.name,
                    "email": r.email,
                    "expertise": list(r.keywords),
                    "matched": list(r.matched),
                    "cohorts": list(r.cohorts),
                }
                for r in rows
            ]
        )
        return 0
    if not rows:
        print(f"Nobody lists expertise in {query!r}")
        return 0
    print_table(
        ["Name", "Email", "Expertise", "Cohorts"],
        [[r.name, r.email, ", ".join(r.keywords), ", ".join(r.cohorts)] for r in rows],
    )
    return 0


def cmd_highlights(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core.metrics.period import today_in
    from cohortdesk.core.schemas import validated
    from cohortdesk.core.schemas.mentoring import HighlightInput
    from cohortdesk.core.services.dashboards import highlights
    from cohortdesk.core.services.mentoring import mentoring
    from cohortdesk.core.services.people import cohorts

    if args.highlights_command == "add":
        with db.write() as session:
            cohort = cohorts.find_cohort(session, args.cohort)
            member = mentoring.find_member(session, cohort.id, args.member)
            data = validated(
                HighlightInput,
                membership_id=member,
                kind=args.kind,
                happened_on=args.date or today_in(ZoneInfo(cohort.timezone)),
                text=args.text,
                tags=args.tags,
            )
            row = highlights.add_highlight(session, data).value
        print(f"Captured a {row.kind.value} of {row.member_name} ({row.happened_on})")
        return 0
    with db.read() as session:
        cohort_id = cohorts.find_cohort(session, args.cohort).id if args.cohort else None
        rows = highlights.list_highlights(
            session,
            cohort_id,
            search=args.search,
            tag=args.tag,
            kind=HighlightKind(args.kind) if args.kind else None,
        )
    if args.json:
        print_json(
            [
                {
                    "date": r.happened_on,
                    "member": r.member_name,
                    "cohort": r.cohort_name,
                    "kind": r.kind.value,
                    "text": r.text,
                    "tags": list(r.tags),
                }
                for r in rows
            ]
        )
        return 0
    if not rows:
        print("No highlights found")
        return 0
    print_table(
        ["Date", "Member", "Cohort", "Kind", "Text", "Tags"],
        [
            [r.happened_on, r.member_name, r.cohort_name, r.kind.value, r.text, r.tag_text]
            for r in rows
        ],
    )
    return 0


def cmd_manager_summary(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.core.exporters import manager_summary
    from cohortdesk.core.services.mentoring import mentoring
    from cohortdesk.core.services.people import cohorts

    with db.read() as session:
        cohort = cohorts.find_cohort(session, args.cohort)
        member = mentoring.find_member(session, cohort.id, args.member)
        path = manager_summary.write_manager_summary(
            session, member, args.output, as_of=as_of_day(args.as_of), kind=args.format
        )
    print(f"Wrote the summary to {path}")
    return 0


COMMANDS: dict[str, Handler] = {
    "mentor": cmd_mentor,
    "review-pack": cmd_review_pack,
    "experts": cmd_experts,
    "highlights": cmd_highlights,
    "manager-summary": cmd_manager_summary,
}
