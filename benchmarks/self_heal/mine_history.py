"""Mine real repairs from projects' git histories: the parent is the broken file, the commit the truth.

A (commit, file) pair is kept when the file's diff is one of the repairs self_heal makes and nothing
else, and the parent is really broken in that way while the commit is clean:

* ``import``: the diff adds exactly one import statement (or one name to an existing one-line import);
  the parent compiles but ruff reports the name it binds as undefined (F821); the commit does not.
* ``indentation``: the changed lines differ only in their leading whitespace; the parent does not
  compile, the commit does.
* ``syntax``: one line changed by inserting one ``: , ) ] }`` or by turning one misspelt word into a
  keyword; the parent does not compile, the commit does.
* ``partial-*``: a bigger change (up to 40 lines) whose parent does not compile and that holds one
  such syntax or indentation repair: the broken file is the commit's with that hunk alone undone.

Candidates are found with git's own tools (``git log --numstat`` for small one-file changes, read with
``git cat-file --batch``) and filtered with ``compile``, ``ast`` and ruff. The result is a manifest of
(repository, commit, parent, path, kind): no code is copied.

    python benchmarks/self_heal/mine_history.py \\
        --repo psf/requests@1f6589ec3a1ee910f9a65cc3ceac60b26677bc0e=/path/to/requests.git \\
        --out benchmarks/self_heal/heldout/history.json
"""

from __future__ import annotations

import argparse
import ast
import difflib
import io
import json
import keyword
import shutil
import subprocess
import sys
import tempfile
import time
import tokenize
import warnings
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gitsource import GitSource  # noqa: E402

MAX_CHANGED = 4  # lines added + deleted in the file: a one-thing repair
MAX_PARTIAL = 40  # a bigger change that holds a repair: that hunk alone is undone in the commit's file
INSERTED = set(":,)]}")


