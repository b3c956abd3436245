"""The plan of every rename task of some sets, no tests: which plans a change of the rename code moves.

usage: python benchmarks/refactor_patch/rename_plans.py SET[,SET...] NAME=PATH [NAME=PATH ...]

For each task, `rename.plan` on a git copy of its project (nothing is written) gives the renamed
files' bytes (a digest), the unsure and other-type site counts and the plan's time, or the refusal's
first line; a rename the flow would refuse before writing (a file importing the package that cannot
be parsed) is a refusal too. Prints one JSON object keyed "SET:OLD". Run it once with another
checkout first on PYTHONPATH (README, section 3) and once with this one: a task whose plan is the
same keeps that run's verdict, so only the tasks whose plan moved need the tests
(rename_vs_rope.py --only).
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rename_vs_rope import TASKS, prepared


def planned(root: Path, old: str, new: str) -> dict[str, Any]:
    from hookwright.errors import BadInput
    from hookwright.git.repo import Repo
    from hookwright.refactor import rename
    from hookwright.refactor.rename_flow import python_files

    start = time.perf_counter()
    try:
        plan = rename.plan(root, python_files(Repo.discover(root)), old, new)
        try:  # the flow's refusal before any write; older checkouts do not have it
            from hookwright.refactor.unparsed_importers import refuse_unparsed_importers
        except ImportError:
            pass
        else:
            refuse_unparsed_importers(root, old, plan.skipped)
    except BadInput as exc:
        return {"refused": str(exc).splitlines()[0]}
    digest = hashlib.sha256()
    for path in sorted(plan.contents):
        digest.update(path.encode() + b"\0" + plan.contents[path] + b"\0")
    return {
        "digest": digest.hexdigest()[:16],
        "files": sorted(plan.contents),
        "unsure": len(plan.unsure),
        "others": len(plan.others),
        "skipped": [path for path, _ in plan.skipped],
        "seconds": round(time.perf_counter() - start, 3),
    }


def main() -> int:
    sets, specs = sys.argv[1].split(","), sys.argv[2:]
    data = json.loads(TASKS.read_text())
    found: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for spec in specs:
            name, _, path = spec.partition("=")
            root = prepared(Path(path), Path(scratch) / name)
            for chosen in sets:
                for task in data[chosen].get(name, []):
                    found[f"{chosen}:{task['old']}"] = planned(
                        root, task["old"], task.get("new") or task["old"].rsplit(".", 1)[-1] + "_renamed"
                    )
                    print(chosen, task["old"], found[f"{chosen}:{task['old']}"], file=sys.stderr)
    json.dump(found, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
