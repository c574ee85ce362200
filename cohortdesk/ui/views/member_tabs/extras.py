"""What the member panel reads with a member beyond `MemberDetail`: nudges and stage evidence.

Read in the same background task as the member, so the panel shows one consistent member
and is idle once `member_loaded` fires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from cohortdesk.core.enums import Role
from cohortdesk.core.schemas import MemberDetail, MemberEvidence, NudgeRow


@dataclass(frozen=True)
class MemberExtras:
    """A member's nudges (newest first, with outcomes) and, for a learner, stage evidence."""

    nudges: list[NudgeRow]
    evidence: MemberEvidence | None


def load_member(
    session: Session, membership_id: int, as_of: date
) -> tuple[MemberDetail, MemberExtras]:
    """The member, their nudges and their stage evidence, as of the end of `as_of`.

    Raises:
        NotFoundError: no such member.
    """
    from cohortdesk.core.services.attention import evidence
    from cohortdesk.core.services.messaging import nudges
    from cohortdesk.core.services.people import members

    detail = members.member_detail(session, membership_id, as_of=as_of)
    rows = nudges.list_nudges(session, detail.cohort_id, membership_id=membership_id, as_of=as_of)
    found = None
    if detail.row.role is Role.LEARNER:
        found = evidence.member_evidence(session, membership_id, as_of)
    return detail, MemberExtras(rows, found)
