"""The independent mutation set: real projects with clones pasted in by the taxonomy's editing operators.

    python benchmarks/extractor/independent/inject.py SDIST_DIR OUT_DIR [--seed N] [--split tuning|held-out]

SDIST_DIR holds the sdists that manifest.json names, unpacked (``pip download --no-deps --no-binary
:all: NAME==VERSION`` then ``tar xzf``); a ``.tar.gz`` beside them is checked against its sha256.
For each project, OUT_DIR/<project>/ gets the package's Python files with copies pasted in: statement
blocks into other functions, functions and classes between top-level statements of other modules.
OUT_DIR/labels.json lists every (original, copy) pair with its type and the operators applied, and
look-alike pairs (two real functions of similar length and statement structure that share almost
no names or literals) that a detector must not link.

This script and its helpers import nothing of hookwright: the clones are made by the taxonomy's
definitions (mutations.py), not by the detector's.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import hashlib
import json
import random
import shutil
import sys
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from checks import dedent, reindent, same_type, similarity  # noqa: E402
from fragments import Fragment, Twins, block_hosts, code_rows, fragments, top_level_gaps  # noqa: E402
from mutations import apply, layout_edits  # noqa: E402
from renaming import independent_edits, leaf_count, systematic_renames  # noqa: E402
from statements import one_edit, statement_pool  # noqa: E402

TYPES = ("T1", "T2c", "T2", "T3")
PER_KIND = {"block": 4, "function": 4, "class": 2}  # copies of each type per project
LOOKALIKES = 12  # per project
T2_SHARE = 0.25  # at most this share of a fragment's identifiers and literals changed independently
T3_LEAF_SHARE = 0.125
T3_STATEMENT_SHARE = 0.3  # at most this share of its statements inserted, deleted or changed
SKIP_DIRS = {"tests", "test", "_vendored", "vendor", "_vendor"}


def mutate(
    text: str, kind: str, clone_type: str, rng: random.Random, pool: list[str]
) -> tuple[str, dict[str, int]]:
    applied: dict[str, int] = {}

    def merge(counts: dict[str, int]) -> None:
        for name, n in counts.items():
            applied[name] = applied.get(name, 0) + n

    leaves = leaf_count(text)
    if clone_type in ("T2c", "T2", "T3") and (clone_type == "T2c" or rng.random() < 0.5):
        edits, renamed = systematic_renames(text, rng, rng.uniform(0.5, 1.0))
        text = apply(text, edits)
        merge({"mSRI": renamed} if renamed else {})
    if clone_type in ("T2", "T3"):
        share = T2_SHARE if clone_type == "T2" else T3_LEAF_SHARE
        low = 1 if clone_type == "T2" else 0
        edits, counts = independent_edits(text, rng, rng.randint(low, max(low, int(share * leaves))))
        text = apply(text, edits)
        merge(counts)
    if clone_type == "T3":
        statements = sum(isinstance(n, ast.stmt) for n in ast.walk(ast.parse(text)))
        wanted = rng.randint(1, max(1, int(T3_STATEMENT_SHARE * statements)))
        done = 0
        for _ in range(wanted * 5):
            if done == wanted:
                break
            found = one_edit(text, rng, pool, inner_only=kind != "block")
            if found is not None:
                text = found[1]
                merge({found[0]: 1})
                done += 1
    low = 2 if clone_type == "T1" else 0
    edits, counts = layout_edits(text, rng, rng.randint(low, 5))
    text = apply(text, edits)
    merge(counts)
    return text, applied


def overlaps(reserved: dict[str, list[tuple[int, int]]], path: str, start: int, end: int) -> bool:
    return any(start <= b and a <= end for a, b in reserved.get(path, []))


def build_project(entry: dict, sdists: Path, out: Path, seed: int) -> list[dict]:
    package = sdists / entry["package"]
    root = package.parent
    tarball = sdists / f"{entry['project']}-{entry['version']}.tar.gz"
    if tarball.exists() and hashlib.sha256(tarball.read_bytes()).hexdigest() != entry["sha256"]:
        raise SystemExit(f"{tarball}: sha256 differs from the manifest")
    sources: dict[str, str] = {}
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(root)
        if SKIP_DIRS & set(relative.parts[:-1]):
            continue
        text = path.read_text(encoding="utf-8")
        try:
            ast.parse(text)
        except SyntaxError:
            continue
        sources[relative.as_posix()] = text
    rng = random.Random(seed + zlib.crc32(entry["project"].encode()))
    pool = statement_pool(list(sources.values()))
    candidates = [f for path, text in sources.items() for f in fragments(path, text)]
    reserved: dict[str, list[tuple[int, int]]] = {}

    def reserve(path: str, start: int, end: int) -> None:
        reserved.setdefault(path, []).append((start, end))

    lookalikes = choose_lookalikes([f for f in candidates if f.kind == "function"], rng)
    for one, two in lookalikes:
        reserve(one.path, one.start, one.end)
        reserve(two.path, two.start, two.end)
    inserts: dict[str, list[tuple[int, str, int]]] = {}  # path -> (before row, text, label number)
    labels: list[dict] = []
    rng.shuffle(candidates)
    twins = Twins(sources)
    for clone_type in TYPES:
        for kind, count in PER_KIND.items():
            made = 0
            for fragment in candidates:
                if made == count:
                    break
                if fragment.kind != kind or overlaps(reserved, fragment.path, fragment.start, fragment.end):
                    continue
                if twins.has_twin(fragment, sources[fragment.path]):
                    continue  # a copy of it would have two true partners, and the labels name one
                made += place_copy(fragment, clone_type, sources, reserved, inserts, labels, rng, pool)
    return assemble(entry, sources, inserts, labels, lookalikes, out / entry["project"])


def place_copy(fragment: Fragment, clone_type: str, sources: dict[str, str], reserved: dict,
               inserts: dict, labels: list[dict], rng: random.Random, pool: list[str]) -> bool:  # fmt: skip
    lines = sources[fragment.path].splitlines(keepends=True)
    original = dedent("".join(lines[fragment.start - 1 : fragment.end]), fragment.indent)
    if original is None:
        return False
    others = [p for p in sources if p != fragment.path] or [fragment.path]
    for _ in range(6):
        text, applied = mutate(original, fragment.kind, clone_type, rng, pool)
        if same_type(original, text, clone_type, applied):
            break
    else:
        return False
    if fragment.kind == "block":
        hosts = [(p, h) for p in others for h in block_hosts(p, sources[p])]
        hosts = [(p, h) for p, h in hosts if not overlaps(reserved, p, h[0], h[1])]
        if not hosts:
            return False
        path, (start, end, row, indent) = rng.choice(hosts)
        reserved.setdefault(path, []).append((start, end))
        pasted = reindent(text, indent)
    else:
        path = rng.choice(others)
        gaps = [g for g in top_level_gaps(sources[path]) if not overlaps(reserved, path, g, g)]
        if not gaps:
            return False
        row = rng.choice(gaps)
        pasted = "\n\n" + text + "\n"
    reserved.setdefault(fragment.path, []).append((fragment.start, fragment.end))
    inserts.setdefault(path, []).append((row, pasted, len(labels)))
    labels.append({
        "type": clone_type, "kind": fragment.kind, "operators": applied,
        "similarity": round(similarity(original, text), 3),
        "original": (fragment.path, fragment.start, fragment.end), "copy": (path, None, None),
    })  # fmt: skip
    return True


def choose_lookalikes(functions: list[Fragment], rng: random.Random) -> list[tuple[Fragment, Fragment]]:
    """Pairs of real functions: similar length and statement structure, almost no shared names."""
    scored = []
    for i, one in enumerate(functions):
        for two in functions[i + 1 :]:
            if abs(one.code_lines - two.code_lines) > 0.25 * max(one.code_lines, two.code_lines):
                continue
            union = one.leaves | two.leaves
            if not union or len(one.leaves & two.leaves) > 0.1 * len(union):
                continue
            matcher = difflib.SequenceMatcher(None, one.shape, two.shape, autojunk=False)
            if matcher.quick_ratio() < 0.7 or (ratio := matcher.ratio()) < 0.7:
                continue
            scored.append((ratio, rng.random(), one, two))
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    chosen: list[tuple[Fragment, Fragment]] = []
    used: set[tuple[str, int]] = set()
    for _, _, one, two in scored:
        if len(chosen) == LOOKALIKES:
            break
        if (one.path, one.start) in used or (two.path, two.start) in used:
            continue
        used.update({(one.path, one.start), (two.path, two.start)})
        chosen.append((one, two))
    return chosen


def assemble(entry: dict, sources: dict[str, str], inserts: dict, labels: list[dict],
             lookalikes: list[tuple[Fragment, Fragment]], target: Path) -> list[dict]:  # fmt: skip
    shift: dict[str, list[tuple[int, int]]] = {}  # path -> (before row, lines inserted)
    for path, text in sources.items():
        pieces = sorted(inserts.get(path, []), key=lambda p: p[0])
        lines = text.splitlines(keepends=True)
        out: list[str] = []
        done = 0
        for row, pasted, number in pieces:
            out.extend(lines[done : row - 1])
            done = row - 1
            first = len(out) + 1
            out.extend(pasted.splitlines(keepends=True))
            labels[number]["copy"] = (path, first, len(out))
            shift.setdefault(path, []).append((row, pasted.count("\n")))
        out.extend(lines[done:])
        final = "".join(out)
        ast.parse(final)
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        (target / path).write_text(final, encoding="utf-8")

    def moved(path: str, row: int) -> int:
        return row + sum(n for before, n in shift.get(path, []) if before <= row)

    def trimmed(path: str, first: int, last: int) -> tuple[int, int]:
        text = (target / path).read_text(encoding="utf-8")
        rows = [r for r in code_rows(text, ast.parse(text)) if first <= r <= last]
        return min(rows), max(rows)

    pairs = []
    for label in labels:
        path, start, end = label["original"]
        copy_path, first, last = label["copy"]
        first, last = trimmed(copy_path, first, last)
        label["original"] = span(path, moved(path, start), moved(path, end))
        label["copy"] = span(copy_path, first, last)
        pairs.append({"project": entry["project"], "split": entry["split"], **label})
    for one, two in lookalikes:
        pairs.append({
            "project": entry["project"], "split": entry["split"], "type": "lookalike", "kind": "function",
            "original": span(one.path, moved(one.path, one.start), moved(one.path, one.end)),
            "copy": span(two.path, moved(two.path, two.start), moved(two.path, two.end)),
        })  # fmt: skip
    return pairs


def span(path: str, start: int, end: int) -> dict:
    return {"path": path, "start_line": start, "end_line": end}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sdists", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--split", choices=("tuning", "held-out"), default=None)
    args = parser.parse_args()
    manifest = json.loads((HERE / "manifest.json").read_text())
    if args.out.exists():
        shutil.rmtree(args.out)
    pairs = []
    for entry in manifest["sdists"]:
        if args.split and entry["split"] != args.split:
            continue
        made = build_project(entry, args.sdists, args.out, args.seed)
        pairs.extend(made)
        kinds = {t: sum(1 for p in made if p["type"] == t) for t in (*TYPES, "lookalike")}
        print(f"{entry['project']} ({entry['split']}): {kinds}")
    (args.out / "labels.json").write_text(json.dumps({"seed": args.seed, "pairs": pairs}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
