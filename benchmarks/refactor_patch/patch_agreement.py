"""Real commit diffs applied by hookwright, `git apply` and GNU `patch`, against the commit itself.

usage: python benchmarks/refactor_patch/patch_agreement.py [--commits N] [--drift K] [--series S]
       REPO [REPO ...]

For the last N non-merge commits of each repository (a clone or a bare mirror):
- exact: the commit's diff (`git diff PARENT COMMIT`) on the parent's files. Ground truth: the commit.
- drifted: the same diff on the files as they were K commits before the parent, where they differ.
  Ground truth: a clean 3-way merge (`git merge-file`) of the change onto those files; cases where the
  merge conflicts have no ground truth and only count for agreement.
- series: `git format-patch --stdout` of the S commits ending at the commit (no merges among them), on
  the files before the first. Ground truth: the commit; git's answer: each diff `git apply`d in turn.
- mixed endings: the exact case with every other line of the touched files ending in CRLF. No ground
  truth but git apply itself: plain, and in a repository whose .gitattributes says `* text=auto`
  (where git apply normalises line endings; hookwright must refuse those files, see git_conversion).
A tool *mispatches* when it reports success and its bytes differ from the ground truth (for the
mixed cases: from git apply's). hookwright runs its own core (patch_series.read + series_apply.place
+ git_conversion, the code `hookwright patch apply` uses before it verifies and writes); git apply and
patch run as child processes in a scratch directory per case. Nothing from the repositories is kept.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from hookwright.errors import BadInput
from hookwright.git import conversion as git_conversion
from hookwright.git.repo import Repo
from hookwright.refactor import hunk_apply, patch_series, series_apply

POLICY = ("binary patches", "file mode", "a symlink", "a submodule")


def git(repo: Path, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(repo), *args], input=input, capture_output=True, check=False)


class Blobs:
    """`git cat-file --batch`: file contents at a revision, without a checkout."""

    def __init__(self, repo: Path) -> None:
        self.proc = subprocess.Popen(
            ["git", "-C", str(repo), "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def get(self, rev: str, path: str) -> bytes | None:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(f"{rev}:{path}\n".encode())
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            return None
        data = self.proc.stdout.read(int(header[2]))
        self.proc.stdout.read(1)
        return data


def changed_paths(repo: Path, parent: str, commit: str) -> list[str]:
    out = git(repo, "diff", "--name-only", "-z", "--no-renames", parent, commit).stdout
    return [p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p]


def hookwright_apply(
    files: dict[str, bytes], patch: bytes, repo: Path | None = None
) -> tuple[str, dict[str, bytes] | None]:
    try:
        series = patch_series.read(patch)
        paths = {p for s in series for f in s.files for p in (f.old_path, f.new_path) if p}
        originals = {p: files.get(p) for p in paths}
        placed = series_apply.place(series, originals)
        if placed.failures:
            return "refused", None
        if repo is not None:
            versions = {p: [originals[p], *(state.get(p) for state in placed.states)] for p in paths}
            if git_conversion.refusals(Repo.discover(repo), versions):
                return "refused", None
    except BadInput as exc:
        return ("policy" if any(word in str(exc) for word in POLICY) else "refused"), None
    except hunk_apply.HunkFailed:
        return "refused", None
    result = dict(files)
    for path, data in placed.states[-1].items():
        if data is None:
            result.pop(path, None)
        else:
            result[path] = data
    return "applied", result


def in_scratch(files: dict[str, bytes], where: Path) -> None:
    where.mkdir(parents=True)
    for name, data in files.items():
        target = where / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def read_back(where: Path) -> dict[str, bytes]:
    return {
        p.relative_to(where).as_posix(): p.read_bytes()
        for p in where.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(where).parts and p.name != ".gitattributes"
    }


def git_apply_each(files: dict[str, bytes], diffs: list[bytes], where: Path) -> tuple[str, dict | None]:
    """git apply of each diff in turn (git's own answer to a series, without making commits)."""
    in_scratch(files, where)
    for diff in diffs:
        if subprocess.run(GIT_APPLY, cwd=where, input=diff, capture_output=True, check=False).returncode:
            return "refused", None
    return "applied", read_back(where)


def git_apply_in_repo(
    files: dict[str, bytes], patch: bytes, where: Path, attributes: str
) -> tuple[str, dict | None]:
    in_scratch(files, where)
    subprocess.run(["git", "init", "-q"], cwd=where, check=True)
    (where / ".gitattributes").write_text(attributes)
    if subprocess.run(GIT_APPLY, cwd=where, input=patch, capture_output=True, check=False).returncode:
        return "refused", None
    return "applied", read_back(where)


def mixed(data: bytes) -> bytes:
    """Every other line ends in CRLF (the first line keeps LF)."""
    lines = data.split(b"\n")
    return b"\n".join(line + b"\r" if i % 2 and i < len(lines) - 1 else line for i, line in enumerate(lines))


def tool_apply(
    argv: list[str], files: dict[str, bytes], patch: bytes, where: Path
) -> tuple[str, dict | None]:
    in_scratch(files, where)
    result = subprocess.run(argv, cwd=where, input=patch, capture_output=True, check=False)
    if result.returncode != 0:
        return "refused", None
    return "applied", read_back(where)


GIT_APPLY = ["git", "apply", "-"]
GNU_PATCH = ["patch", "-p1", "--batch", "--silent", "--no-backup-if-mismatch", "-r", "-"]


def merged(base: bytes, ours: bytes, theirs: bytes, scratch: Path) -> bytes | None:
    """The change base->theirs replayed on ours by a 3-way merge; None when it conflicts."""
    scratch.mkdir(parents=True, exist_ok=True)
    for name, data in (("ours", ours), ("base", base), ("theirs", theirs)):
        (scratch / name).write_bytes(data)
    result = subprocess.run(
        ["git", "merge-file", "-p", "ours", "base", "theirs"], cwd=scratch, capture_output=True, check=False
    )
    return result.stdout if result.returncode == 0 else None


def run(repos: list[Path], commits: int, drift: int, series: int) -> dict:
    totals: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    examples: dict[str, list[str]] = collections.defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        attr_repo = scratch / "attributes"
        attr_repo.mkdir()
        subprocess.run(["git", "init", "-q"], cwd=attr_repo, check=True)
        (attr_repo / ".gitattributes").write_text(TEXT_AUTO)
        n = 0
        for repo in repos:
            name = repo.parent.name if repo.name in ("repo", ".git") else repo.name  # a mirror's folder
            blobs = Blobs(repo)
            revs = (
                git(repo, "rev-list", "--no-merges", f"--max-count={commits}", "HEAD").stdout.decode().split()
            )
            for commit in revs:
                parent = git(repo, "rev-parse", "-q", "--verify", f"{commit}^").stdout.decode().strip()
                if not parent:
                    continue
                patch = git(repo, "diff", "--no-color", "--no-ext-diff", parent, commit).stdout
                if not patch:
                    continue
                paths = changed_paths(repo, parent, commit)
                base = {p: d for p in paths if (d := blobs.get(parent, p)) is not None}
                truth = {p: d for p in paths if (d := blobs.get(commit, p)) is not None}
                n += 1
                compare("exact", name, commit, base, truth, patch, scratch / str(n), totals, examples)
                compare_mixed(name, commit, base, patch, scratch / f"x{n}", attr_repo, totals, examples)
                if series > 1:
                    compare_series(repo, name, commit, series, blobs, scratch / f"s{n}", totals, examples)
                older = git(repo, "rev-parse", "-q", "--verify", f"{parent}~{drift}").stdout.decode().strip()
                if not older:
                    continue
                drifted = {p: d for p in paths if (d := blobs.get(older, p)) is not None}
                if drifted == base or set(drifted) != set(base):
                    continue
                oracle: dict[str, bytes] | None = {}
                for p in paths:
                    if p in base and p in truth and oracle is not None:
                        merge = merged(base[p], drifted[p], truth[p], scratch / f"m{n}")
                        oracle = None if merge is None else {**oracle, p: merge}
                    elif oracle is not None and p in truth:
                        oracle[p] = truth[p]
                compare("drifted", name, commit, drifted, oracle, patch, scratch / f"d{n}", totals, examples)
    return {"totals": {k: dict(v) for k, v in totals.items()}, "examples": dict(examples)}


def compare(
    kind: str,
    repo: str,
    commit: str,
    files: dict[str, bytes],
    truth: dict[str, bytes] | None,
    patch: bytes,
    where: Path,
    totals: dict[str, collections.Counter[str]],
    examples: dict[str, list[str]],
) -> None:
    count = totals[kind]
    count["cases"] += 1
    ours_status, ours = hookwright_apply(files, patch)
    git_status, theirs = tool_apply(GIT_APPLY, files, patch, where / "git")
    gnu_status, gnu = tool_apply(GNU_PATCH, files, patch, where / "gnu")
    if ours_status == "policy":
        count["hookwright refused by policy (binary, mode, symlink)"] += 1
        count[f"git apply {git_status} (policy cases)"] += 1
        return
    count["compared"] += 1
    agree = ours == theirs
    count["hookwright = git apply"] += agree
    if not agree:
        examples[f"{kind}: disagreement"].append(
            f"{repo} {commit[:12]} hookwright {ours_status}, git {git_status}"
        )
    for tool, status, result in (
        ("hookwright", ours_status, ours),
        ("git apply", git_status, theirs),
        ("GNU patch", gnu_status, gnu),
    ):
        count[f"{tool} applied"] += status == "applied"
        if truth is None or status != "applied":
            continue
        count[f"{tool} judged"] += 1
        wrong = result != truth
        count[f"{tool} silent mispatch"] += wrong
        if wrong and len(examples[f"{kind}: {tool} mispatch"]) < 5:
            examples[f"{kind}: {tool} mispatch"].append(f"{repo} {commit[:12]}")


TEXT_AUTO = "* text=auto\n"


def compare_mixed(
    repo: str,
    commit: str,
    base: dict[str, bytes],
    patch: bytes,
    where: Path,
    attr_repo: Path,
    totals: dict[str, collections.Counter[str]],
    examples: dict[str, list[str]],
) -> None:
    """The commit's diff on its parent's files with mixed line endings: git apply is the only oracle."""
    files = {p: mixed(d) for p, d in base.items()}
    for kind, attributes in (("mixed endings", ""), ("mixed endings, * text=auto", TEXT_AUTO)):
        count = totals[kind]
        count["cases"] += 1
        ours_status, ours = hookwright_apply(files, patch, attr_repo if attributes else None)
        git_status, theirs = git_apply_in_repo(files, patch, where / kind.replace(" ", "_"), attributes)
        count[f"hookwright {ours_status}"] += 1
        count[f"git apply {git_status}"] += 1
        if ours_status == "applied":
            wrong = ours != theirs
            count["hookwright silent mispatch (bytes differ from git apply's)"] += wrong
            if wrong and len(examples[f"{kind}: mispatch"]) < 5:
                examples[f"{kind}: mispatch"].append(f"{repo} {commit[:12]}")


def compare_series(
    repo: Path,
    name: str,
    commit: str,
    length: int,
    blobs: Blobs,
    where: Path,
    totals: dict[str, collections.Counter[str]],
    examples: dict[str, list[str]],
) -> None:
    """``git format-patch`` of the ``length`` commits ending at ``commit``, on the files before them."""
    first = git(repo, "rev-parse", "-q", "--verify", f"{commit}~{length}").stdout.decode().strip()
    if not first or git(repo, "rev-list", "--merges", f"{first}..{commit}").stdout.strip():
        return
    mbox = git(repo, "format-patch", "--stdout", "--no-signature", f"{first}..{commit}").stdout
    revs = git(repo, "rev-list", "--reverse", f"{first}..{commit}").stdout.decode().split()
    diffs = [git(repo, "diff", "--no-color", "-M", f"{rev}^", rev).stdout for rev in revs]
    touched = git(repo, "log", "--format=", "--name-only", "--no-renames", f"{first}..{commit}").stdout
    paths = sorted({p for p in touched.decode("utf-8", "surrogateescape").splitlines() if p})
    base = {p: d for p in paths if (d := blobs.get(first, p)) is not None}
    truth = {p: d for p in paths if (d := blobs.get(commit, p)) is not None}
    count = totals["series"]
    count["cases"] += 1
    ours_status, ours = hookwright_apply(base, mbox)
    git_status, theirs = git_apply_each(base, diffs, where)
    if ours_status == "policy":
        count["hookwright refused by policy (binary, mode, symlink)"] += 1
        return
    count["compared"] += 1
    count["hookwright = git apply one after another"] += ours == theirs
    for tool, status, result in (("hookwright", ours_status, ours), ("git apply", git_status, theirs)):
        count[f"{tool} applied"] += status == "applied"
        if status == "applied":
            wrong = result != truth
            count[f"{tool} silent mispatch"] += wrong
            if wrong and len(examples[f"series: {tool} mispatch"]) < 5:
                examples[f"series: {tool} mispatch"].append(f"{name} {commit[:12]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("repos", nargs="+", type=Path)
    parser.add_argument("--commits", type=int, default=200, help="recent non-merge commits per repository")
    parser.add_argument("--drift", type=int, default=5, help="how many commits older the drifted base is")
    parser.add_argument("--series", type=int, default=3, help="commits per series (1: no series cases)")
    args = parser.parse_args()
    result = run(args.repos, args.commits, args.drift, args.series)
    json.dump(result, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
