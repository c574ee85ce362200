"""Rosters: the people of a cohort, one a row, from a CSV file or an Excel workbook.

A roster yields `PersonRecord`s only (no activity): name, email, role, expertise and the ids
other platforms know the person by. Headers are matched by meaning in several languages
("Full name", "Nom", "Courriel", "Rôle"...), or a first and a last name column are joined.
Cells reading `NULL`, `N/A` or `-` count as empty. A row that names nobody, a malformed email,
an unknown role or the same person twice in one file rejects the import with the row and why.

Workbooks are read with openpyxl in read-only mode with cached values only: a formula is never
evaluated (one saved without a value reads as empty), numbers used as ids lose Excel's `.0`.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import IO, TYPE_CHECKING

from cohortdesk.core.enums import Role
from cohortdesk.core.importers.base import (
    ImportOptions,
    ImportRejectedError,
    ItemStream,
    PersonKey,
    PersonRecord,
    SourceFile,
)
from cohortdesk.core.importers.textio import cell, decode_head, normalise_header, read_csv
from cohortdesk.core.text import plural

if TYPE_CHECKING:  # openpyxl itself is imported only when a workbook is read
    from openpyxl.workbook.workbook import Workbook

FORMAT = "roster"
IDENTITY_SOURCE = "external"
UNNAMED_LABEL = "Participant"

#: how many non-empty rows may sit above the header (a title, a blank line, a date...)
_HEADER_SCAN_ROWS = 10
_ZIP_MAGIC = b"PK\x03\x04"
#: an OLE2 compound file: an old .xls, or an .xlsx protected with a password
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_IGNORED_SHOWN = 8

_Rows = Iterator[tuple[int, list[str]]]


def _keys(*names: str) -> frozenset[str]:
    return frozenset(normalise_header(name) for name in names)


_NAME = _keys(
    "Name", "Full name", "Fullname", "Participant", "Participant name", "Learner",
    "Learner name", "Student", "Student name", "Member", "Member name", "Display name",
    "User full name", "Nom", "Nom complet", "Nombre", "Nombre completo", "Nome",
    "Nome completo", "Name (full)",
)  # fmt: skip
_FIRST = _keys(
    "First name", "Firstname", "Given name", "Given names", "Forename", "Prénom",
    "Nombre de pila", "Primeiro nome", "Vorname",
)  # fmt: skip
_LAST = _keys(
    "Last name", "Lastname", "Surname", "Family name", "Apellido", "Apellidos",
    "Sobrenome", "Apelido", "Nom de famille", "Nachname",
)  # fmt: skip
#: "Nombre"/"Nome" is a first name beside "Apellidos"/"Sobrenome"; "Nom" a last name beside "Prénom"
_FIRST_BESIDE_LAST = _keys("Nombre", "Nome")
_LAST_BESIDE_FIRST = _keys("Nom")
_EMAIL = _keys(
    "Email", "E-mail", "Mail", "Email address", "E-mail address", "Emailaddress", "Correo",
    "Correo electrónico", "Courriel", "Adresse e-mail", "Adresse électronique", "E-mail-Adresse",
    "Endereço de e-mail", "Endereço de email",
)  # fmt: skip
_ROLE = _keys(
    "Role", "Roles", "Type", "Participant role", "Member role", "User role", "Course role",
    "Rôle", "Rol", "Papel", "Função",
)  # fmt: skip
_FLAG = _keys("Facilitator", "Is facilitator", "Facilitator flag")
_EXPERTISE = _keys(
    "Expertise", "Keywords", "Skills", "Interests", "Topics", "Areas of expertise",
    "Compétences", "Habilidades", "Intereses", "Palabras clave", "Mots-clés",
)  # fmt: skip
_MOODLE = _keys("Moodle ID", "Moodle user id", "Moodle userid")
_SLACK = _keys("Slack ID", "Slack user id", "Slack member id")
_EXTERNAL = _keys(
    "ID", "UID", "User ID", "Userid", "Username", "User name", "External ID", "Student ID",
    "Learner ID", "Participant ID", "Member ID", "Employee ID", "ID number", "Identifier",
)  # fmt: skip
#: headers that make a file an activity log rather than a roster (checked by `detect` only)
_TIME_LIKE = _keys(
    "Time", "Timestamp", "Date", "Datetime", "Date/time", "When", "Created", "Modified",
    "Time created", "Time modified", "Created at", "Occurred at", "Event time", "Posted",
    "Hora", "Fecha", "Heure", "Data", "Datum", "Zeit",
)  # fmt: skip

#: the expected headers, as a rejection names them
_EXPECTED = (
    "Name (or Full name, Nom, Nombre...), First name + Last name, Email (or E-mail, Courriel, "
    "Correo...), ID (or UID, User ID, Username, Student ID...)"
)

#: role words in the messages, then Moodle's short names and a few other languages
_ROLE_WORDS: dict[Role, str] = {
    Role.LEARNER: "student, learner, participant, trainee",
    Role.FACILITATOR: "teacher, tutor, facilitator, e-moderator, moderator, trainer, instructor",
    Role.MENTOR: "mentor, coach",
    Role.MANAGER: "manager, line manager, sponsor, observer",
}
_ROLE_EXTRA: dict[Role, str] = {
    Role.LEARNER: "pupil, estudiante, alumno, alumna, étudiant, étudiante, apprenant, "
    "apprenante, participante, aluno, aluna, estudante",
    Role.FACILITATOR: "editingteacher, non-editing teacher, profesor, profesora, professor, "
    "professora, docente, enseignant, enseignante, formateur, formatrice, formador, formadora, "
    "tuteur, tutrice, facilitador, facilitadora, animateur, animatrice, e-tutor",
    Role.MENTOR: "mentora",
    Role.MANAGER: "gestionnaire, responsable, gerente, observateur, observador",
}
_ROLES: dict[str, Role] = {
    normalise_header(word): role
    for table in (_ROLE_WORDS, _ROLE_EXTRA)
    for role, words in table.items()
    for word in words.split(", ")
}
#: when one cell lists several roles ("Student, Teacher"), the one with the most to do wins
_ROLE_RANK = {Role.FACILITATOR: 0, Role.MENTOR: 1, Role.MANAGER: 2, Role.LEARNER: 3}
_ACCEPTED_ROLES = "; ".join(f"{role.value} ({words})" for role, words in _ROLE_WORDS.items())

_TRUE = frozenset({"1", "1.0", "yes", "y", "true", "x", "oui", "si", "sí", "sim", "ja"})
_FALSE = frozenset({"0", "0.0", "no", "n", "false", "non", "não", "nao", "nein"})
#: cells that mean "nothing here" (compared case-insensitively)
_EMPTY = frozenset({"null", "n/a", "-", "#n/a"})
_EMPTY_MAX_LEN = max(len(word) for word in _EMPTY)

_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_SPACES = re.compile(r"\s{2,}|[^\S ]")
_WHOLE_NUMBER = re.compile(r"([0-9]+)\.0+")
_ROLE_SEPARATORS = re.compile(r"\s*[,;/|+&]\s*")


@dataclass(frozen=True, slots=True)
class _Layout:
    """Which column holds what (0-based indices), found from a header row."""

    name: int | None
    first: int | None
    last: int | None
    email: int | None
    role: int | None
    flag: int | None
    expertise: tuple[int, ...]
    moodle: int | None
    slack: int | None
    external: int | None
    has_time: bool

    @property
    def identifies(self) -> bool:
        """Whether rows can name a person (a name, an email or an id column)."""
        found = (self.name, self.first, self.last, self.email, self.external)
        return any(index is not None for index in found)

    def used(self) -> dict[int, str]:
        """Column index -> what it is read as, for the note shown to the user."""
        fields = {
            self.name: "name",
            self.first: "first name",
            self.last: "last name",
            self.email: "email",
            self.role: "role",
            self.flag: "facilitator flag",
            self.moodle: "Moodle id",
            self.slack: "Slack id",
            self.external: "id",
        }
        used = {index: what for index, what in fields.items() if index is not None}
        used.update((index, "expertise") for index in self.expertise)
        return used


def _first_in(
    keys: Sequence[str], wanted: frozenset[str], taken: Iterable[int | None] = ()
) -> int | None:
    skip = set(taken)
    for index, key in enumerate(keys):
        if key in wanted and index not in skip:
            return index
    return None


def _layout(header: Sequence[str]) -> _Layout:
    keys = [normalise_header(name) for name in header]
    first = _first_in(keys, _FIRST)
    last = _first_in(keys, _LAST)
    if last is not None and first is None:
        first = _first_in(keys, _FIRST_BESIDE_LAST)
    if first is not None and last is None:
        last = _first_in(keys, _LAST_BESIDE_FIRST)
    return _Layout(
        name=_first_in(keys, _NAME, (first, last)),
        first=first,
        last=last,
        email=_first_in(keys, _EMAIL),
        role=_first_in(keys, _ROLE),
        flag=_first_in(keys, _FLAG),
        expertise=tuple(index for index, key in enumerate(keys) if key in _EXPERTISE),
        moodle=_first_in(keys, _MOODLE),
        slack=_first_in(keys, _SLACK),
        external=_first_in(keys, _EXTERNAL),
        has_time=any(key in _TIME_LIKE or key.endswith("timestamp") for key in keys),
    )


def detect(name: str, head: bytes) -> bool:
    """Whether the file looks like a roster.

    A workbook (`.xlsx`/`.xlsm` starting with a zip header) always does; a CSV does when its
    first row has a name or id column, an email, role or facilitator column, and no time
    column (an activity log names people too, but always says when).

    Args:
        name: the file name.
        head: the first bytes of the file.

    Returns:
        True when `parse` should be able to read it.
    """
    if head.startswith(_ZIP_MAGIC):
        return name.casefold().endswith(_WORKBOOK_SUFFIXES)
    if not head or b"\x00" in head[:4096]:
        return False
    text = decode_head(head)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d])
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = next((row for row in reader if any(c.strip() for c in row)), None)
    except csv.Error:
        return False
    layout = _layout(header or [])
    named = layout.name is not None or layout.first is not None or layout.last is not None
    return (
        (named or layout.external is not None)
        and (layout.email is not None or layout.role is not None or layout.flag is not None)
        and not layout.has_time
    )


def parse(source: SourceFile, options: ImportOptions) -> ItemStream:
    """The people of a roster, one `PersonRecord` a row, in file order.

    Args:
        source: the CSV file or Excel workbook.
        options: only `max_bytes` matters here.

    Yields:
        A `PersonRecord` for every non-empty row under the header.

    Raises:
        ImportRejectedError: the file is too big, unreadable, encrypted or has no name, email
            or id column; or a row names nobody, has a malformed email, an unknown role or
            repeats a person of an earlier row.
    """
    source.check_size(options.max_bytes)
    try:
        with source.path.open("rb") as handle:
            magic = handle.read(len(_OLE_MAGIC))
    except OSError as exc:
        raise source.reject(None, f"cannot read the file ({exc.strerror or exc})") from exc
    if magic.startswith(_OLE_MAGIC):
        raise source.reject(
            None,
            "this is an encrypted (password-protected) workbook or an old .xls file: "
            "save it without a password as .xlsx or CSV",
        )
    if magic.startswith(_ZIP_MAGIC):
        yield from _parse_workbook(source, options.max_bytes)
    else:
        yield from _parse_csv(source, options.max_bytes)


def _parse_csv(source: SourceFile, max_bytes: int) -> ItemStream:
    table = read_csv(source, max_bytes)
    rows = itertools.chain(((0, table.header),), table.rows)
    layout, header = _find_layout(rows)
    if layout is None:
        raise _no_identity_columns(source, header)
    yield from _records(source, layout, header, rows)


def _parse_workbook(source: SourceFile, max_bytes: int) -> ItemStream:
    _check_archive(source, max_bytes)
    source.encoding = None
    with source.path.open("rb") as handle:
        workbook = _open_workbook(source, handle)
        try:
            sheets = [s for s in workbook.worksheets if hasattr(s, "iter_rows")]
            if not sheets:
                raise source.reject(None, "the workbook has no sheets")
            first_header: list[str] | None = None
            for sheet in sheets:
                rows = _sheet_rows(source, sheet)
                layout, header = _find_layout(rows)
                if layout is not None:
                    if sheet is not sheets[0]:
                        source.note(f"Read the sheet {sheet.title!r}: earlier sheets list nobody.")
                    yield from _records(source, layout, header, rows)
                    return
                if first_header is None and header:
                    first_header = header
            raise _no_identity_columns(source, first_header or [])
        finally:
            workbook.close()


def _check_archive(source: SourceFile, max_bytes: int) -> None:
    """Refuse a damaged zip, a zip that is no workbook, or one that unpacks too big."""
    try:
        with zipfile.ZipFile(source.path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise source.reject(None, "not a readable Excel workbook (the file is damaged)") from exc
    if not any(member.filename == "[Content_Types].xml" for member in members):
        raise source.reject(None, "this zip file is not an Excel workbook")
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_bytes:
        raise source.reject(
            None,
            f"the workbook unpacks to {unpacked / 1e6:.0f} MB, "
            f"over the {max_bytes / 1e6:.0f} MB limit",
        )


def _open_workbook(source: SourceFile, handle: IO[bytes]) -> Workbook:
    # A file object, not the path: openpyxl refuses paths not ending in .xlsx, and the content
    # already said this is a workbook.
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; none matter for a roster
            warnings.simplefilter("ignore")
            return load_workbook(handle, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises anything from KeyError to XML parse errors
        raise source.reject(None, f"not a readable Excel workbook ({_brief(exc)})") from exc


def _sheet_rows(source: SourceFile, sheet: object) -> _Rows:
    """A sheet's non-empty rows as text, numbered as the spreadsheet shows them."""
    title = str(getattr(sheet, "title", ""))
    try:
        reset = getattr(sheet, "reset_dimensions", None)
        if reset is not None:
            # the stored dimensions may be wrong or absurd (A1:XFD1048576): read what is there
            reset()
        values = sheet.iter_rows(values_only=True)  # type: ignore[attr-defined]
    except Exception as exc:
        raise source.reject(None, f"cannot read the sheet {title!r} ({_brief(exc)})") from exc
    number = 0
    while True:
        try:
            cells = [_text(value) for value in next(values)]
        except StopIteration:
            return
        except Exception as exc:  # damaged sheet XML, bad shared string index, huge number...
            raise source.reject(
                number + 1, f"cannot read the sheet {title!r} ({_brief(exc)})"
            ) from exc
        number += 1
        if any(cells):
            yield number, cells


