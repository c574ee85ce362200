"""Today's stage suggestions: who shows evidence of a next stage, accepted or dismissed in bulk.

Members whose activity shows evidence of a next stage, one line each (the evidence in full
in the tooltip). Select one or many (Shift/Ctrl-click, Ctrl+A) or every suggestion of one
move ("All 1 → 2"), then Accept (each move recorded with its evidence) or Dismiss (not
suggested again until new evidence). Several at once are all or none, after a question.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from cohortdesk.core.errors import ConflictError, KnownError
from cohortdesk.core.schemas import StageSuggestion
from cohortdesk.core.stages import stage
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.models.suggestions_model import (
    COL_EVIDENCE,
    COL_MOVE,
    COL_NAME,
    SuggestionsModel,
)
from cohortdesk.ui.tasks import Task, pass_on_failure
from cohortdesk.ui.widgets import confirm
from cohortdesk.ui.widgets.labels import heading_label, muted_label
from cohortdesk.ui.widgets.tables import make_table

NO_SUGGESTIONS_TEXT = "No stage suggestions: nobody shows evidence of a next stage right now."
PICK_TEXT = "Select a move…"


def move_text(from_stage: int, to_stage: int) -> str:
    """`1 → 2 · Online socialisation`."""
    return f"{from_stage} → {stage(to_stage).label}"


class SuggestionsPane(QWidget):
    """The stage suggestions of one cohort on one day.

    Args:
        context: the open database's services (writes go through its runner).
        parent: the Today screen.
    """

    member_selected = Signal(object)
    """The one suggestion selected (its membership id): the member panel follows it."""
    selection_changed = Signal()
    status_message = Signal(str)
    reload_requested = Signal()
    """A write met a change made meanwhile: read the suggestions again."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.heading = heading_label("Stage suggestions")
        self.heading.setWordWrap(True)  # never what sets the window's width
        self.hint = muted_label(
            "Evidence from their activity; nobody moves until you accept. Dismissed "
            "suggestions come back only with new evidence."
        )
        self.model = SuggestionsModel(self)
        self.table = make_table(
            self.model,
            (COL_EVIDENCE,),
            fitted=(COL_NAME, COL_MOVE),
            empty_text=NO_SUGGESTIONS_TEXT,
        )
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAccessibleName("Stage suggestions")
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.move_choice = QComboBox()
        self.move_choice.setAccessibleName("Select every suggestion of one move")
        self.move_choice.setToolTip("Select every suggestion of one move, to accept or dismiss")
        self.move_choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.move_choice.setMinimumContentsLength(14)
        self.move_choice.activated.connect(self._move_chosen)
        self.accept_button = QPushButton("&Accept")
        self.accept_button.setToolTip("Move them up a stage, recording this evidence")
        self.accept_button.clicked.connect(self.accept_selected)
        self.dismiss_button = QPushButton("&Dismiss")
        self.dismiss_button.setToolTip("Not now: suggested again only when new evidence appears")
        self.dismiss_button.clicked.connect(self.dismiss_selected)

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.move_choice)
        top.addWidget(self.accept_button)
        top.addWidget(self.dismiss_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        self._update_buttons()

    # -- showing -------------------------------------------------------------------------

    def set_suggestions(self, suggestions: list[StageSuggestion]) -> None:
        """Show these suggestions, keeping the selected ones that are still suggested."""
        kept = {s.membership_id for s in self.selected()}
        self.model.set_suggestions(suggestions)
        self._select(lambda s: s.membership_id in kept)
        n = len(suggestions)
        if n:
            who = fmt.plural(n, "member shows", "members show")
            self.heading.setText(f"Stage suggestions: {who} evidence of a next stage")
        else:
            self.heading.setText("Stage suggestions")
        self.move_choice.clear()
        self.move_choice.addItem(PICK_TEXT, None)
        moves = Counter((s.from_stage, s.to_stage) for s in suggestions)
        for (start, end), count in sorted(moves.items()):
            self.move_choice.addItem(f"All {move_text(start, end)} ({count})", (start, end))
        self.move_choice.setEnabled(bool(moves))
        self._update_buttons()

    def selected(self) -> list[StageSuggestion]:
        """The selected suggestions, in the list's order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.suggestion_at(row) for row in rows]

    def select_move(self, from_stage: int, to_stage: int) -> int:
        """Select every suggestion of one move; how many."""
        self._select(lambda s: (s.from_stage, s.to_stage) == (from_stage, to_stage))
        return len(self.selected())

    def select_member(self, membership_id: int) -> None:
        self._select(lambda s: s.membership_id == membership_id)

    def _select(self, wanted: Callable[[StageSuggestion], bool]) -> None:
        chosen = QItemSelection()
        last = self.model.columnCount() - 1
        for row, suggestion in enumerate(self.model.suggestions()):
            if wanted(suggestion):
                chosen.select(self.model.index(row, 0), self.model.index(row, last))
        selection = self.table.selectionModel()
        selection.select(chosen, selection.SelectionFlag.ClearAndSelect)
        if not chosen.isEmpty():
            first = chosen.indexes()[0]
            selection.setCurrentIndex(first, selection.SelectionFlag.NoUpdate)
            self.table.scrollTo(first)

    @Slot(int)
    def _move_chosen(self, position: int) -> None:
        move = self.move_choice.itemData(position)
        if move is not None:
            self.select_move(*move)
        self.move_choice.setCurrentIndex(0)

    @Slot(QItemSelection, QItemSelection)
    def _selection_changed(self, *_args: object) -> None:
        chosen = self.selected()
        if len(chosen) == 1:
            self.member_selected.emit(chosen[0].membership_id)
        self._update_buttons()
        self.selection_changed.emit()

    def _update_buttons(self) -> None:
        n = len(self.selected())
        self.accept_button.setEnabled(n > 0)
        self.dismiss_button.setEnabled(n > 0)
        self.accept_button.setText(f"&Accept {n}" if n > 1 else "&Accept")
        self.dismiss_button.setText(f"&Dismiss {n}" if n > 1 else "&Dismiss")
        for button in (self.accept_button, self.dismiss_button):
            button.setAccessibleName(button.text().replace("&", ""))

    # -- writing -------------------------------------------------------------------------

    @Slot()
    def accept_selected(self) -> Task | None:
        """Move the selected members up as suggested, recording the evidence."""
        from cohortdesk.core.services.attention import evidence

        chosen = self.selected()
        if not chosen or not self._sure(chosen, "Accept", "move up a stage as suggested"):
            return None
        if len(chosen) == 1:
            one = chosen[0]
            to = stage(one.to_stage).label
            return self._write(
                f"Accepting the suggestion for {one.name}",
                lambda session: evidence.accept_suggestion(session, one),
                f"Moved {one.name} to stage {to} (suggestion accepted, evidence recorded)",
            )
        return self._write(
            f"Accepting {len(chosen)} suggestions",
            lambda session: evidence.accept_suggestions(session, chosen),
            f"Moved {fmt.plural(len(chosen), 'member')} up as suggested (evidence recorded)",
        )

    @Slot()
    def dismiss_selected(self) -> Task | None:
        """Turn the selected suggestions down until new evidence appears."""
        from cohortdesk.core.services.attention import evidence

        chosen = self.selected()
        if not chosen or not self._sure(chosen, "Dismiss", "not suggest again until new evidence"):
            return None
        if len(chosen) == 1:
            one = chosen[0]
            return self._write(
                f"Dismissing the suggestion for {one.name}",
                lambda session: evidence.dismiss_suggestion(session, one),
                f"Dismissed the suggestion for {one.name}: it comes back only with new evidence",
            )
        return self._write(
            f"Dismissing {len(chosen)} suggestions",
            lambda session: evidence.dismiss_suggestions(session, chosen),
            f"Dismissed {len(chosen)} suggestions: each comes back only with new evidence",
        )

    def _sure(self, chosen: list[StageSuggestion], verb: str, what: str) -> bool:
        if len(chosen) == 1:
            return True
        moves = Counter(move_text(s.from_stage, s.to_stage) for s in chosen)
        listed = "\n".join(f"  {move}: {n}" for move, n in sorted(moves.items()))
        return confirm.confirm(
            self,
            f"{verb} {len(chosen)} suggestions",
            f"{verb} the suggestions for {fmt.plural(len(chosen), 'member')} ({what})?\n\n{listed}",
            f"{verb} {len(chosen)}",
        )

    def _write(self, description: str, change: Callable[[Session], Any], message: str) -> Task:
        self.accept_button.setEnabled(False)
        self.dismiss_button.setEnabled(False)
        started: list[Task] = []

        def done(_result: object) -> None:
            self.status_message.emit(message)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, KnownError):
                kind = "Changed meanwhile" if isinstance(exc, ConflictError) else "Cannot do that"
                self.status_message.emit(f"{kind}: {exc}")
                self.reload_requested.emit()
            else:
                pass_on_failure(self.context.runner, started[0], exc)

        started.append(self.context.runner.write(description, change, done, failed))
        return started[0]

    def clear_selection(self) -> None:
        self.table.clearSelection()
