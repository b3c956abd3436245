"""1,000 files from the built-in packs: hookwright batch_create versus cookiecutter, side by side.

hookwright renders, validates (syntax, strict YAML, leftover markers, ruff's F rules) and writes all
1,000 files in one FileTransaction; cookiecutter renders and writes the same files from the same
templates (converted to a cookiecutter template) and validates nothing. Both outputs are compared
byte for byte. Each run is a fresh child process in a fresh git repository.

    python benchmarks/templates/bench.py [--entities 125] [--runs 5] [--json FILE]
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

from hookwright.templates import pack_registry, pack_schema

PACKS = ("crud", "model", "test", "lookup", "config")  # 2 + 1 + 1 + 1 + 3 = 8 files per entity
# Where each pack's files go, as cookiecutter path components (it renders one component at a time).
COOKIECUTTER_PATHS = {
    ("crud", "router.py.j2"): "app/routers/{{ cookiecutter.hw['name'] | snake }}.py",
    ("crud", "schemas.py.j2"): "app/schemas/{{ cookiecutter.hw['name'] | snake }}.py",
    ("model", "model.py.j2"): "app/models/{{ cookiecutter.hw['name'] | snake }}.py",
    ("test", "test_module.py.j2"): "tests/test_{{ cookiecutter.hw['function'] }}.py",
    ("lookup", "lookup.py.j2"): "lookups/{{ cookiecutter.hw['import_path'] | replace('lookups.', '') }}.py",
    ("config", "settings.yaml.j2"): "config/{{ cookiecutter.hw['name'] }}.yaml",
    ("config", "settings.toml.j2"): "config/{{ cookiecutter.hw['name'] }}.toml",
    ("config", "settings.json.j2"): "config/{{ cookiecutter.hw['name'] }}.json",
}


def entity_items(count: int) -> list[dict[str, Any]]:
    """Per entity, one item per pack. Strings and booleans only: cookiecutter turns numbers into strings."""
    items = []
    for index in range(count):
        name = f"Widget{index}"
        snake = f"widget{index}"
        fields = [
            {"name": "title", "type": "str"},
            {"name": "price", "type": "float"},
            {"name": "stock", "type": "int", "optional": True},
            {"name": "active", "type": "bool"},
        ]
        items += [
            {"template": "crud", "variables": {"name": name, "fields": fields}},
            {"template": "model", "variables": {"name": name, "fields": fields}},
            {
                "template": "test",
                "variables": {
                    "import_path": f"lookups.{snake}_colors",
                    "function": f"{snake}_color",
                    "cases": [{"args": ["red"], "expected": "#f00"}, {"args": ["blue"], "expected": "#00f"}],
                    "raises": [{"args": ["mauve"], "exception": "ValueError", "match": "unknown key"}],
                },
            },
            {
                "template": "lookup",
                "variables": {
                    "import_path": f"lookups.{snake}_colors",
                    "function": f"{snake}_color",
                    "values": {"red": "#f00", "green": "#0f0", "blue": "#00f"},
                },
            },
            {
                "template": "config",
                "variables": {
                    "name": snake,
                    "settings": {
                        "service": snake,
                        "debug": False,
                        "database": {"url": f"postgresql://db/{snake}", "echo": False},
                        "tags": ["shop", snake],
                    },
                },
            },
        ]
    return items


# -- cookiecutter: the same templates, converted ---------------------------------------------------

EXTENSION = """
from jinja2.ext import Extension

from hookwright.templates.filters import FILTERS


