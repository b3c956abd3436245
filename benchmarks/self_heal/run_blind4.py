"""Re-run the fourth round's blind sets (fresh4, history4) on this checkout's code, as first run.

Exactly what ``run_heldout.py`` did for them (hookwright in-process with each file in its project,
ruff and autopep8 as their own command lines in the same run), with the projects' git directories
found under ``--mirror`` in the layout ``fetch`` leaves (``MIRROR/owner+name/repo``) or named one by
one with ``--git owner/name=GIT_DIR``. It refuses to run when the ``hookwright`` it imports is not this
checkout's ``lib/`` (a venv installed from another worktree would measure the wrong code).

    python benchmarks/self_heal/run_blind4.py --mirror /work/.mirror --out /tmp/blind4
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

import run_heldout  # noqa: E402
from gitsource import parse_git_args  # noqa: E402

import hookwright  # noqa: E402

SETS = {"fresh4": ["--set", "mutants", "--set", "correct"], "history4": ["--set", "history"]}


def _repos(manifest_dir: Path) -> list[str]:
    """Every repository a manifest reads from."""
    for name, key in (("mutants.json", "repos"), ("history.json", "cases")):
        path = manifest_dir / name
        if path.exists():
            manifest = json.loads(path.read_text(encoding="utf-8"))
            if key == "repos":
                return sorted(manifest["repos"])
            return sorted({case["repo"] for case in manifest["cases"]})
    raise SystemExit(f"no manifest in {manifest_dir}")


def _git_dir(repo: str, mirror: Path | None, given: dict[str, Path]) -> Path:
    if repo in given:
        return given[repo]
    if mirror is not None and (mirror / repo.replace("/", "+") / "repo").is_dir():
        return mirror / repo.replace("/", "+") / "repo"
    raise SystemExit(f"no git directory for {repo}: pass --mirror or --git {repo}=GIT_DIR")


def _checkout_head() -> str:
    argv = ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]
    result = subprocess.run(argv, capture_output=True, check=False)
    return result.stdout.decode().strip() or "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, help="fetched repositories: MIRROR/owner+name/repo")
    parser.add_argument("--git", action="append", default=[], help="owner/name=GIT_DIR (overrides --mirror)")
    parser.add_argument("--out", type=Path, required=True, help="folder for fresh4.json and history4.json")
    parser.add_argument("--set", dest="sets", action="append", choices=sorted(SETS), help="default: both")
    parser.add_argument("--tools", default="hookwright,ruff,autopep8")
    args = parser.parse_args(argv)
    package = Path(hookwright.__file__).resolve().parent
    if package != ROOT / "lib":
        raise SystemExit(f"hookwright is imported from {package}, not {ROOT / 'lib'}: pip install -e {ROOT}")
    given = parse_git_args(args.git)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.sets or sorted(SETS):
        manifests = HERE / "heldout" / name
        gits = [f"--git={repo}={_git_dir(repo, args.mirror, given)}" for repo in _repos(manifests)]
        load = os.getloadavg()[0]
        sys.stdout.write(f"\n# {name} on {ROOT} at {_checkout_head()}, load average {load:.1f}\n")
        sys.stdout.flush()
        run_heldout.main(
            [*gits, "--manifests", str(manifests), *SETS[name], "--tools", args.tools,
             "--json", str(args.out / f"{name}.json")]
        )  # fmt: skip
        sys.stdout.write(f"load average after {name}: {os.getloadavg()[0]:.1f}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
