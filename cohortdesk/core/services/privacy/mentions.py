"""Finding a person's name in other people's text, the way a reader would recognise it.

Erasing someone must also remove them from what others wrote: "Andrii, could you say a bit
more...", "thanks to Juric", "andrii.juric@example.org". A mention is any of their full name,
given name, family name or email, as a whole word, in any case and with or without accents
("Andrii Juric" is "Andrii Jurić"). Matching runs on a folded copy of the text (decomposed,
accents dropped, case folded) and the replacement is mapped back onto the original, so the
rest of the message keeps its own accents and case.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache


@cache
def _marks() -> dict[int, None]:
    """Every combining mark, for `str.translate` to drop (built once, on first use)."""
    return {cp: None for cp in range(sys.maxunicode + 1) if unicodedata.combining(chr(cp))}


def fold(text: str) -> str:
    """`text` as matching compares it: decomposed, accents dropped, case folded."""
    return unicodedata.normalize("NFKD", text).translate(_marks()).casefold()


def name_parts(full_name: str, email: str | None) -> list[str]:
    """What counts as a mention of someone: the full name, the given and family names, the
    email; longest first so that "Andrii Juric" is replaced whole, not in two halves."""
    words = full_name.split()
    parts = {" ".join(words), email or ""}
    if len(words) > 1:
        parts |= {words[0], words[-1]}
    folded = {fold(p).strip() for p in parts}
    return sorted((p for p in folded if len(p) >= 2), key=len, reverse=True)


class Mentions:
    """Finds and replaces one person's mentions (`name_parts`) in any text."""

    def __init__(self, full_name: str, email: str | None) -> None:
        parts = name_parts(full_name, email)
        self._pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in parts) + r")(?!\w)")
            if parts
            else None
        )

    def found_in(self, text: str) -> bool:
        """Whether `text` mentions the person."""
        return self._pattern is not None and self._pattern.search(fold(text)) is not None

    def replace(self, text: str, by: str) -> tuple[str, int]:
        """`text` with every mention replaced by `by`, and how many were replaced."""
        if self._pattern is None or not self.found_in(text):
            return text, 0
        folded: list[str] = []
        origin: list[int] = []  # the index in `text` of each character of the folded copy
        for index, char in enumerate(text):
            piece = fold(char)
            folded.append(piece)
            origin.extend([index] * len(piece))
        spans = [
            (origin[m.start()], origin[m.end() - 1] + 1)
            for m in self._pattern.finditer("".join(folded))
            if m.end() > m.start()
        ]
        out: list[str] = []
        at = 0
        for start, end in spans:
            out += [text[at:start], by]
            at = end
        out.append(text[at:])
        return "".join(out), len(spans)
