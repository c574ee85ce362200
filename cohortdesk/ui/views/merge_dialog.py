"""Merge two records of one person: choose the two and the one to keep, confirm, merge."""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from cohortdesk.core.errors import KnownError
from cohortdesk.core.name_order import name_key
from cohortdesk.core.schemas import CohortRow, MemberRow
from cohortdesk.core.stages import stage
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.tasks import Task, pass_on_failure
from cohortdesk.ui.widgets import confirm
from cohortdesk.ui.widgets.dialog_parts import explain_buttons
from cohortdesk.ui.widgets.labels import error_label, heading_label, muted_label, show_error

if TYPE_CHECKING:
    from cohortdesk.core.services.people.people import MergeResult, PersonFacts

INTRO = (
    "For one person who is in the roster twice, say typed in by hand and again from an import. "
    "Everything recorded about the record you merge (activity, platform ids, notes, check-ins, "
    "access issues and stage history, in every cohort) moves to the record you keep; the "
    "merged record is then deleted."
)
CARD_STYLE = "QFrame#personCard { border: 1px solid palette(mid); border-radius: 6px; }"


def merge_question(keep: MemberRow, merge: MemberRow, facts: PersonFacts | None) -> str:
    """The confirmation: who goes into whom, with what."""
    moved = fmt.plural(facts.events if facts else merge.events, "activity event")
    text = (
        f"Merge “{merge.name}” into “{keep.name}”?\n\n"
        f"{merge.name}'s {moved}, platform ids, notes, check-ins, access issues and stage "
        f"history move to {keep.name}, who keeps the higher stage of the two."
    )
    if facts and len(facts.cohorts) > 1:
        text += f" This applies in all {len(facts.cohorts)} cohorts {merge.name} is in."
    return text + f"\n\nThe record “{merge.name}” is then deleted. This cannot be undone."


def facts_text(row: MemberRow, facts: PersonFacts | None) -> str:
    """The lines of a card under the name: email, where they are, what is recorded."""
    lines = [
        row.email or "no email",
        f"{fmt.ROLE_LABELS[row.role]}, stage {row.stage} ({stage(row.stage).short}), "
        f"access: {fmt.ACCESS_LABELS[row.access].lower()}",
        f"{fmt.plural(row.events, 'event')} here · {fmt.plural(row.posts, 'post')}",
    ]
    if facts is None:
        lines.append("…")
        return "\n".join(lines)
    if len(facts.cohorts) > 1:
        lines.append(f"In {len(facts.cohorts)} cohorts: {', '.join(facts.cohorts)}")
    lines.append(
        "Known as " + ", ".join(facts.identities) if facts.identities else "No platform ids"
    )
    kept = fmt.plural(facts.records, "other record")
    lines.append(f"{kept}: notes, check-ins, stage entries and the like")
    return "\n".join(lines)


class _PersonCard(QFrame):
    """One of the two records: which member, the facts, and "Keep this record"."""

    changed = Signal()

    def __init__(self, caption: str, keep_text: str, rows: tuple[MemberRow, ...]) -> None:
        super().__init__()
        self.setObjectName("personCard")
        self.setStyleSheet(CARD_STYLE)
        self.combo = QComboBox()
        self.combo.setAccessibleName(caption.replace("&", "").rstrip(":"))
        self.combo.addItem("Choose a member…", None)
        for row in rows:
            text = f"{row.name} <{row.email}>" if row.email else row.name
            self.combo.addItem(text, row.membership_id)
        self._rows = {row.membership_id: row for row in rows}
        self.keep = QRadioButton(keep_text)
        self.keep.setToolTip("Keep this record: the other one is merged into it")
        self.name = heading_label(scale=1.15)
        self.details = muted_label()
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label = QLabel(caption)
        label.setBuddy(self.combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        layout.addSpacing(4)
        layout.addWidget(self.name)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.keep, 0, Qt.AlignmentFlag.AlignLeft)
        self.combo.currentIndexChanged.connect(self.changed)

    def row(self) -> MemberRow | None:
        membership_id = self.combo.currentData()
        return None if membership_id is None else self._rows.get(membership_id)

    def choose(self, membership_id: int | None) -> None:
        self.combo.setCurrentIndex(max(0, self.combo.findData(membership_id)))

    def show_facts(self, facts: PersonFacts | None) -> None:
        row = self.row()
        self.name.setText(row.name if row else "")
        self.details.setText(facts_text(row, facts) if row else "")