def compiles(text: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(text, "<mined>", "exec", dont_inherit=True)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            return False
    return True


def small_changes(source: GitSource, head: str, newest: int | None = None) -> list[tuple[str, str, str, int]]:
    """(commit, parent, path, lines changed) for every non-merge commit changing a .py file a little;
    with ``newest``, only among the newest that many non-merge commits that change a .py file."""
    limit = [f"--max-count={newest}"] if newest else []
    log = source.git(
        "log", "--no-merges", "--no-renames", *limit, "--format=%x01%H %P", "--numstat", head, "--", "*.py"
    )
    found = []
    for chunk in log.split("\x01")[1:]:
        lines = chunk.strip("\n").split("\n")
        shas = lines[0].split()
        if len(shas) != 2:
            continue  # a root commit
        for line in lines[1:]:
            parts = line.split("\t")
            if len(parts) != 3 or not parts[2].endswith(".py") or "-" in parts[:2]:
                continue
            added, deleted = int(parts[0]), int(parts[1])
            if 0 < added + deleted <= MAX_PARTIAL and added >= 1:
                found.append((shas[0], shas[1], parts[2], added + deleted))
    return found


def _damerau(a: str, b: str) -> int:
    """Edit distance with adjacent transpositions (the typos people make)."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


def _words(line: str) -> list[str] | None:
    try:
        toks = list(tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    return [t.string for t in toks if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)]


def _one_char_inserted(old: str, new: str) -> str | None:
    if len(new) != len(old) + 1:
        return None
    for i, char in enumerate(new):
        if new[:i] + new[i + 1 :] == old:
            return char
    return None


def _keyword_typo(old: str, new: str) -> bool:
    a, b = _words(old), _words(new)
    if a is None or b is None or len(a) != len(b):
        return False
    diffs = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(diffs) != 1:
        return False
    wrong, right = diffs[0]
    return keyword.iskeyword(right) and wrong.isidentifier() and _damerau(wrong, right) <= 2


def _one_import(added: list[str]) -> bool:
    try:
        tree = ast.parse("".join(added).strip() + "\n")
    except SyntaxError:
        return False
    return len(tree.body) == 1 and isinstance(tree.body[0], ast.Import | ast.ImportFrom)


def _import_gained_one_name(old: str, new: str) -> bool:
    try:
        before, after = ast.parse(old.strip()).body, ast.parse(new.strip()).body
    except SyntaxError:
        return False
    if len(before) != 1 or len(after) != 1:
        return False
    a, b = before[0], after[0]
    if type(a) is not type(b) or not isinstance(a, ast.Import | ast.ImportFrom):
        return False
    if isinstance(a, ast.ImportFrom) and (a.module, a.level) != (b.module, b.level):  # type: ignore[union-attr]
        return False
    names_a = {(n.name, n.asname) for n in a.names}
    names_b = {(n.name, n.asname) for n in b.names}
    return names_a < names_b and len(names_b - names_a) == 1


def classify(parent: str, commit: str) -> tuple[str, str] | None:
    """(family, kind) of the repair from ``parent`` to ``commit``, or None when it is not one of ours."""
    a, b = parent.splitlines(keepends=True), commit.splitlines(keepends=True)
    ops = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    if not ops:
        return None
    parent_compiles = compiles(parent)
    if len(ops) == 1 and ops[0][0] == "insert" and parent_compiles:
        _, _, _, j1, j2 = ops[0]
        added = b[j1:j2]
        if _one_import(added):
            indent = added[0][: len(added[0]) - len(added[0].lstrip())]
            return "import", "added-import" if not indent else "added-nested-import"
        return None
    if parent_compiles:
        if len(ops) == 1 and ops[0][0] == "replace":
            _, i1, i2, j1, j2 = ops[0]
            if i2 - i1 == 1 and j2 - j1 == 1 and _import_gained_one_name(a[i1], b[j1]):
                return "import", "added-name"
        return None
    if all(op[0] == "replace" and op[2] - op[1] == op[4] - op[3] for op in ops):
        pairs = [(a[i1 + k], b[j1 + k]) for _, i1, i2, j1, _ in ops for k in range(i2 - i1)]
        if all(x.lstrip() == y.lstrip() and x != y for x, y in pairs):
            tabs = any("\t" in x[: len(x) - len(x.lstrip())] for x, _ in pairs)
            return "indentation", "tabs" if tabs else "reindent"
        if len(pairs) == 1:
            old, new = pairs[0]
            char = _one_char_inserted(old.rstrip("\r\n"), new.rstrip("\r\n"))
            if char in INSERTED:
                return "syntax", {":": "colon", ",": "comma"}.get(char, "bracket")
            if _keyword_typo(old, new):
                return "syntax", "keyword"
    return None


def classify_partial(parent: str, commit: str) -> tuple[str, str, list[int]] | None:
    """A syntax or indentation repair inside a bigger change: (family, kind, [j1, j2, i1, i2]) where the
    broken file is the commit's lines with ``j1:j2`` replaced by the parent's ``i1:i2``."""
    a, b = parent.splitlines(keepends=True), commit.splitlines(keepends=True)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "replace" or i2 - i1 != j2 - j1 or i2 - i1 > 8:
            continue
        pairs = list(zip(a[i1:i2], b[j1:j2], strict=True))
        kind = None
        if all(x.lstrip() == y.lstrip() and x != y for x, y in pairs):
            tabs = any("\t" in x[: len(x) - len(x.lstrip())] for x, _ in pairs)
            kind = ("indentation", "partial-tabs" if tabs else "partial-reindent")
        elif len(pairs) == 1:
            old, new = pairs[0]
            char = _one_char_inserted(old.rstrip("\r\n"), new.rstrip("\r\n"))
            if char in INSERTED:
                kind = ("syntax", "partial-" + {":": "colon", ",": "comma"}.get(char, "bracket"))
            elif _keyword_typo(old, new):
                kind = ("syntax", "partial-keyword")
        if kind is not None and not compiles("".join(b[:j1] + a[i1:i2] + b[j2:])):
            return kind[0], kind[1], [j1, j2, i1, i2]
    return None


def may_hold_repair(before: str, after: str) -> bool:
    """A cheap test that ``classify`` or ``classify_partial`` could find a repair, run before either:
    the lines the change adds hold an import, or a removed line and an added one are a re-indent, one
    inserted ``: , ) ] }`` or a keyword typo of each other. Compiling and diffing whole files is what
    makes mining slow (seconds a pair on long files under load); most small changes fail this test."""
    old, new = Counter(before.splitlines()), Counter(after.splitlines())
    removed, added = list((old - new).elements()), list((new - old).elements())
    if any(line.lstrip().startswith(("import ", "from ")) for line in added):
        return True
    return any(
        x.lstrip() == y.lstrip()
        or _one_char_inserted(x, y) in INSERTED
        or (abs(len("".join(x.split())) - len("".join(y.split()))) <= 2 and _keyword_typo(x, y))
        for x in removed
        for y in added
    )


def _undefined(texts: dict[str, str]) -> dict[str, set[str]]:
    """Names ruff reports undefined (F821) in each text, from one ruff run."""
    with tempfile.TemporaryDirectory(prefix="hw-mine-") as tmp:
        for key, text in texts.items():
            (Path(tmp) / f"{key}.py").write_text(text, encoding="utf-8")
        result = subprocess.run(
            ["ruff", "check", "--isolated", "--no-cache", "--select", "F821", "--output-format", "json",
             "--exit-zero", tmp],
            capture_output=True, check=True,
        )  # fmt: skip
    found: dict[str, set[str]] = {key: set() for key in texts}
    for item in json.loads(result.stdout or b"[]"):
        name = item["message"].split("`")[1] if "`" in item["message"] else item["message"]
        found[Path(item["filename"]).stem].add(name)
    return found


def _binds(statement: str) -> set[str]:
    node = ast.parse(statement.strip()).body[0]
    assert isinstance(node, ast.Import | ast.ImportFrom)
    return {(a.asname or a.name).split(".")[0] for a in node.names}


def mine(
    repo: str,
    source: GitSource,
    head: str,
    families: set[str] | None = None,
    newest: int | None = None,
    budget: float | None = None,
) -> list[dict[str, str]]:
    """The repairs of ``repo``'s history; with ``budget`` (seconds), the candidates read until then
    (newest first) and their import cases still judged by ruff: a big history under a ``timeout``
    used to be killed with nothing written, every repair found so far lost."""
    started = time.monotonic()
    cases: list[dict[str, str]] = []
    pending: dict[str, tuple[dict[str, str], str, str]] = {}
    seen: set[int] = set()
    candidates = small_changes(source, head, newest)
    for done, (commit, parent, path, changed) in enumerate(candidates):
        if budget is not None and time.monotonic() - started > budget:
            sys.stderr.write(
                f"{repo}: budget of {budget:g} s spent after {done} of {len(candidates)} candidates\n"
            )
            break
        before, after = source.text(parent, path), source.text(commit, path)
        if before is None or after is None or hash((before, after)) in seen:
            continue
        seen.add(hash((before, after)))
        if not may_hold_repair(before, after):
            continue
        if not compiles(after):
            continue  # the truth must compile here (this also drops Python 2 code early)
        case = {"repo": repo, "commit": commit, "parent": parent, "path": path}
        if changed > MAX_CHANGED:
            partial = None if compiles(before) else classify_partial(before, after)
            if partial is not None and (not families or partial[0] in families):
                cases.append({**case, "family": partial[0], "kind": partial[1], "revert": partial[2]})
            continue
        kind = classify(before, after)
        if kind is None or (families and kind[0] not in families):
            continue
        case.update(family=kind[0], kind=kind[1])
        if kind[0] == "import":
            pending[str(len(pending))] = (case, before, after)
        else:
            cases.append(case)
    texts = {}
    for key, (_, before, after) in pending.items():
        texts[f"p{key}"], texts[f"c{key}"] = before, after
    undefined = _undefined(texts) if texts else {}
    for key, (case, before, after) in pending.items():
        added = [
            line
            for line in difflib.ndiff(before.splitlines(), after.splitlines())
            if line.startswith("+ ") and line[2:].strip()
        ]
        new_names = set().union(*(_binds(line[2:]) for line in added if _one_import([line[2:]])))
        fixed = undefined[f"p{key}"] - undefined[f"c{key}"]
        if fixed and fixed <= new_names and undefined[f"c{key}"] <= undefined[f"p{key}"]:
            cases.append(case)
    return cases


def per_commit(cases: list[dict[str, str]], most: int | None) -> list[dict[str, str]]:
    """At most ``most`` cases of each commit, the first found: one sweeping commit (an import added to
    150 files) would otherwise be most of a set, one repair counted many times."""
    kept: dict[str, int] = {}
    out = []
    for case in cases:
        kept[case["commit"]] = kept.get(case["commit"], 0) + 1
        if most is None or kept[case["commit"]] <= most:
            out.append(case)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", action="append", required=True, help="owner/name@COMMIT=GIT_DIR")
    parser.add_argument("--out", type=Path, required=True, help="the manifest to write (JSON)")
    parser.add_argument("--family", action="append", help="keep only these families (default: all)")
    parser.add_argument("--per-commit", type=int, help="keep at most this many cases of one commit")
    parser.add_argument(
        "--newest", type=int, help="read only the newest N non-merge commits that change a .py file"
    )
    parser.add_argument(
        "--budget", type=float, help="seconds per history: stop reading candidates then, keep what was found"
    )
    args = parser.parse_args(argv)
    if shutil.which("ruff") is None:  # checked first: the one ruff run comes after a whole history is read
        sys.stderr.write("mine_history: ruff is not on PATH (activate the venv hookwright is installed in)\n")
        return 2
    cases = []
    for spec in args.repo:
        name_at, _, git_dir = spec.partition("=")
        repo, _, head = name_at.partition("@")
        source = GitSource(Path(git_dir))
        mined = mine(repo, source, head, set(args.family or ()), args.newest, args.budget)
        found = per_commit(mined, args.per_commit)
        source.close()
        counts: dict[str, int] = {}
        for case in found:
            counts[case["kind"]] = counts.get(case["kind"], 0) + 1
        sys.stderr.write(f"{repo}: {len(found)} {counts}\n")
        cases.extend(found)
    manifest: dict[str, object] = {"about": "mined by benchmarks/self_heal/mine_history.py"}
    manifest["repos"] = [spec.partition("=")[0] for spec in args.repo]
    if args.newest:
        manifest["newest"] = args.newest
    if args.budget is not None:
        manifest["budget"] = args.budget
    manifest["cases"] = cases
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
