"""What the project's interpreter reads at its start besides the tree: part of the tests check's key.

``suite.interpreter_identity`` stamps the interpreter and its site-packages folders by their mtime,
which moves when a package is installed, upgraded or removed. Three inputs escaped it (t32), and a
pass made before a change to them was replayed after it:

- a virtualenv made with ``--system-site-packages`` also imports the base interpreter's packages and
  the user's (``pip install --user``): those folders were never stamped;
- a ``.pth`` file or ``sitecustomize.py`` edited in place (``conda develop`` appends to ``conda.pth``)
  leaves its folder's mtime as it was, yet runs at every start;
- a folder of ``PYTHONPATH`` outside the work trees: the variable's value was in the key, not what
  the folder holds;
- a version manager's shim (pyenv's ``shims/python``, a script) picks the interpreter by
  ``PYENV_VERSION`` or a ``.python-version`` file: the shim was stamped, not what it runs, nor that
  interpreter's packages.
"""

from __future__ import annotations

import os
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hookwright.git.repo import Repo

# Run (or read) by ``site`` at every start: ``.pth`` files in site folders, the two customize modules
# anywhere on the path it sets up.
_STARTUP_MODULES = ("sitecustomize.py", "usercustomize.py")


def venv_settings(prefix: Path) -> dict[str, str] | None:
    """The ``key = value`` lines of ``prefix``'s ``pyvenv.cfg``; None when ``prefix`` is no virtualenv."""
    try:
        text = (prefix / "pyvenv.cfg").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    settings = {}
    for line in text.splitlines():
        name, equals, value = line.partition("=")
        if equals:
            settings[name.strip().lower()] = value.strip()
    return settings


def base_prefix(prefix: Path, settings: dict[str, str]) -> Path | None:
    """The interpreter a virtualenv made with ``--system-site-packages`` also reads the packages of
    (``home`` is its ``bin`` folder); None when the virtualenv keeps to its own."""
    if settings.get("include-system-site-packages", "false").lower() != "true":
        return None
    home = settings.get("home")
    return Path(home).parent if home else None


def startup_files(prefixes: list[Path], site_folders: list[Path]) -> list[tuple[str, int, int]]:
    """Each ``.pth`` of ``site_folders`` and each customize module there or in the standard library
    of ``prefixes``, with its size and mtime: an edit in place changes no folder's mtime.
    ``site_folders``: each folder once (a venv's ``lib64`` is its ``lib``; a listing costs ~0.4 ms)."""
    candidates: list[Path] = []
    for folder in site_folders:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        candidates.extend(sorted(folder / n for n in names if n.endswith(".pth") or n in _STARTUP_MODULES))
    versions = dict.fromkeys(f.parent.name for f in site_folders)  # python3.12: the stdlib's folder
    candidates.extend(p / "lib" / v / n for p in prefixes for v in versions for n in _STARTUP_MODULES)
    found = []
    for path in dict.fromkeys(candidates):
        try:
            st = path.stat()
        except OSError:
            continue
        found.append((str(path), st.st_size, st.st_mtime_ns))
    return found


def python_path_stamp(value: str | None, roots: list[str]) -> list[str]:
    """What each absolute folder of a ``PYTHONPATH`` outside the work trees holds now (one inside a
    work tree is the private copy's: its files are in the key by blob)."""
    from hookwright.testing.editable_installs import inside, source_stamp

    found = []
    for entry in dict.fromkeys((value or "").split(os.pathsep)):
        if entry and os.path.isabs(entry) and inside(entry, roots) is None:
            found.append(f"{entry}: {source_stamp(entry)}")
    return found


def project_interpreter(repo: Repo, chosen: str | None) -> list[object]:
    """The tests key's part for the project's interpreter: what it is, the packages it has, what its
    editable installs take from outside the work trees, and what ``PYTHONPATH`` adds."""
    from hookwright.testing import editable_installs, suite

    python = suite.project_python(repo.root, chosen)
    real = through_shim(python)
    found = suite.interpreter_identity(real)
    if real != python:
        found = [*suite.executable_identity(python), *found]
    roots = editable_installs.work_trees(repo.root, repo.common_dir)
    found.append(editable_installs.outside_stamp(real, roots))
    found.append(python_path_stamp(os.environ.get("PYTHONPATH"), roots))
    return found


def through_shim(python: str) -> str:
    """``python`` itself, or when it is a script (a version manager's shim) the interpreter it runs
    now, asked (~20 ms, only for a script: an interpreter is a binary)."""
    from hookwright.testing.suite import find_program

    path = python if os.sep in python else (find_program(python) or python)
    try:
        with open(os.path.realpath(path), "rb") as handle:
            if handle.read(2) != b"#!":
                return python
    except OSError:
        return python
    from hookwright import parallel

    asked = parallel.run([path, "-c", "import sys; print(sys.executable)"], timeout=60)
    answer = asked.out.strip() if asked.ok else ""
    return answer if answer and os.path.isabs(answer) else python
