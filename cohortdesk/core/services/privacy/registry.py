"""The personal-data registry: for every table, how its rows are exported and how they are erased.

A test walks the schema (`Base.metadata`) and fails for any table missing here, so a new table
cannot hold personal data without someone deciding what an export does with it and what
"erase this person" does to it. `services.privacy.erase` works from these entries:

- `Erase.PERSON`: the row is the person; deleting it deletes everything that refers to them
  through a foreign key with ON DELETE CASCADE (memberships, and through them notes,
  check-ins, nudges, mentoring records...) and clears the SET NULL pointers (replies to them);
- `Erase.CASCADE`: rows that go with the person or their membership by ON DELETE CASCADE (the
  test checks that such a chain exists);
- `Erase.BY_COLUMNS`: rows that name the person in `person_columns` without a foreign key
  (derived rollups) are deleted explicitly;
- `Erase.NONE`: no personal data in the rows themselves.

Whatever the erase rule, the `text_columns` of a table are free text that may mention anyone
(a note about one member naming another, a nudge suggesting a peer): the erased person's full
name and email are replaced by `ERASED` there, in every row that remains.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

ERASED = "[erased]"


class Export(StrEnum):
    """How a table's rows leave cohortdesk in an export."""

    NONE = "holds no personal data"
    PARTICIPATION = (
        "participation exports (csv, xlsx, pdf, xapi): names and emails, or pseudonyms when "
        "pseudonymised"
    )
    COUNTS = "only as counts in participation exports, never as text"
    REPORT = "the PDF report's highlights, left out when pseudonymised"
    PRIVATE = "never exported: private to the facilitator (a mentor's review pack carries "
    "only that mentor's own mentees)"
    DERIVED = "derived counts, rebuilt from events: exported only as members' totals"


class Erase(StrEnum):
    """What erasing a person does to a table's rows."""

    PERSON = "the person's own row: deleted, with everything that cascades from it"
    CASCADE = "deleted with the person or their membership (foreign key ON DELETE CASCADE)"
    BY_COLUMNS = "rows naming the person in person_columns are deleted explicitly"
    NONE = "holds no personal data"


@dataclass(frozen=True)
class Handling:
    """How one table's personal data is exported and erased."""

    export: Export
    erase: Erase
    #: columns holding a person id without a foreign key (for `Erase.BY_COLUMNS`)
    person_columns: tuple[str, ...] = ()
    #: free text that may mention other people: scrubbed of the erased person's name and email
    text_columns: tuple[str, ...] = ()


REGISTRY: dict[str, Handling] = {
    # ---- the cohort and the people in it
    "cohorts": Handling(Export.NONE, Erase.NONE, text_columns=("description",)),
    "people": Handling(Export.PARTICIPATION, Erase.PERSON, text_columns=("expertise",)),
    "memberships": Handling(Export.PARTICIPATION, Erase.CASCADE),
    "identities": Handling(Export.PRIVATE, Erase.CASCADE),
    # ---- activity and imports
    "activity_events": Handling(
        Export.PARTICIPATION, Erase.CASCADE, text_columns=("detail", "thread")
    ),
    "import_batches": Handling(Export.NONE, Erase.NONE, text_columns=("file_name", "notes")),
    # ---- the facilitator's records about a member
    "motivation_checks": Handling(Export.COUNTS, Erase.CASCADE, text_columns=("note",)),
    "access_issues": Handling(Export.PRIVATE, Erase.CASCADE, text_columns=("note", "resolution")),
    "stage_changes": Handling(Export.PRIVATE, Erase.CASCADE, text_columns=("reason", "evidence")),
    "member_notes": Handling(Export.PRIVATE, Erase.CASCADE, text_columns=("body",)),
    "suggestion_dismissals": Handling(Export.PRIVATE, Erase.CASCADE),
    # ---- rules, templates and nudges
    "cohort_rules": Handling(Export.NONE, Erase.NONE, text_columns=("settings",)),
    "prompt_templates": Handling(Export.NONE, Erase.NONE, text_columns=("subject", "body")),
    "interventions": Handling(Export.COUNTS, Erase.CASCADE, text_columns=("subject", "body")),
    # ---- mentoring and highlights
    "mentoring_groups": Handling(Export.PRIVATE, Erase.CASCADE, text_columns=("name", "goal")),
    "mentor_links": Handling(Export.PRIVATE, Erase.CASCADE),
    "mentoring_sessions": Handling(
        Export.PRIVATE, Erase.CASCADE, text_columns=("notes", "goals", "next_steps")
    ),
    "mentor_reviews": Handling(Export.PRIVATE, Erase.CASCADE),
    "review_pack_info": Handling(Export.PRIVATE, Erase.CASCADE),
    "highlights": Handling(Export.REPORT, Erase.CASCADE, text_columns=("text", "tags")),
    # ---- team mode: which person a server login is (goes with the person)
    "team_logins": Handling(Export.PRIVATE, Erase.CASCADE),
    # ---- derived rollups (person ids without foreign keys)
    "daily_activity": Handling(Export.DERIVED, Erase.BY_COLUMNS, person_columns=("person_id",)),
    "daily_replies": Handling(
        Export.DERIVED, Erase.BY_COLUMNS, person_columns=("from_person_id", "to_person_id")
    ),
    # a cohort's sums per day: no person in them (recomputed when a person is erased)
    "daily_totals": Handling(Export.DERIVED, Erase.NONE),
}
