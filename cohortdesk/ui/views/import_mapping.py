"""Which column of an activity CSV says who, when, what kind, whom it answered and the thread."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QWidget,
)

from cohortdesk.core.enums import EventKind
from cohortdesk.core.importers.textio import normalise_header
from cohortdesk.ui import format as fmt

#: header names (normalised) that probably hold each part, best first
GUESSES: dict[str, tuple[str, ...]] = {
    "who": (
        "who", "user", "username", "userfullname", "fullname", "name", "author", "sender",
        "participant", "learner", "student", "member", "email", "emailaddress", "userid",
        "actor", "from",
    ),
    "when": (
        "when", "timestamp", "time", "datetime", "date", "occurredat", "createdat", "created",
        "posted", "postedat", "ts", "dateandtime",
    ),
    "kind": ("kind", "type", "eventtype", "action", "event", "activity", "verb", "eventname"),
    "replied_to": (
        "repliedto", "replyto", "inreplyto", "replyingto", "parentauthor", "answered",
        "receiver", "recipient", "to",
    ),
    "thread": (
        "thread", "threadid", "discussionid", "discussion", "topic", "topicid", "conversation",
        "discussionidentifier", "discussiontitle", "threadtitle", "subject", "channel", "forum",
        "threadts",
    ),
}  # fmt: skip

#: strptime patterns offered in the time format box (any other can be typed)
TIME_FORMATS = (
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M",
    "%d/%m/%y %H:%M",
    "%m/%d/%y %I:%M %p",
    "%Y-%m-%d %H:%M:%S",
    "%d.%m.%Y %H:%M",
)
NO_COLUMN = "(none)"
KIND_FROM_CHOICE = "(the same for every row)"


def column_specs(header: list[str]) -> list[tuple[str, str]]:
    """`(label, spec)` for each column: the spec is the header name, or its 1-based number when
    the name is empty or shared with another column (a name would find the first)."""
    names = [normalise_header(h) for h in header]
    specs = []
    for number, (title, name) in enumerate(zip(header, names, strict=True), start=1):
        unique = bool(name) and names.count(name) == 1 and not name.isdigit()
        label = title if title else f"Column {number}"
        specs.append(
            (label if unique else f"{label} (column {number})", title if unique else str(number))
        )
    return specs


def guess_mapping(header: list[str]) -> dict[str, str]:
    """The columns that probably hold each part, by their names; each column used once."""
    names = [normalise_header(h) for h in header]
    specs = [spec for _label, spec in column_specs(header)]
    chosen: dict[str, str] = {}
    used: set[int] = set()
    for key, wanted in GUESSES.items():
        best: tuple[int, int] | None = None
        for index, name in enumerate(names):
            if index in used or name not in wanted:
                continue
            rank = wanted.index(name)
            if best is None or rank < best[0]:
                best = (rank, index)
        if best is not None:
            used.add(best[1])
            chosen[key] = specs[best[1]]
    return chosen


class ColumnMapping(QGroupBox):
    """Combos filled from the CSV's header; `mapping()` is what `ImportOptions` wants."""

    mapping_changed = Signal()
    """The user (or `set_header`) chose other columns, kind or time format."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Columns", parent)
        self._header: list[str] = []
        self.who_combo = QComboBox()
        self.when_combo = QComboBox()
        self.kind_combo = QComboBox()
        self.fixed_kind_combo = QComboBox()
        for kind in EventKind:
            self.fixed_kind_combo.addItem(fmt.EVENT_LABELS[kind], kind.value)
        self.fixed_kind_combo.setAccessibleName("Kind of every row")
        self.fixed_kind_combo.setToolTip("What every row is, when no column says")
        self.replied_combo = QComboBox()
        self.thread_combo = QComboBox()
        self.time_format_combo = QComboBox()
        self.time_format_combo.setEditable(True)
        self.time_format_combo.addItem("")
        self.time_format_combo.addItems(TIME_FORMATS)
        line = self.time_format_combo.lineEdit()
        assert line is not None
        line.setPlaceholderText("Detect automatically")
        line.setClearButtonEnabled(True)
        self.time_format_combo.setToolTip(
            "Leave empty to work the format out from the whole column. Give one when dates "
            "like 03/04/2025 could be read either way: %d is the day, %m the month, %Y the "
            "year, %H:%M the time."
        )
        for combo in (
            self.who_combo,
            self.when_combo,
            self.kind_combo,
            self.replied_combo,
            self.thread_combo,
        ):
            combo.setMinimumContentsLength(16)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )

        kind_row = QHBoxLayout()
        kind_row.setContentsMargins(0, 0, 0, 0)
        kind_row.setSpacing(8)
        kind_row.addWidget(self.kind_combo, 1)
        self.fixed_kind_label = QLabel("&every row is")
        self.fixed_kind_label.setBuddy(self.fixed_kind_combo)
        kind_row.addWidget(self.fixed_kind_label)
        kind_row.addWidget(self.fixed_kind_combo)

        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setHorizontalSpacing(10)
        rows = (
            ("&Who did it:", self.who_combo, "Replied &to:", self.replied_combo),
            ("W&hen:", self.when_combo, "Th&read:", self.thread_combo),
        )
        for row, (left_text, left, right_text, right) in enumerate(rows):
            for column, (text, widget) in enumerate(((left_text, left), (right_text, right))):
                label = QLabel(text)
                label.setBuddy(widget)
                grid.addWidget(label, row, column * 2)
                grid.addWidget(widget, row, column * 2 + 1)
        kind_label = QLabel("&Kind:")
        kind_label.setBuddy(self.kind_combo)
        grid.addWidget(kind_label, 2, 0)
        grid.addLayout(kind_row, 2, 1)
        time_label = QLabel("Time for&mat:")
        time_label.setBuddy(self.time_format_combo)
        grid.addWidget(time_label, 2, 2)
        grid.addWidget(self.time_format_combo, 2, 3)

        for combo in (
            self.who_combo,
            self.when_combo,
            self.kind_combo,
            self.fixed_kind_combo,
            self.replied_combo,
            self.thread_combo,
        ):
            combo.currentIndexChanged.connect(self._changed)
        self.time_format_combo.currentTextChanged.connect(self._changed)
        self._update_fixed_kind()

    def set_header(self, header: list[str]) -> None:
        """Offer these columns, preselecting the ones whose names say what they hold."""
        self._header = list(header)
        specs = column_specs(header)
        guess = guess_mapping(header)
        combos = {
            "who": (self.who_combo, None),
            "when": (self.when_combo, None),
            "kind": (self.kind_combo, KIND_FROM_CHOICE),
            "replied_to": (self.replied_combo, NO_COLUMN),
            "thread": (self.thread_combo, NO_COLUMN),
        }
        for key, (combo, empty) in combos.items():
            combo.blockSignals(True)
            combo.clear()
            if empty is not None:
                combo.addItem(empty, None)
            elif not guess.get(key):
                combo.addItem("Choose a column…", None)
            for label, spec in specs:
                combo.addItem(label, spec)
            wanted = guess.get(key)
            combo.setCurrentIndex(max(0, combo.findData(wanted)) if wanted else 0)
            combo.blockSignals(False)
        # A file that says whom each row answers but not what it is: a reply network.
        fixed = EventKind.REPLY if "replied_to" in guess and "kind" not in guess else None
        self.fixed_kind_combo.blockSignals(True)
        self.fixed_kind_combo.setCurrentIndex(
            self.fixed_kind_combo.findData((fixed or EventKind.LOGIN).value)
        )
        self.fixed_kind_combo.blockSignals(False)
        self._update_fixed_kind()
        self.mapping_changed.emit()

    def header(self) -> list[str]:
        return list(self._header)

    def mapping(self) -> dict[str, str]:
        """The chosen columns by key (`who`, `when`, and those of the others that are set)."""
        chosen = {
            "who": self.who_combo.currentData(),
            "when": self.when_combo.currentData(),
            "kind": self.kind_combo.currentData(),
            "replied_to": self.replied_combo.currentData(),
            "thread": self.thread_combo.currentData(),
        }
        return {key: value for key, value in chosen.items() if value}

    def fixed_kind(self) -> EventKind | None:
        """The kind of every row, when no kind column is chosen."""
        if self.kind_combo.currentData():
            return None
        return EventKind(self.fixed_kind_combo.currentData())

    def time_format(self) -> str | None:
        return self.time_format_combo.currentText().strip() or None

    def problem(self) -> str:
        """What is missing before the file can be read, or an empty string."""
        mapping = self.mapping()
        missing = [
            name for key, name in (("who", "who did it"), ("when", "when")) if key not in mapping
        ]
        if missing:
            return f"Choose the column that says {' and the one that says '.join(missing)}."
        return ""

    def set_choice(self, key: str, spec: str | None) -> None:
        """Choose a column by its spec (header name or number); None for no column."""
        combo = {
            "who": self.who_combo,
            "when": self.when_combo,
            "kind": self.kind_combo,
            "replied_to": self.replied_combo,
            "thread": self.thread_combo,
        }[key]
        combo.setCurrentIndex(combo.findData(spec))

    @Slot()
    def _changed(self) -> None:
        self._update_fixed_kind()
        self.mapping_changed.emit()

    def _update_fixed_kind(self) -> None:
        fixed = not self.kind_combo.currentData()
        self.fixed_kind_combo.setEnabled(fixed)
        self.fixed_kind_label.setEnabled(fixed)
