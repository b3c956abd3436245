"""The files of the tree's submodules, in the private copy, as the commit each gitlink names holds them.

A gitlink has no blob to export: the copy had an empty folder where the work tree has the
submodule's checkout. A test that reads it failed in every run with "fails at the base too", so a
staged gitlink moved to a commit that breaks the tests passed (the failure was only a warning).
The submodule's own repository (its checkout in the work tree) gives the files of exactly the
commit staged, never its work tree. A submodule that is not checked out, or whose repository lacks
that commit, stays an empty folder, as in a clone without ``--recurse-submodules``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from hookwright import parallel
from hookwright.git.repo import no_git_env

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hookwright.git.repo import IndexEntry, Repo

GITLINK = "160000"


def export(repo: Repo, root: Path, gitlinks: Mapping[str, str]) -> None:
    """Each ``path -> commit`` of ``gitlinks`` written under ``root / path``, and the submodules
    inside each as the commit written there names them (a nested one was an empty folder)."""
    for path, commit in sorted(gitlinks.items()):
        _export_module(repo, repo.root / path, root / path, commit)


def _export_module(repo: Repo, module: Path, target: Path, commit: str) -> None:
    git_dir = _git_dir(module)
    if not git_dir:
        return
    import tempfile  # here: random and shutil come with it, and most trees have no submodule

    with tempfile.TemporaryDirectory(prefix="hookwright-submodule-") as scratch:
        env = {
            "GIT_DIR": git_dir,
            "GIT_INDEX_FILE": os.path.join(scratch, "index"),
            "GIT_WORK_TREE": scratch,
        }
        if not repo.run("read-tree", commit, env=env, cwd=Path(scratch)).ok:
            return  # not fetched there: as a clone that never checked it out
        target.mkdir(parents=True, exist_ok=True)
        repo.run("checkout-index", "-a", "-f", f"--prefix={target}/", env=env, cwd=Path(scratch))
        listed = repo.run("ls-files", "-s", "-z", env=env, cwd=Path(scratch))
    for entry in listed.out.split("\0") if listed.ok else ():
        mode, _, rest = entry.partition(" ")
        if mode == "160000":  # a gitlink of the submodule's commit: its own checkout inside this one
            inner_commit, _, path = rest.partition("\t")
            _export_module(repo, module / path, target / path, inner_commit.split()[0])


def missing(entries: Mapping[str, IndexEntry], picked: Mapping[str, str], work_tree: Path) -> list[str]:
    """The submodules of ``picked`` (nested ones too) that ``export`` leaves an empty folder: not
    checked out, or their repository lacks the commit. Part of the tests check's key: a pass made
    with the empty folder was replayed after `git fetch` brought the commit, whose files the tests
    never saw (t32). Costs one git process per submodule, only in a tree that has some.
    """
    found: list[str] = []
    for path in sorted(p for p, e in entries.items() if e.mode == GITLINK and p in picked):
        _missing_under(work_tree / path, path, entries[path].blob, found)
    return found


def _git_dir(module: Path) -> str:
    """The submodule's own repository ("" when not checked out), read with none of the
    superproject's GIT_* variables."""
    if not (module / ".git").exists():
        return ""
    found = parallel.run(("git", "rev-parse", "--absolute-git-dir"), cwd=module, env=no_git_env())
    return found.out.strip() if found.ok else ""


def _in(git_dir: str, *args: str, input: bytes | None = None) -> parallel.Completed:
    """git in a submodule's own repository, with none of the superproject's GIT_* variables."""
    return parallel.run(("git", *args), env={**no_git_env(), "GIT_DIR": git_dir}, input=input)


def _missing_under(module: Path, path: str, commit: str, found: list[str]) -> None:
    git_dir = _git_dir(module)
    # One process says both: the commit is there, and whether it has submodules of its own.
    asked = _in(
        git_dir, "cat-file", "--batch-check", input=f"{commit}^{{commit}}\n{commit}:.gitmodules\n".encode()
    )
    answers = asked.out.splitlines() if git_dir and asked.ok else []
    if len(answers) != 2 or answers[0].endswith("missing"):
        found.append(f"{path} {commit}")
        return
    if answers[1].endswith("missing"):
        return
    listed = _in(git_dir, "ls-tree", "-r", "-z", commit)
    for line in listed.out.split("\0") if listed.ok else ():
        mode, _, rest = line.partition(" ")
        if mode == GITLINK:
            inner, _, inner_path = rest.partition("\t")
            _missing_under(module / inner_path, f"{path}/{inner_path}", inner.split()[-1], found)
