"""How the importers read the first bytes of a file to recognise its format."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cohortdesk.core.importers.textio import decode_head

TEXT = "Nom complet,Utilisateur concerné\r\nÉlodie,-\r\n"


@pytest.mark.parametrize(
    "head",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("cp1252"),  # re-saved by Excel on Windows
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),  # Excel's "Unicode text"
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    ],
)
def test_every_encoding_the_importers_accept_reads_the_same(head: bytes) -> None:
    assert decode_head(head) == TEXT


def test_a_character_cut_off_at_the_end_of_the_head_is_let_go() -> None:
    head = (TEXT + "é").encode("utf-8")[:-1]
    assert decode_head(head) == TEXT
    utf16 = codecs.BOM_UTF16_LE + (TEXT + "é").encode("utf-16-le")
    assert decode_head(utf16[:-1]) == TEXT


def test_a_cut_in_the_middle_is_not_utf8() -> None:
    broken = TEXT.encode("utf-8").replace("é".encode(), b"\xc3", 1)
    assert decode_head(broken).startswith("Nom complet,Utilisateur concernÃ")


@given(st.binary(max_size=200))
def test_any_bytes_give_text(head: bytes) -> None:
    assert isinstance(decode_head(head), str)
