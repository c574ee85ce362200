"""Stable pseudonyms for one export: an HMAC-SHA256 of a person's id, truncated.

The key is random for each export unless the user gives one: with a random key two exports
cannot be linked to each other (nor to the database's ids); with the user's key, the same
person gets the same pseudonym in every export made with it. The key itself is never written.
Thread names are replaced the same way (they are written by participants and may name people).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid

#: hex digits kept: 48 bits, so a collision among a few thousand members is vanishingly rare
PSEUDONYM_HEX = 12
#: the xAPI `account.homePage` of pseudonymous actors
PSEUDONYM_HOME_PAGE = "https://w3id.org/xapi/cohortdesk/pseudonym"
#: the namespace of cohortdesk's deterministic statement and registration UUIDs
COHORTDESK_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/xapi/cohortdesk")


class Pseudonymiser:
    """Pseudonyms of people and threads, under one key.

    Args:
        key: the user's key (text), or None for a random key used by this export only.
    """

    def __init__(self, key: str | None = None) -> None:
        secret = key.encode("utf-8") if key is not None else secrets.token_bytes(32)
        self._key = secret
        self.user_key = key is not None
        self._people: dict[int, str] = {}

    def _digest(self, text: str) -> str:
        return hmac.new(self._key, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def person(self, person_id: int) -> str:
        """`p-1a2b3c4d5e6f`: the same for the same person under the same key."""
        found = self._people.get(person_id)
        if found is None:
            digest = self._digest(f"person:{person_id}")
            found = self._people[person_id] = f"p-{digest[:PSEUDONYM_HEX]}"
        return found

    def cohort(self, cohort_id: int) -> str:
        """`c-…`: the cohort's stand-in; its name and description may name a client or the
        facilitator."""
        return f"c-{self._digest(f'cohort:{cohort_id}')[:PSEUDONYM_HEX]}"

    def thread(self, thread: str) -> str:
        """`t-…`: a thread's stand-in, so events of one thread stay together."""
        return f"t-{self._digest(f'thread:{thread}')[:PSEUDONYM_HEX]}"

    def namespace(self) -> uuid.UUID:
        """The UUID namespace for this key's statement ids and registrations.

        Derived from the key, so pseudonymised exports under different keys share no ids
        (ids alone would otherwise link them); with the same key, ids are stable.
        """
        return uuid.uuid5(COHORTDESK_NAMESPACE, f"pseudonymised:{self._digest('namespace')}")
