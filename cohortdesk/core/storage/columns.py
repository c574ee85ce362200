"""Whole-number query results as one numpy array, without a Python object per row.

A dashboard reads tens of thousands of rows of numbers (per member and week, per reply pair
and day). Row by row, the driver makes a tuple and an int object per value, and the caller
then loops over them in Python: more time than the database takes to produce them. Here the
rows come back as one two-dimensional `int64` array (a row per result row, a column per
selected column), for numpy to sum, group and pivot at C speed:

- on PostgreSQL the server packs the rows into one `bytea` value (each column as four
  big-endian bytes, `int4send`), read in one piece and viewed as an array without copying
  values one by one;
- elsewhere (SQLite runs in this process) the rows are read as the driver returns them and
  copied into the array in one pass.

Every selected column must be a whole number and never NULL (coalesce where a value may be
missing): a row holding a NULL is refused rather than silently lost. On a server each value
must fit in 32 bits (ids, day numbers, a member's counts in a week): the server refuses a
larger one ("integer out of range") rather than let it wrap.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    LargeBinary,
    Select,
    cast,
    func,
    select,
)

Columns = NDArray[np.int64]
"""Rows by columns of whole numbers."""


def int_columns(connection: Connection, stmt: Select[Any]) -> Columns:
    """The rows of `stmt` (whole numbers, no NULL) as an array of shape (rows, columns)."""
    width = len(stmt.selected_columns)
    if connection.dialect.name == "postgresql":
        return _packed(connection, stmt, width)
    rows = connection.execute(stmt).cursor.fetchall()
    values = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(rows) * width)
    return values.reshape(len(rows), width)


def _packed(connection: Connection, stmt: Select[Any], width: int) -> Columns:
    inner = stmt.subquery()
    packed: ColumnElement[bytes] | None = None
    for column in inner.c:
        value = func.int4send(cast(column, Integer), type_=LargeBinary)
        packed = value if packed is None else packed.op("||", return_type=LargeBinary)(value)
    assert packed is not None
    rows, data = connection.execute(
        select(func.count(), func.string_agg(packed, func.decode("", "hex")))
    ).one()
    data = b"" if data is None else bytes(data)
    if len(data) != rows * width * 4:
        raise ValueError("a whole-number column held NULL: coalesce it in the query")
    return np.frombuffer(data, dtype=">i4").astype(np.int64).reshape(rows, width)
