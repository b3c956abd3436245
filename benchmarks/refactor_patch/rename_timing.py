"""Rename times only, repeated: hookwright vs rope on the rename tasks of rename_tasks.json.

usage: python benchmarks/refactor_patch/rename_timing.py --set tuning|report|fresh|held_out|held_out_2
       [--repeat 5]
       NAME=PATH ...

rename_vs_rope.py judges each rename once by the project's tests; one timing per rename is noisy on a
shared machine. Here each tool renames each symbol --repeat times, each time on a fresh copy and in
alternation with the other tool, without running any tests; a symbol's time is the fastest of its
runs (the least disturbed), and the summary is the median over symbols. "hookwright plan" is the
analysis alone (rename.plan: find every site, refuse conflicts), without the journaled write and the
compile + ruff verification that `refactor rename` adds and rope does not do.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rename_vs_rope import TASKS, prepared, with_hookwright, with_rope

TOOLS = ("hookwright", "hookwright plan", "rope")


def plan_only(root: Path, old: str, new: str) -> tuple[str, float]:
    from hookwright.git.repo import Repo
    from hookwright.refactor import rename
    from hookwright.refactor.rename_flow import python_files

    start = time.perf_counter()
    repo = Repo.discover(root)
    rename.plan(repo.root, python_files(repo), old, new)
    return "planned", time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("projects", nargs="+", help="NAME=PATH")
    parser.add_argument(
        "--set", choices=("tuning", "report", "fresh", "held_out", "held_out_2"), required=True
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data = json.loads(TASKS.read_text())
    tasks = data[args.set]
    best: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for spec in args.projects:
            name, _, path = spec.partition("=")
            pristine = prepared(Path(path), Path(tmp) / name)
            import_root = data["projects"][name].get("import_root", "src")
            for task in tasks[name]:
                if task["kind"] == "refuse":
                    continue
                old = task["old"]
                new = task.get("new") or old.rsplit(".", 1)[-1] + "_renamed"
                times: dict[str, list[float]] = {tool: [] for tool in TOOLS}
                runners = {
                    "hookwright": lambda r, o, n: (None, with_hookwright(r, o, n)["seconds"]),
                    "hookwright plan": plan_only,
                    "rope": lambda r, o, n, at=import_root: (None, with_rope(r, o, n, at)["seconds"]),
                }
                for _ in range(args.repeat):
                    for tool, rename in runners.items():
                        work = Path(tmp) / "work"
                        shutil.rmtree(work, ignore_errors=True)
                        shutil.copytree(pristine, work, symlinks=True)
                        times[tool].append(rename(work, old, new)[1])
                best[old] = {tool: round(min(values), 3) for tool, values in times.items()}
                print(json.dumps({old: best[old]}), file=sys.stderr)
    summary = {
        tool: {"median of the fastest runs (s)": round(statistics.median(b[tool] for b in best.values()), 3)}
        for tool in TOOLS
    }
    summary["hookwright faster"] = sum(b["hookwright"] < b["rope"] for b in best.values())  # type: ignore[assignment]
    summary["symbols"] = len(best)  # type: ignore[assignment]
    json.dump({"summary": summary, "symbols": best}, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
