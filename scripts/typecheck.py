"""Type-check the package as pip installs it.

setup.cfg maps one import name, ``hookwright``, onto several folders (``lib/``, ``hooks/``,
``schemas/``); mypy run on the folders would see three unrelated trees. So: copy the sources to a
temporary folder (a build leaves ``build/`` and ``*.egg-info`` behind, never in this tree), install
them without dependencies into a temporary target, and run ``mypy -p hookwright`` there.

Usage: python scripts/typecheck.py   (exit status: mypy's)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("setup.cfg", "pyproject.toml", "README.md", "LICENSE", "lib", "hooks", "schemas")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="hookwright-typecheck-") as temp:
        source, target = Path(temp, "src"), Path(temp, "site")
        source.mkdir()
        for name in SOURCES:
            path = ROOT / name
            if path.is_dir():
                shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
            elif path.exists():
                shutil.copy2(path, source / name)
        pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps"]
        # Plain subprocess: a developer tool whose output streams to the terminal.
        subprocess.run([*pip, "--target", str(target), str(source)], check=True)  # noqa: TID251
        env = {**os.environ, "MYPYPATH": str(target)}
        mypy = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "setup.cfg"), "-p", "hookwright"]
        return subprocess.run(mypy, cwd=temp, env=env, check=False).returncode  # noqa: TID251


if __name__ == "__main__":
    raise SystemExit(main())
