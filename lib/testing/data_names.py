"""Modules that a data file of the tree names by their dotted name: code may load them by that name.

``logging.config.fileConfig("tests/logging.ini")`` imports the handler class its ``class=pkg.handlers.
Collect`` line names; so do a pickle (``pkg.models`` and ``Thing`` in its bytes), a YAML or JSON
config a plugin registry reads, ``dictConfig``'s ``"()": "pkg.factory.make"``. No import statement
shows it and the test that loads it need not name a loader ``import_scan`` knows (logging does the
import): a change to ``pkg/handlers.py`` ran only the test files importing it, and the test whose
handler it broke passed unrun (t31). Such a module counts as a plugin entry point does
(``impact.Project.entry_points``): a change that reaches it runs the whole suite (per-test records
see what it runs, and may narrow that).

A dotted name in a file's bytes stands for itself and for its module less the last part (a class or
function): both are matched to the names the tree's files may be imported as. A name ending as a
file or a host does (``bench.py``, ``example.com``) is no module's attribute and is left out. Files
the tools read for themselves (packaging and tool configuration, handled by their own readers; lock
files) are not read here. Each blob is read once; its names are kept per blob, and the last answer
whole beside them (``cache/data_names.marshal``, ``.answer``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from hookwright.cache import digest, read_snapshot, write_snapshot
from hookwright.git.repo import Repo

_VERSION = 1
_DOTTED = re.compile(rb"(?<![\w.])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)")
# Read by tools, never by code under test as a plugin list: packaging (its entry points have their
# own reader, console scripts are programs of their own), test runner and linter configuration.
_TOOL_CONFIG = frozenset(
    {
        *("pyproject.toml", "setup.cfg", "setup.py", "tox.ini", "pytest.ini", ".pytest.ini"),
        *("pytest.toml", ".pytest.toml", "mypy.ini", ".mypy.ini", "ruff.toml", ".ruff.toml"),
        *(".coveragerc", ".flake8", ".pylintrc", "pylintrc", ".pre-commit-config.yaml"),
        *(".pre-commit-hooks.yaml", ".hookwright.yaml", ".hookwright.yml", "MANIFEST.in"),
        *(".gitignore", ".gitattributes", ".gitmodules", "poetry.lock", "uv.lock", "Pipfile.lock"),
    }
)
_BATCH = 256  # blobs read at once: a tree of large data files is not held in memory whole
# A file's name ("bench.py", "data.json") or a host's ("example.com"), not a module's attribute.
_FILE_ENDINGS = frozenset(
    {
        *("py", "pyi", "pyc", "json", "md", "rst", "txt", "yaml", "yml", "toml", "cfg", "ini", "j2"),
        *("html", "js", "ts", "css", "csv", "png", "svg", "jpg", "gif", "sh", "lock", "log", "xml"),
        *("com", "org", "io", "net", "gz", "zip", "whl", "so", "c", "h", "rs", "go", "java"),
    }
)


def _read_by_tools(path: str) -> bool:
    name = path.rpartition("/")[2]
    return name in _TOOL_CONFIG or (name.startswith("requirements") and name.endswith(".txt"))


def named_modules(
    repo: Repo, inputs: Mapping[str, str], package_dirs: Mapping[str, str], table: Path
) -> frozenset[str]:
    """The names the Python files of ``inputs`` may be imported as (``import_graph.module_names``) that a
    data file of ``inputs`` holds, as a name or as a name less its last part (a class or function)."""
    blobs = sorted({b for p, b in inputs.items() if not p.endswith(".py") and not _read_by_tools(p)})
    python = sorted(p for p in inputs if p.endswith(".py"))
    # Most runs change Python files only: for the same data, files and aliases the answer is kept
    # whole (reading every blob's names back cost 89 ms on hookwright's own tree, load 8.8).
    answer_key = digest(_VERSION, blobs, python, dict(package_dirs))
    answer_file = table.with_suffix(".answer")
    answer = read_snapshot(answer_file)
    if isinstance(answer, list) and len(answer) == 2 and answer[0] == answer_key:
        return frozenset(answer[1])
    from hookwright.testing.import_graph import module_names

    modules = {n for p in python for n in module_names(p, package_dirs)}
    known = read_snapshot(table)
    if not isinstance(known, dict) or known.get("version") != _VERSION:
        known = {"version": _VERSION, "blobs": {}}
    rows: dict[str, list[str]] = known["blobs"]
    missing = [b for b in blobs if b not in rows]
    for start in range(0, len(missing), _BATCH):
        batch = missing[start : start + _BATCH]
        contents = repo.read_blobs(batch)
        for blob in batch:
            found = dict.fromkeys(m.decode("ascii") for m in _DOTTED.findall(contents.get(blob, b"")))
            rows[blob] = [n for n in found if n.rpartition(".")[2] not in _FILE_ENDINGS]
    named = {c for b in blobs for n in rows.get(b, ()) for c in (n, n.rpartition(".")[0]) if c in modules}
    if missing:
        # Old blobs go only when the table grows large: a branch switch back should not re-read.
        if len(rows) > 4 * max(len(blobs), 1024):
            live = set(blobs)
            rows = {b: r for b, r in rows.items() if b in live}
        write_snapshot(table, {"version": _VERSION, "blobs": rows})
    write_snapshot(answer_file, [answer_key, sorted(named)])
    return frozenset(named)
