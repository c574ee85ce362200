"""The top of the import dialog: which file, which format, which time zone, which columns."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cohortdesk.core.errors import KnownError
from cohortdesk.core.importers.base import ImportOptions
from cohortdesk.core.importers.registry import FORMATS
from cohortdesk.ui.views.import_mapping import ColumnMapping
from cohortdesk.ui.widgets.labels import muted_label

ACTIVITY_CSV = "activity-csv"
FORMAT_LABELS = {
    "moodle-log": "Moodle logs (CSV)",
    "moodle-forum": "Moodle forum export (CSV or JSON)",
    "slack": "Slack workspace export (ZIP)",
    "xapi": "xAPI statements (JSON)",
    "roster": "Roster of people (CSV or Excel)",
    ACTIVITY_CSV: "Any activity CSV (choose the columns)",
}


class ImportSource(QWidget):
    """File, format (with how it was chosen), time zone, and the column mapping for CSV.

    Args:
        timezone: the zone preselected (the cohort's).
    """

    format_changed = Signal()
    """The user chose another format."""
    settings_changed = Signal()
    """The time zone or the column mapping changed."""

    def __init__(self, timezone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("Choose a file, or drop one on this window")
        self.file_edit.setAccessibleName("File to import")
        self.choose_button = QPushButton("&Choose…")
        self.choose_button.setToolTip("Choose the file to import")
        self.choose_button.setToolTip("Pick the export to import")
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)

        self.format_combo = QComboBox()
        for name in FORMATS:
            self.format_combo.addItem(FORMAT_LABELS.get(name, name), name)
        self.format_combo.setCurrentIndex(self.format_combo.findData(ACTIVITY_CSV))
        self.format_note = muted_label(wrap=False)
        format_row = QHBoxLayout()
        format_row.addWidget(self.format_combo)
        format_row.addWidget(self.format_note, 1)

        self.zone_combo = QComboBox()
        self.zone_combo.setEditable(True)
        self.zone_combo.addItems(sorted(available_timezones()))
        self.zone_combo.setCurrentText(timezone)
        self.zone_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.zone_combo.completer()
        if completer is not None:
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
        zone_row = QHBoxLayout()
        zone_row.addWidget(self.zone_combo)
        zone_row.addWidget(muted_label("for times the file writes without a zone", wrap=False), 1)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        rows = (
            ("&File:", self.file_edit, file_row),
            ("F&ormat:", self.format_combo, format_row),
            ("Time &zone:", self.zone_combo, zone_row),
        )
        for text, buddy, row in rows:
            label = QLabel(text)
            label.setBuddy(buddy)
            form.addRow(label, row)
        self.mapping = ColumnMapping()
        self.mapping.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(form)
        layout.addWidget(self.mapping)

        self.format_combo.currentIndexChanged.connect(self.format_changed)
        self.zone_combo.currentTextChanged.connect(self.settings_changed)
        self.mapping.mapping_changed.connect(self.settings_changed)

    def format_name(self) -> str:
        return str(self.format_combo.currentData())

    def set_format(self, name: str, note: str = "", *, announce: bool = True) -> None:
        """Choose a format (quietly with `announce=False`), with a note on how it was chosen."""
        self.format_combo.blockSignals(not announce)
        self.format_combo.setCurrentIndex(self.format_combo.findData(name))
        self.format_combo.blockSignals(False)
        self.format_note.setText(note)

    def needs_columns(self) -> bool:
        """True for a format that reads a CSV through the column mapping."""
        return self.format_name() == ACTIVITY_CSV

    def options(self) -> ImportOptions:
        """The choices made, as the importer takes them.

        Raises:
            KnownError: the time zone is not one cohortdesk knows.
        """
        zone_name = self.zone_combo.currentText().strip()
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise KnownError(
                f"Unknown time zone {zone_name!r}: choose one from the list, e.g. Europe/London"
            ) from exc
        if not self.needs_columns():
            return ImportOptions(timezone=zone)
        return ImportOptions(
            timezone=zone,
            mapping=self.mapping.mapping(),
            kind=self.mapping.fixed_kind(),
            time_format=self.mapping.time_format(),
        )
