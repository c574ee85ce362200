"""Prompt templates: the built-in library, seeding, the facilitator's own, previews."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cohortdesk.core.enums import EventKind, NudgeChannel, Role, TemplatePurpose
from cohortdesk.core.errors import ConflictError, KnownError, NotFoundError
from cohortdesk.core.models import PromptTemplate
from cohortdesk.core.rendering import PLACEHOLDER_NAMES, TemplateError, check
from cohortdesk.core.schemas import NudgeInput, TemplateInput, TemplateRow, validated
from cohortdesk.core.services.messaging import nudges, templates
from cohortdesk.core.services.messaging.message_context import context_for
from cohortdesk.core.storage.db import Database
from tests.core.builders import add, event, make_cohort

DAY = date(2025, 3, 10)
# Messages to one member greet them; the rest go to the whole group.
GROUP_PURPOSES = {TemplatePurpose.SUMMARY, TemplatePurpose.WEAVE, TemplatePurpose.CLOSE}
GROUP_PURPOSES |= {TemplatePurpose.ETIVITY}
SALMON_FIELDS = (
    "Title:",
    "Purpose:",
    "Brief summary:",
    "Spark:",
    "Individual task:",
    "Interaction:",
    "E-moderator interventions:",
    "Schedule and time:",
    "Next:",
)


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.write() as s:
        yield s


def mine(name: str = "My nudge", **fields: object) -> TemplateInput:
    values: dict[str, object] = {
        "name": name,
        "purpose": TemplatePurpose.SILENT,
        "subject": "Hello {first_name}",
        "body": "Hi {first_name}, how are things in {cohort}?",
    }
    return TemplateInput.model_validate(values | fields)


# ---- the built-in library -------------------------------------------------------------------


def test_a_new_database_has_the_whole_library(session: Session) -> None:
    rows = templates.list_templates(session)
    library = templates.builtin_library()
    assert {r.key for r in rows} == {t.key for t in library}
    assert all(r.builtin and not r.retired and r.uses == 0 for r in rows)
    by_key = {r.key: r for r in rows}
    for entry in library:
        row = by_key[entry.key]
        assert (row.name, row.purpose, row.stage, row.subject) == (
            entry.name,
            entry.purpose,
            entry.stage,
            entry.subject,
        )
        assert row.body == "\n".join(entry.body)


def test_the_library_covers_every_stage_and_purpose() -> None:
    library = templates.builtin_library()
    assert {t.purpose for t in library} == set(TemplatePurpose)
    assert {t.stage for t in library} >= {1, 2, 3, 4, 5, None}
    etivities = [t for t in library if t.purpose is TemplatePurpose.ETIVITY]
    assert sorted(t.stage for t in etivities if t.stage) == [1, 2, 3, 4, 5]
    for etivity in etivities:
        starts = [line.split(":")[0] + ":" for line in etivity.body if ":" in line]
        assert tuple(starts) == SALMON_FIELDS, etivity.key
    names = [t.name for t in library]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("entry", templates.builtin_library(), ids=lambda t: t.key)
def test_each_builtin_is_valid_and_written_with_care(entry: templates.BuiltinTemplate) -> None:
    check(entry.subject, "Subject")
    used = check(entry.text, "Body")
    assert set(used) <= PLACEHOLDER_NAMES
    assert len(entry.subject) <= 80 and "\n" not in entry.subject
    text = entry.text
    if entry.purpose not in GROUP_PURPOSES:
        assert text.startswith("Hi {first_name},\n"), "greets the member by first name"
        assert len(text.split()) <= 130, "short"
        assert text.count("?") >= 1, "one clear ask"
    guilt = r"\b(you haven't|you have not|failed|disappoint|must|overdue|behind|lazy)\b"
    assert not re.search(guilt, text, re.IGNORECASE), "no guilt"
    assert "  " not in text and not text.endswith("\n")


def test_seeding_is_idempotent_and_adds_only_what_is_missing(session: Session) -> None:
    assert templates.ensure_builtin_templates(session) == 0
    own = templates.duplicate_template(session, templates.list_templates(session)[0].id).value
    welcome = next(r for r in templates.list_templates(session) if r.key == "welcome")
    templates.set_retired(session, welcome.id)
    session.execute(delete(PromptTemplate).where(PromptTemplate.key == "bridge"))
    assert templates.ensure_builtin_templates(session) == 1
    assert templates.ensure_builtin_templates(session) == 0
    rows = templates.list_templates(session, include_retired=True)
    assert sum(r.key == "bridge" for r in rows) == 1
    assert next(r for r in rows if r.key == "welcome").retired, "left alone"
    assert any(r.id == own.id for r in rows)
    total = session.scalar(select(func.count()).select_from(PromptTemplate))
    assert total == len(templates.builtin_library()) + 1


# ---- the facilitator's own ------------------------------------------------------------------


def test_an_older_database_gets_what_it_lacks_and_a_complete_one_is_not_written(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.write() as session:
        session.execute(delete(PromptTemplate).where(PromptTemplate.key == "bridge"))
    assert templates.add_builtin_templates(db) == 1
    with db.read() as session:
        assert session.scalar(select(func.count()).where(PromptTemplate.key == "bridge")) == 1

    def no_write() -> None:
        raise AssertionError("a database with every built-in template was written to")

    monkeypatch.setattr(db, "write", no_write)
    assert templates.add_builtin_templates(db) == 0


def test_create_edit_duplicate_retire(session: Session) -> None:
    created = templates.create_template(session, mine(stage=3)).value
    assert (created.builtin, created.retired, created.stage, created.key) == (False, False, 3, None)
    edited = templates.update_template(
        session, created.id, mine("Renamed", body="Hello {first_name}!", stage=None)
    ).value
    assert (edited.name, edited.body, edited.stage) == ("Renamed", "Hello {first_name}!", None)
    assert edited.updated_at >= created.updated_at
    copy = templates.duplicate_template(session, created.id).value
    again = templates.duplicate_template(session, created.id).value
    assert (copy.name, again.name) == ("Renamed (copy)", "Renamed (copy 2)")
    assert copy.body == edited.body and not copy.builtin
    templates.set_retired(session, created.id)
    assert created.id not in {r.id for r in templates.list_templates(session)}
    retired = templates.get_template(session, created.id)
    assert retired.retired
    assert created.id in {r.id for r in templates.list_templates(session, include_retired=True)}
    assert not templates.set_retired(session, created.id, False).value.retired


def test_a_builtin_is_duplicated_not_edited(session: Session) -> None:
    builtin = next(r for r in templates.list_templates(session) if r.key == "de-lurk")
    with pytest.raises(KnownError, match="built in"):
        templates.update_template(session, builtin.id, mine())
    copy = templates.duplicate_template(session, builtin.id).value
    assert copy.name == "From reading to a first post (copy)"
    assert (copy.purpose, copy.stage, copy.body) == (builtin.purpose, builtin.stage, builtin.body)
    changed = templates.update_template(
        session,
        copy.id,
        mine("My de-lurk", purpose=TemplatePurpose.DELURK, body="Hi {first_name}, one line?"),
    ).value
    assert changed.body == "Hi {first_name}, one line?"


def test_an_unknown_placeholder_is_refused_with_its_position(session: Session) -> None:
    with pytest.raises(TemplateError, match=r"Body: Unknown placeholder \{frist_name\}") as err:
        templates.create_template(session, mine(body="Hello\n  {frist_name}"))
    assert (err.value.line, err.value.column) == (2, 3)
    with pytest.raises(TemplateError, match=r"^Subject: "):
        templates.create_template(session, mine(subject="Hi {0.__class__}"))
    assert not [r for r in templates.list_templates(session) if not r.builtin]


def test_names_are_unique_ignoring_case(session: Session) -> None:
    templates.create_template(session, mine("Check-in"))
    with pytest.raises(ConflictError):
        templates.create_template(session, mine("check-IN"))
    with pytest.raises(ConflictError):
        templates.create_template(session, mine("Welcome a newcomer"))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "Name: cannot be empty"),
        ({"body": ""}, "Body: cannot be empty"),
        ({"body": "x" * 20_001}, "Body: too long"),
        ({"stage": 6}, "Stage: must be at most 5"),
        ({"purpose": "spam"}, "Purpose: must be one of"),
    ],
)
def test_input_is_validated_in_plain_words(fields: dict[str, object], message: str) -> None:
    values: dict[str, object] = {"name": "X", "purpose": "silent", "subject": "", "body": "Hi"}
    with pytest.raises(KnownError, match=message):
        validated(TemplateInput, **(values | fields))


def test_missing_templates_are_not_found(session: Session) -> None:
    for call in (
        lambda: templates.get_template(session, 999),
        lambda: templates.duplicate_template(session, 999),
        lambda: templates.set_retired(session, 999),
        lambda: templates.update_template(session, 999, mine()),
    ):
        with pytest.raises(NotFoundError):
            call()


def test_uses_count_nudges_and_retired_templates_keep_their_name_in_the_log(
    session: Session,
) -> None:
    cohort = make_cohort(session)
    mid = add(session, cohort.id, "Una Used")
    template = templates.create_template(session, mine()).value
    sent = datetime(2025, 3, 5, 9, tzinfo=UTC)
    for _ in range(2):
        data = NudgeInput(
            template_id=template.id, body="Hi Una", channel=NudgeChannel.EMAIL, sent_at=sent
        )
        nudges.log_nudge(session, mid, data)
    templates.set_retired(session, template.id)
    assert templates.get_template(session, template.id).uses == 2
    [row, _] = nudges.list_nudges(session, cohort.id, as_of=DAY)
    assert row.template_name == "My nudge"


# ---- choosing and previewing ----------------------------------------------------------------


def _row(id_: int, purpose: TemplatePurpose, stage: int | None, builtin: bool) -> TemplateRow:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    return TemplateRow(
        id=id_,
        key=None,
        name=f"T{id_}",
        purpose=purpose,
        stage=stage,
        subject="",
        body="x",
        builtin=builtin,
        retired=False,
        created_at=now,
        updated_at=now,
        uses=0,
    )


def test_pick_template_prefers_own_then_stage_then_any() -> None:
    silent = TemplatePurpose.SILENT
    rows = [
        _row(1, silent, None, True),
        _row(2, silent, 3, True),
        _row(3, silent, 2, False),
        _row(4, silent, None, False),
        _row(5, TemplatePurpose.WELCOME, 3, False),
    ]
    assert templates.pick_template(rows, silent, 3).id == 4  # own, any stage
    assert templates.pick_template(rows, silent, 2).id == 3  # own, their stage
    assert templates.pick_template(rows[:2], silent, 3).id == 2  # built in, their stage
    assert templates.pick_template(rows[:2], silent, 1).id == 1  # built in, any stage
    retired = rows[3].model_copy(update={"retired": True})
    assert templates.pick_template([retired], silent, 1) is None
    assert templates.pick_template(rows, TemplatePurpose.BRIDGE, 1) is None


def test_preview_with_a_real_member(session: Session) -> None:
    cohort = make_cohort(session, "Autumn", start_date=date(2025, 3, 3))
    add(session, cohort.id, "Dr Farah Facil", Role.FACILITATOR)
    ada = add(session, cohort.id, "Ada Lovelace", expertise="maths, poetry")
    bo = add(session, cohort.id, "Bo Peer", expertise="Poetry")
    event(session, bo, EventKind.POST, datetime(2025, 3, 6, 9, tzinfo=UTC), thread="Sonnets")
    preview = templates.preview(
        session,
        "For {first_name}",
        "Hi {first_name}: {peer_name} in {peer_thread}. {facilitator_first_name}, {space_link}",
        ada,
        DAY,
    )
    assert preview.subject == "For Ada"
    assert preview.body == "Hi Ada: Bo Peer in Sonnets. Farah, the course space"
    assert preview.fallback_fields == ("space_link",)
    with pytest.raises(TemplateError):
        templates.preview(session, "", "{nope}", ada, DAY)
    welcome = next(r for r in templates.list_templates(session) if r.key == "welcome")
    rendered = templates.render_for(session, welcome.id, ada, DAY)
    assert rendered.subject == "Welcome to Autumn, Ada"
    assert rendered.body.startswith("Hi Ada,\n") and "{" not in rendered.body
    fields = context_for(session, ada, DAY).fields
    assert set(fields) == PLACEHOLDER_NAMES


def test_preview_many_members_at_once(session: Session) -> None:
    cohort = make_cohort(session, "Batch")
    ids = [add(session, cohort.id, f"Member{n} Last") for n in range(5)]
    outsider = add(session, make_cohort(session, "Other").id, "Out Sider")
    rendered = templates.preview_many(
        session, cohort.id, "For {first_name}", "Hi {first_name}", [*ids, outsider], DAY
    )
    assert sorted(rendered) == ids
    assert rendered[ids[2]].subject == "For Member2"
    assert rendered[ids[2]].body == "Hi Member2"
