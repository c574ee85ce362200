"""Validated construction of DTOs, with a failure told as one line a person can act on."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from cohortdesk.core.errors import KnownError

ModelT = TypeVar("ModelT", bound=BaseModel)


def validated(model: type[ModelT], **values: object) -> ModelT:
    """Build `model` from `values`, turning a validation failure into a one-line `KnownError`.

    The message names the field as a person would (its `title`, or its name in words) and
    says what is wrong in plain words, with the value when that helps:
    `Email: not a valid email address (ann@example)`, `Name: cannot be empty`.
    """
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise KnownError(friendly_error(model, exc.errors()[0])) from exc


_SHOWN_LENGTH = 40

# pydantic's error types in plain words; `{...}` takes a value from the error's context, and
# True means the rejected value is shown after the words.
_PLAIN_WORDS: dict[str, tuple[str, bool]] = {
    "missing": ("required", False),
    "string_too_long": ("too long (at most {max_length} characters)", False),
    "string_pattern_mismatch": ("not in the expected form", True),
    "string_type": ("not text", True),
    "int_parsing": ("not a whole number", True),
    "int_type": ("not a whole number", True),
    "int_from_float": ("not a whole number", True),
    "float_parsing": ("not a number", True),
    "float_type": ("not a number", True),
    "bool_parsing": ("not yes or no", True),
    "bool_type": ("not yes or no", True),
    "greater_than": ("must be more than {gt}", True),
    "greater_than_equal": ("must be at least {ge}", True),
    "less_than": ("must be less than {lt}", True),
    "less_than_equal": ("must be at most {le}", True),
    "date_type": ("not a valid YYYY-MM-DD date", True),
    "date_parsing": ("not a valid YYYY-MM-DD date", True),
    "date_from_datetime_parsing": ("not a valid YYYY-MM-DD date", True),
    "date_from_datetime_inexact": ("a date alone is expected, without a time of day", True),
    "datetime_type": ("not a valid date and time", True),
    "datetime_parsing": ("not a valid date and time", True),
    "datetime_from_date_parsing": ("not a valid date and time", True),
    "timezone_aware": ("needs its time zone", True),
    "enum": ("must be one of {expected}", True),
    "literal_error": ("must be one of {expected}", True),
    "too_short": ("needs at least {min_length}", False),
    "too_long": ("has more than {max_length}", False),
    "extra_forbidden": ("not expected here", False),
}


def friendly_error(model: type[BaseModel], error: ErrorDetails) -> str:
    """One pydantic error as one line: the field's label first, then what is wrong."""
    kind, context = error["type"], error.get("ctx", {})
    if kind in ("value_error", "assertion_error"):
        # Our own validators' words, which name the value themselves when it helps.
        words, show_input = str(context.get("error", error["msg"])), False
    elif kind == "string_too_short":
        minimum = context.get("min_length", 1)
        words = "cannot be empty" if minimum == 1 else f"needs at least {minimum} characters"
        show_input = False
    elif kind in _PLAIN_WORDS:
        template, show_input = _PLAIN_WORDS[kind]
        words = template.format(**{k: str(v).replace("'", "") for k, v in context.items()})
    else:
        words, show_input = str(error["msg"]), True
        words = words[:1].lower() + words[1:]
    if show_input and (shown := shown_value(error["input"])):
        words += f" ({shown})"
    label = _label(model, error["loc"])
    line = f"{label}: {words}" if label else words[:1].upper() + words[1:]
    return " ".join(line.split())


def _label(model: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    """`Email`, `Time zone`, `Notes, item 2`; empty for an error about the whole input."""
    if not loc:
        return ""
    name = str(loc[0])
    field = model.model_fields.get(name)
    label = field.title if field is not None and field.title else name.replace("_", " ")
    label = label[:1].upper() + label[1:]
    items = [part for part in loc[1:] if isinstance(part, int)]
    return label + "".join(f", item {index + 1}" for index in items)


def shown_value(value: object) -> str:
    """A rejected value as the message shows it: short, one line; empty for a non-scalar."""
    if not isinstance(value, str | int | float | date):
        return ""
    text = " ".join(str(value).split())
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 1] + "…"
