"""A cohort's settings: when someone needs attention, what counts as stage evidence, and the
facts messages use (the space link, the next e-tivity and its date).

The form is built from the settings models themselves: each field's title is its label,
its documented meaning the tooltip and hint, its bounds the spin box's range, so a threshold
added to a model appears here without a change to this file.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import shiboken6
from annotated_types import Ge, Le
from pydantic import BaseModel
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QWidget,
)

from cohortdesk.core.errors import KnownError
from cohortdesk.core.schemas import (
    AttentionSettings,
    CohortRow,
    CohortRules,
    EvidenceThresholds,
    MessageSettings,
    validated,
)
from cohortdesk.ui.context import AppContext
from cohortdesk.ui.tasks import Task, pass_on_failure
from cohortdesk.ui.views.cohort_scoped_dialog import CohortScopedDialog
from cohortdesk.ui.widgets.dialog_parts import dialog_layout
from cohortdesk.ui.widgets.labels import error_label, muted_label, show_error
from cohortdesk.ui.widgets.optional_date import OptionalDate

SECTIONS: tuple[tuple[str, str, type[BaseModel], str], ...] = (
    (
        "attention",
        "Who needs you",
        AttentionSettings,
        "When a learner appears on the Today list. Days are calendar days in the cohort's "
        "time zone.",
    ),
    (
        "evidence",
        "Stage evidence",
        EvidenceThresholds,
        "The numbers behind each stage's evidence: a member is suggested for a stage when "
        "they meet its rules and those of every stage below.",
    ),
    (
        "messages",
        "Messages",
        MessageSettings,
        "Facts about the cohort that message templates fill in: {space_link}, "
        "{next_etivity} and {next_date}.",
    ),
)

_SUFFIXES = (
    ("_days", " days"),
    ("_replies", " replies"),
    ("_words", " words"),
    ("_threads", " threads"),
    ("_posts", " posts"),
    ("_peers", " peers"),
    ("_each_way", " each way"),
)
_ATTRIBUTE = re.compile(r"^(\w+): (.*)$")
MESSAGE_HINTS = {
    "space_link": "where the cohort meets (the course space, forum or channel): what "
    "{space_link} fills in; messages say 'the course space' while it is empty.",
    "next_etivity": "the next e-tivity's title, for {next_etivity}; while empty, the newest "
    "thread the facilitator started.",
    "next_date": "when the next e-tivity opens, for {next_date}; while not set, messages say "
    "'[date]' and the nudge dialog warns before anything is sent.",
}


def attribute_docs(model: type[BaseModel]) -> dict[str, str]:
    """The `Attributes:` section of a model's docstring, one text per field."""
    docs: dict[str, str] = {}
    current = ""
    inside = False
    for line in inspect.cleandoc(model.__doc__ or "").splitlines():
        stripped = line.strip()
        if stripped == "Attributes:":
            inside = True
            continue
        if not inside or not stripped:
            continue
        if match := _ATTRIBUTE.match(stripped):
            current = match.group(1)
            docs[current] = match.group(2)
        elif current:
            docs[current] += " " + stripped
    return docs


def field_label(model: type[BaseModel], name: str) -> str:
    """The field's title, or its name in words (`space_link` -> `Space link`)."""
    title = model.model_fields[name].title
    return title or name.replace("_", " ").capitalize()


def _bounds(model: type[BaseModel], name: str) -> tuple[int, int]:
    low, high = 0, 10_000
    for rule in model.model_fields[name].metadata:
        if isinstance(rule, Ge):
            low = int(rule.ge)  # type: ignore[call-overload]
        elif isinstance(rule, Le):
            high = int(rule.le)  # type: ignore[call-overload]
    return low, high


def _suffix(name: str) -> str:
    if name in ("low_motivation", "motivation_drop"):
        return " of 5" if name == "low_motivation" else " points"
    if name == "development_newcomer_stage":
        return ""
    return next((suffix for ending, suffix in _SUFFIXES if name.endswith(ending)), "")


