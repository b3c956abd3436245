"""The held-out sets: which files of which projects, at which commits; and loading them from git.

Two manifests under ``heldout/`` name everything by repository, commit and path (no code is copied):

* ``history.json`` (written by ``mine_history.py``): real repairs from the projects' histories;
* ``mutants.json`` (written by ``python heldout.py select``): files broken by ``heldout_mutate.py``,
  and correct files that must come back untouched.

    python benchmarks/self_heal/heldout.py select --repo psf/requests@COMMIT=GIT_DIR ... \\
        --out benchmarks/self_heal/heldout/mutants.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gitsource import GitSource  # noqa: E402
from heldout_mutate import HeldoutMutant, mutants  # noqa: E402

MUTATED_PER_REPO = 45
CORRECT_PER_REPO = 25
PER_OPERATOR = 60
SKIP_PARTS = ("_vendor", "vendor", "/docs/", "conftest.py", "/build/", "setup.py")
# Folders that hold another project's code copied in (joblib's externals/ holds loky and cloudpickle,
# astropy's extern/ holds ply): that code is not the project's own, so it is no fair sample of it.
VENDORED_FOLDERS = frozenset(
    {
        "_vendor",
        "vendor",
        "vendored",
        "_vendored",
        "externals",
        "extern",
        "_extern",
        "third_party",
        "thirdparty",
    }
)


def is_vendored(path: str) -> bool:
    """Whether ``path`` sits under a folder of vendored code (its own folders, not its file name)."""
    return any(folder.lower() in VENDORED_FOLDERS for folder in path.split("/")[:-1])


@dataclass(frozen=True)
class Case:
    """One broken file, the truth it should become, and where it lives (its project at ``commit``)."""

    id: str
    family: str
    operator: str
    repo: str
    commit: str  # the project tree the file sits in
    path: str
    original: str  # the truth
    text: str  # the broken file
    reachable: bool = True  # a mined import whose module nothing the fixer sees names (reachable.py)


_SOURCES: dict[Path, GitSource] = {}


def source(git_dir: Path) -> GitSource:
    if git_dir not in _SOURCES:
        _SOURCES[git_dir] = GitSource(git_dir)
    return _SOURCES[git_dir]


def _compiles(text: str, path: str) -> bool:
    """A file that does not compile here (an IDE's file template, Python 2 code) is no correct file:
    kept as one, a fixer that repairs it would be counted as changing a correct file."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences and the like still compile
            compile(text, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def _eligible(src: GitSource, commit: str) -> list[str]:
    files = []
    for path in src.python_files(commit):
        if is_vendored(path) or any(part in f"/{path}" for part in SKIP_PARTS):
            continue
        text = src.text(commit, path)
        if text is None or not 20 <= text.count("\n") <= 2500 or not _compiles(text, path):
            continue
        files.append(path)
    return files


def select(specs: list[str], per_operator: int = PER_OPERATOR) -> dict[str, object]:
    repos, mutated, correct = {}, [], []
    for spec in specs:
        name_at, _, git_dir = spec.partition("=")
        repo, _, commit = name_at.partition("@")
        repos[repo] = commit
        files = _eligible(source(Path(git_dir)), commit)
        rng = random.Random(f"select:{repo}")
        chosen = rng.sample(files, min(len(files), MUTATED_PER_REPO + CORRECT_PER_REPO))
        mutated += [[repo, p] for p in sorted(chosen[:MUTATED_PER_REPO])]
        correct += [[repo, p] for p in sorted(chosen[MUTATED_PER_REPO:])]
    return {"repos": repos, "per_operator": per_operator, "mutated": mutated, "correct": correct}


def load_mutants(manifest_path: Path, gits: dict[str, Path]) -> Iterator[HeldoutMutant]:
    """Every operator's mutants of the manifest's files, at most ``per_operator`` each (seeded choice)."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    by_operator: dict[str, list[HeldoutMutant]] = {}
    for repo, path in manifest["mutated"]:
        commit = manifest["repos"][repo]
        text = source(gits[repo]).text(commit, path)
        if text is None:
            raise SystemExit(f"{repo}@{commit}:{path} is not in {gits[repo]}")
        for mutant in mutants(repo, commit, path, text):
            by_operator.setdefault(mutant.operator, []).append(mutant)
    for operator, found in sorted(by_operator.items()):
        rng = random.Random(f"cap:{operator}")
        yield from rng.sample(found, min(len(found), manifest["per_operator"]))


def mutant_cases(manifest_path: Path, gits: dict[str, Path]) -> list[Case]:
    return [
        Case(m.id, m.family, m.operator, m.repo, m.commit, m.path, m.original, m.text)
        for m in load_mutants(manifest_path, gits)
    ]


def correct_cases(manifest_path: Path, gits: dict[str, Path]) -> list[Case]:
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    cases = []
    for repo, path in manifest["correct"]:
        commit = manifest["repos"][repo]
        text = source(gits[repo]).text(commit, path)
        assert text is not None
        ident = f"correct-{repo.replace('/', '.')}-{path.replace('/', '.')}"
        cases.append(Case(ident, "correct", "correct", repo, commit, path, text, text))
    return cases


def history_cases(manifest_path: Path, gits: dict[str, Path]) -> list[Case]:
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    cases = []
    for item in manifest["cases"]:
        src = source(gits[item["repo"]])
        broken, truth = src.text(item["parent"], item["path"]), src.text(item["commit"], item["path"])
        assert broken is not None and truth is not None
        if "revert" in item:  # the repair alone undone in the commit's file
            j1, j2, i1, i2 = item["revert"]
            lines = truth.splitlines(keepends=True)
            broken = "".join(lines[:j1] + broken.splitlines(keepends=True)[i1:i2] + lines[j2:])
        ident = (
            f"history-{item['repo'].replace('/', '.')}-{item['commit'][:10]}-{item['path'].replace('/', '.')}"
        )
        cases.append(
            Case(
                ident,
                item["family"],
                item["kind"],
                item["repo"],
                item["parent"],
                item["path"],
                truth,
                broken,
                item.get("reachable", True),
            )
        )
    return cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    choose = sub.add_parser("select", help="choose the files to mutate and the correct files")
    choose.add_argument("--repo", action="append", required=True, help="owner/name@COMMIT=GIT_DIR")
    choose.add_argument("--out", type=Path, required=True)
    choose.add_argument("--per-operator", type=int, default=PER_OPERATOR, help="mutants kept per operator")
    args = parser.parse_args(argv)
    manifest = select(args.repo, args.per_operator)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