class HookwrightFilters(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.filters.update(FILTERS)
"""


def build_cookiecutter(base: Path) -> Path:
    """One cookiecutter template per pack; every variable is read from one dict variable, ``hw``."""
    registry = pack_registry.registry(base)
    (base / "bench_ext.py").write_text(EXTENSION)
    for name in PACKS:
        pack = registry.get(name)
        root = base / "cc" / name
        project = root / "{{ cookiecutter.project }}"
        names = list(pack.variables.get("properties", {}))
        # cookiecutter.hw['values'], not .values: that would be the dict's method.
        binding = ", ".join(f"{n}=cookiecutter.hw[{n!r}]" for n in names)
        derived = "".join(
            f"{{% set {key} = {expression.strip()[2:-2].strip()} %}}"
            for key, expression in pack.derived.items()
        )
        for item in pack.files:
            text = (pack.directory / item.template).read_text()
            target = project / COOKIECUTTER_PATHS[(name, item.template)]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"{{% with {binding} %}}{derived}{text}{{% endwith %}}")
        context = {
            "project": "out",
            "hw": {},
            "_extensions": ["bench_ext.HookwrightFilters"],
            "_jinja2_env_vars": {"trim_blocks": pack.trim_blocks, "lstrip_blocks": pack.trim_blocks},
        }
        (root / "cookiecutter.json").write_text(json.dumps(context))
    return base / "cc"


COOKIECUTTER_DRIVER = textwrap.dedent(
    """
    import json, sys, time
    start = time.perf_counter()
    from cookiecutter.main import cookiecutter
    items, templates, out = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
    ready = time.perf_counter()
    for item in items:
        cookiecutter(f"{templates}/{item['template']}", no_input=True, output_dir=out,
                     overwrite_if_exists=True, extra_context={"hw": item["variables"]})
    print(json.dumps({"work": time.perf_counter() - ready, "imports": ready - start}))
    """
)

HOOKWRIGHT_DRIVER = textwrap.dedent(
    """
    import json, sys, time
    start = time.perf_counter()
    from pathlib import Path
    from hookwright.templates import creation
    from hookwright.git.repo import Repo
    from hookwright.hooks import batch_create
    items, root = json.load(open(sys.argv[1])), Path(sys.argv[2])
    ready = time.perf_counter()
    repo = Repo.discover(root)
    report, outputs, _ = batch_create.generate(
        repo, [creation.Item(f"items[{i}]", it["template"], it["variables"]) for i, it in enumerate(items)]
    )
    work = time.perf_counter() - ready
    assert report.outcome == "passed", [s.to_dict() for s in report.steps]
    steps = {s.name: round(s.duration, 4) for s in report.steps}
    files = len(report.files_created)
    print(json.dumps({"work": work, "imports": ready - start, "files": files, "steps": steps}))
    """
)


def run_child(argv: list[str], env: dict[str, str]) -> tuple[dict[str, Any], float]:
    """(what the child printed plus its CPU seconds, children included, wall seconds)."""
    import resource
    import time

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{argv[:3]} failed:\n{done.stdout}\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # CPU time (ruff included: it is a grandchild we waited for) moves less than wall time when
    # other work shares the machine.
    result["cpu"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return result, wall


def git_init(path: Path) -> None:
    path.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True)


def same_tree(a: Path, b: Path) -> list[str]:
    """Relative paths that differ (or exist on one side only), .git ignored."""
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file() and ".git" not in p.parts}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file() and ".git" not in p.parts}
    differ = sorted(files_a ^ files_b)
    differ += sorted(f for f in files_a & files_b if not filecmp.cmp(a / f, b / f, shallow=False))
    return differ


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=125, help="8 files each (default 125: 1,000 files)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="hookwright-bench-"))
    try:
        env = {**os.environ, "HOME": str(base / "home"), "PYTHONDONTWRITEBYTECODE": "1"}
        env["PYTHONPATH"] = os.pathsep.join([str(base), env.get("PYTHONPATH", "")])
        (base / "home").mkdir()
        items = entity_items(args.entities)
        for item in items:  # both tools get the same values, defaults filled in
            pack = pack_registry.registry(base).get(item["template"])
            item["variables"] = pack_schema.apply_defaults(pack.variables, item["variables"])
        items_file = base / "items.json"
        items_file.write_text(json.dumps(items))
        templates = build_cookiecutter(base)
        results: dict[str, list[tuple[dict[str, Any], float]]] = {"hookwright": [], "cookiecutter": []}
        load = round(os.getloadavg()[0], 2)
        for run in range(args.runs):  # interleaved, so both see the same machine
            repo = base / f"hw-{run}"
            git_init(repo)
            results["hookwright"].append(
                run_child([sys.executable, "-c", HOOKWRIGHT_DRIVER, str(items_file), str(repo)], env)
            )
            out = base / f"cc-{run}"
            git_init(out)
            results["cookiecutter"].append(
                run_child(
                    [sys.executable, "-c", COOKIECUTTER_DRIVER, str(items_file), str(templates), str(out)],
                    env,
                )
            )
        differ = same_tree(base / "hw-0", base / "cc-0" / "out")
        files = results["hookwright"][0][0]["files"]
        summary: dict[str, Any] = {"files": files, "entities": args.entities, "runs": args.runs}
        summary["load_average_before"] = load
        summary["load_average_after"] = round(os.getloadavg()[0], 2)
        for tool, runs in results.items():
            summary[tool] = {
                "work_median_s": round(statistics.median(r[0]["work"] for r in runs), 3),
                "work_min_s": round(min(r[0]["work"] for r in runs), 3),
                "wall_median_s": round(statistics.median(r[1] for r in runs), 3),
                "wall_min_s": round(min(r[1] for r in runs), 3),
                "cpu_median_s": round(statistics.median(r[0]["cpu"] for r in runs), 3),
            }
        summary["hookwright"]["steps_of_median_run"] = sorted(
            results["hookwright"], key=lambda r: r[0]["work"]
        )[len(results["hookwright"]) // 2][0]["steps"]
        summary["speedup_work"] = round(
            summary["cookiecutter"]["work_median_s"] / summary["hookwright"]["work_median_s"], 2
        )
        summary["speedup_wall"] = round(
            summary["cookiecutter"]["wall_median_s"] / summary["hookwright"]["wall_median_s"], 2
        )
        summary["speedup_cpu"] = round(
            summary["cookiecutter"]["cpu_median_s"] / summary["hookwright"]["cpu_median_s"], 2
        )
        summary["identical_output"] = not differ
        print(json.dumps(summary, indent=2))
        if differ:
            print(f"outputs differ: {differ[:5]}", file=sys.stderr)
        if args.json:
            Path(args.json).write_text(json.dumps(summary, indent=2) + "\n")
        return 0 if not differ else 1
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
