"""Today: who needs the facilitator now, most urgent first, and who is ready for a next stage.

The home screen of a cohort. Each learner on the attention list is one line: the reasons as
short chips (the details in the tooltip, and under the list for the selected learner); a
nudge is two clicks away (select and Nudge…, a double-click, or the row's own Nudge…
button). A large cohort is handled a group at a time (`today_groups.py`: show one main
reason, nudge them all). Below, the stage suggestions (`today_suggestions.py`), accepted or
dismissed one at a time or in bulk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from cohortdesk.core.rendering import day_label
from cohortdesk.core.schemas import AttentionGroup, AttentionItem, CohortRow, StageSuggestion
from cohortdesk.core.schemas.attention import WEIGHTS
from cohortdesk.ui import format as fmt
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.message_labels import priority_legend
from cohortdesk.ui.models.attention_model import (
    COL_ACTION,
    COL_NAME,
    COL_NUDGED,
    COL_PRIORITY,
    COL_REASONS,
    COL_STAGE,
    ITEM_ROLE,
    REASON_CHIPS_ROLE,
    RECENT_ROLE,
    AttentionModel,
)
from cohortdesk.ui.models.row_table_model import ID_ROLE
from cohortdesk.ui.tasks import Task
from cohortdesk.ui.views.today_groups import GroupsBar
from cohortdesk.ui.views.today_suggestions import SuggestionsPane
from cohortdesk.ui.widgets.empty_cohort import EmptyCohortGuide
from cohortdesk.ui.widgets.labels import LinesLabel, heading_label, muted_label, set_muted
from cohortdesk.ui.widgets.row_delegates import BadgeDelegate, ButtonDelegate, ChipsDelegate
from cohortdesk.ui.widgets.tables import make_table

if TYPE_CHECKING:
    from cohortdesk.core.services.people.cohorts import CohortSize

NOBODY_TEXT = (
    "Nobody needs you today: every learner has access, nobody has gone quiet or lost "
    "motivation, and every nudge has been answered.\n\nEnjoy the calm, or look through the "
    "Roster for people to thank or connect."
)
HINT_TEXT = (
    "Most urgent first; point at the reasons for details. Select and press Nudge… (or "
    "double-click), or show a group and nudge it all."
)


@dataclass(frozen=True)
class TodayData:
    """What the Today screen shows for one cohort on one day."""

    cohort_id: int
    items: list[AttentionItem]
    suggestions: list[StageSuggestion]
    size: CohortSize
    groups: list[AttentionGroup]


def load_today(session: Session, cohort_id: int, as_of: date) -> TodayData:
    """The attention list, its groups and the stage suggestions (one read, in a worker)."""
    from cohortdesk.core.services.attention import attention, evidence
    from cohortdesk.core.services.attention.groups import attention_groups
    from cohortdesk.core.services.people.cohorts import cohort_size

    items = attention.attention(session, cohort_id, as_of)
    return TodayData(
        cohort_id,
        items,
        evidence.suggestions(session, cohort_id, as_of),
        cohort_size(session, cohort_id),
        attention_groups(session, cohort_id, items),
    )


class TodayView(QWidget):
    """The attention list and the stage suggestions of the shown cohort.

    Args:
        context: the open database's services.
        parent: the main window's centre tabs.
    """

    member_selected = Signal(object)
    """The current learner (membership id), or None: the member panel follows it."""
    nudge_requested = Signal(list)
    """Write to these learners (`AttentionItem`s, the current one first)."""
    status_message = Signal(str)
    """What a change did, for the status bar."""
    today_loaded = Signal(int)
    """The list of this cohort (id) arrived."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.cohort: CohortRow | None = None
        self._request = 0
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(0)
        self._reload_timer.timeout.connect(self.reload)

        self.title = QWidget()
        self.heading = heading_label("Today", scale=1.45)
        self.heading.setObjectName("todayTitle")
        self.summary_label = heading_label()
        self.hint = muted_label(HINT_TEXT)
        self.priority_legend = muted_label(priority_legend(WEIGHTS))
        self.priority_legend.setToolTip(
            "Each reason adds its points to the priority; a nudge sent in the last few days "
            "takes 150 off, so nobody is nagged twice. Hover a priority to see its parts."
        )
        self.nudge_button = QPushButton("&Nudge…")
        self.nudge_button.setToolTip("Write to the selected learners (Enter, or double-click)")
        self.nudge_button.setDefault(False)
        self.nudge_button.clicked.connect(self.nudge_selected)

        self.model = AttentionModel(self)
        self.table = make_table(
            self.model,
            (COL_REASONS,),
            fitted=(COL_PRIORITY, COL_NAME, COL_STAGE, COL_NUDGED, COL_ACTION),
            empty_text=NOBODY_TEXT,
        )
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAccessibleName("Who needs you today")
        self.table.setMouseTracking(True)
        self.button_delegate = ButtonDelegate(self.table)
        self.button_delegate.clicked.connect(self._row_button_clicked)
        self.table.setItemDelegateForColumn(COL_ACTION, self.button_delegate)
        self.badge_delegate = BadgeDelegate(RECENT_ROLE, parent=self.table)
        self.table.setItemDelegateForColumn(COL_NUDGED, self.badge_delegate)
        self.reasons_delegate = ChipsDelegate(REASON_CHIPS_ROLE, self.table)
        self.table.setItemDelegateForColumn(COL_REASONS, self.reasons_delegate)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_ACTION, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(COL_ACTION, 84)
        self.table.doubleClicked.connect(self._double_clicked)
        nudge_action = QAction("Nudge", self.table)
        nudge_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        nudge_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        nudge_action.triggered.connect(self.nudge_selected)
        self.table.addAction(nudge_action)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.groups_bar = GroupsBar()
        self.groups_bar.group_chosen.connect(self._show_group)
        self.groups_bar.nudge_requested.connect(self._nudge_group)
        # two lines at most, so the list keeps its rows; the tooltip has every reason
        self.why_label = LinesLabel(2)
        set_muted(self.why_label)
        self.why_label.setObjectName("todayWhy")
        self.why_label.setAccessibleName("Why the selected learner needs you")

        self.suggestions = SuggestionsPane(context)
        self.suggestions.member_selected.connect(self.member_selected)
        self.suggestions.selection_changed.connect(self._suggestion_selection_changed)
        self.suggestions.status_message.connect(self.status_message)
        self.suggestions.reload_requested.connect(self.reload)
        # the parts tests and the window reach directly
        self.suggestions_model = self.suggestions.model
        self.suggestions_table = self.suggestions.table
        self.suggestions_heading = self.suggestions.heading
        self.accept_button = self.suggestions.accept_button
        self.dismiss_button = self.suggestions.dismiss_button
        self.accept_selected = self.suggestions.accept_selected
        self.dismiss_selected = self.suggestions.dismiss_selected

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.nudge_button)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.setSpacing(6)
        upper_layout.addLayout(top)
        self.summary_label.setWordWrap(True)  # never what sets the window's width
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.summary_label)
        summary_row.addSpacing(12)
        summary_row.addWidget(self.groups_bar, 1)
        upper_layout.addLayout(summary_row)
        upper_layout.addWidget(self.hint)
        upper_layout.addWidget(self.priority_legend)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addWidget(self.why_label)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(upper)
        self.splitter.addWidget(self.suggestions)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([560, 240])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        # in place of the lists while nobody is in the cohort; above them until activity comes
        self.empty_guide = EmptyCohortGuide()
        layout.addWidget(self.empty_guide)
        layout.addWidget(self.splitter)
        self.empty_guide.hide()

        changes = context.changes
        changes.roster_changed.connect(self._cohort_changed)
        changes.member_changed.connect(lambda cohort_id, _mid: self._cohort_changed(cohort_id))
        # Who was nudged lately, and the message each would get, are on the list too.
        changes.nudges_changed.connect(self._cohort_changed)
        changes.templates_changed.connect(self._templates_changed)
        context.as_of.changed.connect(self._as_of_changed)
        self._update_buttons()

    # -- loading -------------------------------------------------------------------------

    def show_cohort(self, cohort: CohortRow | None) -> None:
        """Show the attention list of `cohort` (or nothing), loaded in the background."""
        same = cohort is not None and self.cohort is not None and cohort.id == self.cohort.id
        self.cohort = cohort
        if not same:
            self.model.set_items([], "UTC", self.context.current_date())
            self.suggestions.set_suggestions([])
            self.groups_bar.set_groups([])
            self.summary_label.setText("")
            self._show_why(None)
        self._show_heading()
        if cohort is not None:
            self.reload()

    def _as_of(self) -> date:
        """The day the list is judged as of: today, or the day chosen above the pages."""
        if self.cohort is None:
            return self.context.current_date()
        return self.context.as_of_day(self.cohort)

    def _show_heading(self) -> None:
        as_of = self._as_of()
        if as_of == self.context.current_date():
            self.heading.setText(f"Today · {day_label(as_of)}")
        else:
            self.heading.setText(f"As of {day_label(as_of)}")

    def reload(self) -> Task | None:
        """Read the list again; the newest request wins."""
        if self.cohort is None:
            return None
        self._request += 1
        request, cohort_id, as_of = self._request, self.cohort.id, self._as_of()
        return self.context.runner.read(
            "Loading who needs you today",
            lambda session: load_today(session, cohort_id, as_of),
            lambda data: self._arrived(request, data),
        )

    def _arrived(self, request: int, data: TodayData) -> None:
        if request != self._request or not shiboken6.isValid(self) or self.cohort is None:
            return
        if data.cohort_id != self.cohort.id:
            return
        kept = self.selected_ids()
        current = self.current_item()
        self.model.set_items(data.items, self.cohort.timezone, self._as_of())
        self.suggestions.set_suggestions(data.suggestions)
        self.groups_bar.set_groups(data.groups)
        self._select_ids(kept, current.membership_id if current else None)
        self._show_why(self.current_item())  # their reasons as read now, or nobody's
        self._show_summary(data)
        self.splitter.setVisible(not self.empty_guide.show_for(data.size.members, data.size.events))
        self._update_buttons()
        self.today_loaded.emit(data.cohort_id)

    def _show_summary(self, data: TodayData) -> None:
        from cohortdesk.core.services.attention.groups import needing_you

        count = len(needing_you(data.items))
        waiting = len(data.items) - count
        if not data.items:
            self.summary_label.setText("Nobody needs you today")
        else:
            text = fmt.plural(count, "learner needs", "learners need") + " you"
            if waiting:
                text += f" · {waiting} more nudged recently, waiting (shown last)"
            self.summary_label.setText(text)

    @Slot(int)
    def _cohort_changed(self, cohort_id: int) -> None:
        if self.cohort is not None and cohort_id == self.cohort.id:
            self._reload_timer.start()  # several changes in a row: one reload

    @Slot(int)
    def _as_of_changed(self, cohort_id: int) -> None:
        if self.cohort is not None and cohort_id == self.cohort.id:
            self._show_heading()
            self.reload()

    @Slot()
    def _templates_changed(self) -> None:
        if self.cohort is not None:
            self._reload_timer.start()

    # -- the attention list --------------------------------------------------------------

    @Slot(object)
    def _show_group(self, membership_ids: list[int] | None) -> None:
        """Show only these learners (a group of the list), or everyone for None."""
        shown = None if membership_ids is None else set(membership_ids)
        hidden_selected = False
        selection = self.table.selectionModel()
        for row in range(self.model.rowCount()):
            hide = shown is not None and self.model.item_at(row).membership_id not in shown
            self.table.setRowHidden(row, hide)
            hidden_selected |= hide and selection.isRowSelected(row, QModelIndex())
        if hidden_selected:
            self.table.clearSelection()  # nobody out of sight stays selected

    @Slot(list)
    def _nudge_group(self, membership_ids: list[int]) -> None:
        wanted = set(membership_ids)
        items = [item for item in self.model.items() if item.membership_id in wanted]
        if items:
            self.nudge_requested.emit(items)

    def visible_ids(self) -> list[int]:
        """The learners shown (all, or the group shown alone), in the list's order."""
        return [
            self.model.item_at(row).membership_id
            for row in range(self.model.rowCount())
            if not self.table.isRowHidden(row)
        ]

    def _show_why(self, item: AttentionItem | None) -> None:
        if item is None:
            self.why_label.set_full_text("")
            self.why_label.setToolTip("")
            return
        lines = "; ".join(f"{r.detail} ({r.weight:+d})" for r in item.reasons)
        self.why_label.set_full_text(f"{item.name}: {lines}")
        self.why_label.setToolTip("\n".join(f"{r.weight:+d}  {r.detail}" for r in item.reasons))

    def selected_items(self) -> list[AttentionItem]:
        """The selected learners, the current one first, then as ranked."""
        rows = sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row())
        items: list[AttentionItem] = [index.data(ITEM_ROLE) for index in rows]
        current = self.current_item()
        if current is not None:
            items.sort(key=lambda item: item.membership_id != current.membership_id)
        return items

    def selected_ids(self) -> list[int]:
        return [item.membership_id for item in self.selected_items()]

    def current_item(self) -> AttentionItem | None:
        """The learner the member panel shows: the current row when selected, else the first."""
        selection = self.table.selectionModel()
        current = self.table.currentIndex()
        if current.isValid() and selection.isRowSelected(current.row(), QModelIndex()):
            item: AttentionItem = current.siblingAtColumn(0).data(ITEM_ROLE)
            return item
        rows = selection.selectedRows()
        return rows[0].data(ITEM_ROLE) if rows else None

    def select_member(self, membership_id: int) -> bool:
        """Select one learner's row; False when they are not on the list."""
        position = self.model.row_of_id(membership_id)
        if position is None:
            return False
        self.table.selectRow(position)
        self.table.scrollTo(self.model.index(position, 0))
        return True

    def _select_ids(self, ids: list[int], current: int | None) -> None:
        if not ids:
            return
        selection = self.table.selectionModel()
        chosen = QItemSelection()
        for membership_id in ids:
            position = self.model.row_of_id(membership_id)
            if position is not None:
                chosen.select(
                    self.model.index(position, 0),
                    self.model.index(position, self.model.columnCount() - 1),
                )
        selection.select(chosen, selection.SelectionFlag.ClearAndSelect)
        position = self.model.row_of_id(current) if current is not None else None
        if position is not None:
            selection.setCurrentIndex(
                self.model.index(position, 0), selection.SelectionFlag.NoUpdate
            )

    @Slot(QItemSelection, QItemSelection)
    def _selection_changed(self, *_args: object) -> None:
        current = self.current_item()
        if current is not None:
            self.suggestions.clear_selection()  # one selection on the screen at a time
        self.member_selected.emit(current.membership_id if current else None)
        self._show_why(current)
        self._update_buttons()

    @Slot()
    def show_and_focus(self) -> None:
        """View ▸ Today (Ctrl+0): bring Today forward with the keyboard in its list, on the
        first learner when none is chosen, so arrows, Enter (Nudge…) work at once."""
        pages = self.parentWidget()
        while pages is not None and not isinstance(pages, QTabWidget):
            pages = pages.parentWidget()
        if pages is not None:
            pages.setCurrentWidget(self)
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.table.selectionModel().hasSelection() and self.model.rowCount():
            self.table.selectRow(0)

    @Slot()
    def nudge_selected(self) -> None:
        """Write to the selected learners (the Nudge… button, Enter)."""
        items = self.selected_items()
        if not items:
            self.status_message.emit("Select the learners to nudge first")
            return
        self.nudge_requested.emit(items)

    @Slot(QModelIndex)
    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.nudge_requested.emit([index.siblingAtColumn(0).data(ITEM_ROLE)])

    @Slot(QModelIndex)
    def _row_button_clicked(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        self.nudge_requested.emit([index.siblingAtColumn(0).data(ITEM_ROLE)])

    # -- stage suggestions ---------------------------------------------------------------

    def selected_suggestion(self) -> StageSuggestion | None:
        chosen = self.suggestions.selected()
        return chosen[0] if chosen else None

    @Slot()
    def _suggestion_selection_changed(self) -> None:
        if self.suggestions.selected():
            self.table.clearSelection()  # one selection on the screen at a time

    def _update_buttons(self) -> None:
        self.nudge_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def suggestion_ids(self) -> list[int]:
        return [s.membership_id for s in self.suggestions_model.suggestions()]

    def row_ids(self) -> list[int]:
        return [int(self.model.index(r, 0).data(ID_ROLE)) for r in range(self.model.rowCount())]