class MergeDialog(QDialog):
    """Choose two members of the cohort and the one to keep; Merge asks, then merges.

    Args:
        context: the open database's services.
        cohort: the cohort whose roster the two come from.
        rows: the cohort's roster.
        selected: the members selected in the roster (the first two are preselected).
        parent: the main window.
    """

    people_merged = Signal(object, int)
    """The merge committed: the `MergeResult` and the kept member's membership id here."""

    def __init__(
        self,
        context: AppContext,
        cohort: CohortRow,
        rows: tuple[MemberRow, ...],
        selected: list[MemberRow],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.cohort = cohort
        self._facts: dict[int, PersonFacts] = {}
        self._busy = False
        self.setWindowTitle("Merge people")
        self.setMinimumWidth(700)
        ordered = tuple(sorted(rows, key=lambda r: name_key(r.name)))
        self.first = _PersonCard("&First record:", "&Keep this record", ordered)
        self.second = _PersonCard("&Second record:", "K&eep this record", ordered)
        self.keep_group = QButtonGroup(self)
        self.keep_group.addButton(self.first.keep, 0)
        self.keep_group.addButton(self.second.keep, 1)
        self.first.keep.setChecked(True)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button: QPushButton = self.buttons.addButton(
            "&Merge…", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.merge_button.setDefault(True)
        explain_buttons(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        cards = QHBoxLayout()
        cards.setSpacing(12)
        cards.addWidget(self.first, 1)
        cards.addWidget(self.second, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(heading_label("Merge two records of one person", scale=1.3))
        layout.addWidget(muted_label(INTRO))
        layout.addLayout(cards)
        layout.addWidget(self.outcome)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        if selected:
            self.first.choose(selected[0].membership_id)
        if len(selected) > 1:
            self.second.choose(selected[1].membership_id)
        for card in (self.first, self.second):
            card.changed.connect(self._cards_changed)
        self.keep_group.idToggled.connect(self._update)
        self._cards_changed()
        (self.second if len(selected) == 1 else self.first).combo.setFocus()

    # ---- choosing ----

    def chosen(self) -> tuple[MemberRow, MemberRow] | None:
        """(kept, merged) once two different members are chosen."""
        one, two = self.first.row(), self.second.row()
        if one is None or two is None or one.person_id == two.person_id:
            return None
        return (one, two) if self.keep_group.checkedId() == 0 else (two, one)

    @Slot()
    def _cards_changed(self) -> None:
        for card in (self.first, self.second):
            row = card.row()
            card.show_facts(self._facts.get(row.person_id) if row else None)
            if row is not None and row.person_id not in self._facts:
                self._load_facts(row.person_id)
        self._update()

    def _load_facts(self, person_id: int) -> None:
        from cohortdesk.core.services.people import people

        def arrived(facts: PersonFacts) -> None:
            if not shiboken6.isValid(self):
                return  # closed meanwhile
            self._facts[person_id] = facts
            for card in (self.first, self.second):
                row = card.row()
                if row is not None and row.person_id == person_id:
                    card.show_facts(facts)

        self.context.runner.read(
            "Reading what is recorded about a person",
            lambda session: people.person_facts(session, person_id),
            arrived,
            lambda _exc: None,  # gone meanwhile: the merge itself will say so
        )

    @Slot()
    def _update(self) -> None:
        pair = self.chosen()
        one, two = self.first.row(), self.second.row()
        if pair is not None:
            keep, merge = pair
            self.outcome.setText(f"{keep.name} is kept; {merge.name} is merged into them.")
        elif one is not None and two is not None:
            self.outcome.setText("Choose two different members.")
        else:
            self.outcome.setText("Choose the two records of the same person.")
        self.merge_button.setEnabled(pair is not None and not self._busy)

    # ---- merging ----

    def accept(self) -> None:
        """Ask, then merge in the background; the dialog closes once it is done."""
        from cohortdesk.core.services.people import people

        pair = self.chosen()
        if pair is None or self._busy:
            return
        keep, merge = pair
        question = merge_question(keep, merge, self._facts.get(merge.person_id))
        if not confirm.confirm(self, "Merge people", question, "Merge"):
            return
        self._busy = True
        self._update()
        show_error(self.error_label, "")
        task: list[Task] = []
        task.append(
            self.context.runner.write(
                f"Merging {merge.name} into {keep.name}",
                lambda session: people.merge_people(session, keep.person_id, merge.person_id),
                lambda result: self._merged(result, keep.membership_id),
                lambda exc: self._failed(task[0], exc),
            )
        )

    def _merged(self, result: MergeResult, kept_membership_id: int) -> None:
        self._busy = False
        self.people_merged.emit(result, kept_membership_id)
        super().accept()

    def _failed(self, task: Task, exc: BaseException) -> None:
        self._busy = False
        if isinstance(exc, KnownError):
            show_error(self.error_label, f"Cannot merge: {exc}")
        else:
            show_error(self.error_label, "Something went wrong (a bug): nothing was merged.")
            pass_on_failure(self.context.runner, task, exc)
        self._update()
