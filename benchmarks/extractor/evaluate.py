"""Recall per clone type, precision and F1 on the labelled corpus: hookwright, jscpd and pylint side by side.

    python benchmarks/extractor/evaluate.py [--jscpd PATH] [--work DIR]

Generates the corpus (tests/corpus/clones/generate.py), runs each tool on it, scores the reported
pairs (a reported pair matches a true one when it covers at least 70% of both spans), and checks that
every template pack ``--emit`` wrote regenerates its members through the real loaders.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scoring import TYPES, Score, load_labels, score
from tools import HOOKWRIGHT, JSCPD_CONFIGS, hookwright_pairs, jscpd_pairs, pylint_pairs, run

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "tests" / "corpus" / "clones" / "generate.py"


def check_emitted_packs(corpus: Path) -> tuple[int, int, int]:
    """(classes with a template, packs written, packs whose every member regenerates exactly)."""
    from hookwright import instances
    from hookwright.templates import packs as template_packs
    from hookwright.templates import render as templates

    repo = Path(tempfile.mkdtemp(prefix="hookwright-emit-"))
    shutil.copytree(corpus, repo, dirs_exist_ok=True)
    run(["git", "init", "-q"], repo)
    run(["git", "add", "-A"], repo)
    result = run([*HOOKWRIGHT, "patterns", "extract", "--format", "json", "--emit", "packs"], repo)
    classes = json.loads(result.stdout)["clone_classes"]
    templated = sum(1 for c in classes if c["template"] is not None)
    packs = sorted(p for p in (repo / "packs").iterdir() if (p / "template.yaml").exists())
    good = 0
    for pack_dir in packs:
        pack = template_packs.load(pack_dir)
        ok = True
        for instance_path in sorted((repo / "packs" / "instances").glob(f"{pack.name}-*.yaml")):
            instance = instances.load(instance_path, root=repo)
            item = instance.inputs["items"][0]
            member = re.search(r"Regenerates (.+):(\d+)-(\d+) ", instance.description or "")
            assert member, instance.description
            path, start, end = member.group(1), int(member.group(2)), int(member.group(3))
            context, problems = templates.prepare(pack, item["variables"], instance_path.name)
            planned, problems2 = templates.plan_paths(pack, context, item["target"], instance_path.name)
            text = templates.render(planned[0]).data.decode()
            source = (repo / path).read_text(encoding="utf-8").splitlines(keepends=True)
            original = _statements_at(ast.parse("".join(source)), start, end)
            ok &= (
                not problems
                and not problems2
                and ast.dump(ast.parse(text)) == ast.dump(ast.Module(body=original, type_ignores=[]))
            )
        good += ok
    shutil.rmtree(repo, ignore_errors=True)
    return templated, len(packs), good


def _statements_at(tree: ast.Module, start: int, end: int) -> list[ast.stmt]:
    """The sibling statements that make up lines start..end (decorators included)."""
    for node in ast.walk(tree):
        for name in ("body", "orelse", "finalbody"):
            block = getattr(node, name, None)
            if not isinstance(block, list):
                continue
            chosen = [
                s
                for s in block
                if isinstance(s, ast.stmt)
                and min([s.lineno, *(d.lineno for d in getattr(s, "decorator_list", []))]) >= start
                and (s.end_lineno or s.lineno) <= end
            ]
            if (
                chosen
                and min(
                    min([s.lineno, *(d.lineno for d in getattr(s, "decorator_list", []))]) for s in chosen
                )
                == start
                and max(s.end_lineno or 0 for s in chosen) == end
            ):
                return chosen
    raise LookupError(f"no statements span lines {start}-{end}")


def table(rows: dict[str, Score], seconds: dict[str, float]) -> str:
    head = (
        "| tool | "
        + " | ".join(f"recall {t}" for t in TYPES)
        + " | precision | "
        + " | ".join(f"F1 {t}" for t in TYPES)
        + " | seconds |"
    )
    lines = [head, "|" + "---|" * (2 + 2 * len(TYPES) + 1)]
    for name, result in rows.items():
        recall = " | ".join(f"{result.recall[t]:.0%} ({result.found[t]}/{result.total[t]})" for t in TYPES)
        f1 = " | ".join(f"{result.f1(t):.3f}" for t in TYPES)
        right = result.judged - len(result.false)
        precision = f"{result.precision:.1%} ({right}/{result.judged})"
        lines.append(f"| {name} | {recall} | {precision} | {f1} | {seconds[name]:.1f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jscpd", default=shutil.which("jscpd") or "jscpd")
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="clone-corpus-"))
    corpus = work / "corpus"
    subprocess.run([sys.executable, str(GENERATOR), str(corpus), "--check"], check=True)
    labels = load_labels(corpus)
    tools = {"hookwright": lambda: hookwright_pairs(corpus)}
    for name, extra in JSCPD_CONFIGS.items():
        tools[name] = lambda extra=extra: jscpd_pairs(corpus, args.jscpd, extra)
    tools["pylint duplicate-code"] = lambda: pylint_pairs(corpus)
    rows: dict[str, Score] = {}
    seconds: dict[str, float] = {}
    for name, find in tools.items():
        start = time.perf_counter()
        reported = find()
        seconds[name] = time.perf_counter() - start
        rows[name] = score(labels, reported)
    print(table(rows, seconds))
    templated, written, regenerated = check_emitted_packs(corpus)
    print(
        f"\ntemplates: {templated} classes made a template; {written} packs written by --emit; "
        f"{regenerated}/{written} regenerate every member exactly through the loaders"
    )
    if os.environ.get("SHOW_FALSE"):
        for pair in rows["hookwright"].false:
            print("false:", pair)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
