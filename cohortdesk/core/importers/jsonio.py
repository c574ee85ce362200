"""Loading JSON from files that may be hostile: too big, too deep, NaN, giant numbers.

`load_json` returns plain Python data or raises `ImportRejectedError` with the reason; no
RecursionError, MemoryError or ValueError escapes.
"""

from __future__ import annotations

import json
import re
from typing import Any

from cohortdesk.core.importers.base import SourceFile

MAX_DEPTH = 64
MAX_NUMBER_DIGITS = 30


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise ValueError(f"a number with {len(text)} digits is too large")
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS + 10:
        raise ValueError("a number is too long")
    return float(text)


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def _depth_ok(text: str, limit: int = MAX_DEPTH) -> bool:
    """Cheap nesting check before parsing, so deep input never reaches the recursive parser."""
    if text.count("[") + text.count("{") <= limit:
        return True  # too few brackets to nest that deep
    # Only the brackets outside strings matter: let the regex engine drop everything else.
    depth = 0
    for char in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        if char in "[{":
            depth += 1
            if depth > limit:
                return _depth_ok_exact(text, limit)  # unterminated strings differ: be exact
        else:
            depth -= 1
    return True


def _depth_ok_exact(text: str, limit: int) -> bool:
    depth = 0
    in_string = False
    escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return False
        elif char in "]}":
            depth -= 1
    return True


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"the key {key[:60]!r} appears twice in one object")
            seen.add(key)
    return result


def parse_json_text(
    source: SourceFile, text: str, row: int | None = None, *, unique_keys: bool = False
) -> Any:
    """Parse one JSON document held in `text` (a file, or one line of JSON lines).

    With `unique_keys`, an object that repeats a key is refused (plain JSON keeps the last).
    """
    if not _depth_ok(text):
        raise source.reject(row, f"JSON nested deeper than {MAX_DEPTH} levels")
    try:
        return json.loads(
            text,
            parse_constant=_no_constant,
            parse_int=_int,
            parse_float=_float,
            object_pairs_hook=_unique_keys if unique_keys else None,
        )
    except json.JSONDecodeError as exc:
        where = row if row is not None else exc.lineno
        raise source.reject(where, f"invalid JSON ({exc.msg}, column {exc.colno})") from exc
    except (ValueError, RecursionError, MemoryError) as exc:
        raise source.reject(row, f"invalid JSON ({exc})") from exc


def read_text(source: SourceFile, data: bytes) -> str:
    """Decode JSON bytes (UTF-8, with or without BOM) and record the encoding."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise source.reject(None, f"not UTF-8 text (byte {exc.start})") from exc
    source.encoding = "utf-8"
    return text


def load_json(source: SourceFile, max_bytes: int, *, unique_keys: bool = False) -> Any:
    """The whole file as JSON, after the size check (`unique_keys`: see `parse_json_text`)."""
    source.check_size(max_bytes)
    text = read_text(source, source.path.read_bytes())
    return parse_json_text(source, text, unique_keys=unique_keys)
