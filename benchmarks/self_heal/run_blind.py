"""Run blind held-out sets (``heldout/<name>``: fresh4, history4, fresh5, ...) as run_heldout.py does.

hookwright in-process with each file in its project, ruff and autopep8 as their own command lines in
the same run. A set is a folder under ``heldout/``: one with ``mutants.json`` is run as mutants and
correct files, one with ``history.json`` as mined repairs. The projects' git directories are found
under ``--mirror`` in the layout ``fetch`` leaves (``MIRROR/owner+name/repo``) or named one by one with
``--git owner/name=GIT_DIR``.

The code measured is this checkout's ``lib/`` (the script refuses when the ``hookwright`` it imports is
another one), or with ``--code CHECKOUT`` that checkout's ``lib/``, while the harness, the manifests
and the measures stay this checkout's: another branch is measured on exactly the same cases.

    python benchmarks/self_heal/run_blind.py --sets fresh5 history5 --mirror /work/.mirror --out /tmp/blind
    python benchmarks/self_heal/run_blind.py --sets fresh5 --code /tmp/other-checkout --tools hookwright ...
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
HELDOUT = HERE / "heldout"
sys.path.insert(0, str(HERE))

from gitsource import parse_git_args  # noqa: E402


def _kind(manifest_dir: Path) -> tuple[list[str], list[str]]:
    """run_heldout's ``--set`` arguments for a set folder, and the repositories it reads from."""
    mutants, history = manifest_dir / "mutants.json", manifest_dir / "history.json"
    if mutants.exists():
        manifest = json.loads(mutants.read_text(encoding="utf-8"))
        return ["--set", "mutants", "--set", "correct"], sorted(manifest["repos"])
    if history.exists():
        manifest = json.loads(history.read_text(encoding="utf-8"))
        return ["--set", "history"], sorted({case["repo"] for case in manifest["cases"]})
    raise SystemExit(f"no mutants.json or history.json in {manifest_dir}")


def set_folder(name: str) -> Path:
    """The folder of the set ``name``: one folder directly under ``heldout/`` ("fresh11", "fresh11/").

    Anything else is refused: ``--sets .`` once ran ``heldout/`` itself (the first round's manifests)
    and wrote its rows to a hidden ``OUT/..json``.
    """
    folder = (HELDOUT / name).resolve()
    if folder.parent != HELDOUT.resolve() or not folder.is_dir():
        sys.stderr.write(f"run_blind: no set {name!r}: a set is one of the folders under {HELDOUT}\n")
        raise SystemExit(2)
    return folder


def git_dir_for(repo: str, mirror: Path | None, given: dict[str, Path]) -> Path:
    if repo in given:
        return given[repo]
    if mirror is not None and (mirror / repo.replace("/", "+") / "repo").is_dir():
        fetched = mirror / repo.replace("/", "+") / "repo"
        # fetch leaves most snapshots bare (MIRROR/owner+name/repo) and some in a work-tree layout
        # (MIRROR/owner+name/repo/.git, no work tree): git --git-dir needs the .git folder of those
        return fetched / ".git" if (fetched / ".git").is_dir() else fetched
    raise SystemExit(f"no git directory for {repo}: pass --mirror or --git {repo}=GIT_DIR")


def _head(checkout: Path) -> str:
    argv = ["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"]
    result = subprocess.run(argv, capture_output=True, check=False)
    return result.stdout.decode().strip() or "unknown"


def _use_code(checkout: Path, links: Path) -> None:
    """Make ``import hookwright`` load ``checkout/lib``, here and in every process started from here.

    The editable install's finder comes after ``sys.path`` (and so after ``PYTHONPATH``), so a
    ``hookwright`` link placed first wins for this process and its children alike.
    """
    (links / "hookwright").symlink_to(checkout.resolve() / "lib", target_is_directory=True)
    sys.path.insert(0, str(links))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(links), os.environ.get("PYTHONPATH")]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", required=True, help="folders under heldout/")
    parser.add_argument("--mirror", type=Path, help="fetched repositories: MIRROR/owner+name/repo")
    parser.add_argument("--git", action="append", default=[], help="owner/name=GIT_DIR (overrides --mirror)")
    parser.add_argument("--out", type=Path, required=True, help="folder for one <set>.json of rows per set")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose lib/ is measured")
    parser.add_argument("--tools", default="hookwright,ruff,autopep8")
    args = parser.parse_args(argv)
    folders = [set_folder(name) for name in args.sets]
    with tempfile.TemporaryDirectory(prefix="hw-blind-") as links:
        if args.code.resolve() != ROOT:
            _use_code(args.code, Path(links))
        import run_heldout  # imports hookwright's fixers: after the choice of code

        import hookwright

        package = Path(hookwright.__file__).resolve().parent
        if package != args.code.resolve() / "lib":
            raise SystemExit(f"hookwright is imported from {package}, not {args.code / 'lib'}")
        given = parse_git_args(args.git)
        args.out.mkdir(parents=True, exist_ok=True)
        for folder in folders:
            name = folder.name
            sets, repos = _kind(folder)
            gits = [f"--git={repo}={git_dir_for(repo, args.mirror, given)}" for repo in repos]
            load = os.getloadavg()[0]
            sys.stdout.write(f"\n# {name}: code {package} at {_head(args.code)}, load average {load:.1f}\n")
            sys.stdout.flush()
            run_heldout.main(
                [*gits, "--manifests", str(folder), *sets, "--tools", args.tools,
                 "--json", str(args.out / f"{name}.json")]
            )  # fmt: skip
            sys.stdout.write(f"load average after {name}: {os.getloadavg()[0]:.1f}\n")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
