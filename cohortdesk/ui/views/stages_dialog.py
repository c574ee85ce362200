"""A reference card of Salmon's five stages, from `resources/stages.json`."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from cohortdesk.core.stages import all_stages
from cohortdesk.ui.widgets.dialog_parts import explain_buttons


def stages_html() -> str:
    """The five stages as an HTML table, top step first."""
    rows = []
    for info in reversed(all_stages()):
        problems = "<br>".join(escape(p) for p in info.typical_problems)
        rows.append(
            f"<tr><td style='background:{info.colour};color:white;padding:6px'>"
            f"<b>{info.number}</b></td>"
            f"<td style='padding:6px'><b>{escape(info.name)}</b><br>"
            f"<i>{escape(info.typical_behaviour)}</i></td>"
            f"<td style='padding:6px'>{escape(info.emoderator_role)}</td>"
            f"<td style='padding:6px'>{escape(info.technical_support)}</td>"
            f"<td style='padding:6px'>{escape(info.evidence)}</td>"
            f"<td style='padding:6px'>{problems}</td></tr>"
        )
    head = "".join(
        f"<th align='left' style='padding:6px'>{h}</th>"
        for h in (
            "",
            "Stage",
            "E-moderator role",
            "Technical support",
            "Evidence",
            "Typical problems",
        )
    )
    return (
        "<p>Each stage needs the one below; interaction grows as people climb, and the "
        "e-moderator's work is heaviest at stages 1 and 2. The stage belongs to each member, "
        "and you can always set it.</p>"
        f"<table cellspacing='2'><tr>{head}</tr>{''.join(rows)}</table>"
        "<p style='color:gray'>After Gilly Salmon, <i>E-moderating</i> and <i>E-tivities</i>.</p>"
    )


class StagesDialog(QDialog):
    """Help > Salmon's five stages."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Salmon's five stages")
        self.resize(900, 560)
        browser = QTextBrowser()
        browser.setHtml(stages_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        explain_buttons(buttons)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(browser)
        layout.addWidget(buttons)
