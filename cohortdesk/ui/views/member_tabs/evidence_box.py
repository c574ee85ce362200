"""What a learner's activity shows, stage by stage, for the Stage tab (`member_evidence`).

The member panel reads the evidence with the member (`extras.load_member`) and hands it here.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from cohortdesk.core.schemas import MemberEvidence
from cohortdesk.core.stages import stage
from cohortdesk.ui.widgets.labels import heading_label

MET, WAITING, NOT_MET = "✓", "◐", "○"
MET_COLOUR, NOT_MET_COLOUR = "#2e9d5b", "#80868b"
WAITING_NOTE = "counts once the stages below are complete"


def evidence_html(found: MemberEvidence) -> str:
    """The evidence as lines grouped by stage: met rules ticked, open ones in grey.

    A rule above the evidence stage is never ticked: one whose number is there but whose
    stage (or a stage below) is not complete gets a half mark and says so.
    """
    reached = escape(stage(found.evidence_stage).label)
    if found.evidence_stage > found.current_stage:
        verdict = (
            f"Their activity shows evidence of stage <b>{reached}</b>, above their stage "
            f"{found.current_stage}: see the suggestion on Today."
        )
    else:
        verdict = f"Their activity shows evidence up to stage <b>{reached}</b>."
    rows = []
    for line in found.lines:
        detail = escape(line.detail)
        if line.met:
            mark, colour = MET, MET_COLOUR
        elif line.reached:
            mark, colour = WAITING, NOT_MET_COLOUR
            detail += f" <span style='color:{NOT_MET_COLOUR}'>({WAITING_NOTE})</span>"
        else:
            mark, colour = NOT_MET, NOT_MET_COLOUR
        rows.append(
            f"<tr><td style='color:{colour}'>{mark}&nbsp;</td>"
            f"<td style='color:{stage(line.stage).colour}'>■&nbsp;</td>"
            f"<td>{line.stage}&nbsp;</td><td>{detail}</td></tr>"
        )
    return f"<p>{verdict}</p><table cellspacing='0' cellpadding='1'>{''.join(rows)}</table>"


class EvidenceBox(QWidget):
    """The Stage tab's evidence section; hidden for staff, who have no stage evidence."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = heading_label("Evidence from their activity")
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setFrameShape(QFrame.Shape.StyledPanel)
        self.text.setMargin(8)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.text)

    def show_evidence(self, found: MemberEvidence | None) -> None:
        """Show a learner's evidence; None (staff) hides the box."""
        self.setVisible(found is not None)
        self.text.setText(evidence_html(found) if found is not None else "")
