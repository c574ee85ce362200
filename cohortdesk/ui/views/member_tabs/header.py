"""The member panel's header: who, where on the staircase, key numbers; edit and remove."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout

from cohortdesk.core.enums import Role
from cohortdesk.core.errors import KnownError
from cohortdesk.core.schemas import MemberDetail, MemberInput
from cohortdesk.core.stages import stage
from cohortdesk.core.storage.server_errors import StaleEditError
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.views.member_dialog import MemberDialog
from cohortdesk.ui.views.member_tabs.base import MemberTab
from cohortdesk.ui.views.member_tabs.writer import MemberTarget, MemberWriter
from cohortdesk.ui.widgets import confirm
from cohortdesk.ui.widgets.flow_layout import FlowLayout
from cohortdesk.ui.widgets.labels import (
    ElidedLabel,
    StatLabel,
    heading_label,
    muted_label,
    set_muted,
)
from cohortdesk.ui.widgets.staircase import StaircaseWidget


def removal_question(detail: MemberDetail) -> str:
    """What removing this member deletes, naming them and their cohort."""
    row = detail.row
    return (
        f"Remove {row.name} from {detail.cohort_name}?\n\n"
        f"Their stage history, access problems, motivation check-ins, notes and "
        f"{fmt.plural(detail.events_total, 'activity event')} in this cohort are deleted. "
        "This cannot be undone."
    )


class MemberHeader(MemberTab):
    """Name, role, email, joined, expertise; the staircase; posts, replies, last active."""

    member_removed = Signal(int)
    """The member (membership id) was removed from the cohort."""

    def __init__(self, context: AppContext, writer: MemberWriter) -> None:
        super().__init__(context, writer)
        #: an edit refused because someone else saved first: offered again on their version
        self._reapply: tuple[int, MemberInput] | None = None
        #: the open details dialog, if any
        self.edit_dialog: MemberDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        who = QVBoxLayout()
        who.setSpacing(2)
        self.name_label = heading_label(scale=1.6)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta_label = muted_label()
        self.email_label = ElidedLabel()  # an address cannot wrap: it is elided instead
        set_muted(self.email_label)
        self.email_label.setOpenExternalLinks(True)
        self.email_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.expertise_label = muted_label()
        for label in (self.name_label, self.meta_label, self.email_label, self.expertise_label):
            who.addWidget(label)
        # The buttons wrap under one another in a narrow panel instead of widening the window.
        buttons = FlowLayout(spacing=6)
        buttons.setContentsMargins(0, 6, 0, 0)
        self.edit_button = QPushButton("Edit details…")
        self.edit_button.setToolTip("Change this member's name, email, role or expertise")
        self.edit_button.clicked.connect(self.edit_details)
        self.remove_button = QPushButton("Remove from cohort…")
        self.remove_button.setToolTip("Take this member out of the cohort (asks first)")
        self.remove_button.clicked.connect(self.remove_member)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.remove_button)
        # The member panel opens the capture dialog (Member › Capture highlight… too); a star,
        # so that the panel is no wider than before.
        self.highlight_button = QPushButton("★")
        self.highlight_button.setToolTip(
            "Capture a highlight: a success story or quote (Ctrl+Shift+H)"
        )
        self.highlight_button.setAccessibleName("Capture highlight")
        self.highlight_button.setFixedWidth(self.highlight_button.sizeHint().height() + 8)
        buttons.addWidget(self.highlight_button)
        who.addLayout(buttons)
        who.addStretch(1)
        top.addLayout(who, 1)
        stairs = QVBoxLayout()
        stairs.setSpacing(2)
        self.staircase = StaircaseWidget()
        self.stage_caption = muted_label()
        self.stage_caption.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.stage_caption.setMaximumWidth(self.staircase.sizeHint().width() + 40)
        stairs.addWidget(self.staircase, 0, Qt.AlignmentFlag.AlignRight)
        stairs.addWidget(self.stage_caption)
        top.addLayout(stairs)
        layout.addLayout(top)

        numbers = FlowLayout(spacing=24)
        self.posts = StatLabel("Posts")
        self.replies = StatLabel("Replies")
        self.peer_replies = StatLabel("Peer replies")
        self.last_active = StatLabel("Last active")
        stats = (self.posts, self.replies, self.peer_replies, self.last_active)
        for stat in stats:
            numbers.addWidget(stat)
        layout.addLayout(numbers)

    def show_detail(self, detail: MemberDetail) -> None:
        super().show_detail(detail)
        self._show_numbers(detail)
        edit, self._reapply = self._reapply, None
        if edit is not None and edit[0] == detail.row.membership_id:
            # someone else saved first: their version is on screen now, the edit on top of it
            self._open_dialog(detail, edit[1], "Re-apply your edit to")

    def _show_numbers(self, detail: MemberDetail) -> None:
        row = detail.row
        self.name_label.setText(row.name)
        self.meta_label.setText(
            f"{fmt.ROLE_LABELS[row.role]} · joined {fmt.short_date(detail.joined_on)}"
        )
        self.email_label.set_full_text(row.email, f"mailto:{row.email}" if row.email else "")
        self.email_label.setVisible(bool(row.email))
        self.expertise_label.setText(
            f"Expertise: {detail.expertise}" if detail.expertise else "No expertise recorded"
        )
        self.staircase.set_stage(row.stage)
        self.stage_caption.setText(f"Stage {stage(row.stage).label}")
        self.posts.set_value(
            str(row.posts),
            f"{fmt.plural(row.threads, 'thread')} started, "
            f"{fmt.plural(row.replies, 'reply', 'replies')}",
        )
        self.replies.set_value(str(row.replies), "Replies to anyone, facilitators included")
        if row.role is Role.LEARNER:
            self.peer_replies.set_value(
                str(row.peer_replies),
                "Replies to other learners: the sign of information exchange",
            )
        else:
            self.peer_replies.set_value(
                "—", "Peer replies are a learner's replies to other learners"
            )
        self.last_active.set_value(
            fmt.relative_day(row.last_active, self.context.as_of.shown_day()),
            "" if row.last_active is None else fmt.short_date(row.last_active),
        )

    @Slot()
    def edit_details(self) -> MemberDialog | None:
        """Open the member dialog with the current details; on OK they are saved."""
        target, detail = self.target(), self.detail
        if target is None or detail is None:
            return None
        row = detail.row
        initial = MemberInput(
            full_name=row.name, email=row.email, role=row.role, expertise=detail.expertise
        )
        return self._open_dialog(detail, initial, "Edit")

    def _open_dialog(self, detail: MemberDetail, initial: MemberInput, verb: str) -> MemberDialog:
        return self._dialog(MemberTarget.of(detail), detail.versions, initial, verb)

    def _dialog(
        self, target: MemberTarget, seen: tuple[int, int], initial: MemberInput, verb: str
    ) -> MemberDialog:
        dialog = MemberDialog(self, f"{verb} {target.name}", initial)
        dialog.accepted.connect(lambda: self._save(target, dialog.value(), seen))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.edit_dialog = dialog
        return dialog

    def _save(self, target: MemberTarget, data: MemberInput, seen: tuple[int, int]) -> None:
        from cohortdesk.core.services.people import members

        def keep_edit(exc: KnownError) -> None:
            if isinstance(exc, StaleEditError):
                self._reapply = (target.membership_id, data)  # offered on their version
            else:  # the server is away: the same edit, to save again once it is back
                self._dialog(target, seen, data, "Save again:")

        self.writer.write(
            "Edit details",
            target,
            lambda s: members.update_member(s, target.membership_id, data, seen),
            f"Saved the details of {data.full_name}",
            keep_edit=keep_edit,
        )

    @Slot()
    def remove_member(self) -> None:
        """Ask, then take the member out of the cohort with everything recorded there."""
        from cohortdesk.core.services.people import members

        target, detail = self.target(), self.detail
        if target is None or detail is None:
            return
        if not confirm.confirm(self, "Remove from cohort", removal_question(detail), "Remove"):
            return
        self.writer.write(
            "Remove from cohort",
            target,
            lambda s: members.remove_member(s, target.membership_id),
            f"Removed {target.name} from {target.cohort_name}",
            on_done=lambda _none: self.member_removed.emit(target.membership_id),
        )
