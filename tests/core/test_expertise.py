"""Expertise: who knows about something, across cohorts; peers who share expertise."""

from __future__ import annotations

import pytest

from cohortdesk.core.enums import Role
from cohortdesk.core.services.people import expertise
from cohortdesk.core.storage.db import Database
from tests.core.builders import add, make_cohort


@pytest.fixture
def ids(db: Database) -> dict[str, int]:
    with db.write() as s:
        spring = make_cohort(s, "Spring").id
        autumn = make_cohort(s, "Autumn").id
        return {
            "ana": add(s, spring, "Ana Souza", expertise="Moodle, rubrics; online facilitation"),
            "ben": add(s, spring, "Ben Carter", expertise="peer review / Rubrics"),
            "zoe": add(s, spring, "Zoë Adebayo", expertise="Évaluation formative"),
            "mei": add(s, spring, "Mei Tanaka", Role.MENTOR, expertise="rubrics, coaching"),
            "tom": add(s, spring, "Tomás Reyes", expertise="facilitation skills, Moodle"),
            "nobody": add(s, spring, "No Body"),
            "walter": add(s, autumn, "Walter Hargreaves", expertise="Online facilitation"),
            "ana_autumn": add(s, autumn, "Ana Souza", email="ana.souza@example.org"),
        }


def names(db: Database, query: str) -> list[str]:
    with db.read() as s:
        return [r.name for r in expertise.find_experts(s, query)]


def test_fold_and_keywords() -> None:
    assert expertise.fold("Évaluation FORMATIVE") == "evaluation formative"
    assert expertise.keywords("Moodle, rubrics;; moodle / Coaching\nRUBRICS") == (
        "Moodle",
        "rubrics",
        "Coaching",
    )


def test_search_across_cohorts_ignoring_case_and_accents(db: Database, ids: dict[str, int]) -> None:
    assert names(db, "RUBRICS") == ["Ana Souza", "Ben Carter", "Mei Tanaka"]
    assert names(db, "evaluation") == ["Zoë Adebayo"]
    assert names(db, "Évaluation formative") == ["Zoë Adebayo"]
    assert names(db, "") == [] and names(db, "   ") == []
    assert names(db, "knitting") == []


def test_multi_word_queries_need_every_word_and_rank_whole_phrases_first(
    db: Database, ids: dict[str, int]
) -> None:
    # "online facilitation" as typed beats a keyword that only shares a word
    assert names(db, "online facilitation") == ["Ana Souza", "Walter Hargreaves"]
    assert names(db, "facilitation") == ["Ana Souza", "Tomás Reyes", "Walter Hargreaves"]
    assert names(db, "facil moodle") == ["Ana Souza", "Tomás Reyes"]  # word beginnings
    assert names(db, "rubrics and coaching") == ["Mei Tanaka"]  # "and" says nothing


def test_a_result_says_what_matched_and_where_to_find_them(
    db: Database, ids: dict[str, int]
) -> None:
    with db.read() as s:
        ana = expertise.find_experts(s, "online facilitation")[0]
    assert ana.keywords == ("Moodle", "rubrics", "online facilitation")
    assert ana.matched == ("online facilitation",)
    assert ana.cohorts == ("Autumn (learner)", "Spring (learner)")


def test_peers_with_shared_expertise(db: Database, ids: dict[str, int]) -> None:
    with db.read() as s:
        peers = expertise.peers_with_shared_expertise(s, ids["ana"])
        assert expertise.peers_with_shared_expertise(s, ids["nobody"]) == []
        walters = expertise.peers_with_shared_expertise(s, ids["walter"])
    # Ana is in Autumn too: her expertise is the person's, whatever the cohort
    assert [(p.name, p.membership_id, p.shared) for p in walters] == [
        ("Ana Souza", ids["ana_autumn"], ("online facilitation",))
    ]
    # learners of the same cohort only (not Mei the mentor, not Walter in Autumn)
    assert [(p.name, p.shared) for p in peers] == [
        ("Tomás Reyes", ("facilitation skills", "Moodle")),
        ("Ben Carter", ("Rubrics",)),
    ]
