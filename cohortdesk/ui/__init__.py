"""The Qt GUI (PySide6): the main window, its views, widgets, charts and background tasks.

PySide6 looks at every module imported after it to learn whether the module selects one of
its optional `__feature__`s (snake_case, true_property): by reading the module's source, which
costs a good part of the start's imports (SQLAlchemy, pydantic, the views). cohortdesk
selects none, so every module is taken as selecting none, without reading it; Qt's classes
behave as they do by default in every module.
"""

from __future__ import annotations

import sys

import PySide6.QtCore  # noqa: F401 (sets up PySide6's feature support, patched below)


def _select_no_features() -> None:
    feature = sys.modules.get("PySide6.support.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        setattr(feature, "_mod_uses_pyside", lambda _module: False)  # noqa: B010


_select_no_features()
