"""The columnar reader's engine is loaded by an import only, never when cohortdesk starts."""

from __future__ import annotations

import subprocess
import sys


def test_starting_the_command_line_or_the_import_code_loads_no_polars() -> None:
    code = (
        "import sys\n"
        "import cohortdesk.cli.main, cohortdesk.core.importers.registry\n"
        "import cohortdesk.core.services.activity.importing\n"
        "print(sorted(m for m in ('polars', 'pyarrow') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert done.stdout.strip() == "[]"
