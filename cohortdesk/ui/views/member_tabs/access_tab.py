"""The Access tab: has the member got in, and the problems that stopped them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout

from cohortdesk.core.enums import AccessStatus
from cohortdesk.core.schemas import MemberDetail
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.models.access_issues_model import (
    COL_NOTE,
    COL_OPENED,
    COL_RESOLUTION,
    COL_RESOLVED,
    AccessIssuesModel,
)
from cohortdesk.ui.views.member_tabs.base import MemberTab
from cohortdesk.ui.views.member_tabs.writer import MemberTarget, MemberWriter
from cohortdesk.ui.views.text_prompt_dialog import TextPromptDialog
from cohortdesk.ui.widgets.flow_layout import FlowLayout
from cohortdesk.ui.widgets.labels import heading_label, muted_label
from cohortdesk.ui.widgets.tables import make_table, select_id, selected_id

EXPLANATIONS = {
    AccessStatus.NOT_YET: "Has not got into the cohort's space yet. Welcome them, and check "
    "they can log in and know what is expected.",
    AccessStatus.ACCESSED: "Has got into the cohort's space.",
    AccessStatus.PROBLEM: "Cannot get in. Follow the open problem up, and resolve it once sorted.",
}


class AccessTab(MemberTab):
    """Access status with its buttons, and the table of access problems with "Resolve…"."""

    def __init__(self, context: AppContext, writer: MemberWriter) -> None:
        super().__init__(context, writer)
        layout = QVBoxLayout(self)
        self.status_label = heading_label(scale=1.15)
        self.status_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.status_label)
        self.explanation_label = muted_label()
        layout.addWidget(self.explanation_label)
        buttons = FlowLayout()  # wraps in a narrow panel
        self.accessed_button = QPushButton("Mark accessed")
        self.accessed_button.setToolTip("They got in; any open problem is resolved")
        self.accessed_button.clicked.connect(lambda: self.set_access(AccessStatus.ACCESSED))
        self.not_yet_button = QPushButton("Mark not yet")
        self.not_yet_button.setToolTip("They have not got in yet; any open problem is closed")
        self.not_yet_button.clicked.connect(lambda: self.set_access(AccessStatus.NOT_YET))
        self.report_button = QPushButton("Report a problem…")
        self.report_button.setToolTip(
            "Record an access problem this member has (it puts them on Today)"
        )
        self.report_button.clicked.connect(self.report_problem)
        for button in (self.accessed_button, self.not_yet_button, self.report_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)

        layout.addSpacing(4)
        layout.addWidget(heading_label("Access problems"))
        self.issues_model = AccessIssuesModel(self)
        self.issues_view = make_table(
            self.issues_model,
            (COL_NOTE, COL_RESOLUTION),
            fitted=(COL_OPENED, COL_RESOLVED),
            wrap=True,
            empty_text="No access problems recorded.",
        )
        layout.addWidget(self.issues_view, 1)
        self.issues_view.selectionModel().selectionChanged.connect(self._update_resolve)
        resolve_row = QHBoxLayout()
        resolve_row.addStretch(1)
        self.resolve_button = QPushButton("Resolve…")
        self.resolve_button.setToolTip("Mark the selected access problem solved, with how")
        self.resolve_button.clicked.connect(self.resolve_selected)
        resolve_row.addWidget(self.resolve_button)
        layout.addLayout(resolve_row)
        self._update_resolve()

    def show_detail(self, detail: MemberDetail) -> None:
        super().show_detail(detail)
        access = detail.row.access
        colour = fmt.ACCESS_COLOURS[access].name()
        self.status_label.setText(
            f'<span style="color:{colour}">●</span> {fmt.ACCESS_LABELS[access]}'
        )
        explanation = EXPLANATIONS[access]
        if access is AccessStatus.PROBLEM:
            explanation = f"{fmt.plural(detail.row.open_access_issues, 'open problem')}. " + (
                explanation.removeprefix("Cannot get in. ")
            )
        self.explanation_label.setText(explanation)
        self.accessed_button.setEnabled(access is not AccessStatus.ACCESSED)
        self.not_yet_button.setEnabled(access is not AccessStatus.NOT_YET)
        kept = selected_id(self.issues_view)
        self.issues_model.set_rows(detail.access_issues, detail.timezone)
        select_id(self.issues_view, kept)
        self._update_resolve()

    def selected_issue_id(self) -> int | None:
        return selected_id(self.issues_view)

    @Slot()
    def _update_resolve(self) -> None:
        row = self.issues_model.row_of_id(self.selected_issue_id() or -1)
        is_open = row is not None and self.issues_model.row_at(row).is_open
        self.resolve_button.setEnabled(is_open)

    def set_access(self, status: AccessStatus) -> None:
        from cohortdesk.core.services.people import tracking

        target = self.target()
        if target is None:
            return
        label = "as accessed" if status is AccessStatus.ACCESSED else "as not accessed yet"
        self.writer.write(
            "Set access",
            target,
            lambda s: tracking.set_access(s, target.membership_id, status),
            f"Marked {target.name} {label}",
        )

    @Slot()
    def report_problem(self) -> TextPromptDialog | None:
        """Ask what is wrong, then open an access issue with that note."""
        target = self.target()
        if target is None:
            return None
        dialog = TextPromptDialog(
            self,
            f"Access problem: {target.name}",
            f"What stops {target.name} from getting in? The note stays with the problem "
            "until it is resolved.",
            "Report problem",
            placeholder="e.g. Password reset email never arrived",
        )
        dialog.accepted.connect(lambda: self._open_issue(target, dialog.text()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _open_issue(self, target: MemberTarget, note: str) -> None:
        from cohortdesk.core.services.people import tracking

        self.writer.write(
            "Report an access problem",
            target,
            lambda s: tracking.open_access_issue(s, target.membership_id, note),
            f"Recorded an access problem for {target.name}",
        )

    @Slot()
    def resolve_selected(self) -> TextPromptDialog | None:
        """Ask how the selected open problem was sorted, then resolve it."""
        target, issue_id = self.target(), self.selected_issue_id()
        if target is None or issue_id is None:
            return None
        dialog = TextPromptDialog(
            self,
            f"Resolve access problem: {target.name}",
            "How was it sorted? (optional)",
            "Resolve",
            required=False,
            placeholder="e.g. Reset the password by phone",
        )
        dialog.accepted.connect(lambda: self._resolve(target, issue_id, dialog.text()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _resolve(self, target: MemberTarget, issue_id: int, resolution: str) -> None:
        from cohortdesk.core.services.people import tracking

        self.writer.write(
            "Resolve an access problem",
            target,
            lambda s: tracking.resolve_access_issue(s, issue_id, resolution),
            f"Resolved an access problem of {target.name}",
        )
