"""benchmarks/self_heal/heldout.py select: which files of a real project a fresh set may take.

A held-out set samples a project's own correct code: files copied in from other projects (joblib's
``externals/``, astropy's ``extern/``, ``third_party/``, ``_vendor/``) and files that do not compile
(hikari's IDE file templates) must never be chosen.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from conftest import ROOT, git, write

sys.path.insert(0, str(ROOT / "benchmarks" / "self_heal"))

import heldout

BODY = "".join(f"value_{n} = {n}\n" for n in range(25))
OWN = ["pkg/core.py", "pkg/externals_api.py", "tools/extern_check.py", "tools/third_party_licences.py"]
VENDORED = [
    "pkg/externals/loky/backend.py",
    "pkg/extern/ply/lex.py",
    "third_party/six.py",
    "src/pkg/_vendor/packaging/version.py",
    "pkg/vendor/requests/api.py",
]
TEMPLATE = ".idea/fileTemplates/Nox Pipeline.py"  # an IDE's file template: not Python that compiles


def test_select_leaves_vendored_folders_and_files_that_do_not_compile_out(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    for path in OWN + VENDORED:
        write(tmp_path / path, BODY)
    write(tmp_path / TEMPLATE, BODY + "def ${NAME}():\n    pass\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "start")
    commit = git(tmp_path, "rev-parse", "HEAD").strip()
    out = tmp_path / "mutants.json"
    spec = f"me/project@{commit}={tmp_path / '.git'}"
    assert heldout.main(["select", "--repo", spec, "--out", str(out)]) == 0
    manifest = json.loads(out.read_text(encoding="utf-8"))
    chosen = sorted(path for _repo, path in manifest["mutated"] + manifest["correct"])
    # files named like the folders are the project's own: only a folder marks vendored code
    assert chosen == sorted(OWN)
