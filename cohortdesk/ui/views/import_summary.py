"""What an import will do (a preview) or did: key numbers, then who is new and what is skipped."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from cohortdesk.core.schemas import ImportSummary
from cohortdesk.ui import format as fmt
from cohortdesk.ui.widgets.labels import StatLabel, heading_label, muted_label

#: new people named in the summary before "and N more"
NAMES_SHOWN = 8
#: reasons for skipped rows listed before "and N other reasons"
REASONS_SHOWN = 5


def people_text(summary: ImportSummary) -> str:
    """`New people: Ana Souza, Ben Carter and 12 more.` (empty when nobody is new)."""
    if not summary.people_created:
        return ""
    shown = summary.new_people[:NAMES_SHOWN]
    more = summary.people_created - len(shown)
    names = ", ".join(shown)
    if more > 0:
        names += f" and {more:,} more"
    verb = "Will add" if summary.dry_run else "Added"
    return f"{verb} {fmt.plural(summary.people_created, 'person', 'people')}: {names}."


def skipped_text(summary: ImportSummary) -> str:
    """`Left out: bot message — 3 rows; joined — 2 rows.` (empty when nothing was)."""
    if not summary.skipped_reasons:
        return ""
    reasons = list(summary.skipped_reasons.items())
    parts = [f"{reason} — {fmt.plural(count, 'row')}" for reason, count in reasons[:REASONS_SHOWN]]
    if len(reasons) > REASONS_SHOWN:
        rest = sum(count for _reason, count in reasons[REASONS_SHOWN:])
        parts.append(f"other reasons — {fmt.plural(rest, 'row')}")
    return "Left out: " + "; ".join(parts) + "."


def notes_text(summary: ImportSummary) -> str:
    """The encoding and the importer's notes, one a line."""
    lines = []
    if summary.encoding:
        lines.append(f"Read {fmt.plural(summary.read, 'row')} as {summary.encoding.upper()} text.")
    else:
        lines.append(f"Read {fmt.plural(summary.read, 'item')}.")
    lines.extend(summary.notes)
    return "\n".join(lines)


def headline(summary: ImportSummary) -> str:
    """`Importing will add 120 events and 4 people.` or `Imported tiny.csv: 120 new events…`."""
    if summary.dry_run:
        if not summary.inserted and not summary.people_created:
            if summary.duplicates:
                return "Everything in this file is already in the cohort: nothing new to import."
            return "This file adds nothing to the cohort."
        return (
            f"Importing will add {fmt.plural(summary.inserted, 'event')} and "
            f"{fmt.plural(summary.people_created, 'person', 'people')}."
        )
    return (
        f"Imported {summary.file_name}: {fmt.plural(summary.inserted, 'new event')}, "
        f"{fmt.plural(summary.people_created, 'person', 'people')} added."
    )


class ImportSummaryView(QWidget):
    """Key numbers in a row, with the names, reasons and notes under them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headline = heading_label()
        self.headline.setWordWrap(True)
        self.new_events = StatLabel("New events")
        self.duplicates = StatLabel("Already there")
        self.new_people = StatLabel("New people")
        self.unattributed = StatLabel("Unattributed")
        self.ignored = StatLabel("Ignored")
        self.read = StatLabel("Rows read")
        self.stats = (
            self.new_events,
            self.duplicates,
            self.new_people,
            self.unattributed,
            self.ignored,
            self.read,
        )
        self.people_label = muted_label()
        self.skipped_label = muted_label()
        self.notes_label = muted_label()
        self.stats_box = QWidget()
        grid = QGridLayout(self.stats_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(28)
        for column, stat in enumerate(self.stats):
            grid.addWidget(stat, 0, column)
        grid.setColumnStretch(len(self.stats), 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.headline)
        layout.addWidget(self.stats_box)
        layout.addWidget(self.people_label)
        layout.addWidget(self.skipped_label)
        layout.addWidget(self.notes_label)
        self.clear()

    def clear(self, message: str = "") -> None:
        """No numbers; `message` in their place (or nothing)."""
        self.headline.setText(message)
        self.headline.setVisible(bool(message))
        for stat in self.stats:
            stat.set_value("—")
        self.stats_box.hide()
        for label in (self.people_label, self.skipped_label, self.notes_label):
            label.clear()
            label.hide()

    def show_summary(self, summary: ImportSummary) -> None:
        self.headline.setText(headline(summary))
        self.headline.show()
        self.stats_box.show()
        self.new_events.set_value(f"{summary.inserted:,}")
        self.duplicates.set_value(
            f"{summary.duplicates:,}", "Events already in the cohort: not stored twice"
        )
        self.new_people.set_value(f"{summary.people_created:,}")
        self.unattributed.set_value(
            f"{summary.unattributed:,}",
            "Rows that name nobody (guests, system rows): counted, never made people",
        )
        self.ignored.set_value(f"{summary.ignored:,}", "Rows left out for another reason")
        self.read.set_value(f"{summary.read:,}")
        for label, text in (
            (self.people_label, people_text(summary)),
            (self.skipped_label, skipped_text(summary)),
            (self.notes_label, notes_text(summary)),
        ):
            label.setText(text)
            label.setVisible(bool(text))

    def values(self) -> dict[str, str]:
        """The numbers shown, by caption (for tests and screen readers)."""
        return {stat.caption_label.text(): stat.value() for stat in self.stats}
