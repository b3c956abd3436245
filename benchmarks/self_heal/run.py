"""self_heal fix-rate benchmark: hookwright vs ruff --fix --unsafe-fixes vs autopep8 --aggressive.

Every mutant of tests/corpus/self_heal (see mutate.py) goes through each tool; each result is then
measured against the unmutated original:

* compiles-clean: it compiles and has no more undefined names (ruff F821) than the original;
* AST-exact: ``ast.dump`` of the result equals that of the original (and, as a second column,
  equal but for the order, grouping and place of each block's imports: where a re-added import landed);
* made worse: the tool changed the file and it is worse than the mutant it got: it stopped
  compiling, or it has more undefined names than both the mutant and the original, or ruff finds
  more syntax errors in it than in the mutant.

hookwright runs in-process through ``hookwright.heal.engine.heal_text``: the engine the pre-commit hook
and ``hookwright heal`` run, with the same built-in rules and detector (compile + ruff on stdin);
each mutated file sits in a copy of its project, so imports are learned from the project's other
files. ruff and autopep8 run as their own command lines on the same mutants, in one batch each.

    python benchmarks/self_heal/run.py [--corpus tests/corpus/self_heal] [--json results.json]
    python benchmarks/self_heal/run.py --heldout     # stdlib modules the fixers were not tuned on
"""

from __future__ import annotations

import argparse
import ast
import json
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import warnings
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from mutate import FAMILIES, Mutant, corpus  # noqa: E402

from hookwright.heal import rules as error_rules  # noqa: E402
from hookwright.heal.engine import Detector, heal_text  # noqa: E402
from hookwright.heal.project_names import ProjectIndex  # noqa: E402

TOOLS = ("hookwright", "ruff", "autopep8")
# Held out: standard-library modules the fixers were never tuned on (``--heldout``), read from the
# interpreter running the benchmark (PSF licence; nothing is copied into the repository).
HELDOUT = (
    "argparse", "calendar", "configparser", "csv", "dataclasses", "difflib", "functools", "gettext",
    "optparse", "pprint", "random", "shutil", "statistics", "tempfile", "typing",
)  # fmt: skip