def _text(value: object) -> str:
    """A cell's value as the text a person sees (ids like 5104.0 as "5104")."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def _shown(value: str) -> str:
    """A cell value quoted for a message, cut short when it is long."""
    return repr(value if len(value) <= 60 else value[:57] + "...")


def _brief(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return (text[:80] + "...") if len(text) > 80 else (text or type(exc).__name__)


def _find_layout(rows: _Rows) -> tuple[_Layout | None, list[str]]:
    """The header among the first rows, consuming rows up to it; else the first row.

    Rows under a title are taken as the header only with two known columns, so a data row
    holding a word like "Student" is not mistaken for one.
    """
    first: list[str] = []
    for count, (_, cells) in enumerate(rows, start=1):
        if not first:
            first = cells
        layout = _layout(cells)
        if layout.identifies and (count == 1 or len(layout.used()) >= 2):
            return layout, cells
        if count >= _HEADER_SCAN_ROWS:
            break
    return None, first


def _no_identity_columns(source: SourceFile, header: Sequence[str]) -> ImportRejectedError:
    found = [name.strip() for name in header if name.strip()]
    shown = ", ".join(found[:20]) + (f" and {len(found) - 20} more" if len(found) > 20 else "")
    return source.reject(
        None,
        f"no name, email or id column: found {shown or 'no headers'}; expected one of {_EXPECTED}",
    )


class _Seen:
    """Who earlier rows were, to catch the same person listed twice."""

    __slots__ = ("emails", "ids", "name_only", "repeated_names")

    def __init__(self) -> None:
        self.emails: dict[str, int] = {}
        self.ids: dict[tuple[str, str], int] = {}
        self.name_only: set[str] = set()
        self.repeated_names = 0

    def check_id(self, source: SourceFile, row: int, kind: str, label: str, value: str) -> None:
        earlier = self.ids.setdefault((kind, value), row)
        if earlier != row:
            raise source.reject(row, f"repeats row {earlier}: {label} {value}")


def _records(source: SourceFile, layout: _Layout, header: Sequence[str], rows: _Rows) -> ItemStream:
    _note_columns(source, layout, header)
    seen = _Seen()
    roles: dict[str, Role] = {}
    count = 0
    for row, cells in rows:
        count += 1
        yield _record(source, layout, row, cells, seen, roles)
    if count == 0:
        source.note("The roster has a header but nobody under it.")
    if seen.repeated_names:
        source.note(
            f"{plural(seen.repeated_names, 'row repeats', 'rows repeat')} a name with no email "
            "or id: they are taken as the same person."
        )


def _note_columns(source: SourceFile, layout: _Layout, header: Sequence[str]) -> None:
    used = layout.used()
    read = ", ".join(f"{header[i].strip()} ({what})" for i, what in sorted(used.items()))
    ignored = [h.strip() for i, h in enumerate(header) if i not in used and h.strip()]
    message = f"Columns read: {read}."
    if ignored:
        more = len(ignored) - _IGNORED_SHOWN
        message += " Not used: " + ", ".join(ignored[:_IGNORED_SHOWN])
        message += f" and {more} more." if more > 0 else "."
    source.note(message)


def _value(cells: Sequence[str], index: int | None) -> str:
    text = cell(cells, index)
    if text and len(text) <= _EMPTY_MAX_LEN and text.casefold() in _EMPTY:
        return ""
    return text


def _identifier(cells: Sequence[str], index: int | None) -> str:
    text = _value(cells, index)
    if text and text[-1] == "0":
        whole = _WHOLE_NUMBER.fullmatch(text)
        if whole is not None:
            return whole.group(1)
    return text


def _record(
    source: SourceFile,
    layout: _Layout,
    row: int,
    cells: list[str],
    seen: _Seen,
    roles: dict[str, Role],
) -> PersonRecord:
    name = _value(cells, layout.name)
    if not name and (layout.first is not None or layout.last is not None):
        first = _value(cells, layout.first)
        last = _value(cells, layout.last)
        name = f"{first} {last}" if first and last else first or last
    if name and _SPACES.search(name):
        name = _SPACES.sub(" ", name).strip()
    email = _value(cells, layout.email)
    if email and _EMAIL_RE.fullmatch(email) is None:
        raise source.reject(row, f"{_shown(email)} is not an email address")
    external = _identifier(cells, layout.external)
    moodle = _identifier(cells, layout.moodle)
    slack = _identifier(cells, layout.slack)
    if not (name or email or external):
        alone = " (a Moodle or Slack id alone is not enough)" if moodle or slack else ""
        raise source.reject(row, f"the row has no name, email or id{alone}")
    if email:
        earlier = seen.emails.setdefault(email.casefold(), row)
        if earlier != row:
            raise source.reject(row, f"repeats row {earlier}: {email}")
    if external:
        seen.check_id(source, row, IDENTITY_SOURCE, "id", external)
    identities: list[tuple[str, str]] = []
    if moodle:
        seen.check_id(source, row, "moodle", "Moodle ID", moodle)
        identities.append(("moodle", moodle))
    if slack:
        seen.check_id(source, row, "slack", "Slack ID", slack)
        identities.append(("slack", slack))
    if not (email or external):
        if name in seen.name_only:
            seen.repeated_names += 1
        else:
            seen.name_only.add(name)
    role = _role(source, row, _value(cells, layout.role), roles)
    if layout.flag is not None and _flag(source, row, _value(cells, layout.flag)):
        role = Role.FACILITATOR
    if len(layout.expertise) == 1:
        expertise = _value(cells, layout.expertise[0])
    else:
        expertise = "; ".join(v for v in (_value(cells, i) for i in layout.expertise) if v)
    return PersonRecord(
        row=row,
        who=PersonKey(source_id=external or None, email=email or None, name=name or None),
        role=role,
        expertise=expertise,
        identities=tuple(identities),
    )


def _role(source: SourceFile, row: int, text: str, cache: dict[str, Role]) -> Role | None:
    if not text:
        return None
    known = cache.get(text)
    if known is not None:
        return known
    found: list[Role] = []
    for part in _ROLE_SEPARATORS.split(text):
        if not part:
            continue
        key = normalise_header(part)
        role = _ROLES.get(key)
        if role is None and key.endswith("s"):
            role = _ROLES.get(key[:-1])
        if role is None:
            accepted = f"accepted roles: {_ACCEPTED_ROLES}"
            raise source.reject(row, f"unknown role {_shown(text)}; {accepted}")
        found.append(role)
    if not found:
        return None
    best = min(found, key=_ROLE_RANK.__getitem__)
    cache[text] = best
    return best


def _flag(source: SourceFile, row: int, text: str) -> bool:
    if not text:
        return False
    word = text.casefold()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    expected = "expected 1 or 0, yes or no, true or false"
    raise source.reject(row, f"the Facilitator column holds {_shown(text)}; {expected}")
