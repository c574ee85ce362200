"""`cohortdesk report`: the dashboard's and the PDF report's figures, as one document.

Read from the dashboard itself (`dashboard.cohort_dashboard`) over the same period and as-of
day, so the command line, the dashboard and the PDF can never disagree.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from cohortdesk.core.schemas.report import CohortReport
from cohortdesk.core.services.dashboards.dashboard import cohort_dashboard


def cohort_report(
    session: Session,
    cohort_id: int,
    *,
    as_of: date | None = None,
    first: date | None = None,
    last: date | None = None,
) -> CohortReport:
    """The key figures and findings of a cohort over a period.

    Args:
        session: a read session.
        cohort_id: the cohort.
        as_of: the day to judge as of (today, or the cohort's end once it has ended).
        first: the first day counted (by default the first activity).
        last: the last day counted (by default the as-of day).

    Raises:
        NotFoundError: no such cohort.
        KnownError: the period is not in order.
    """
    board = cohort_dashboard(session, cohort_id, first, last, as_of)
    return CohortReport(
        cohort=board.cohort_name,
        as_of=board.as_of,
        first=board.start,
        last=board.end,
        figures=board.figures,
        findings=tuple(board.findings),
    )
