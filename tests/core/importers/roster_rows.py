"""The row-by-row reading of rosters that the columnar one replaced, kept as the reference
the differential test compares the product's reading with."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from cohortdesk.core.enums import Role
from cohortdesk.core.importers.base import (
    ImportOptions,
    ItemStream,
    PersonKey,
    PersonRecord,
    SourceFile,
)
from cohortdesk.core.importers.roster import (
    _OLE_MAGIC,
    _ZIP_MAGIC,
    IDENTITY_SOURCE,
    _check_archive,
    _no_identity_columns,
    _note_columns,
    _open_workbook,
    _Rows,
    _sheet_rows,
)
from cohortdesk.core.importers.roster import _find_layout as _find_layout_at
from cohortdesk.core.importers.roster_layout import _ACCEPTED_ROLES as _ACCEPTED_ROLES
from cohortdesk.core.importers.roster_layout import _EMAIL_RE as _EMAIL_RE
from cohortdesk.core.importers.roster_layout import _FALSE as _FALSE
from cohortdesk.core.importers.roster_layout import _ROLE_RANK as _ROLE_RANK
from cohortdesk.core.importers.roster_layout import _ROLE_SEPARATORS as _ROLE_SEPARATORS
from cohortdesk.core.importers.roster_layout import _ROLES as _ROLES
from cohortdesk.core.importers.roster_layout import _SPACES as _SPACES
from cohortdesk.core.importers.roster_layout import _TRUE as _TRUE
from cohortdesk.core.importers.roster_layout import EMPTY_MAX_LEN as _EMPTY_MAX_LEN
from cohortdesk.core.importers.roster_layout import EMPTY_WORDS as _EMPTY
from cohortdesk.core.importers.roster_layout import Layout as _Layout
from cohortdesk.core.importers.roster_layout import shown as _shown
from cohortdesk.core.importers.textio import cell, normalise_header, read_csv
from cohortdesk.core.text import plural

_WHOLE_NUMBER = re.compile(r"([0-9]+)\.0+")


def _find_layout(rows: _Rows) -> tuple[_Layout | None, list[str]]:
    found, header, _above = _find_layout_at(rows)
    return found, header


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
