"""Exports: participation records (CSV, XLSX, xAPI) and the trainer's PDF report.

One module per format, and what they share: `records` (what is exported, computed once, with
pseudonymisation applied before any writer sees the data), `tabular` (the columns of the table
formats and formula-injection neutralising), `pseudonym`, `xapi_rules` (the xAPI 1.0.3 rules
statements are checked against) and `run`, the entry points the CLI and the GUI call
(`run_export`, `preview`). Every file is written through `storage.safefile` (atomic, owner-only).
"""

from __future__ import annotations

from cohortdesk.core.exporters.run import export_cohort, files_for, preview, run_export

__all__ = ["export_cohort", "files_for", "preview", "run_export"]
