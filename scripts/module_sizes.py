"""Print the product modules' sizes and fail when they break the house limits.

The limits (issue 17): no module over MAX lines (enforced: exit 1), the median at most MEDIAN (a
target, printed; ``--strict`` enforces it too). Counted: every ``.py``
file of the package (``lib/`` and ``hooks/``) except ``__init__.py`` files that only re-export and the
pytest plugin, which runs inside the user's pytest and is not a product module.

Usage: python scripts/module_sizes.py [--top N]
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX = 400
MEDIAN = 120


def sizes() -> dict[str, int]:
    found = {}
    for folder in ("lib", "hooks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "pytest_plugin" in path.parts or (path.name == "__init__.py" and path.stat().st_size < 200):
                continue
            found[relative] = len(path.read_text(encoding="utf-8").splitlines())
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=10, help="how many of the largest modules to list")
    parser.add_argument("--strict", action="store_true", help="fail when the median is over its target")
    args = parser.parse_args(argv)
    found = sizes()
    median = statistics.median(found.values())
    over = {name: lines for name, lines in found.items() if lines > MAX}
    largest = max(found.values())
    met = "met" if median <= MEDIAN else "NOT met"
    print(f"{len(found)} modules, median {median:g} lines (target {MEDIAN}: {met}),", end=" ")
    print(f"largest {largest} (limit {MAX})")
    for name, lines in sorted(found.items(), key=lambda item: -item[1])[: args.top]:
        print(f"  {lines:5d}  {name}{'  over the limit' if name in over else ''}")
    return 1 if over or (args.strict and median > MEDIAN) else 0


if __name__ == "__main__":
    raise SystemExit(main())