class CohortSettingsDialog(CohortScopedDialog):
    """Edit one cohort's attention thresholds, evidence thresholds and message settings.

    Args:
        context: the open database's services.
        cohort: whose settings.
        parent: the main window.
    """

    TITLE = "Settings of {name}"
    MINIMUM_SIZE = (620, 520)
    SIZE = (760, 760)

    settings_loaded = Signal()
    """The stored settings arrived and fill the form."""
    settings_saved = Signal(str)
    """Saved: what happened, for the status bar."""

    def __init__(
        self, context: AppContext, cohort: CohortRow, parent: QWidget | None = None
    ) -> None:
        from cohortdesk.core.services.attention import rules

        super().__init__(context, cohort, parent)
        self.fields: dict[tuple[str, str], QWidget] = {}
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for key, heading, model, about in SECTIONS:
            self.tabs.addTab(self._section(key, model, about), heading)
        self.error_label = error_label()
        self.defaults_button = QPushButton("Restore &defaults")
        self.defaults_button.setToolTip(
            "Fill the form with cohortdesk's defaults (Save keeps them)"
        )
        self.save_button = QPushButton("&Save")
        self.save_button.setToolTip("Save these settings for this cohort and close")
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Close without changing anything")
        buttons = QHBoxLayout()
        buttons.addWidget(self.defaults_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)

        layout = dialog_layout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

        self.defaults_button.clicked.connect(lambda: self.set_value(CohortRules()))
        self.cancel_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        self.save_button.setEnabled(False)
        cohort_id = cohort.id
        context.runner.read(
            "Loading the cohort's settings",
            lambda session: rules.get_rules(session, cohort_id),
            self._arrived,
        )

    def _section(self, key: str, model: type[BaseModel], about: str) -> QWidget:
        docs = attribute_docs(model) or (MESSAGE_HINTS if model is MessageSettings else {})
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(12, 12, 12, 12)
        form.setVerticalSpacing(4)
        form.addRow(muted_label(about))
        for name in model.model_fields:
            editor = self._editor(model, name)
            tip = docs.get(name, "")
            label = QLabel(field_label(model, name) + ":")
            label.setBuddy(editor)
            editor.setToolTip(tip)
            label.setToolTip(tip)
            form.addRow(label, editor)
            if tip:
                hint = muted_label(tip[0].upper() + tip[1:])
                hint.setContentsMargins(0, 0, 0, 6)
                form.addRow("", hint)
            self.fields[(key, name)] = editor
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(page)
        return scroll

    def _editor(self, model: type[BaseModel], name: str) -> QWidget:
        annotation = model.model_fields[name].annotation
        if annotation is int:
            spin = QSpinBox()
            low, high = _bounds(model, name)
            spin.setRange(low, high)
            spin.setSuffix(_suffix(name))
            if name == "development_newcomer_stage":
                spin.setPrefix("stage ")
            spin.setAccessibleName(field_label(model, name))
            spin.setFixedWidth(150)  # a number, not a paragraph: the hint below explains it
            return spin
        if annotation is str:
            line = QLineEdit()
            line.setAccessibleName(field_label(model, name))
            if name == "space_link":
                line.setPlaceholderText("https://… (the course space, forum or channel)")
            elif name == "next_etivity":
                line.setPlaceholderText("Week 9 · Your e-tivity plan")
            return line
        day = OptionalDate(
            "Set", None, self.context.current_date(), display_format="ddd d MMM yyyy"
        )
        day.edit.setAccessibleName(field_label(model, name))
        return day

    @Slot(object)
    def _arrived(self, stored: CohortRules) -> None:
        if not shiboken6.isValid(self):
            return
        self.set_value(stored)
        self.save_button.setEnabled(True)
        self.settings_loaded.emit()

    def set_value(self, value: CohortRules) -> None:
        """Fill the form."""
        for key, _heading, _model, _about in SECTIONS:
            section: BaseModel = getattr(value, key)
            for name in type(section).model_fields:
                editor = self.fields[(key, name)]
                current = getattr(section, name)
                if isinstance(editor, QSpinBox):
                    editor.setValue(int(current))
                elif isinstance(editor, QLineEdit):
                    editor.setText(str(current))
                elif isinstance(editor, OptionalDate):
                    editor.set_value(current)

    def value(self) -> CohortRules:
        """The form as settings.

        Raises:
            KnownError: a value is not valid (a link on two lines, say).
        """
        parts: dict[str, Any] = {}
        for key, heading, model, _about in SECTIONS:
            values: dict[str, Any] = {}
            for name in model.model_fields:
                editor = self.fields[(key, name)]
                if isinstance(editor, QSpinBox):
                    values[name] = editor.value()
                elif isinstance(editor, QLineEdit):
                    values[name] = editor.text()
                elif isinstance(editor, OptionalDate):
                    values[name] = editor.value()
            try:
                parts[key] = validated(model, **values)
            except KnownError as exc:
                raise KnownError(f"{heading}: {exc}") from exc
        return CohortRules(**parts)

    @Slot()
    def save(self) -> Task | None:
        """Store the settings; the Today list follows them at once."""
        from cohortdesk.core.services.attention import rules

        try:
            chosen = self.value()
        except KnownError as exc:
            show_error(self.error_label, str(exc))
            return None
        show_error(self.error_label, "")
        self.save_button.setEnabled(False)
        cohort_id, name = self.cohort.id, self.cohort.name
        started: list[Task] = []

        def done(_saved: CohortRules) -> None:
            self.settings_saved.emit(f"Saved the settings of {name}")
            if shiboken6.isValid(self):
                self.accept()

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            self.save_button.setEnabled(True)
            if isinstance(exc, KnownError):
                show_error(self.error_label, str(exc))
            else:
                pass_on_failure(self.context.runner, started[0], exc)

        started.append(
            self.context.runner.write(
                f"Saving the settings of {name}",
                lambda session: rules.save_rules(session, cohort_id, chosen),
                done,
                failed,
            )
        )
        return started[0]
