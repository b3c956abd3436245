"""Real commit diffs applied by hookwright, `git apply` and GNU `patch`, against the commit itself.

usage: python benchmarks/refactor_patch/patch_agreement.py [--commits N] [--drift K] REPO [REPO ...]

For the last N non-merge commits of each repository (a clone or a bare mirror):
- exact: the commit's diff (`git diff PARENT COMMIT`) on the parent's files. Ground truth: the commit.
- drifted: the same diff on the files as they were K commits before the parent, where they differ.
  Ground truth: a clean 3-way merge (`git merge-file`) of the change onto those files; cases where the
  merge conflicts have no ground truth and only count for agreement.
A tool *mispatches* when it reports success and its bytes differ from the ground truth. hookwright runs
its own core (patches.parse + hunk_apply.build, the code `hookwright patch apply` uses before it
verifies and writes); git apply and patch run as child processes in a scratch directory per case.
Nothing from the repositories is kept: everything lives in a temporary directory.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from hookwright import hunk_apply, patches
from hookwright.errors import BadInput

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


def hookwright_apply(files: dict[str, bytes], patch: bytes) -> tuple[str, dict[str, bytes] | None]:
    try:
        parsed = patches.parse(patch)
        originals = {p: files.get(p) for f in parsed for p in (f.old_path, f.new_path) if p}
        units = hunk_apply.units_of(parsed)
        built = hunk_apply.build(parsed, originals, units, range(len(units)))
    except BadInput as exc:
        return ("policy" if any(word in str(exc) for word in POLICY) else "refused"), None
    except hunk_apply.HunkFailed:
        return "refused", None
    result = dict(files)
    for path, data in built.contents.items():
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
    return {p.relative_to(where).as_posix(): p.read_bytes() for p in where.rglob("*") if p.is_file()}


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


def run(repos: list[Path], commits: int, drift: int) -> dict:
    totals: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    examples: dict[str, list[str]] = collections.defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("repos", nargs="+", type=Path)
    parser.add_argument("--commits", type=int, default=200, help="recent non-merge commits per repository")
    parser.add_argument("--drift", type=int, default=5, help="how many commits older the drifted base is")
    args = parser.parse_args()
    result = run(args.repos, args.commits, args.drift)
    json.dump(result, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
