"""The mentor view's right-hand side: one mentee's reasons, news, goals and sessions."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from cohortdesk.core.enums import AccessStatus
from cohortdesk.core.schemas.mentoring import MenteeOverview, MentorOverview
from cohortdesk.ui import format as fmt
from cohortdesk.ui.models.sessions_model import COL_GOALS, COL_NOTES, SessionsModel
from cohortdesk.ui.widgets.labels import heading_label, muted_label
from cohortdesk.ui.widgets.tables import make_table, select_id, selected_id

NO_MENTEES = "No mentees yet. The facilitator assigns them with Cohort › Mentoring…"
PICK_MENTEE = "Select a mentee to see their progress and your notes."
NO_SESSIONS = "No sessions yet: New session… records one."
ACCESS_WORDS = {
    AccessStatus.ACCESSED: "has access",
    AccessStatus.NOT_YET: "not logged in yet",
    AccessStatus.PROBLEM: "access problem",
}


def _bullets(lines: list[str]) -> str:
    if not lines:
        return ""
    return (
        "<ul style='margin:0 0 0 -24px'>"
        + "".join(f"<li>{escape(line)}</li>" for line in lines)
        + "</ul>"
    )


def _rich_label() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    return label


class MenteeDetail(QWidget):
    """The selected mentee: reasons, changes, goals, and the mentor's sessions."""

    def __init__(self) -> None:
        super().__init__()
        self.name_label = heading_label(scale=1.35)
        self.facts_label = muted_label()
        self.reasons_title = heading_label("Needs attention")
        self.reasons_label = _rich_label()
        self.changes_title = heading_label("Since your last review")
        self.changes_label = _rich_label()
        self.goals_title = heading_label("Goals and next steps")
        self.goals_label = _rich_label()
        self.sessions_title = heading_label("Your sessions")
        self.sessions_model = SessionsModel(self)
        self.sessions_view = make_table(
            self.sessions_model, (COL_NOTES, COL_GOALS), fitted=(0, 1), empty_text=NO_SESSIONS
        )
        self.sessions_view.setMinimumHeight(150)
        self.new_button = QPushButton("&New session…")
        self.new_button.setToolTip("Write down a mentoring session with this mentee")
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.setToolTip("Edit the selected session")
        self.delete_button = QPushButton("De&lete…")
        self.delete_button.setToolTip("Delete the selected session (asks first)")
        buttons = QHBoxLayout()
        buttons.addWidget(self.sessions_title, 1)
        for button in (self.new_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)

        body = QWidget()
        inner = QVBoxLayout(body)
        inner.setContentsMargins(0, 0, 6, 0)
        inner.setSpacing(6)
        for widget in (
            self.name_label,
            self.facts_label,
            self.reasons_title,
            self.reasons_label,
            self.changes_title,
            self.changes_label,
            self.goals_title,
            self.goals_label,
        ):
            inner.addWidget(widget)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.addWidget(scroll, 3)
        layout.addLayout(buttons)
        layout.addWidget(self.sessions_view, 2)

    def show_mentee(self, mentee: MenteeOverview | None, view: MentorOverview) -> None:
        if mentee is None:
            self.name_label.setText("")
            self.facts_label.setText(PICK_MENTEE if view.mentees else NO_MENTEES)
            for label in (self.reasons_label, self.changes_label, self.goals_label):
                label.setText("")
            for title in (self.reasons_title, self.changes_title, self.goals_title):
                title.hide()
            self.sessions_model.set_rows(())
            return
        for title in (self.reasons_title, self.changes_title, self.goals_title):
            title.show()
        group = f"  ·  group {mentee.group_name}" if mentee.group_name else ""
        self.name_label.setText(mentee.name + group)
        since = fmt.local_date(mentee.stage_since, view.timezone)
        last = fmt.relative_day(mentee.last_active, view.as_of)
        self.facts_label.setText(
            f"Stage {fmt.stage_label(mentee.stage)} since {fmt.short_date(since)}  ·  "
            f"{ACCESS_WORDS[mentee.access]}  ·  motivation "
            f"{fmt.motivation_text(mentee.motivation, mentee.motivation_change)}  ·  "
            f"{mentee.recent_events} events and {mentee.recent_posts} posts in the last "
            f"{view.recent_days} days, last active {last}  ·  {mentee.peer_replies} peer replies"
        )
        reasons = [r.detail for r in mentee.reasons if r.weight > 0]
        self.reasons_label.setText(_bullets(reasons) or "Nothing to worry about.")
        if view.since is None:
            changes = "You have not marked a review yet: Mark as reviewed starts counting."
        else:
            changes = _bullets([c.text for c in mentee.changes]) or "Nothing new."
        self.changes_label.setText(changes)
        goals = []
        if mentee.goals:
            goals.append(f"Goals: {mentee.goals}")
        if mentee.next_steps:
            goals.append(f"Next steps: {mentee.next_steps}")
        self.goals_label.setText(_bullets(goals) or "None written yet.")
        kept = selected_id(self.sessions_view)
        self.sessions_model.set_rows(mentee.sessions, view.timezone)
        select_id(self.sessions_view, kept)
