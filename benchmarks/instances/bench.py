"""Validating a pattern instance: hookwright against check-jsonschema, same instance, same schemas.

    python bench.py [--runs 20] [--instance ../../examples/verify_commit.yaml]

Two figures, each as a ratio:
  warm      one process validating the same instance again and again (validators compiled once):
            hookwright's strict load + envelope + inputs validation, against jsonschema validating the
            already-parsed data with the instance schema (what check-jsonschema does per file, minus
            its own start-up)
  process   `hookwright validate FILE` against `check-jsonschema --schemafile instance.schema.json FILE`
            as whole processes (what a user or an editor integration pays per call)
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def warm(instance: Path, runs: int) -> dict[str, float]:
    import yaml
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    from hookwright import instances, schema_registry

    instances.load(instance)  # compile the validators once, as a long-lived process would
    start = time.perf_counter()
    for _ in range(runs):
        instances.load(instance)
    ours = (time.perf_counter() - start) / runs

    # The schemas refer to each other by file name (no `$id`): register each under its own.
    schemas = {p.name: json.loads(p.read_text()) for p in (ROOT / "schemas").glob("*.schema.json")}
    registry = Registry().with_resources((n, Resource.from_contents(s)) for n, s in schemas.items())
    validator = Draft202012Validator(schema_registry.load_schema("instance"), registry=registry)
    validator.validate(yaml.safe_load(instance.read_text()))
    start = time.perf_counter()
    for _ in range(runs):
        validator.validate(yaml.safe_load(instance.read_text()))
    theirs = (time.perf_counter() - start) / runs
    return {"hookwright": ours, "jsonschema (check-jsonschema's core)": theirs}


def process(instance: Path, runs: int) -> dict[str, float]:
    commands = {
        "hookwright validate": [sys.executable, "-m", "hookwright", "validate", str(instance)],
        "check-jsonschema": [
            "check-jsonschema",
            "--base-uri",
            f"{(ROOT / 'schemas').as_uri()}/",
            "--schemafile",
            str(ROOT / "schemas" / "instance.schema.json"),
            str(instance),
        ],
    }
    figures = {}
    for name, argv in commands.items():
        subprocess.run(argv, capture_output=True, check=True)  # warm-up, and proof both accept it
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(argv, capture_output=True, check=True)
            times.append(time.perf_counter() - start)
        figures[name] = statistics.median(times)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--instance", type=Path, default=ROOT / "examples" / "verify_commit.yaml")
    args = parser.parse_args()
    results = {
        "warm (seconds per validation)": warm(args.instance, args.runs * 10),
        "process (median seconds)": process(args.instance, args.runs),
    }
    for title, figures in results.items():
        (ours, theirs) = list(figures.values())
        print(
            f"{title}: "
            + ", ".join(f"{k} {v * 1000:.2f} ms" for k, v in figures.items())
            + f"; ratio {ours / theirs:.2f}"
        )


if __name__ == "__main__":
    main()
