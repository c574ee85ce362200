"""Team mode on PostgreSQL: the server roles, grants and row-level security, in one place.

Who may see and change what is decided by the server, never only by the app:

- the tables, sequences and helper functions belong to `cohortdesk_owner`, a role nobody logs
  in as and no user is a member of (owners and superusers bypass row-level security; every
  table also has FORCE ROW LEVEL SECURITY, with a policy letting the owner see everything);
- each person logs in with a login of their own, a member of one group: `cohortdesk_facilitator`
  (reads and writes the cohorts they facilitate or created, creates cohorts),
  `cohortdesk_mentor` (reads only their mentees; writes only their own mentoring sessions and
  reviews) or `cohortdesk_trainer` (reads everything; the server refuses every write);
- logins and groups are the server's, not one database's: each database is a team of its own
  because only its team may connect to it (`team init` revokes CONNECT from PUBLIC, adding a
  login grants it CONNECT on this database alone). So a login has one team role on a server;
- `team_logins` says which person a login is. Each policy evaluates `current_user` (the
  login, or the login a pooled connection switched to with SET ROLE / SET LOCAL ROLE) and hands
  it to helper functions (security definer, so a policy on `memberships` can read
  `memberships` without recursing) that find that person; a helper answers only for a role
  the session's login may act as, so no one can ask it about someone else. A service login
  that serves several people over one pooled connection (a member of `cohortdesk_gateway`,
  made by hand) names the person per transaction with
  `set_config('cohortdesk.person_id', id, true)`, which ends with the transaction: a
  session-level SET would leak to the next user. A login of the team is always its own
  person: the setting is read only for a gateway.

Every statement here is idempotent: `team init` runs again after each upgrade of cohortdesk
(it migrates, then re-applies ownership, grants and policies to any new table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

from cohortdesk.core.models import TeamRole

OWNER = "cohortdesk_owner"
GATEWAY = "cohortdesk_gateway"
#: the setting a gateway login names the person with, per transaction
PERSON_SETTING = "cohortdesk.person_id"
#: the channel every committed change is announced on (the payload is the table's name)
CHANGES_CHANNEL = "cohortdesk_changes"

_LOGIN = re.compile(r"^[a-z_][a-z0-9_.@-]{0,62}$")


def group(role: TeamRole) -> str:
    """The server group role of a team role (`cohortdesk_mentor`)."""
    return f"cohortdesk_{role.value}"


GROUPS = tuple(group(role) for role in TeamRole)

# ---- which rows each role sees: predicates over a table's own columns

#: tables whose rows belong to one cohort
COHORT_TABLES = (
    "import_batches",
    "cohort_rules",
    "daily_totals",
    "review_pack_info",
)
#: tables whose rows belong to one person in one cohort (mentors see their mentees' rows and
#: their own)
PERSON_IN_COHORT = {
    "activity_events": "person_id",
    "daily_activity": "person_id",
    "daily_replies": "from_person_id",
}
#: tables whose rows belong to one membership
MEMBERSHIP_TABLES = (
    "motivation_checks",
    "access_issues",
    "stage_changes",
    "member_notes",
    "suggestion_dismissals",
    "interventions",
    "highlights",
)
#: tables of a mentor's own work, keyed by the mentor's membership
MENTOR_TABLES = ("mentoring_groups", "mentor_links", "mentoring_sessions", "mentor_reviews")
#: what a mentor may write (besides reading): their own sessions and reviews
MENTOR_WRITES = ("mentoring_sessions", "mentor_reviews")
#: tables whose rows record the login that added them (`created_by`, set by the server)
STAMPED_TABLES = ("cohorts", "people")
#: helpers only a facilitator needs (the others never add or remove people)
FACILITATOR_FUNCTIONS = ("cohortdesk_person_by_email(text)", "cohortdesk_delete_orphans(integer[])")
#: tables no team role writes (the owner keeps them)
READ_ONLY_FOR_ALL = ("team_logins", "alembic_version")

_FUNCTIONS = """
CREATE OR REPLACE FUNCTION cohortdesk_acts_as(who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
  SELECT pg_has_role(session_user, who, 'MEMBER')
$$;
CREATE OR REPLACE FUNCTION cohortdesk_person_id(who name) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
  SELECT CASE WHEN cohortdesk_acts_as(who) THEN coalesce(
    (SELECT person_id FROM team_logins WHERE login = who),
    CASE WHEN pg_has_role(who, '{gateway}', 'MEMBER')
         THEN nullif(current_setting('{setting}', true), '')::integer END) END
$$;
CREATE OR REPLACE FUNCTION cohortdesk_my_memberships(who name) RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
  SELECT id FROM memberships WHERE person_id = cohortdesk_person_id(who)
$$;
CREATE OR REPLACE FUNCTION cohortdesk_my_cohorts(who name) RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
  SELECT cohort_id FROM memberships WHERE person_id = cohortdesk_person_id(who)
$$;
CREATE OR REPLACE FUNCTION cohortdesk_mentee_memberships(who name) RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
  SELECT l.mentee_membership_id FROM mentor_links l
  JOIN memberships m ON m.id = l.mentor_membership_id
  WHERE m.person_id = cohortdesk_person_id(who)
$$;
CREATE OR REPLACE FUNCTION cohortdesk_mentees(who name)
RETURNS TABLE (cohort_id integer, person_id integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
  SELECT m.cohort_id, m.person_id FROM memberships m
  WHERE m.id IN (SELECT cohortdesk_mentee_memberships(who))
$$;
CREATE OR REPLACE FUNCTION cohortdesk_facilitated_cohorts(who name) RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
  SELECT cohort_id FROM memberships
  WHERE person_id = cohortdesk_person_id(who) AND role = 'facilitator'
  UNION SELECT id FROM cohorts WHERE created_by = who AND cohortdesk_acts_as(who)
$$;
CREATE OR REPLACE FUNCTION cohortdesk_facilitated_memberships(who name) RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
  SELECT id FROM memberships WHERE cohort_id IN (SELECT cohortdesk_facilitated_cohorts(who))
$$;
CREATE OR REPLACE FUNCTION cohortdesk_facilitated_people(who name) RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
  SELECT person_id FROM memberships
  WHERE cohort_id IN (SELECT cohortdesk_facilitated_cohorts(who))
$$;
CREATE OR REPLACE FUNCTION cohortdesk_in_no_cohort(person integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
  SELECT NOT EXISTS (SELECT 1 FROM memberships WHERE person_id = person)
$$;
CREATE OR REPLACE FUNCTION cohortdesk_added_unplaced(person integer, who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
  SELECT cohortdesk_acts_as(who)
    AND EXISTS (SELECT 1 FROM people WHERE id = person AND created_by = who)
    AND NOT EXISTS (SELECT 1 FROM memberships WHERE person_id = person)
$$;
CREATE OR REPLACE FUNCTION cohortdesk_person_by_email(address text) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
  SELECT id FROM people WHERE lower(email) = lower(address) ORDER BY id LIMIT 1
$$;
CREATE OR REPLACE FUNCTION cohortdesk_delete_orphans(candidates integer[]) RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
  WITH gone AS (
    DELETE FROM people p WHERE p.id = ANY(candidates)
    AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id)
    AND NOT EXISTS (SELECT 1 FROM team_logins t WHERE t.person_id = p.id)
    RETURNING 1)
  SELECT count(*)::integer FROM gone
$$;
CREATE OR REPLACE FUNCTION cohortdesk_stamp_creator() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.created_by := current_user;
  RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION cohortdesk_announce_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('{channel}', TG_TABLE_NAME);
  RETURN NULL;
END $$;
"""

#: the functions above, to hand to the owner and to grant
FUNCTION_SIGNATURES = (
    "cohortdesk_acts_as(name)",
    "cohortdesk_person_id(name)",
    "cohortdesk_my_memberships(name)",
    "cohortdesk_my_cohorts(name)",
    "cohortdesk_mentee_memberships(name)",
    "cohortdesk_mentees(name)",
    "cohortdesk_facilitated_cohorts(name)",
    "cohortdesk_facilitated_memberships(name)",
    "cohortdesk_facilitated_people(name)",
    "cohortdesk_in_no_cohort(integer)",
    "cohortdesk_added_unplaced(integer, name)",
    "cohortdesk_person_by_email(text)",
    "cohortdesk_delete_orphans(integer[])",
    "cohortdesk_stamp_creator()",
    "cohortdesk_announce_change()",
)
#: functions earlier versions made, dropped once no policy uses them
OBSOLETE_FUNCTIONS = (
    "cohortdesk_person_id()",
    "cohortdesk_my_memberships()",
    "cohortdesk_my_cohorts()",
    "cohortdesk_mentee_memberships()",
    "cohortdesk_mentees()",
    "cohortdesk_facilitated_cohorts()",
    "cohortdesk_facilitated_memberships()",
    "cohortdesk_facilitated_people()",
)

# Each policy names the role it is evaluated for, `current_user`: the login, or the login a
# pooled connection switched to with SET ROLE. The helpers run with the owner's rights (so a
# policy on `memberships` can read `memberships`), where `current_user` is the owner: they are
# given it as an argument, and answer only for a role the session may act as.
_ME = "cohortdesk_person_id(current_user)"
_MENTEE_MEMBERSHIPS = "(SELECT cohortdesk_mentee_memberships(current_user))"
_MY_MEMBERSHIPS = "(SELECT cohortdesk_my_memberships(current_user))"
_MY_COHORTS = "(SELECT cohortdesk_my_cohorts(current_user))"
_MENTEE_PEOPLE = "(SELECT person_id FROM cohortdesk_mentees(current_user))"
_MENTEES = "(SELECT cohort_id, person_id FROM cohortdesk_mentees(current_user))"
_FACILITATED = "(SELECT cohortdesk_facilitated_cohorts(current_user))"
_FACILITATED_MEMBERSHIPS = "(SELECT cohortdesk_facilitated_memberships(current_user))"
_FACILITATED_PEOPLE = "(SELECT cohortdesk_facilitated_people(current_user))"


@dataclass(frozen=True)
class Visibility:
    """What the mentor and the facilitator see of one table (SQL predicates on its rows)."""

    mentor: str
    facilitator: str


def visibility(table: str) -> Visibility:
    """The row predicates of `table` for mentors and facilitators (trainers see every row)."""
    if table == "cohorts":
        return Visibility(
            f"id IN {_MY_COHORTS}", f"id IN {_FACILITATED} OR created_by = current_user"
        )
    if table == "people":
        return Visibility(
            f"id IN {_MENTEE_PEOPLE} OR id = {_ME}",
            # a person just added has no membership yet: the facilitator adding them sees them
            # (the column, not a lookup: the new row is checked before it is in the table)
            f"id IN {_FACILITATED_PEOPLE} OR id = {_ME} "
            "OR (created_by = current_user AND cohortdesk_in_no_cohort(id))",
        )
    if table == "memberships":
        return Visibility(
            f"id IN {_MENTEE_MEMBERSHIPS} OR person_id = {_ME}", f"cohort_id IN {_FACILITATED}"
        )
    if table == "identities":
        return Visibility(
            f"person_id IN {_MENTEE_PEOPLE}",
            f"person_id IN {_FACILITATED_PEOPLE} OR person_id = {_ME} "
            "OR cohortdesk_added_unplaced(person_id, current_user)",
        )
    if table in PERSON_IN_COHORT:
        person = PERSON_IN_COHORT[table]
        # a mentor's own activity is theirs to see (their row in status counts it)
        return Visibility(
            f"(cohort_id, {person}) IN {_MENTEES} OR {person} = {_ME}",
            f"cohort_id IN {_FACILITATED}",
        )
    if table in COHORT_TABLES:
        # a cohort's daily sums are everyone's: a mentor sees their mentees' own days only
        mentor = "false" if table == "daily_totals" else f"cohort_id IN {_MY_COHORTS}"
        if table == "review_pack_info":
            mentor = f"mentor_membership_id IN {_MY_MEMBERSHIPS}"
        return Visibility(mentor, f"cohort_id IN {_FACILITATED}")
    if table in MEMBERSHIP_TABLES:
        return Visibility(
            f"membership_id IN {_MENTEE_MEMBERSHIPS}",
            f"membership_id IN {_FACILITATED_MEMBERSHIPS}",
        )
    if table in MENTOR_TABLES:
        return Visibility(
            f"mentor_membership_id IN {_MY_MEMBERSHIPS}",
            f"mentor_membership_id IN {_FACILITATED_MEMBERSHIPS}",
        )
    if table == "prompt_templates":
        return Visibility("true", "true")
    if table == "team_logins":
        return Visibility("login = current_user", "login = current_user")
    raise KeyError(f"no row-level security rule for the table {table}")


def _mentor_write_check(table: str) -> str:
    if table == "mentoring_sessions":
        # their own session, with one of their mentees or in one of their own groups
        return (
            f"mentor_membership_id IN {_MY_MEMBERSHIPS} AND (mentee_membership_id IS NULL "
            f"OR mentee_membership_id IN {_MENTEE_MEMBERSHIPS})"
        )
    return f"mentor_membership_id IN {_MY_MEMBERSHIPS}"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def app_tables(connection: Connection) -> list[str]:
    """The app's tables in the current schema (Alembic's own included)."""
    from cohortdesk.core.models import Base

    present = {
        str(name)
        for (name,) in connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        )
    }
    return sorted((set(Base.metadata.tables) | {"alembic_version"}) & present)


def ensure_roles(connection: Connection) -> None:
    """Create the owner, gateway and group roles where missing (all NOLOGIN)."""
    existing = {
        str(name)
        for (name,) in connection.execute(
            text("SELECT rolname FROM pg_roles WHERE rolname LIKE 'cohortdesk\\_%'")
        )
    }
    for role in (OWNER, GATEWAY, *GROUPS):
        if role not in existing:
            connection.exec_driver_sql(f"CREATE ROLE {role} NOLOGIN")
    # An owner login that is not a superuser hands the tables to the owner role, so it must
    # be able to act as it: since PostgreSQL 16 the role's creator holds it only to administer
    # it, and grants it to itself to use it.
    modern = int(str(connection.execute(text("SHOW server_version_num")).scalar_one())) >= 160000
    superuser, can_act = connection.execute(
        text(
            "SELECT rolsuper, pg_has_role(current_user, :owner, :mode) FROM pg_roles "
            "WHERE rolname = current_user"
        ),
        {"owner": OWNER, "mode": "SET" if modern else "MEMBER"},
    ).one()
    if not superuser and not can_act:
        options = " WITH INHERIT TRUE, SET TRUE" if modern else ""
        connection.exec_driver_sql(f"GRANT {OWNER} TO CURRENT_USER{options}")


def is_set_up(connection: Connection) -> bool:
    """True once `team init` made the team's roles on this server."""
    found = connection.execute(
        text("SELECT count(*) FROM pg_roles WHERE rolname = ANY(:roles)"),
        {"roles": [OWNER, *GROUPS]},
    ).scalar_one()
    return int(found) == 1 + len(GROUPS)


def apply_security(connection: Connection) -> None:
    """Ownership, grants, functions, triggers and policies on every app table (idempotent).

    Runs as a superuser (or a role that can act as `cohortdesk_owner`), after migrating.
    """
    schema = str(connection.execute(text("SELECT current_schema()")).scalar_one())
    run = connection.exec_driver_sql
    _close_database(connection)
    run(f"GRANT USAGE, CREATE ON SCHEMA {_quoted(schema)} TO {OWNER}")
    run(f"GRANT USAGE ON SCHEMA {_quoted(schema)} TO {', '.join(GROUPS)}")
    run(
        _FUNCTIONS.format(
            schema=_quoted(schema), gateway=GATEWAY, setting=PERSON_SETTING, channel=CHANGES_CHANNEL
        )
    )
    for signature in FUNCTION_SIGNATURES:
        run(f"ALTER FUNCTION {signature} OWNER TO {OWNER}")
        run(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        allowed = [group(TeamRole.FACILITATOR)] if signature in FACILITATOR_FUNCTIONS else GROUPS
        run(f"GRANT EXECUTE ON FUNCTION {signature} TO {', '.join(allowed)}")
    tables = app_tables(connection)
    for table in tables:
        _secure_table(connection, table)
    for signature in OBSOLETE_FUNCTIONS:
        run(f"DROP FUNCTION IF EXISTS {signature}")
    sequences = [
        str(name)
        for (name,) in connection.execute(
            text("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
        )
    ]
    for sequence in sequences:
        run(f"ALTER SEQUENCE {_quoted(sequence)} OWNER TO {OWNER}")
        run(f"GRANT USAGE, SELECT ON SEQUENCE {_quoted(sequence)} TO {group(TeamRole.FACILITATOR)}")
    for table in MENTOR_WRITES:
        sequence = f"{table}_id_seq"
        if sequence in sequences:
            run(f"GRANT USAGE, SELECT ON SEQUENCE {sequence} TO {group(TeamRole.MENTOR)}")


def _database(connection: Connection) -> str:
    """The connected database's name, quoted for a statement."""
    return _quoted(str(connection.execute(text("SELECT current_database()")).scalar_one()))


def _close_database(connection: Connection) -> None:
    """Only this database's team may connect to it (and its owner, and superusers).

    Roles are the server's, not one database's: without this, a login added to the team of
    another database on the same server could connect here (PostgreSQL lets PUBLIC connect to
    a new database) and read it with its group's rights. Logins already linked to a person
    here keep their access.
    """
    database = _database(connection)
    connection.exec_driver_sql(f"REVOKE CONNECT ON DATABASE {database} FROM PUBLIC")
    linked = [
        str(login)
        for (login,) in connection.execute(
            text(
                "SELECT t.login FROM team_logins t JOIN pg_roles r ON r.rolname = t.login "
                "ORDER BY t.login"
            )
        )
    ]
    for login in linked:
        connection.exec_driver_sql(f"GRANT CONNECT ON DATABASE {database} TO {_quoted(login)}")


def _secure_table(connection: Connection, table: str) -> None:
    run = connection.exec_driver_sql
    name = _quoted(table)
    facilitator, mentor, trainer = (group(r) for r in TeamRole)
    run(f"ALTER TABLE {name} OWNER TO {OWNER}")
    run(f"REVOKE ALL ON {name} FROM PUBLIC, {facilitator}, {mentor}, {trainer}")
    run(f"GRANT SELECT ON {name} TO {facilitator}, {mentor}, {trainer}")
    if table == "alembic_version":
        return  # the schema's revision: readable by all, no personal data, no policies
    if table not in READ_ONLY_FOR_ALL:
        run(f"GRANT INSERT, UPDATE, DELETE ON {name} TO {facilitator}")
    if table in MENTOR_WRITES:
        run(f"GRANT INSERT, UPDATE, DELETE ON {name} TO {mentor}")
    run(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
    run(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY")
    for (policy,) in connection.execute(
        text(
            "SELECT policyname FROM pg_policies "
            "WHERE schemaname = current_schema() AND tablename = :t"
        ),
        {"t": table},
    ):
        run(f"DROP POLICY {_quoted(str(policy))} ON {name}")
    seen = visibility(table)
    run(f"CREATE POLICY owner_all ON {name} TO {OWNER} USING (true) WITH CHECK (true)")
    run(f"CREATE POLICY trainer_read ON {name} FOR SELECT TO {trainer} USING (true)")
    run(f"CREATE POLICY mentor_read ON {name} FOR SELECT TO {mentor} USING ({seen.mentor})")
    if table in MENTOR_WRITES:
        check = _mentor_write_check(table)
        for command in ("INSERT", "UPDATE", "DELETE"):
            using = "" if command == "INSERT" else f" USING ({check})"
            with_check = "" if command == "DELETE" else f" WITH CHECK ({check})"
            run(
                f"CREATE POLICY mentor_{command.lower()} ON {name} FOR {command} TO {mentor}"
                f"{using}{with_check}"
            )
    run(
        f"CREATE POLICY facilitator_all ON {name} TO {facilitator} "
        f"USING ({seen.facilitator}) WITH CHECK ({seen.facilitator})"
    )
    if table in STAMPED_TABLES:
        run(f"DROP TRIGGER IF EXISTS cohortdesk_creator ON {name}")
        run(
            f"CREATE TRIGGER cohortdesk_creator BEFORE INSERT ON {name} "
            "FOR EACH ROW EXECUTE FUNCTION cohortdesk_stamp_creator()"
        )
    run(f"DROP TRIGGER IF EXISTS cohortdesk_announce ON {name}")
    run(
        f"CREATE TRIGGER cohortdesk_announce AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {name} FOR EACH STATEMENT EXECUTE FUNCTION cohortdesk_announce_change()"
    )


# ---- logins


def check_login(login: str) -> str:
    """`login` if it is a name a login can have (lower case, no quotes), else ValueError."""
    if not _LOGIN.match(login) or login.startswith(("cohortdesk_", "pg_")):
        raise ValueError(
            f"{login!r} cannot be a login: use lower-case letters, digits, _ . @ - "
            "(up to 63, starting with a letter), not starting with cohortdesk_ or pg_"
        )
    return login


def other_teams(connection: Connection, login: str) -> list[str]:
    """The other databases on this server whose team `login` is in (it may connect to them)."""
    return [
        str(name)
        for (name,) in connection.execute(
            text(
                "SELECT DISTINCT d.datname FROM pg_database d "
                "CROSS JOIN LATERAL aclexplode(d.datacl) a "
                "JOIN pg_roles r ON r.oid = a.grantee "
                "WHERE r.rolname = :login AND a.privilege_type = 'CONNECT' "
                "AND d.datname <> current_database() ORDER BY d.datname"
            ),
            {"login": login},
        )
    ]


def _groups_of(connection: Connection, login: str) -> list[str]:
    return [
        str(name)
        for (name,) in connection.execute(
            text(
                "SELECT g.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
                "JOIN pg_roles u ON u.oid = a.member "
                "WHERE u.rolname = :login AND g.rolname = ANY(:groups) ORDER BY g.rolname"
            ),
            {"login": login, "groups": list(GROUPS)},
        )
    ]


class OtherTeamError(ValueError):
    """The login is in another database's team in another role: a login's group is the
    server's, so it has one team role on the whole server."""


def create_login(connection: Connection, login: str, role: TeamRole, password: str | None) -> None:
    """Make `login` one of this database's team: create it (LOGIN, a member of the role's
    group) or move an existing one to the group, and let it connect to this database.

    Raises:
        ValueError: the name cannot be a login.
        OtherTeamError: the login is in another database's team in another role.
    """
    run = connection.exec_driver_sql
    name = _quoted(check_login(login))
    exists = connection.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": login}
    ).first()
    if exists is None:
        run(f"CREATE ROLE {name} LOGIN")
    else:
        elsewhere = other_teams(connection, login)
        held = [g for g in _groups_of(connection, login) if g != group(role)]
        if elsewhere and held:
            raise OtherTeamError(
                f"{login} is a {held[0].removeprefix('cohortdesk_')} in the team of "
                f"{', '.join(elsewhere)} on this server, and a login has one team role on a "
                "server: give this person another login here"
            )
    if password is not None:
        # a literal: utility statements take no parameters; quote_literal does the escaping
        literal = connection.execute(text("SELECT quote_literal(:p)"), {"p": password}).scalar_one()
        run(f"ALTER ROLE {name} PASSWORD {literal}")
    for other in GROUPS:
        if other != group(role):
            run(f"REVOKE {other} FROM {name}")
    run(f"GRANT {group(role)} TO {name}")
    run(f"GRANT CONNECT ON DATABASE {_database(connection)} TO {name}")


def drop_login(connection: Connection, login: str) -> bool:
    """Take `login` out of this database's team; False when it is not in it.

    The login itself is dropped unless it is still in another database's team on the server.
    """
    if login not in dict(team_logins(connection)):
        return False
    name = _quoted(check_login(login))
    connection.exec_driver_sql(f"REVOKE CONNECT ON DATABASE {_database(connection)} FROM {name}")
    if not other_teams(connection, login):
        connection.exec_driver_sql(f"DROP ROLE {name}")
    return True


def team_logins(connection: Connection) -> list[tuple[str, TeamRole]]:
    """This database's team: the logins in one of the team's groups that may connect to this
    database, with their team role, by name. (Groups are the server's: a login of another
    database's team is a member of them too, but may not connect here.)"""
    rows = connection.execute(
        text(
            "SELECT DISTINCT u.rolname, g.rolname FROM pg_auth_members a "
            "JOIN pg_roles u ON u.oid = a.member JOIN pg_roles g ON g.oid = a.roleid "
            "JOIN pg_database d ON d.datname = current_database() "
            "CROSS JOIN LATERAL aclexplode(d.datacl) acl "
            "WHERE g.rolname = ANY(:groups) AND acl.grantee = u.oid "
            "AND acl.privilege_type = 'CONNECT' ORDER BY u.rolname"
        ),
        {"groups": list(GROUPS)},
    )
    roles = {group(role): role for role in TeamRole}
    return [(str(login), roles[str(name)]) for login, name in rows]
