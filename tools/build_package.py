"""Build dist/cohortdesk-<version>-linux-x86_64.tar.gz: `make package` runs it.

    .venv-package/bin/python tools/build_package.py

Run with the Python of the packaging environment (the runtime dependencies from pyproject.toml
and PyInstaller, nothing else: `make package` makes it), so nothing a developer installs
(mypy, pytest, hypothesis) can slip into the bundle. Steps: PyInstaller with
packaging/cohortdesk.spec (onedir), the migration scripts compiled to bytecode, the desktop
entry, metainfo, icons, install.sh and uninstall.sh added, then one tarball whose top folder is
`cohortdesk/`. It prints the sizes and the largest items.
"""

from __future__ import annotations

import argparse
import compileall
import py_compile
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
sys.path.insert(0, str(ROOT))

from cohortdesk import APP_ID, __version__  # noqa: E402

LIMIT_BYTES = 150 * 1000 * 1000  # the compressed tarball may not grow beyond this


def tarball_path(dist: Path) -> Path:
    """Where the tarball of this version goes."""
    return dist / f"cohortdesk-{__version__}-linux-x86_64.tar.gz"


def install_checkout() -> None:
    """cohortdesk from this checkout into the packaging environment, as its wheel installs."""
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", "."],
        cwd=ROOT,
        check=True,
    )


def run_pyinstaller(build: Path) -> Path:
    """The onedir bundle, built afresh from packaging/cohortdesk.spec."""
    out = build / "bundle"
    shutil.rmtree(out, ignore_errors=True)
    build.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(out),
            "--workpath",
            str(build / "pyinstaller"),
            str(PACKAGING / "cohortdesk.spec"),
        ],
        cwd=build,  # not the checkout, whose cohortdesk/ lacks the resources package
        check=True,
    )
    return out / "cohortdesk"


def strip_libraries(bundle: Path) -> None:
    """Strip the debugging symbols off the Python interpreter's own libraries (a self-built
    Python carries ~25 MB of them) and off polars' runtime (~40 MB: its wheel ships them).
    Never the other wheels' libraries: their ELF headers are patched by auditwheel and `strip`
    breaks them (numpy then fails to load its OpenBLAS). polars' runtime is one self-contained
    library that auditwheel leaves alone; tests/packaging imports a file with it."""
    if shutil.which("strip") is None:
        print("strip not found: the Python and polars libraries stay unstripped")
        return
    internal = bundle / "_internal"
    targets = [
        *internal.glob("libpython*.so*"),
        *internal.glob("python3*/lib-dynload/*.so"),
        *internal.glob("_polars_runtime*/*.so"),
    ]
    targets = [t for t in targets if t.is_file() and not t.is_symlink()]
    if targets:
        subprocess.run(["strip", "--strip-unneeded", *map(str, targets)], check=True)


def compile_migrations(bundle: Path) -> None:
    """Alembic reads the migration scripts as files: ship their bytecode beside them, checked
    by nothing but its presence (the bundle never changes), so no start compiles them."""
    (migrations,) = bundle.glob("_internal/cohortdesk/core/migrations")
    ok = compileall.compile_dir(
        migrations,
        quiet=1,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
    )
    if not ok:
        raise SystemExit(f"{migrations}: a migration script does not compile")


def add_desktop_files(bundle: Path) -> None:
    """The desktop entry, metainfo, icons and the two scripts, where install.sh looks."""
    share = bundle / "share"
    (share / "applications").mkdir(parents=True)
    (share / "metainfo").mkdir()
    shutil.copy2(PACKAGING / f"{APP_ID}.desktop", share / "applications")
    shutil.copy2(PACKAGING / f"{APP_ID}.metainfo.xml", share / "metainfo")
    shutil.copytree(PACKAGING / "icons", share / "icons")
    for script in ("install.sh", "uninstall.sh"):
        shutil.copy2(PACKAGING / script, bundle / script)
        (bundle / script).chmod(0o755)


def make_tarball(bundle: Path, target: Path) -> None:
    """`cohortdesk/...` in a gzip tarball, owned by nobody in particular."""

    def anonymous(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with tarfile.open(partial, "w:gz", compresslevel=9) as tar:
        tar.add(bundle, arcname="cohortdesk", filter=anonymous)
    partial.replace(target)


def tree_size(path: Path) -> int:
    """Bytes of every file under `path` (symlinks not followed)."""
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def largest_items(bundle: Path, count: int = 10) -> list[tuple[int, str]]:
    """The biggest files and top-level package folders inside the bundle, biggest first."""
    internal = bundle / "_internal"
    items: list[tuple[int, str]] = []
    for entry in [*internal.iterdir(), bundle / "cohortdesk"]:
        if entry.is_symlink():  # PyInstaller links libraries to where they were found
            continue
        if entry.is_dir() and entry.name != "PySide6":
            items.append((tree_size(entry), f"{entry.relative_to(bundle)}/"))
        elif entry.is_file():
            items.append((entry.stat().st_size, str(entry.relative_to(bundle))))
    # PySide6 is mostly Qt's libraries: list those one by one.
    items += [
        (p.stat().st_size, str(p.relative_to(bundle)))
        for p in (internal / "PySide6").rglob("*")
        if p.is_file() and not p.is_symlink() and p.stat().st_size > 1_000_000
    ]
    return sorted(items, reverse=True)[:count]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=ROOT / "build", help="work folder")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="tarball folder")
    args = parser.parse_args(argv)

    started = time.monotonic()
    install_checkout()
    bundle = run_pyinstaller(args.build.resolve())
    strip_libraries(bundle)
    compile_migrations(bundle)
    add_desktop_files(bundle)
    target = tarball_path(args.dist)
    make_tarball(bundle, target)
    seconds = time.monotonic() - started

    compressed = target.stat().st_size
    print(f"{target.relative_to(ROOT)}: {compressed / 1e6:.1f} MB compressed, ", end="")
    print(f"{tree_size(bundle) / 1e6:.1f} MB unpacked, built in {seconds:.0f} s")
    print("largest items:")
    for size, name in largest_items(bundle):
        print(f"  {size / 1e6:7.1f} MB  {name}")
    if compressed > LIMIT_BYTES:
        print(f"{target.name} is over {LIMIT_BYTES / 1e6:.0f} MB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
