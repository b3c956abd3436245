"""Clones mined from real history: commits that paste a block of code that already existed elsewhere.

    python benchmarks/extractor/independent/mine.py OUT_DIR NAME=GIT_DIR... [--per-repo N]

NAME is a repository of manifest.json's ``histories`` (owner/name) and GIT_DIR its fetched git
directory (``git clone --bare``); the walk starts at the manifest's pinned head. For every non-merge
commit, ``git diff -U0`` gives the runs of added lines; a run of at least MIN_LINES code lines whose
longest line ``git grep`` finds in the parent's tree is compared with the code around each hit. It is
a copy when at least SIMILARITY of its lines match a block that existed in the parent and still exists,
unchanged, in the commit (else the commit moved code rather than copying it). Each copy becomes a
case folder OUT_DIR/<repo>-<commit>-<n>/ holding the commit's version of the two files involved, and
OUT_DIR/labels.json gives both spans and a type from the tokens (T1: the same tokens; T2c: the same
up to a consistent renaming of names; T2: the same once names and literals are blinded; else T3).

Git does all the finding; this script imports nothing of hookwright.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import io
import json
import keyword
import re
import shutil
import subprocess
import tokenize
from pathlib import Path

HERE = Path(__file__).resolve().parent
MIN_LINES = 6
MAX_LINES = 80
SIMILARITY = 0.8
VENDORED = {"packages", "vendor", "_vendor", "_vendored", "vendored", "third_party"}
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def git(git_dir: Path, *argv: str) -> str:
    result = subprocess.run(["git", f"--git-dir={git_dir}", *argv], capture_output=True, check=False)
    return result.stdout.decode("utf-8", "replace") if result.returncode in (0, 1) else ""


def normal(line: str) -> str:
    return " ".join(line.split("#", 1)[0].split()) if not line.lstrip().startswith("#") else ""


def diff_runs(diff: str) -> tuple[list[tuple[str, int, list[str]]], list[list[str]]]:
    """(path, first line, lines) for every run of consecutive added lines; and the deleted runs."""
    runs: list[tuple[str, int, list[str]]] = []
    deleted: list[list[str]] = []
    path, row, first = "", 0, 0
    current: list[str] = []
    gone: list[str] = []

    def flush() -> None:
        nonlocal current, gone
        if current:
            runs.append((path, first, current))
        if gone:
            deleted.append(gone)
        current, gone = [], []

    for line in diff.splitlines():
        if line.startswith(("diff --git ", "+++ ", "--- ")):
            flush()
            if line.startswith("+++ "):
                path = line[6:] if line.startswith("+++ b/") else ""
            continue
        match = _HUNK.match(line)
        if match:
            flush()
            row = first = int(match.group(1))
            continue
        if line.startswith("+") and path.endswith(".py"):
            if not current:
                first = row
            current.append(line[1:])
            row += 1
        elif line.startswith("-"):
            gone.append(line[1:])
    flush()
    return runs, deleted


def locate(block: list[str], lines: list[str], near: int) -> tuple[int, int, float] | None:
    """The window of ``lines`` around row ``near`` that best matches ``block`` (normalised lines)."""
    wanted = [normal(x) for x in block if normal(x)]
    best = None
    for start in range(max(0, near - len(block) - 3), min(len(lines), near + 3)):
        code, end = [], start
        while end < len(lines) and len(code) < len(wanted):
            if normal(lines[end]):
                code.append(normal(lines[end]))
            end += 1
        ratio = difflib.SequenceMatcher(None, wanted, code, autojunk=False).ratio()
        if best is None or ratio > best[2]:
            best = (start + 1, end, ratio)
    return best


def token_type(one: str, two: str) -> str:
    def toks(text: str) -> list[tuple[int, str]]:
        skip = (
            tokenize.COMMENT,
            tokenize.NL,
            tokenize.NEWLINE,
            tokenize.INDENT,
            tokenize.DEDENT,
            tokenize.ENDMARKER,
        )
        try:
            return [
                (t.type, t.string)
                for t in tokenize.generate_tokens(io.StringIO(text).readline)
                if t.type not in skip
            ]
        except (tokenize.TokenError, SyntaxError, IndentationError):
            return [(0, line.strip()) for line in text.splitlines()]

    a, b = toks(_dedent(one)), toks(_dedent(two))
    if a == b:
        return "T1"
    if len(a) == len(b) and all(x[0] == y[0] for x, y in zip(a, b, strict=True)):
        forward: dict[str, str] = {}
        backward: dict[str, str] = {}
        literal_same = True
        for (kind, x), (_, y) in zip(a, b, strict=True):
            if kind == tokenize.NAME and not keyword.iskeyword(x):
                if forward.setdefault(x, y) != y or backward.setdefault(y, x) != x:
                    return "T2"
            elif x != y and kind in (tokenize.NUMBER, tokenize.STRING):
                literal_same = False
            elif x != y:
                return "T3"
        return "T2c" if literal_same else "T2"
    return "T3"


def _dedent(text: str) -> str:
    lines = text.splitlines(keepends=True)
    width = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
    return "".join(x[width:] if x.strip() else "\n" for x in lines)


def mine(name: str, git_dir: Path, head: str, out: Path, limit: int) -> list[dict]:
    found: list[dict] = []
    seen: set[str] = set()
    for commit in git(git_dir, "rev-list", "--no-merges", head).split():
        if len(found) >= limit:
            break
        diff = git(
            git_dir,
            "diff",
            "-U0",
            "--no-ext-diff",
            "--no-color",
            "--no-renames",
            f"{commit}^",
            commit,
            "--",
            "*.py",
        )
        runs, deleted = diff_runs(diff)
        removed = [[normal(x) for x in run if normal(x)] for run in deleted]
        for path, first, block in runs:
            if VENDORED & set(path.split("/")[:-1]):
                continue
            code = [x for x in block if normal(x)]
            if not MIN_LINES <= len(code) <= MAX_LINES:
                continue
            wanted = [normal(x) for x in code]
            if any(
                difflib.SequenceMatcher(None, wanted, r, autojunk=False).ratio() >= SIMILARITY
                for r in removed
            ):
                continue  # the same commit deleted it elsewhere: moved or re-indented, not copied
            probes = [
                x.strip() for x in sorted(code, key=lambda x: -len(normal(x)))[:2] if len(x.strip()) >= 20
            ]
            hits = []
            for probe in probes:
                hits += git(
                    git_dir, "grep", "-n", "-F", "-e", probe, f"{commit}^", "--", "*.py"
                ).splitlines()[:5]
            case = original_of(git_dir, commit, path, first, block, hits)
            if case is None or case["key"] in seen:
                continue
            seen.add(case["key"])
            if not _is_code(git(git_dir, "show", f"{commit}:{path}"), case["label"]["copy"]):
                continue  # imports, docstrings, comments, data: not what a clone detector looks for
            case_dir = f"{name.replace('/', '-')}-{commit[:10]}-{len(found)}"
            for wanted in {path, case["original"]["path"]}:
                target = out / case_dir / wanted
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(git(git_dir, "show", f"{commit}:{wanted}"), encoding="utf-8")
                for folder in target.relative_to(out / case_dir).parents:
                    marker = out / case_dir / folder / "__init__.py"
                    if folder != Path(".") and not marker.exists():
                        marker.touch()  # packages, so that pylint names modules by their paths
            found.append({"repository": name, "commit": commit, "case": case_dir, **case["label"]})
            break  # one copy per commit
    return found


def original_of(
    git_dir: Path, commit: str, path: str, first: int, block: list[str], hits: list[str]
) -> dict | None:
    for hit in hits:
        _, old_path, row, _ = ([*hit.split(":", 3), "", "", ""])[:4]
        if not row.isdigit():
            continue
        before = git(git_dir, "show", f"{commit}^:{old_path}").splitlines()
        located = locate(block, before, int(row))
        if located is None or located[2] < SIMILARITY:
            continue
        old_text = before[located[0] - 1 : located[1]]
        while old_text and not normal(old_text[0]):
            old_text = old_text[1:]
        while old_text and not normal(old_text[-1]):
            old_text = old_text[:-1]
        after = git(git_dir, "show", f"{commit}:{old_path}").splitlines()
        still = _find_exact(
            old_text, after, exclude=(first, first + len(block) - 1) if old_path == path else None
        )
        if still is None:
            continue  # gone from the commit: moved, not copied
        copy_start, copy_end = first, first + len(block) - 1
        while copy_end > first and not normal(block[copy_end - first]):
            copy_end -= 1
        while copy_start < copy_end and not normal(block[copy_start - first]):
            copy_start += 1
        copy_text = "\n".join(block[copy_start - first : copy_end - first + 1])
        label = {
            "type": token_type("\n".join(old_text), copy_text),
            "similarity": round(located[2], 3),
            "original": {"path": old_path, "start_line": still, "end_line": still + len(old_text) - 1},
            "copy": {"path": path, "start_line": copy_start, "end_line": copy_end},
        }
        return {
            "key": f"{old_path}:{still}:{path}:{copy_text}",
            "original": {"path": old_path},
            "label": label,
        }
    return None


def _is_code(source: str, span: dict) -> bool:
    """At least MIN_LINES lines of the span belong to statements that do work (not imports, docstrings)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    rows: set[int] = set()
    first, last = span["start_line"], span["end_line"]
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt) or hasattr(node, "body"):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom | ast.Pass) or (
            isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        ):
            continue
        rows.update(r for r in range(node.lineno, (node.end_lineno or node.lineno) + 1) if first <= r <= last)
    return len(rows) >= MIN_LINES


def _find_exact(text: list[str], lines: list[str], exclude: tuple[int, int] | None) -> int | None:
    for start in range(len(lines) - len(text) + 1):
        if lines[start : start + len(text)] == text:
            row = start + 1
            if exclude is None or row + len(text) - 1 < exclude[0] or row > exclude[1]:
                return row
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("repos", nargs="+", metavar="NAME=GIT_DIR")
    parser.add_argument("--per-repo", type=int, default=40)
    args = parser.parse_args()
    manifest = {h["repository"]: h for h in json.loads((HERE / "manifest.json").read_text())["histories"]}
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    pairs = []
    for item in args.repos:
        name, _, git_dir = item.partition("=")
        entry = manifest[name]
        found = mine(name, Path(git_dir), entry["head"], args.out, args.per_repo)
        for pair in found:
            pair["split"] = entry["split"]
        pairs.extend(found)
        kinds = {t: sum(1 for p in found if p["type"] == t) for t in ("T1", "T2c", "T2", "T3")}
        print(f"{name} ({entry['split']}): {len(found)} copies {kinds}")
    (args.out / "labels.json").write_text(json.dumps({"pairs": pairs}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
