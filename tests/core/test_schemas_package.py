"""The schemas package: every name it re-exports is found where it says, and asking for one
loads only the module that holds it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import cohortdesk.core.schemas as schemas

PACKAGE = Path(schemas.__file__)


def _imported_for_type_checking() -> dict[str, str]:
    """Each name the package imports for the type checker, and the module it comes from."""
    tree = ast.parse(PACKAGE.read_text(encoding="utf-8"))
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    return {
        alias.name: node.module
        for node in block.body
        if isinstance(node, ast.ImportFrom) and node.module is not None
        for alias in node.names
    }


def test_every_name_is_found_in_the_module_the_type_checker_is_told() -> None:
    imported = _imported_for_type_checking()
    homes = {
        name: home if "." in home else f"{schemas.__name__}.{home}"
        for name, home in schemas._HOMES.items()
    }
    assert homes == imported
    assert sorted(schemas.__all__) == sorted(imported)
    for name, module in imported.items():
        assert getattr(schemas, name) is getattr(sys.modules[module], name), name


def test_an_unknown_name_is_an_attribute_error() -> None:
    assert not hasattr(schemas, "NoSuchRow")


def test_a_name_loads_only_the_module_that_holds_it() -> None:
    script = (
        "import sys\n"
        "from cohortdesk.core.schemas import Changes, CohortRow\n"
        "print(sorted(m for m in sys.modules if m.startswith('cohortdesk.core.schemas.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = set(ast.literal_eval(done.stdout.strip()))
    assert {"cohortdesk.core.schemas.changes", "cohortdesk.core.schemas.cohorts"} <= loaded
    for other in ("mentoring", "members", "imports", "exports", "dashboard", "templates"):
        assert f"cohortdesk.core.schemas.{other}" not in loaded
