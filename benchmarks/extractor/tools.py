"""The three detectors compared, each run on one folder and read back as pairs of spans.

hookwright's JSON, jscpd's JSON report and pylint's R0801 text all become ``(Span, Span)`` pairs with
paths relative to the folder, first and last line inclusive.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from scoring import Pair, Span, pairs_of_classes

MIN_LINES = 6
# -P: a corpus may hold a package (e.g. `attr`) that must not shadow the real one jsonschema imports.
HOOKWRIGHT = [sys.executable, "-P", "-m", "hookwright"]
JSCPD_CONFIGS = {
    "jscpd (defaults)": [],
    "jscpd --ignore-identifiers": ["--ignore-identifiers"],
    "jscpd (renamed + gaps + similarity)": [
        "--ignore-identifiers=consistent",
        "--ignore-literals",
        "--max-gap-lines",
        "3",
        "--similarity",
    ],
}


def run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False, timeout=3600)


def hookwright_pairs(folder: Path, cwd: Path | None = None) -> list[Pair]:
    """``patterns extract FOLDER`` run from ``cwd`` (default: inside the folder)."""
    where = cwd or folder
    target = "." if cwd is None else str(folder)
    result = run([*HOOKWRIGHT, "patterns", "extract", target, "--format", "json"], where)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    classes = json.loads(result.stdout)["clone_classes"]
    return pairs_of_classes(
        [[Span(m["path"], m["start_line"], m["end_line"]) for m in c["members"]] for c in classes]
    )


def jscpd_pairs(folder: Path, binary: str, extra: list[str]) -> list[Pair]:
    out = Path(tempfile.mkdtemp(prefix="jscpd-"))
    argv = [binary, "--format", "python", "--min-lines", str(MIN_LINES), "--reporters", "json"]
    result = run([*argv, "--output", str(out), "--silent", "--no-gitignore", *extra, "."], folder)
    report = out / "jscpd-report.json"
    if not report.exists():
        if "no files" in (result.stderr + result.stdout).lower() or result.returncode in (0, 1):
            shutil.rmtree(out, ignore_errors=True)
            return []
        raise SystemExit(f"jscpd wrote no report: {result.stderr}")
    pairs = []
    for duplicate in json.loads(report.read_text())["duplicates"]:
        one, two = duplicate["firstFile"], duplicate["secondFile"]
        pairs.append(
            (
                Span(one["name"].removeprefix("./"), one["start"], one["end"]),
                Span(two["name"].removeprefix("./"), two["start"], two["end"]),
            )
        )
    shutil.rmtree(out, ignore_errors=True)
    return pairs


_PYLINT_SPAN = re.compile(r"^==([\w.]+):\[(\d+):(\d+)\]$")


def pylint_pairs(folder: Path) -> list[Pair]:
    argv = [
        sys.executable, "-P", "-m", "pylint", "--disable=all", "--enable=duplicate-code",
        f"--min-similarity-lines={MIN_LINES}", "--ignore-comments=y", "--ignore-docstrings=y",
        "--ignore-imports=y", "--ignore-signatures=y", "--recursive=y", ".",
    ]  # fmt: skip
    result = run(argv, folder)
    classes: list[list[Span]] = []
    current: list[Span] | None = None
    for line in result.stdout.splitlines():
        if "R0801" in line:
            current = []
            classes.append(current)
            continue
        match = _PYLINT_SPAN.match(line)
        if match and current is not None:
            module, start, end = match.groups()
            path = _module_path(folder, module)
            current.append(Span(path, int(start) + 1, int(end)))  # pylint: 0-based start, end exclusive
    return pairs_of_classes(classes)


def _module_path(folder: Path, module: str) -> str:
    """pylint names modules, not files: find the file (a folder without __init__ drops its prefix)."""
    parts = module.split(".")
    for skip in range(len(parts)):
        for candidate in ("/".join(parts[skip:]) + ".py", "/".join(parts[skip:]) + "/__init__.py"):
            matches = sorted(folder.rglob(candidate)) if skip or not (folder / candidate).exists() else []
            if (folder / candidate).exists():
                return candidate
            if matches:
                return matches[0].relative_to(folder).as_posix()
    return module.replace(".", "/") + ".py"
