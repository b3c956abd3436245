"""Attribute sites of every rename task of a set, plan only: decided by type, or still unsure (with why).

usage: python benchmarks/refactor_patch/unsure_counts.py --set SET NAME=PATH [NAME=PATH ...]

No tool writes anything and no test runs: `rename.plan` on a git copy of each project, refusals
left out. Prints one JSON object: per task the sites renamed by type ("typed"), left alone as another
type ("other_type") and unsure, then the totals and the ten commonest reasons for unsure sites.
Run it with another checkout of hookwright first on PYTHONPATH to count the base.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from rename_vs_rope import TASKS, prepared


def counted(root: Path, old: str, new: str) -> dict[str, Any]:
    from hookwright.errors import BadInput
    from hookwright.git.repo import Repo
    from hookwright.refactor import rename
    from hookwright.refactor.rename_flow import python_files

    try:
        plan = rename.plan(root, python_files(Repo.discover(root)), old, new)
    except BadInput as exc:
        return {"refused": str(exc).splitlines()[0]}
    reasons = [re.sub(r"^[^:]*: ", "", site.text) for site in plan.unsure]
    return {
        "typed": sum(site.kind == "typed" for site in plan.sites),
        "other_type": len(plan.others),
        "unsure": len(plan.unsure),
        "reasons": reasons,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("projects", nargs="+", help="NAME=PATH")
    parser.add_argument("--set", required=True)
    args = parser.parse_args()
    tasks = json.loads(TASKS.read_text())[args.set]
    rows: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in (item.split("=", 1) for item in args.projects):
            root = prepared(Path(path).resolve(), Path(tmp) / name)
            for task in tasks[name]:
                if task["kind"] != "refuse":
                    new = (
                        task.get("new") or task["old"].rsplit(".", 1)[-1] + "_renamed"
                    )  # as rename_vs_rope does
                    rows[task["old"]] = counted(root, task["old"], new)
    done = [row for row in rows.values() if "refused" not in row]
    reasons = collections.Counter(why for row in done for why in row.pop("reasons"))
    totals = {key: sum(row[key] for row in done) for key in ("typed", "other_type", "unsure")}
    json.dump({"tasks": rows, "totals": totals, "reasons": reasons.most_common(10)}, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
