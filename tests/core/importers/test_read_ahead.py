"""`read_ahead`: the same items in the same order, the parser's error where it happened, and a
parser stopped and closed when the caller stops early."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import closing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cohortdesk.core.importers.read_ahead import read_ahead


class RefusedError(Exception):
    pass


def _parser(items: list[int], fail_at: int | None, log: list[str]) -> Iterator[int]:
    try:
        for index, item in enumerate(items):
            if index == fail_at:
                raise RefusedError(f"row {index}")
            yield item
    finally:
        log.append(f"closed in {threading.current_thread().name}")


@given(
    items=st.lists(st.integers(), max_size=30),
    depth=st.integers(min_value=1, max_value=4),
)
def test_the_items_come_in_the_parsers_order(items: list[int], depth: int) -> None:
    log: list[str] = []
    assert list(read_ahead(_parser(items, None, log), depth)) == items
    assert log == ["closed in cohortdesk-read-ahead"]


@given(items=st.lists(st.integers(), min_size=1, max_size=30), data=st.data())
def test_the_parsers_error_comes_after_the_items_before_it(
    items: list[int], data: st.DataObject
) -> None:
    fail_at = data.draw(st.integers(min_value=0, max_value=len(items) - 1))
    got: list[int] = []
    with pytest.raises(RefusedError, match=f"row {fail_at}"):
        for item in read_ahead(_parser(items, fail_at, [])):
            got.append(item)
    assert got == items[:fail_at]


@given(items=st.lists(st.integers(), min_size=1, max_size=30), data=st.data())
def test_stopping_early_stops_and_closes_the_parser(items: list[int], data: st.DataObject) -> None:
    wanted = data.draw(st.integers(min_value=1, max_value=len(items)))
    log: list[str] = []
    before = threading.active_count()
    got: list[int] = []
    with closing(read_ahead(_parser(items, None, log))) as ahead:
        for item in ahead:
            got.append(item)
            if len(got) == wanted:
                break
    assert got == items[:wanted]
    assert log == ["closed in cohortdesk-read-ahead"]  # closed before `closing` returned
    assert threading.active_count() <= before


def test_a_cancel_raised_by_the_caller_stops_the_parser() -> None:
    log: list[str] = []
    endless = _parser(list(range(10_000)), None, log)
    with pytest.raises(KeyboardInterrupt), closing(read_ahead(endless)) as ahead:
        for item in ahead:
            if item == 3:
                raise KeyboardInterrupt
    assert log == ["closed in cohortdesk-read-ahead"]