def _compiles(text: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(text, "<result>", "exec", dont_inherit=True)
        except (SyntaxError, ValueError):
            return False
    return True


def _dump(text: str) -> str | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.dump(ast.parse(text))
        except (SyntaxError, ValueError):
            return None


def _canonical(text: str) -> str | None:
    """``ast.dump`` with each block's imports (module, function body, ``if TYPE_CHECKING:`` ...) as a
    sorted set of (module, name, alias) tuples in front of the block: equal when two files differ only
    in the order, grouping and place of the imports inside each block."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            return None
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if not isinstance(block, list) or not block or not isinstance(block[0], ast.stmt):
                continue
            imports = []
            for statement in block:
                if isinstance(statement, ast.Import):
                    imports += [("", 0, a.name, a.asname) for a in statement.names]
                elif isinstance(statement, ast.ImportFrom):
                    imports += [
                        (statement.module or "", statement.level, a.name, a.asname) for a in statement.names
                    ]
            rest = [s for s in block if not isinstance(s, ast.Import | ast.ImportFrom)]
            marker = [ast.Expr(ast.Constant(repr(sorted(imports, key=repr))))] if imports else []
            setattr(node, field, marker + rest)
    return ast.dump(tree)


def _ruff_counts(directory: Path) -> dict[Path, tuple[int, int]]:
    """(undefined names, syntax errors) per file, from one ruff run over ``directory``."""
    result = subprocess.run(
        ["ruff", "check", "--isolated", "--no-cache", "--select", "F821", "--output-format", "json",
         "--exit-zero", str(directory)],
        capture_output=True, check=True,
    )  # fmt: skip
    counts: dict[Path, list[int]] = defaultdict(lambda: [0, 0])
    for item in json.loads(result.stdout or b"[]"):
        counts[Path(item["filename"]).resolve()][0 if item["code"] == "F821" else 1] += 1
    return {path: (c[0], c[1]) for path, c in counts.items()}


def _place(base: Path, mutant: Mutant, text: str) -> Path:
    target = base / mutant.id / Path(mutant.path).name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def run_hookwright(mutants: list[Mutant], projects: Path) -> tuple[dict[str, str], float]:
    registry = error_rules.load(projects, {})
    indexes = {name: ProjectIndex.from_directory(projects / name) for name in {m.project for m in mutants}}
    detectors = {name: Detector(projects / name) for name in indexes}
    results = {}
    start = time.monotonic()
    for mutant in mutants:
        healed = heal_text(
            mutant.path, mutant.text, registry, detectors[mutant.project],
            project=indexes[mutant.project], max_rounds=3,
        )  # fmt: skip
        results[mutant.id] = healed.text
    return results, time.monotonic() - start


def run_batch(tool: str, mutants: list[Mutant], work: Path) -> tuple[dict[str, str], float]:
    base = work / tool
    paths = {m.id: _place(base, m, m.text) for m in mutants}
    if tool == "ruff":
        argv = [
            "ruff",
            "check",
            "--isolated",
            "--no-cache",
            "--fix",
            "--unsafe-fixes",
            "--exit-zero",
            str(base),
        ]
    else:
        argv = ["autopep8", "--aggressive", "--in-place", "--recursive", "--jobs", "0", str(base)]
    start = time.monotonic()
    subprocess.run(argv, capture_output=True, check=False)
    elapsed = time.monotonic() - start
    return {ident: path.read_text(encoding="utf-8") for ident, path in paths.items()}, elapsed


def measure(mutants: list[Mutant], outputs: dict[str, dict[str, str]], work: Path) -> list[dict[str, object]]:
    """One row per (mutant, tool) with the three measures."""
    placed: dict[tuple[str, str], Path] = {}
    for mutant in mutants:
        placed[("original", mutant.id)] = _place(work / "measure" / "original", mutant, mutant.original)
        placed[("mutant", mutant.id)] = _place(work / "measure" / "mutant", mutant, mutant.text)
        for tool, results in outputs.items():
            placed[(tool, mutant.id)] = _place(work / "measure" / tool, mutant, results[mutant.id])
    counts = _ruff_counts(work / "measure")
    rows = []
    for mutant in mutants:
        names_original, _ = counts.get(placed[("original", mutant.id)].resolve(), (0, 0))
        names_mutant, syntax_mutant = counts.get(placed[("mutant", mutant.id)].resolve(), (0, 0))
        mutant_compiles = _compiles(mutant.text)
        original_dump = _dump(mutant.original)
        original_canonical = _canonical(mutant.original)
        for tool, results in outputs.items():
            text = results[mutant.id]
            names, syntax = counts.get(placed[(tool, mutant.id)].resolve(), (0, 0))
            compiles = _compiles(text)
            changed = text != mutant.text
            worse = changed and (
                (mutant_compiles and not compiles)
                or names > max(names_original, names_mutant if mutant_compiles else 0)
                or syntax > syntax_mutant
            )
            rows.append(
                {
                    "id": mutant.id,
                    "family": mutant.family,
                    "operator": mutant.operator,
                    "tool": tool,
                    "changed": changed,
                    "compiles_clean": compiles and names <= names_original,
                    "ast_exact": compiles and _dump(text) == original_dump,
                    "same_but_import_order": compiles and _canonical(text) == original_canonical,
                    "made_worse": bool(worse),
                }
            )
    return rows


def _rate(rows: Iterable[dict[str, object]], key: str) -> tuple[int, int]:
    rows = list(rows)
    return sum(bool(r[key]) for r in rows), len(rows)


def table(rows: list[dict[str, object]], group: str = "family") -> str:
    out = [
        f"| {group} | n | tool | compiles-clean | AST-exact | AST-exact but for import order | made worse |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    keys = sorted({str(r[group]) for r in rows}, key=lambda k: (FAMILIES.index(k) if k in FAMILIES else 9, k))
    for key in keys:
        for tool in TOOLS:
            selected = [r for r in rows if r[group] == key and r["tool"] == tool]
            if not selected:
                continue
            cells = []
            for measure_name in ("compiles_clean", "ast_exact", "same_but_import_order", "made_worse"):
                hit, total = _rate(selected, measure_name)
                cells.append(
                    f"{100 * hit / total:.1f}% ({hit})" if measure_name != "made_worse" else str(hit)
                )
            out.append(f"| {key} | {len(selected)} | {tool} | {' | '.join(cells)} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=HERE.parent.parent / "tests" / "corpus" / "self_heal")
    parser.add_argument("--json", type=Path, help="write every row here")
    parser.add_argument("--family", choices=FAMILIES, action="append", help="only these families")
    parser.add_argument("--heldout", action="store_true", help="this interpreter's stdlib modules in HELDOUT")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated, from " + ",".join(TOOLS))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hw-bench-") as tmp:
        work = Path(tmp)
        projects = work / "projects"
        if args.heldout:
            stdlib = Path(sysconfig.get_paths()["stdlib"])
            (projects / "stdlib").mkdir(parents=True)
            for name in HELDOUT:
                shutil.copy(stdlib / f"{name}.py", projects / "stdlib" / f"{name}.py")
        else:
            shutil.copytree(args.corpus, projects)
        mutants = [m for m in corpus(projects) if not args.family or m.family in args.family]
        mutants = _keep_real_import_mutants(mutants, work)
        outputs: dict[str, dict[str, str]] = {}
        timings: dict[str, float] = {}
        tools = args.tools.split(",")
        if "hookwright" in tools:
            outputs["hookwright"], timings["hookwright"] = run_hookwright(mutants, projects)
        for tool in ("ruff", "autopep8"):
            if tool in tools:
                outputs[tool], timings[tool] = run_batch(tool, mutants, work)
        rows = measure(mutants, outputs, work)
    sys.stdout.write(table(rows))
    sys.stdout.write("\n" + table(rows, "operator"))
    for tool, seconds in timings.items():
        sys.stdout.write(f"\n{tool}: {seconds:.1f}s for {len(mutants)} mutants")
    sys.stdout.write("\n")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


def _keep_real_import_mutants(mutants: list[Mutant], work: Path) -> list[Mutant]:
    """A deleted import counts only if the file now has more undefined names than before."""
    imports = [m for m in mutants if m.family == "import"]
    paths = {}
    for mutant in imports:
        paths[mutant.id] = (
            _place(work / "check" / "original", mutant, mutant.original),
            _place(work / "check" / "mutant", mutant, mutant.text),
        )
    counts = _ruff_counts(work / "check")
    real = {
        ident
        for ident, (original, mutated) in paths.items()
        if counts.get(mutated.resolve(), (0, 0))[0] > counts.get(original.resolve(), (0, 0))[0]
    }
    return [m for m in mutants if m.family != "import" or m.id in real]


if __name__ == "__main__":
    raise SystemExit(main())
