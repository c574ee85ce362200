"""The header of a Moodle Logs report, in any language, and its time format.

The report's column names and dates follow the downloading user's language: columns are found
by their names in the languages facilitators use most, else by their positions in the report;
day-first (`en`) or month-first (`en_us`) is decided once for the whole file from its values.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from cohortdesk.core.importers.base import ImportOptions, SourceFile
from cohortdesk.core.importers.columnar import ColumnBatch, read_columns
from cohortdesk.core.importers.columnar_events import scan_time_format
from cohortdesk.core.importers.moodle_kinds import USER_ID
from cohortdesk.core.importers.textio import cell, decode_head, match_columns
from cohortdesk.core.importers.times import (
    DAY_FIRST,
    MONTH_FIRST,
    FormatDetector,
    TimeFormat,
    suggest_pattern,
)

#: the report's column names in the languages facilitators use most (matched ignoring case,
#: accents, spaces and punctuation); anything else falls back to the columns' positions
SYNONYMS: dict[str, tuple[str, ...]] = {
    "time": ("Time", "Hora", "Heure", "Zeit", "Uhrzeit", "Ora", "Date", "Datum", "Fecha"),
    "name": (
        "User full name",
        "Full name",
        "Nombre completo del usuario",
        "Nombre completo",
        "Nome completo",
        "Nome completo do utilizador",
        "Nome completo do usuário",
        "Nom complet de l'utilisateur",
        "Nom complet",
        "Vollständiger Name",
        "Vollständiger Name des Nutzers",
        "Nome completo utente",
    ),
    "affected": (
        "Affected user",
        "Usuario afectado",
        "Usuário afetado",
        "Utilizador afetado",
        "Utilisateur concerné",
        "Betroffene/r Nutzer/in",
        "Betroffener Nutzer",
        "Utente coinvolto",
    ),
    "context": (
        "Event context",
        "Contexto del evento",
        "Contexto do evento",
        "Contexte de l'événement",
        "Ereigniskontext",
        "Contesto dell'evento",
    ),
    "component": ("Component", "Componente", "Composant", "Komponente"),
    "event": (
        "Event name",
        "Nombre evento",
        "Nombre del evento",
        "Nome do evento",
        "Nom de l'événement",
        "Ereignisname",
        "Nome evento",
    ),
    "description": ("Description", "Descripción", "Descrição", "Beschreibung", "Descrizione"),
    "origin": ("Origin", "Origen", "Origem", "Origine", "Herkunft", "Ursprung"),
    "ip": ("IP address", "Dirección IP", "Endereço IP", "Adresse IP", "IP-Adresse", "Indirizzo IP"),
    "course": ("Course", "Curso", "Cours", "Kurs", "Corso"),
}
#: the report's columns in order (Moodle 2.8 and older site logs add a leading Course column)
POSITIONS = ("time", "name", "affected", "context", "component", "event", "description")
REPORT_WIDTH = 9
#: rows looked at one by one for a time that settles day/month order, before the whole column
KEEP_ROWS = 5_000


@dataclass(frozen=True, slots=True)
class LogColumns:
    """Which column (0-based) holds what."""

    time: int
    description: int
    name: int | None
    event: int | None
    context: int | None


def looks_like_report(head: bytes) -> bool:
    """Whether the file starts with a Moodle Logs report header, in any language.

    Args:
        head: the first bytes of the file.
    """
    records = _first_records(head)
    if not records:
        return False
    found = match_columns(records[0], SYNONYMS)
    if {"time", "event", "description"} <= found.keys() and len(found) >= 6:
        return True
    # an unknown language: the report's shape and an English Description in the first row
    width = len(records[0])
    if width not in (REPORT_WIDTH, REPORT_WIDTH + 1) or len(records) < 2:
        return False
    description = cell(records[1], POSITIONS.index("description") + width - REPORT_WIDTH)
    return USER_ID.search(description) is not None


def _first_records(head: bytes) -> list[list[str]]:
    text = decode_head(head)
    lines = text.splitlines()[:2]
    try:
        return [row for row in csv.reader(io.StringIO("\n".join(lines))) if row][:2]
    except csv.Error:
        return []


def find_columns(source: SourceFile, header: list[str]) -> LogColumns:
    """Where the report's columns are, by their names or else by their positions.

    Raises:
        ImportRejectedError: neither names nor width fit a Logs report.
    """
    found = match_columns(header, SYNONYMS)
    if "time" in found and "description" in found:
        return LogColumns(
            time=found["time"],
            description=found["description"],
            name=found.get("name"),
            event=found.get("event"),
            context=found.get("context"),
        )
    if len(header) not in (REPORT_WIDTH, REPORT_WIDTH + 1):
        shown = ", ".join(header[:12]) or "none"
        raise source.reject(
            1,
            "this does not look like a Moodle Logs report: no Time and Description columns "
            f"(the columns are: {shown})",
        )
    offset = len(header) - REPORT_WIDTH  # the old leading Course column, or an index column
    source.note(
        "The column names are not ones cohortdesk knows, so the columns were taken by their "
        "position in Moodle's Logs report (Time, User full name, ..., Description)."
    )
    at = {fld: index + offset for index, fld in enumerate(POSITIONS)}
    return LogColumns(
        time=at["time"],
        description=at["description"],
        name=at["name"],
        event=at["event"],
        context=at["context"],
    )


def time_format(
    source: SourceFile, options: ImportOptions, column: int, batches: Iterator[ColumnBatch]
) -> tuple[TimeFormat, Iterator[ColumnBatch]]:
    """Day-first or month-first for the whole file: the first rows (up to `KEEP_ROWS`) while
    they leave both open, then the whole column; the batches are handed back whole."""
    detector = FormatDetector((DAY_FIRST, MONTH_FIRST))
    first = next(batches, None)
    kept = 0
    if first is not None and f"c{column}" in first.frame.columns:
        rows = first.frame.get_column("row").to_list()
        values = first.frame.get_column(f"c{column}").to_list()
        for row, value in zip(rows, values, strict=True):
            kept += 1
            detector.feed(row, value)
            if detector.settled or kept >= KEEP_ROWS:
                break
    found = detector.detection
    if not detector.settled and kept >= KEEP_ROWS:
        found = scan_time_format(
            read_columns(source, options.max_bytes).batches, column, (DAY_FIRST, MONTH_FIRST)
        )
    if not found.fitting:
        row = found.emptied_by[0] if found.emptied_by else None
        raise source.reject(row, found.unfit_reason())
    rest = batches if first is None else itertools.chain([first], batches)
    if len(found.fitting) == 1:
        chosen = found.fitting[0]
        source.note(f"Times were read as {chosen.description} ({found.label(chosen)}).")
        return chosen, rest
    if found.values:
        example = found.first[1] if found.first else ""
        source.note(
            f"Every time in the file (e.g. {example!r}) could be day/month or month/day; they "
            "were read as day/month/year, Moodle's default English format. If the file comes "
            "from a US-English Moodle, import it again with --time-format "
            f"'{suggest_pattern(example, MONTH_FIRST)}'."
        )
    return DAY_FIRST, rest
