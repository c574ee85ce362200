"""A cohort's adjustable rules: attention thresholds, stage evidence thresholds, message facts.

Stored as one JSON document per cohort (`CohortRules` in models), validated by the
`schemas.CohortRules` model: a cohort that never changed anything uses the defaults, and a
threshold added in a later version takes its default until the facilitator changes it.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from cohortdesk.core.errors import NotFoundError
from cohortdesk.core.models import Cohort, utcnow
from cohortdesk.core.models import CohortRules as CohortRulesRecord
from cohortdesk.core.schemas import Changed, Changes, CohortRules

log = logging.getLogger(__name__)


def get_rules(session: Session, cohort_id: int) -> CohortRules:
    """The cohort's rules; the defaults for anything never set.

    A stored document that no longer validates (edited by hand, say) is logged and replaced
    by the defaults rather than failing every screen that needs it.

    Raises:
        NotFoundError: the cohort does not exist.
    """
    if session.get(Cohort, cohort_id) is None:
        raise NotFoundError(f"No cohort with id {cohort_id}")
    stored = session.scalar(
        select(CohortRulesRecord.settings).where(CohortRulesRecord.cohort_id == cohort_id)
    )
    if stored is None:
        return CohortRules()
    try:
        return CohortRules.model_validate(json.loads(stored))
    except (ValueError, ValidationError):
        log.warning("Cohort %s: stored rules are not valid; using the defaults", cohort_id)
        return CohortRules()


def save_rules(
    session: Session, cohort_id: int, rules: CohortRules, *, now: datetime | None = None
) -> Changed[CohortRules]:
    """Store the cohort's rules (all of them: pass `get_rules(...).model_copy(update=...)`).

    Every judgement of the cohort's members follows the rules: its roster changes.

    Raises:
        NotFoundError: the cohort does not exist.
    """
    if session.get(Cohort, cohort_id) is None:
        raise NotFoundError(f"No cohort with id {cohort_id}")
    record = session.get(CohortRulesRecord, cohort_id)
    document = rules.model_dump_json()
    if record is None:
        record = CohortRulesRecord(
            cohort_id=cohort_id, settings=document, updated_at=now or utcnow()
        )
        session.add(record)
    else:
        record.settings = document
        record.updated_at = now or utcnow()
    session.flush()
    return Changed(value=rules, changes=Changes.of_roster(cohort_id))
