"""self_heal on the held-out sets: code the fixers were never tuned on, next to ruff and autopep8.

Three sets, reported apart (see README.md, "Held-out sets"):

* ``history``: real repairs mined from projects' histories (``heldout/history.json``): the parent
  commit's file is the input, the commit's file the truth;
* ``mutants``: files of the same projects broken by ``heldout_mutate.py`` (``heldout/mutants.json``);
* ``correct``: unmodified files of those projects, which every tool must leave as they are.

hookwright runs in-process through ``hookwright.heal.engine.heal_text`` as the pre-commit hook does, with
each file in its project: the project's other files (read from git at the case's commit) are where
imports are learned. ``--alone`` puts each file alone in an empty project instead. ruff and autopep8
run as their own command lines, one batch each. The measures are run.py's.

    python benchmarks/self_heal/run_heldout.py --git psf/requests=/path/to/requests.git ... \\
        [--set history --set mutants --set correct] [--alone] [--json rows.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gitsource import parse_git_args  # noqa: E402
from heldout import Case, correct_cases, history_cases, mutant_cases, source  # noqa: E402
from run import TOOLS, _keep_real_import_mutants, measure, run_batch, table  # noqa: E402

from hookwright.heal import rules as error_rules  # noqa: E402
from hookwright.heal.engine import Detector, heal_text  # noqa: E402
from hookwright.heal.project_names import ProjectIndex  # noqa: E402

SETS = {"history": history_cases, "mutants": mutant_cases, "correct": correct_cases}
MANIFESTS = {"history": "history.json", "mutants": "mutants.json", "correct": "mutants.json"}


def _index(
    case: Case, gits: dict[str, Path], alone: bool, cache: dict[tuple[str, str], ProjectIndex]
) -> ProjectIndex:
    if alone:
        return ProjectIndex([case.path], lambda relpath: None)
    key = (case.repo, case.commit)
    if key not in cache:
        src = source(gits[case.repo])
        commit = case.commit
        cache[key] = ProjectIndex(src.python_files(commit), lambda relpath: src.read(commit, relpath))
    return cache[key]


def run_hookwright(
    cases: list[Case], gits: dict[str, Path], alone: bool, work: Path
) -> tuple[dict[str, str], float]:
    empty = work / "empty-project"
    empty.mkdir()
    registry = error_rules.load(empty, {})
    detector = Detector(empty)
    indexes: dict[tuple[str, str], ProjectIndex] = {}
    results = {}
    start = time.monotonic()
    for case in cases:
        index = _index(case, gits, alone, indexes)
        healed = heal_text(case.path, case.text, registry, detector, project=index, max_rounds=3)
        results[case.id] = healed.text
    return results, time.monotonic() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--git", action="append", required=True, help="owner/name=GIT_DIR, for every repository"
    )
    parser.add_argument("--manifests", type=Path, default=HERE / "heldout")
    parser.add_argument("--set", dest="sets", action="append", choices=sorted(SETS))
    parser.add_argument("--alone", action="store_true", help="each file alone in an empty project")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated, from " + ",".join(TOOLS))
    parser.add_argument("--json", type=Path, help="write every row here")
    args = parser.parse_args(argv)
    gits = parse_git_args(args.git)
    tools = [t for t in args.tools.split(",") if t]
    all_rows = []
    for name in args.sets or ["history", "mutants", "correct"]:
        cases = SETS[name](args.manifests / MANIFESTS[name], gits)
        with tempfile.TemporaryDirectory(prefix="hw-heldout-") as tmp:
            work = Path(tmp)
            if name != "correct":
                cases = _keep_real_import_mutants(cases, work)  # type: ignore[arg-type]
            outputs: dict[str, dict[str, str]] = {}
            timings: dict[str, float] = {}
            if "hookwright" in tools:
                outputs["hookwright"], timings["hookwright"] = run_hookwright(cases, gits, args.alone, work)
            for tool in ("ruff", "autopep8"):
                if tool in tools:
                    outputs[tool], timings[tool] = run_batch(tool, cases, work)  # type: ignore[arg-type]
            rows = measure(cases, outputs, work)  # type: ignore[arg-type]
        reachable = {case.id: case.reachable for case in cases}
        for row in rows:
            row["set"], row["reachable"] = name, reachable[str(row["id"])]
        all_rows += rows
        sys.stdout.write(f"\n## {name} ({len(cases)} files{', each alone' if args.alone else ''})\n\n")
        if name == "correct":
            for tool in outputs:
                changed = sum(bool(r["changed"]) for r in rows if r["tool"] == tool)
                sys.stdout.write(f"{tool}: changed {changed} of {len(cases)}\n")
        else:
            sys.stdout.write(table(rows) + "\n" + table(rows, "operator"))
            if not all(reachable.values()):
                kept = [row for row in rows if row["reachable"]]
                n = sum(reachable.values())
                sys.stdout.write(f"\n### reachable only ({n} of {len(cases)}: reachable.py)\n\n")
                sys.stdout.write(table(kept) + "\n" + table(kept, "operator"))
        for tool, seconds in timings.items():
            sys.stdout.write(f"\n{tool}: {seconds:.1f}s for {len(cases)} files")
        sys.stdout.write("\n")
    if args.json:
        args.json.write_text(json.dumps(all_rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
