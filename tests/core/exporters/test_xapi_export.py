"""xAPI: valid 1.0.3 statements, stable ids, and a round trip through the importer."""

from __future__ import annotations

import copy
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from cohortdesk.core.exporters.pseudonym import PSEUDONYM_HOME_PAGE, Pseudonymiser
from cohortdesk.core.exporters.xapi_export import VERBS
from cohortdesk.core.exporters.xapi_rules import file_problems, statement_problems
from cohortdesk.core.importers.base import ImportOptions
from cohortdesk.core.importers.xapi import REPLIED_TO_EXTENSION, VERB_KINDS
from cohortdesk.core.models import Identity, Membership, Person
from cohortdesk.core.schemas import ExportFormat, MemberRow
from cohortdesk.core.services.activity import imports, participation
from cohortdesk.core.storage.db import Database
from tests.core.builders import make_cohort
from tests.core.exporters.conftest import Sample
from tests.core.exporters.support import run_export, statements


def test_every_statement_follows_the_xapi_rules(
    db: Database, sample: Sample, tmp_path: Path
) -> None:
    path = tmp_path / "statements.json"
    result = run_export(db, sample.cohort_id, ExportFormat.XAPI, path)
    found = statements(path)
    assert len(found) == result.events == 16
    assert file_problems(found) == []
    for statement in found:
        actor = statement["actor"]
        assert sum(k in actor for k in ("mbox", "mbox_sha1sum", "openid", "account")) == 1
        assert uuid.UUID(statement["context"]["registration"]).version == 5
        assert statement["timestamp"].endswith(("+00:00", "+01:00"))
    answered = [s for s in found if REPLIED_TO_EXTENSION in s["context"].get("extensions", {})]
    assert {s["context"]["extensions"][REPLIED_TO_EXTENSION]["name"] for s in answered} == {
        "Ann Archer",
        "Ben Brook",
        "Fay Fox",
    }


def test_verbs_are_read_back_as_the_same_kind() -> None:
    for kind, (iri, _display) in VERBS.items():
        assert VERB_KINDS[iri.rstrip("/").rsplit("/", 1)[-1].casefold()] is kind


def test_ids_are_stable_across_exports_and_unlinkable_across_keys(
    db: Database, sample: Sample, tmp_path: Path
) -> None:
    def ids(name: str, **options: Any) -> list[str]:
        run_export(db, sample.cohort_id, ExportFormat.XAPI, tmp_path / name, **options)
        return [s["id"] for s in statements(tmp_path / name)]

    plain = ids("a.json")
    assert len(set(plain)) == len(plain)
    assert ids("b.json") == plain
    key = "a key that links two exports"
    keyed = ids("c.json", pseudonymise=True, key=key)
    assert ids("d.json", pseudonymise=True, key=key) == keyed
    assert set(keyed).isdisjoint(plain)
    random_one = ids("e.json", pseudonymise=True)
    random_two = ids("f.json", pseudonymise=True)
    assert set(random_one).isdisjoint(random_two) and set(random_one).isdisjoint(keyed)


def test_pseudonymised_actors_are_opaque_accounts(
    db: Database, sample: Sample, tmp_path: Path
) -> None:
    path = tmp_path / "p.json"
    run_export(db, sample.cohort_id, ExportFormat.XAPI, path, pseudonymise=True)
    for statement in statements(path):
        actor = statement["actor"]
        assert set(actor) == {"objectType", "account"}
        assert actor["account"]["homePage"] == PSEUDONYM_HOME_PAGE
        assert actor["account"]["name"].startswith("p-")
        assert "result" not in statement or "response" not in statement["result"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda s: s.pop("actor"), "actor is missing"),
        (
            lambda s: s["actor"].update(account={"homePage": "https://x.example", "name": "x"}),
            "exactly one",
        ),
        (lambda s: s.update(id="not-a-uuid"), "id is not a UUID"),
        (lambda s: s.update(timestamp="2025-03-03T10:00:00"), "time zone"),
        (lambda s: s["verb"].update(id="replied"), "verb.id is not an IRI"),
        (lambda s: s["object"].update(id="no iri"), "object.id is not an IRI"),
        (lambda s: s["context"].update(registration="x"), "registration is not a UUID"),
        (lambda s: s.update(colour="red"), "unknown property"),
        (
            lambda s: s["context"].update(extensions={REPLIED_TO_EXTENSION: {"name": "x"}}),
            "replied-to] has 0 identifiers",
        ),
    ],
)
def test_the_rules_catch_broken_statements(
    db: Database, sample: Sample, tmp_path: Path, change: Any, problem: str
) -> None:
    path = tmp_path / "s.json"
    run_export(db, sample.cohort_id, ExportFormat.XAPI, path)
    statement = copy.deepcopy(statements(path)[0])
    assert statement_problems(statement) == []
    change(statement)
    assert any(problem in p for p in statement_problems(statement)), statement_problems(statement)


def _counts(row: MemberRow) -> tuple[object, ...]:
    return (row.logins, row.threads, row.replies, row.peer_replies, row.events, row.last_active)


ROUND_TRIP_KEY = "a key for the round trip test"


@pytest.mark.parametrize("pseudonymise", [False, True])
def test_round_trip_through_the_importer_gives_the_same_counts(
    db: Database, sample: Sample, tmp_path: Path, pseudonymise: bool
) -> None:
    path = tmp_path / "round.json"
    key = ROUND_TRIP_KEY if pseudonymise else None
    run_export(db, sample.cohort_id, ExportFormat.XAPI, path, pseudonymise=pseudonymise, key=key)
    exported = {s["actor"].get("mbox") or s["actor"]["account"]["name"] for s in statements(path)}
    pseudonyms = Pseudonymiser(ROUND_TRIP_KEY)

    def key_of(row: MemberRow) -> str:
        return pseudonyms.person(row.person_id) if pseudonymise else f"mailto:{row.email}"

    with db.write() as session:
        original = participation.roster(session, sample.cohort_id)
        copy_cohort = make_cohort(session, "Copy", timezone="Europe/London")
        imports.import_file(session, copy_cohort.id, path, "xapi", ImportOptions())
        found = _imported_people(session, copy_cohort.id)
        assert set(found) == exported
        for row in original:  # xAPI carries no role: give people the roles they had
            if key_of(row) in found:
                session.execute(
                    update(Membership)
                    .where(Membership.id == found[key_of(row)])
                    .values(role=row.role)
                )
        imported = {r.membership_id: r for r in participation.roster(session, copy_cohort.id)}
    for row in original:
        if row.events == 0:
            assert key_of(row) not in found
        else:
            assert _counts(imported[found[key_of(row)]]) == _counts(row), row.name


def _imported_people(session: Any, cohort_id: int) -> dict[str, int]:
    """Imported members by the identifier their statements used (mailto: or pseudonym)."""
    found: dict[str, int] = {}
    rows = session.execute(
        select(Membership.id, Person.email, Identity.external_id)
        .join(Person, Person.id == Membership.person_id)
        .outerjoin(Identity, Identity.person_id == Person.id)
        .where(Membership.cohort_id == cohort_id)
    )
    for membership_id, email, external in rows:
        if email:
            found[f"mailto:{email}"] = membership_id
        elif external and external.startswith("account:"):
            found[external.rsplit("|", 1)[-1]] = membership_id
    return found
