"""Exports: participation records (CSV, XLSX, xAPI) and the trainer's PDF report.

One module per format, and what they share: `records` (what is exported, computed once, with
pseudonymisation applied before any writer sees the data), `tabular` (the columns of the table
formats and formula-injection neutralising), `pseudonym`, `xapi_rules` (the xAPI 1.0.3 rules
statements are checked against) and `run`, the entry point the CLI and the GUI call. Every file
is written through `storage.safefile` (atomic, owner-only).
"""

from __future__ import annotations

from cohortdesk.core.exporters.run import export_cohort, files_for, preview

__all__ = ["export_cohort", "files_for", "preview"]
