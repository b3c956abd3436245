"""Generate a synthetic Python repository: N modules, N/100 test files, YAML/TOML/JSON data.

Deterministic for a given N and seed, so every runner sees the same files.

    python make_synthetic.py DEST --modules 5000 --yaml 200
"""

from __future__ import annotations

import argparse
import random
import subprocess
from pathlib import Path

MODULE = '''"""Module {i}: arithmetic and text helpers, generated for benchmarks."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class Record{i}:
    """A small record."""

    name: str
    value: float
    tags: tuple[str, ...] = ()

    def scaled(self, factor: float) -> float:
        return self.value * factor

    def label(self) -> str:
        joined = ",".join(self.tags)
        return f"{{self.name}}[{{joined}}]"


def add_{i}(a: float, b: float) -> float:
    """Add two numbers."""
    return a + b


def mean_{i}(values: list[float]) -> float:
    """Arithmetic mean; 0.0 for an empty list."""
    if not values:
        return 0.0
    return sum(values) / len(values)


def norm_{i}(x: float, y: float) -> float:
    return math.hypot(x, y)


def words_{i}(text: str) -> list[str]:
    return [w for w in text.replace(",", " ").split() if w]


def clamp_{i}(value: float, low: float = {low}, high: float = {high}) -> float:
    if value < low:
        return low
    if value > high:
        return high
    return value


def table_{i}(rows: int) -> list[list[int]]:
    return [[r * c for c in range({cols})] for r in range(rows)]
'''

TEST_HEAD = '''"""Tests for a group of generated modules."""

from __future__ import annotations

import pytest

'''

TEST_BODY = """

@pytest.mark.parametrize(("values", "expected"), [([], 0.0), ([1.0, 3.0], 2.0)])
def test_mean_{i}(values: list[float], expected: float) -> None:
    assert mod{i}.mean_{i}(values) == expected


def test_record_{i}() -> None:
    record = mod{i}.Record{i}("r", 2.0, ("a", "b"))
    assert record.scaled(2) == 4.0
    assert record.label() == "r[a,b]"
"""

YAML = """# generated data file {k}
name: dataset-{k}
enabled: true
owners:
  - team-{a}
  - team-{b}
limits:
  cpu: {cpu}
  memory: {mem}Mi
stages:
{stages}
"""


def module_path(i: int) -> str:
    return f"pkg/sub{i // 100:03d}/mod{i}.py"


def generate(dest: Path, modules: int, yaml_files: int, seed: int) -> None:
    rng = random.Random(seed)
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "pkg").mkdir(exist_ok=True)
    (dest / "pkg" / "__init__.py").write_text("")
    for i in range(modules):
        path = dest / module_path(i)
        if not path.parent.exists():
            path.parent.mkdir(parents=True)
            (path.parent / "__init__.py").write_text("")
        low = rng.randint(-100, 0)
        path.write_text(MODULE.format(i=i, low=low, high=low + rng.randint(1, 200), cols=rng.randint(2, 9)))
    tests = dest / "tests"
    tests.mkdir(exist_ok=True)
    groups = max(1, modules // 100)
    for group in range(groups):
        members = rng.sample(range(modules), min(4, modules))
        lines = [TEST_HEAD]
        by_package: dict[str, list[str]] = {}
        for i in members:
            by_package.setdefault(f"pkg.sub{i // 100:03d}", []).append(f"mod{i}")
        # isort's order, so that the project's own lint is clean before the benchmark changes anything
        lines += [
            f"from {pkg} import {', '.join(sorted(names))}\n" for pkg, names in sorted(by_package.items())
        ]
        lines += [TEST_BODY.format(i=i) for i in sorted(members)]
        (tests / f"test_group{group:03d}.py").write_text("".join(lines))
    data = dest / "config"
    data.mkdir(exist_ok=True)
    for k in range(yaml_files):
        stages = "".join(
            f"  - name: stage-{s}\n    retries: {rng.randint(0, 5)}\n" for s in range(rng.randint(2, 12))
        )
        (data / f"data{k:03d}.yaml").write_text(
            YAML.format(
                k=k,
                a=rng.randint(1, 9),
                b=rng.randint(1, 9),
                cpu=rng.randint(1, 8),
                mem=rng.randint(64, 4096),
                stages=stages,
            )
        )
    (dest / "pyproject.toml").write_text(
        '[project]\nname = "synthetic"\nversion = "0.0.0"\n\n'
        '[tool.pytest.ini_options]\ntestpaths = ["tests"]\naddopts = "-p no:cacheprovider"\n\n'
        "[tool.ruff]\nline-length = 110\n"
    )
    (dest / "settings.toml").write_text('[service]\nname = "synthetic"\nport = 8080\n')
    (dest / "conftest.py").write_text("")
    (dest / "README.md").write_text(f"# synthetic repository: {modules} modules\n")
    (dest / ".gitignore").write_text("__pycache__/\n*.pyc\n.pytest_cache/\n.ruff_cache/\n")
    if not (dest / ".git").exists():
        subprocess.run(["git", "init", "-q"], cwd=dest, check=True)
        subprocess.run(["git", "add", "."], cwd=dest, check=True)
        subprocess.run(
            [
                "git",
                "-c",
                "user.name=bench",
                "-c",
                "user.email=bench@example.com",
                "commit",
                "-qm",
                "synthetic",
            ],
            cwd=dest,
            check=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--modules", type=int, default=5000)
    parser.add_argument("--yaml", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.dest, args.modules, args.yaml, args.seed)


if __name__ == "__main__":
    main()
