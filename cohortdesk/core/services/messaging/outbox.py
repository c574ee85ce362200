"""Getting a message out of cohortdesk: `mailto:` links and `.eml` files.

cohortdesk never sends mail itself. A `mailto:` link opens the facilitator's mail client with
the message filled in; an `.eml` file is a complete message the mail client opens as a draft
(`X-Unsent: 1` tells Outlook to; Thunderbird and Apple Mail open it to forward or edit).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from email import policy
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import quote

from cohortdesk.core.errors import KnownError
from cohortdesk.core.models import utcnow
from cohortdesk.core.storage.safefile import write_file

#: Longer `mailto:` links are cut short or refused by some mail clients and by Windows.
MAILTO_SAFE_LENGTH = 2000
_UNSAFE_FILE_CHARS = re.compile(r"[^\w\-. ]+")


def _address(name: str, address: str) -> Address:
    try:
        return Address(display_name=" ".join(name.split()), addr_spec=address.strip())
    except (ValueError, IndexError, HeaderParseError) as exc:
        raise KnownError(f"Not an email address cohortdesk can write to: {address!r}") from exc


def build_message(
    *,
    to_name: str,
    to_address: str,
    subject: str,
    body: str,
    from_name: str = "",
    from_address: str = "",
    date: datetime | None = None,
) -> EmailMessage:
    """A complete UTF-8 email: To (name and address), optional From, Subject, Date, body.

    Line breaks in the subject or names become spaces (a header is one line).

    Raises:
        KnownError: the address is not one an email can carry.
    """
    message = EmailMessage(policy=policy.default)
    message["To"] = _address(to_name, to_address)
    if from_address:
        message["From"] = _address(from_name, from_address)
    message["Subject"] = " ".join(subject.split())
    message["Date"] = format_datetime(date or utcnow())
    message["Message-ID"] = make_msgid(domain="cohortdesk.invalid")
    message["X-Unsent"] = "1"
    message.set_content(body, charset="utf-8")
    return message


def write_eml(
    path: Path,
    *,
    to_name: str,
    to_address: str,
    subject: str,
    body: str,
    from_name: str = "",
    from_address: str = "",
    date: datetime | None = None,
) -> Path:
    """Write a message as an `.eml` file, atomically and owner-only: a complete file or none.

    Returns:
        The path written.

    Raises:
        KnownError: a bad address, or the file cannot be written (folder missing, disk full).
    """
    message = build_message(
        to_name=to_name,
        to_address=to_address,
        subject=subject,
        body=body,
        from_name=from_name,
        from_address=from_address,
        date=date,
    )
    return write_file(path, message.as_bytes(policy=policy.SMTP))


def eml_file_name(name: str, when: datetime) -> str:
    """A safe file name for one member's message: `2026-10-30 Tomas Horvat.eml`."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    cleaned = " ".join(_UNSAFE_FILE_CHARS.sub(" ", folded).split())[:80].strip(" .")
    return f"{when:%Y-%m-%d} {cleaned or 'member'}.eml"


def mailto_url(to_address: str, subject: str, body: str) -> str:
    """A `mailto:` link (RFC 6068) with the subject and body percent-encoded as UTF-8.

    Line breaks in the body are sent as CRLF (`%0D%0A`), as the RFC asks. Mail clients may
    cut links longer than `MAILTO_SAFE_LENGTH`; check the length and offer `.eml` instead.
    """
    crlf = "\r\n".join(body.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    one_line = " ".join(subject.split())
    query = f"subject={quote(one_line, safe='')}&body={quote(crlf, safe='')}"
    return f"mailto:{quote(to_address.strip(), safe='@')}?{query}"
