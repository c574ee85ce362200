"""Template rendering: the documented placeholders, and nothing else, ever."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cohortdesk.core.errors import KnownError
from cohortdesk.core.rendering import (
    PLACEHOLDER_NAMES,
    PLACEHOLDERS,
    TemplateError,
    check,
    day_label,
    render,
    render_message,
    used_placeholders,
)
from cohortdesk.core.schemas import MAX_MESSAGE_CHARS

FIELDS = {p.name: p.example for p in PLACEHOLDERS}


def test_placeholders_are_filled_and_braces_escaped() -> None:
    text = "Hi {first_name}, welcome to {cohort}! Write {{first_name}} for a placeholder }}."
    assert render(text, FIELDS) == (
        "Hi Amina, welcome to Leading Online Learning! Write {first_name} for a placeholder }."
    )


def test_text_without_braces_is_unchanged() -> None:
    assert render("Plain text, ünïcode ✓\n\tand tabs", {}) == "Plain text, ünïcode ✓\n\tand tabs"


def test_values_are_inserted_verbatim_and_never_read_as_templates() -> None:
    fields = {"first_name": "{cohort} {0.__class__} {{"}
    assert render("Hi {first_name}!", fields) == "Hi {cohort} {0.__class__} {{!"


def test_every_placeholder_is_documented_with_an_example() -> None:
    assert len(PLACEHOLDER_NAMES) == len(PLACEHOLDERS)
    for placeholder in PLACEHOLDERS:
        assert placeholder.description and placeholder.example
        assert placeholder.token == "{" + placeholder.name + "}"
        assert check(placeholder.token) == (placeholder.name,)
    wanted = {"first_name", "cohort", "stage_name", "days_since_active", "facilitator"}
    wanted |= {"peer_name", "next_etivity", "next_date", "space_link"}
    assert wanted <= PLACEHOLDER_NAMES


HOSTILE = [
    # format-string attacks: attribute, index, conversion, format spec
    ("{0.__class__}", "is not a placeholder"),
    ("{first_name.__class__.__mro__}", "is not a placeholder"),
    ("{first_name.__globals__}", "is not a placeholder"),
    ("{a[0]}", "is not a placeholder"),
    ("{first_name[0]}", "is not a placeholder"),
    ("{x!r}", "is not a placeholder"),
    ("{first_name!s}", "is not a placeholder"),
    ("{first_name:>9999999}", "is not a placeholder"),
    ("{first_name:{cohort}}", "is not closed"),
    ("{:>9999999}", "is not a placeholder"),
    ("{}", "is not a placeholder"),
    ("{0}", "is not a placeholder"),
    ("{__import__('os').system('ls')}", "is not a placeholder"),
    ("{FIRST_NAME}", "is not a placeholder"),
    ("{ first_name }", "spaces inside the braces"),
    ("{frist_name}", "did you mean {first_name}"),
    ("{password}", "Unknown placeholder {password}"),
    # unbalanced braces
    ("{first_name", "is not closed"),
    ("Hi {", "is not closed"),
    ("{{{first_name}}", "lone }"),
    ("}", "lone }"),
    ("Hi }{first_name}", "lone }"),
    ("{{first_name}", "lone }"),
    ("{first_name{cohort}}", "is not closed"),
    ("{" * 3, "is not closed"),
    ("a\nb\n   {oops}", "line 3, column 4"),
]


@pytest.mark.parametrize(("text", "message"), HOSTILE)
def test_hostile_templates_are_clear_errors(text: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message.replace("{", r"\{").replace("}", r"\}")) as err:
        render(text, FIELDS)
    error = err.value
    assert isinstance(error, KnownError)
    assert "line" in str(error) and "column" in str(error)
    assert 0 <= error.offset <= len(text)
    assert error.line >= 1 and error.column >= 1


def test_an_unknown_placeholder_names_itself_and_where_it_is() -> None:
    text = "Hi {first_name},\n\nSee you at {venue} on {next_date}."
    with pytest.raises(TemplateError) as err:
        check(text, "Body")
    error = err.value
    assert error.placeholder == "venue"
    assert (error.line, error.column, error.offset) == (3, 12, text.index("{venue}"))
    assert str(error) == "Body: Unknown placeholder {venue} at line 3, column 12"


def test_a_long_malformed_placeholder_is_shown_short() -> None:
    with pytest.raises(TemplateError) as err:
        render("{" + "x." * 5000 + "}", FIELDS)
    assert len(str(err.value)) < 250


def test_output_is_capped() -> None:
    fields = {"first_name": "x" * 1000}
    with pytest.raises(TemplateError, match="longer than 20,000 characters"):
        render("{first_name}" * 21, fields)
    assert len(render("{first_name}" * 20, fields)) == MAX_MESSAGE_CHARS


#: past the length cap: a million braces, a million placeholders, one character too many, one
#: huge placeholder name
HUGE_TEMPLATES = (
    "{{" * 1_000_000,
    "{first_name}" * 1_000_000,
    "x" * (MAX_MESSAGE_CHARS + 1),
    "{" + "a" * 1_000_000 + "}",
)


@pytest.mark.parametrize("text", HUGE_TEMPLATES)
def test_huge_templates_are_refused(text: str) -> None:
    # how long a refusal takes is a figure in tests/perf/test_render_bench.py
    with pytest.raises(TemplateError, match="longer than"):
        render(text, FIELDS)


def test_many_placeholders_within_the_cap_render() -> None:
    assert render("{stage}" * 2500, FIELDS) == "2" * 2500


def test_render_message_keeps_the_subject_on_one_line_and_notes_fallbacks() -> None:
    message = render_message(
        "Hello\n{first_name}\r\n  again",
        "Meet us at {space_link}, {first_name}.",
        FIELDS,
        fallbacks={"space_link", "peer_name"},
    )
    assert message.subject == "Hello Amina again"
    assert message.body.startswith("Meet us at https://")
    assert message.fallback_fields == ("space_link",)


def test_render_message_says_which_part_is_wrong() -> None:
    with pytest.raises(TemplateError, match=r"^Subject: Unknown placeholder \{nme\}") as err:
        render_message("Hi {nme}", "Body is fine", FIELDS)
    assert err.value.part == "Subject"
    with pytest.raises(TemplateError, match=r"^Body: A lone }"):
        render_message("Fine", "oops }", FIELDS)


def test_used_placeholders_in_order_once_each() -> None:
    text = "{cohort} {first_name} {cohort} {{stage}}"
    assert used_placeholders(text, FIELDS) == ("cohort", "first_name")


def test_day_label_is_locale_free() -> None:
    assert day_label(date(2026, 10, 15), date(2026, 10, 30)) == "Thu 15 Oct"
    assert day_label(date(2025, 12, 31), date(2026, 1, 2)) == "Wed 31 Dec 2025"
    assert day_label(date(2026, 1, 2)) == "Fri 2 Jan 2026"


# ---- properties -----------------------------------------------------------------------------

_names = st.sampled_from(sorted(PLACEHOLDER_NAMES))
_values = st.text(max_size=30)
_literal = st.text(max_size=40).map(lambda s: s.replace("{", "{{").replace("}", "}}"))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_renders_or_is_a_template_error(text: str) -> None:
    try:
        result = render(text, FIELDS)
    except TemplateError as error:
        assert 0 <= error.offset <= len(text)
    else:
        assert len(result) <= MAX_MESSAGE_CHARS


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500))
def test_escaped_text_renders_to_itself(text: str) -> None:
    assert render(text.replace("{", "{{").replace("}", "}}"), {}) == text


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_literal, _names), max_size=12),
    st.fixed_dictionaries(dict.fromkeys(PLACEHOLDER_NAMES, _values)),
)
def test_placeholders_take_exactly_their_values(
    parts: list[tuple[str, str]], fields: dict[str, str]
) -> None:
    template = "".join(literal + "{" + name + "}" for literal, name in parts)
    expected = "".join(
        literal.replace("{{", "{").replace("}}", "}") + fields[name] for literal, name in parts
    )
    assert render(template, fields) == expected
