"""Files a test finds above the private copy: the work tree's top, where the tree does not commit them.

The copy lives under ``.git/hookwright/snapshots/``, so the work tree's top is one of its folders'
ancestors. A test that looks for a file by walking up from its own folder (python-dotenv's
``load_dotenv()``, a ``local_settings.py`` or ``config.ini`` search) finds it in the copy when the
tree commits it, and otherwise goes on up into the work tree, where an untracked or ignored ``.env``
answers. Its bytes decided the verdict and were in no key: an edit to ``.env`` replayed the pass (t32).

Each regular file at the top of the work tree that the tree does not hold is stamped by size and
times. Folders are not (a test reaching into an untracked folder by a path it builds is the README's
"above the repository" case), nor what test runs themselves write there.
"""

from __future__ import annotations

import os
from collections.abc import Container
from pathlib import Path

# Written by the runs themselves (coverage's data, an editor's or Finder's leftovers): no test's input,
# and stamping them would make every run after `pytest --cov` a full one.
_RUN_OUTPUTS = (".coverage", "coverage.xml", ".DS_Store")
_RUN_OUTPUT_STARTS = (".coverage.",)  # parallel mode's per-process files
_RUN_OUTPUT_ENDS = ("~", ".swp", ".swo")


def stamp(common_dir: Path, committed: Container[str]) -> list[str]:
    """ "name size mtime ctime" of each untracked file at the top of the work tree holding
    ``common_dir`` (the copies' ancestor); none when the repository's git folder lies elsewhere."""
    if common_dir.name != ".git":
        return []  # GIT_DIR elsewhere, a bare repository: no work tree above the copies
    top = common_dir.parent
    found = []
    try:
        entries = list(os.scandir(top))
    except OSError:
        return []
    for entry in entries:
        name = entry.name
        if name in committed or name == ".git" or name in _RUN_OUTPUTS:
            continue
        if name.startswith(_RUN_OUTPUT_STARTS) or name.endswith(_RUN_OUTPUT_ENDS):
            continue
        try:
            if not entry.is_file():  # (follows a link: a link to a file is read as one)
                continue
            st = entry.stat()
        except OSError:
            continue
        found.append(f"{name} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}")
    return sorted(found)
