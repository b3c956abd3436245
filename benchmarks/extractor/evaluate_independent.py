"""hookwright, jscpd and pylint on the independent sets: injected clones and clones mined from history.

    python benchmarks/extractor/evaluate_independent.py --mutations DIR --mined DIR [--split held-out]
        [--jscpd PATH] [--tools hookwright,jscpd,pylint] [--kinds]

DIR are the outputs of independent/inject.py and independent/mine.py. Each tool runs once per project
(injected set) or per case folder (mined set) and is scored there: a reported pair matches a labelled
one when its spans cover at least 70% of both labelled spans. Recall is per clone type; precision is
over reported pairs that touch a pasted copy or link a look-alike pair (pairs wholly inside the
projects' own code are not judged: nobody labelled their natural clones). A judged pair is right when
it matches a labelled pair or lies inside one, side by side (a part of a true clone); a look-alike
pair is linked when a reported pair matches it. A second precision column also counts right the
judged pairs the labels do not name that link two natural twins (natural.py): the first is the figure.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from collections import defaultdict
from pathlib import Path

from natural import natural_twins
from scoring import COVERAGE, TYPES, Pair, Span, inside, matches
from tools import JSCPD_CONFIGS, hookwright_pairs, jscpd_pairs, pylint_pairs


def _span(data: dict) -> Span:
    return Span(data["path"], data["start_line"], data["end_line"])


def load(directory: Path, folder_key: str, split: str) -> dict[str, list[dict]]:
    """Folder -> its labelled pairs (type, kind, pair)."""
    by_folder: dict[str, list[dict]] = defaultdict(list)
    for item in json.loads((directory / "labels.json").read_text())["pairs"]:
        if split != "all" and item["split"] != split:
            continue
        pair = (_span(item["original"]), _span(item["copy"]))
        by_folder[item[folder_key]].append({**item, "pair": pair})
    return by_folder


def score(labelled: dict[str, list[dict]], reported: dict[str, list[Pair]], directory: Path) -> dict:
    found: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    judged = right = natural = 0
    missed: list[dict] = []
    for folder, items in labelled.items():
        pairs = reported.get(folder, [])
        copies = [i["pair"][1] for i in items if i["type"] != "lookalike"]
        true = [i["pair"] for i in items if i["type"] != "lookalike"]
        lookalikes = [i["pair"] for i in items if i["type"] == "lookalike"]
        for item in items:
            hit = any(matches(r, item["pair"]) for r in pairs)
            for key in (item["type"], f"{item['type']}/{item.get('kind', 'mined')}"):
                total[key] += 1
                found[key] += hit
            if not hit and item["type"] != "lookalike":
                missed.append({k: v for k, v in item.items() if k != "pair"})
        for r in pairs:
            touches = any(s.overlaps(c) for s in r for c in copies)
            links_lookalike = any(matches(r, p) for p in lookalikes)
            if touches or links_lookalike:
                judged += 1
                labelled_right = any(matches(r, t) or inside(r, t) for t in true) and not links_lookalike
                right += labelled_right
                # A wrong pair by the labels that links two natural twins (natural.py): counted apart.
                natural += not labelled_right and not links_lookalike and natural_twins(directory / folder, r)
    return {
        "found": dict(found), "total": dict(total), "judged": judged, "right": right, "natural": natural,
        "missed": missed,
    }  # fmt: skip


def row(name: str, result: dict, seconds: float) -> str:
    cells = []
    for kind in TYPES:
        n, t = result["found"].get(kind, 0), result["total"].get(kind, 0)
        cells.append(f"{n / t:.0%} ({n}/{t})" if t else "-")
    judged, right = result["judged"], result["right"]
    precision = f"{right / judged:.1%} ({right}/{judged})" if judged else "-"
    twins = right + result["natural"]
    with_twins = f"{twins / judged:.1%} ({twins}/{judged})" if judged else "-"
    n, t = result["found"].get("lookalike", 0), result["total"].get("lookalike", 0)
    linked = f"{n}/{t}" if t else "-"
    return f"| {name} | {' | '.join(cells)} | {precision} | {with_twins} | {linked} | {seconds:.1f} |"


HEADER = (
    "| tool | T1 | T2c | T2 | T3 | precision | with natural twins | look-alikes linked | seconds |\n"
    "|---|---|---|---|---|---|---|---|---|"
)


def kinds_table(result: dict) -> str:
    lines = ["| kind | " + " | ".join(TYPES) + " |", "|---|" + "---|" * len(TYPES)]
    for kind in ("block", "function", "class", "mined"):
        cells = []
        for clone_type in TYPES:
            key = f"{clone_type}/{kind}"
            n, t = result["found"].get(key, 0), result["total"].get(key, 0)
            cells.append(f"{n}/{t}" if t else "-")
        if any(c != "-" for c in cells):
            lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutations", type=Path)
    parser.add_argument("--mined", type=Path)
    splits = ("tuning", "held-out", "held-out-2", "held-out-3", "held-out-4", "held-out-5", "all")
    parser.add_argument("--split", choices=splits, default="held-out")
    parser.add_argument("--jscpd", default=shutil.which("jscpd") or "jscpd")
    parser.add_argument("--tools", default="hookwright,jscpd,pylint")
    parser.add_argument("--kinds", action="store_true", help="hookwright's recall by fragment kind")
    parser.add_argument("--missed", type=Path, help="write hookwright's misses here (JSON)")
    args = parser.parse_args()
    wanted = args.tools.split(",")
    tools = {}
    if "hookwright" in wanted:
        tools["hookwright"] = hookwright_pairs
    if "jscpd" in wanted:
        for name, extra in JSCPD_CONFIGS.items():
            tools[name] = lambda folder, extra=extra: jscpd_pairs(folder, args.jscpd, extra)
    if "pylint" in wanted:
        tools["pylint duplicate-code"] = pylint_pairs
    sets = [
        ("injected (mutation operators)", args.mutations, "project"),
        ("mined from history", args.mined, "case"),
    ]
    for title, directory, key in sets:
        if directory is None:
            continue
        labelled = load(directory, key, args.split)
        print(f"\n## {title}, split {args.split}: {sum(len(v) for v in labelled.values())} labelled pairs "
              f"in {len(labelled)} folders (coverage {COVERAGE:.0%})\n\n{HEADER}")  # fmt: skip
        for name, find in tools.items():
            start = time.perf_counter()
            reported = {folder: find(directory / folder) for folder in labelled}
            seconds = time.perf_counter() - start
            result = score(labelled, reported, directory)
            print(row(name, result, seconds), flush=True)
            if name == "hookwright" and args.kinds:
                print("\n" + kinds_table(result) + "\n")
            if name == "hookwright" and args.missed:
                with args.missed.open("a") as handle:
                    handle.write(json.dumps(result["missed"], indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
