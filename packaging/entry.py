"""The bundle's entry point: cohortdesk's command line, as `python -m cohortdesk` runs it.

With COHORTDESK_BUNDLE_CHECK=1 it imports every cohortdesk module instead, prints one line
per module that fails and exits 1 if any did: cohortdesk loads the dashboard, the exporters
and the importers when first used, so a library missing from the bundle would otherwise show
only then. tests/packaging runs this on every bundle it builds.
"""

import importlib
import os
import pkgutil
import sys


def check_imports() -> int:
    """Import every cohortdesk module (the migration scripts are Alembic's to load)."""
    import cohortdesk

    failed = 0
    names = sorted(m.name for m in pkgutil.walk_packages(cohortdesk.__path__, "cohortdesk."))
    for name in names:
        if name.startswith("cohortdesk.core.migrations.") or name == "cohortdesk.__main__":
            continue
        try:
            importlib.import_module(name)
        except Exception as exc:
            failed += 1
            print(f"{name}: {type(exc).__name__}: {exc}", file=sys.stderr)
    print(f"{len(names) - failed} modules imported, {failed} failed")
    return 1 if failed else 0


if os.environ.get("COHORTDESK_BUNDLE_CHECK") == "1":
    sys.exit(check_imports())

from cohortdesk.cli.main import main  # noqa: E402

sys.exit(main())
