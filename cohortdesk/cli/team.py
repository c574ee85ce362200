"""Team commands: `team init | add-user | list | remove` on a shared PostgreSQL server."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cohortdesk.core.enums import TeamRole
from cohortdesk.core.errors import KnownError

if TYPE_CHECKING:
    from cohortdesk.core.storage.db import Database


def add_parsers(commands: Any) -> None:
    """The team subcommands, added to the main parser's."""
    parser = commands.add_parser(
        "team",
        help="set up a shared PostgreSQL server for a team, and its logins",
        description="Run with the database owner's --db URL. The server itself enforces what "
        "each role sees: a facilitator their cohorts, a mentor their mentees, a trainer "
        "everything, read-only. Each database on a server is a team of its own: only its "
        "team's logins may connect to it.",
    )
    actions = parser.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    actions.add_parser(
        "init", help="migrate, create the team roles and the row-level security (idempotent)"
    )
    add = actions.add_parser(
        "add-user", help="create a login for a person in a team role, for this database"
    )
    add.add_argument("login", help="the login name (lower case)")
    add.add_argument("--role", required=True, choices=[r.value for r in TeamRole])
    add.add_argument("--person", metavar="EMAIL", help="the person who signs in with it")
    secret = add.add_mutually_exclusive_group()
    secret.add_argument(
        "--password-file", type=Path, metavar="FILE", help="read the password from FILE"
    )
    secret.add_argument(
        "--no-password",
        action="store_true",
        help="no password (the server trusts local sockets, or another method signs in)",
    )
    listing = actions.add_parser("list", help="this database's team: logins, roles and people")
    listing.add_argument("--json", action="store_true", help="print JSON")
    remove = actions.add_parser(
        "remove",
        help="take a login out of this database's team (their records stay; the login goes "
        "unless another database's team has it)",
    )
    remove.add_argument("login")


def _password(args: argparse.Namespace) -> str | None:
    if args.no_password:
        return None
    if args.password_file is not None:
        try:
            text = args.password_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise KnownError(f"{args.password_file}: cannot read ({exc.strerror or exc})") from exc
        password: str = text.rstrip("\r\n")
    else:
        password = str(getpass.getpass(f"Password for {args.login}: "))
        if getpass.getpass("Again: ") != password:
            raise KnownError("the two passwords differ: nothing was changed")
    if not password:
        raise KnownError("the password is empty: give one, or --no-password")
    return password


def cmd_team(args: argparse.Namespace, db: Database) -> int:
    from cohortdesk.cli.common import print_json, print_table
    from cohortdesk.core.services import team

    command = args.team_command
    if command == "init":
        tables = team.init_team(db)
        print(
            f"Team mode ready on {db.display_name}: roles "
            f"{', '.join(f'cohortdesk_{r.value}' for r in TeamRole)}; row-level security on "
            f"{len(tables)} tables"
        )
        return 0
    if command == "add-user":
        member = team.add_user(db, args.login, TeamRole(args.role), args.person, _password(args))
        who = f" for {member.person} <{member.email}>" if member.person else ""
        print(f"Login {member.login} is a {member.role.value}{who}")
        return 0
    if command == "remove":
        team.remove_user(db, args.login)
        print(f"Login {args.login} removed")
        return 0
    members = team.list_team(db)
    if args.json:
        print_json([m.model_dump(mode="json") for m in members])
        return 0
    print_table(
        ("Login", "Role", "Person", "Email"),
        [(m.login, m.role.value, m.person or "", m.email or "") for m in members],
    )
    return 0


COMMANDS = {"team": cmd_team}
