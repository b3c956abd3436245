"""verify_commit side by side with the tools a user would pick instead, in one run.

    python bench.py --work /tmp/bench --click /path/to/a/clone/of/pallets/click [--runs 5]

    python bench.py --work /tmp/bench --synthetic-50 /path/syn50 --synthetic-5000 /path/syn5000 \
        --prek /path/to/prek --lefthook /path/to/lefthook   # existing repositories; peers as rows

Runners, all given the same six checks on the same files (check-ast, check-yaml, check-toml,
check-merge-conflict, ruff, pytest):
  hookwright      hookwright verify with syntax (python, yaml, toml, conflict markers), lint, tests
  pre-commit      pre-commit run with those six as local hooks (language: system)
  prek            prek run with the same configuration file (with --prek)
  lefthook        lefthook run pre-commit, the six as parallel commands (with --lefthook)
  sequential sh   the six commands one after another
  parallel sh     the six commands with & and wait (the ideal a simple runner can reach)

Scenarios per repository: every file, cold (hookwright without its cache); three staged files (a new
change each round, then committed, as in real use); an unchanged re-run (cache on); and start-up
with nothing to check. Medians of --runs after one warm-up; ratios are what carry across machines.
The CPU floor of a cold run is the least wall time the same work can take on the machine's cores:
max(CPU seconds of the six checks run one after another / cores, CPU seconds of pytest alone).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from edits import in_a_body

HERE = Path(__file__).resolve().parent

HOOKWRIGHT_CONFIG = """\
checks:
  syntax: {languages: [python, yaml, toml], conflict_markers: true}
  lint: {}
  tests: {}
  git_state: {enabled: false}
  todo: {enabled: false}
"""
NOOP_CONFIG = """\
checks:
  syntax: {enabled: false}
  lint: {enabled: false}
  tests: {enabled: false}
  git_state: {enabled: false}
  todo: {enabled: false}
"""
PRE_COMMIT_CONFIG = """\
repos:
  - repo: local
    hooks:
      - {id: check-ast, name: check-ast, entry: check-ast, language: system, types: [python]}
      - {id: check-yaml, name: check-yaml, entry: check-yaml, language: system, types: [yaml]}
      - {id: check-toml, name: check-toml, entry: check-toml, language: system, types: [toml]}
      - id: check-merge-conflict
        name: check-merge-conflict
        entry: check-merge-conflict
        language: system
        types: [text]
      - {id: ruff, name: ruff, entry: ruff check --force-exclude, language: system, types_or: [python, pyi]}
      - id: pytest
        name: pytest
        entry: python -m pytest -q
        language: system
        pass_filenames: false
        always_run: true
"""
PRE_COMMIT_NOOP = """\
repos:
  - repo: local
    hooks:
      - {id: nothing, name: nothing, entry: check-ast, language: system, files: ^no-such-file$}
"""
LEFTHOOK_CONFIG = """\
pre-commit:
  parallel: true
  commands:
    check-ast: {glob: "*.py", run: "check-ast {staged_files}"}
    check-yaml: {glob: "*.{yaml,yml}", run: "check-yaml {staged_files}"}
    check-toml: {glob: "*.toml", run: "check-toml {staged_files}"}
    check-merge-conflict: {run: "check-merge-conflict {staged_files}"}
    ruff: {glob: "*.{py,pyi}", run: "ruff check --force-exclude {staged_files}"}
    pytest: {run: "python -m pytest -q"}
"""
# Arguments: files listing all / Python / YAML / TOML files to check, NUL-separated (what pre-commit
# would pass each hook).
SEQUENTIAL = """\
status=0
xargs -0 -r -a "$2" check-ast >/dev/null || status=1
xargs -0 -r -a "$3" check-yaml >/dev/null || status=1
xargs -0 -r -a "$4" check-toml >/dev/null || status=1
xargs -0 -r -a "$1" check-merge-conflict >/dev/null || status=1
xargs -0 -r -a "$2" ruff check --force-exclude --quiet >/dev/null || status=1
python -m pytest -q >/dev/null || status=1
exit $status
"""
PARALLEL = """\
status=0
xargs -0 -r -a "$2" check-ast >/dev/null & a=$!
xargs -0 -r -a "$3" check-yaml >/dev/null & b=$!
xargs -0 -r -a "$4" check-toml >/dev/null & c=$!
xargs -0 -r -a "$1" check-merge-conflict >/dev/null & d=$!
xargs -0 -r -a "$2" ruff check --force-exclude --quiet >/dev/null & e=$!
python -m pytest -q >/dev/null & f=$!
for p in $a $b $c $d $e $f; do wait $p || status=1; done
exit $status
"""


# CPU seconds (user + system, the process and everything it started) of the latest `timed` call.
LAST_CPU = [0.0]


def timed(argv: Sequence[str], cwd: Path, env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU[0] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed


def cpu(argv: Sequence[str], cwd: Path, env: dict[str, str]) -> float:
    """User + system seconds of a command and everything it started."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    timed(argv, cwd, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def median(run: Callable[[], float], runs: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        run()
    return statistics.median(run() for _ in range(runs))


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


class Bench:
    def __init__(self, work: Path, runs: int, peers: dict[str, str]) -> None:
        self.work = work
        self.runs = runs
        self.peers = peers  # "prek" / "lefthook" -> executable
        self.env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.env["NO_COLOR"] = "1"
        (work / "configs").mkdir(parents=True, exist_ok=True)
        self.files = {}
        for name, text in {
            "hookwright.yaml": HOOKWRIGHT_CONFIG,
            "noop.yaml": NOOP_CONFIG,
            "pre-commit.yaml": PRE_COMMIT_CONFIG,
            "pre-commit-noop.yaml": PRE_COMMIT_NOOP,
            "sequential.sh": SEQUENTIAL,
            "parallel.sh": PARALLEL,
            "lefthook.yml": LEFTHOOK_CONFIG,
        }.items():
            path = work / "configs" / name
            path.write_text(text)
            self.files[name] = str(path)

    def file_lists(self, repo: Path, staged: bool) -> list[str]:
        listed = (
            git(repo, "diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR")
            if staged
            else git(repo, "ls-files", "-z")
        )
        names = [n for n in listed.split("\0") if n]
        kinds = {
            "all": names,
            "py": [n for n in names if n.endswith((".py", ".pyi"))],
            "yaml": [n for n in names if n.endswith((".yaml", ".yml"))],
            "toml": [n for n in names if n.endswith(".toml")],
        }
        paths = []
        for kind, members in kinds.items():
            path = self.work / "configs" / f"{repo.name}-{kind}"
            path.write_text("".join(m + "\0" for m in members))
            paths.append(str(path))
        return paths

    def runners(self, repo: Path, staged: bool, cache: bool) -> dict[str, Callable[[], float]]:
        cfg = self.files["hookwright.yaml"]
        scope = [] if staged else ["--all-files"]
        hookwright = ["hookwright", "verify", "--config", cfg, *scope, *([] if cache else ["--no-cache"])]
        lists = self.file_lists(repo, staged)
        pre_commit = ["pre-commit", "run", "-c", self.files["pre-commit.yaml"], *scope]
        runners = {
            "hookwright": lambda: timed(hookwright, repo, self.env),
            "pre-commit": lambda: timed(pre_commit, repo, self.env),
            "sequential sh": lambda: timed(["bash", self.files["sequential.sh"], *lists], repo, self.env),
            "parallel sh": lambda: timed(["bash", self.files["parallel.sh"], *lists], repo, self.env),
        }
        if "prek" in self.peers:
            prek = [self.peers["prek"], "run", "-c", self.files["pre-commit.yaml"], *scope]
            runners["prek"] = lambda: timed(prek, repo, self.env)
        if "lefthook" in self.peers:
            # lefthook reads its configuration from the repository's root only: kept out of git's view.
            shutil.copy(self.files["lefthook.yml"], repo / "lefthook.yml")
            exclude = repo / ".git" / "info" / "exclude"
            exclude.parent.mkdir(exist_ok=True)
            if "lefthook.yml" not in (exclude.read_text() if exclude.exists() else ""):
                with exclude.open("a") as handle:
                    handle.write("\nlefthook.yml\n")
            lefthook = [self.peers["lefthook"], "run", "pre-commit", "--no-auto-install", "--no-tty"]
            lefthook += [] if staged else ["--all-files"]
            runners["lefthook"] = lambda: timed(lefthook, repo, self.env)
        return runners

    def all_files(self, repo: Path) -> dict[str, float]:
        figures = {
            name: median(run, self.runs)
            for name, run in self.runners(repo, staged=False, cache=False).items()
        }
        lists = self.file_lists(repo, staged=False)
        checks = statistics.median(
            cpu(["bash", self.files["sequential.sh"], *lists], repo, self.env) for _ in range(3)
        )
        pytest = statistics.median(
            cpu([sys.executable, "-m", "pytest", "-q"], repo, self.env) for _ in range(3)
        )
        argv = [
            "hookwright",
            "verify",
            "--config",
            self.files["hookwright.yaml"],
            "--all-files",
            "--no-cache",
        ]
        # The runners' ruff reads the .ruff_cache its last run left in the repository; hookwright's
        # --no-cache run lints every file. Both figures, so the floor can be read either way.
        for label, flags in (("warm .ruff_cache", []), ("--no-cache", ["--no-cache"])):
            ruff = ["xargs", "-0", "-r", "-a", lists[1], "ruff", "check", "--force-exclude", "--quiet"]
            ruff += flags
            figures[f"CPU s: ruff, {label}"] = statistics.median(cpu(ruff, repo, self.env) for _ in range(3))
        figures["CPU s: six checks"] = checks
        figures["CPU s: hookwright"] = statistics.median(cpu(argv, repo, self.env) for _ in range(3))
        figures["CPU floor"] = max(checks / (os.cpu_count() or 1), pytest)
        return figures

    def three_files(self, repo: Path, edit: str = "new function") -> dict[str, float]:
        """A new three-file change each round, verified by every runner, then committed.

        The changed modules are ones the test suite imports, in every repository, so that each
        round asks the same of the test runner wherever it happens: what grows with the repository
        is then only what each runner does per file it does not need to look at. ``edit``: a new
        function appended to each file (module-level code: every importer may see it), or a line
        added inside the body of a function each file already has.
        """
        python = sorted(
            p for p in git(repo, "ls-files", "*.py").split() if "/test" not in p and not p.startswith("test")
        )
        reached = self.imported_by_tests(repo, python) or python
        samples: dict[str, list[float]] = {}
        warmup = 2  # the first round fills caches, the second builds what a first change needs
        for round_ in range(self.runs + warmup):
            for offset in range(3):
                path = repo / reached[(round_ * 3 + offset) % len(reached)]
                text = path.read_text()
                if edit == "body":
                    text = in_a_body(text, f"_bench = {round_}")
                else:
                    text += f"\n\ndef bench_{round_}_{offset}() -> int:\n    return {round_}\n"
                path.write_text(text)
                git(repo, "add", str(path.relative_to(repo)))
            for name, run in self.runners(repo, staged=True, cache=True).items():
                elapsed = run()
                if round_ >= warmup:
                    samples.setdefault(name, []).append(elapsed)
                    samples.setdefault(f"CPU s: {name}", []).append(LAST_CPU[0])
            git(repo, "commit", "-qm", f"bench round {round_}", "--no-verify")
        return {name: statistics.median(values) for name, values in samples.items()}

    @staticmethod
    def imported_by_tests(repo: Path, modules: list[str]) -> list[str]:
        """Modules the test files import by name (`import a.b`, `from a.b import c`), src layout too."""
        import re

        by_name = {}
        for module in modules:
            dotted = module[:-3].removesuffix("/__init__").replace("/", ".")
            by_name[dotted] = module
            by_name.setdefault(dotted.removeprefix("src."), module)
        found = set()
        pattern = r"^\s*(?:from ([\w.]+) import ([\w, ]+)|import ([\w.]+))"
        for test in repo.glob("tests/**/test_*.py"):
            for package, names, plain in re.findall(pattern, test.read_text(), re.M):
                candidates = (
                    [plain] if plain else [package, *(f"{package}.{n.strip()}" for n in names.split(","))]
                )
                found.update(by_name[c] for c in candidates if c in by_name)
        return sorted(found)

    def scenario(self, name: str, repo: Path) -> dict[str, float]:
        """One of SCENARIOS (but start-up) on ``repo``."""
        if name == "all files":
            return self.all_files(repo)
        if name == "3 staged files":
            return self.three_files(repo)
        if name == "3 staged files, body edits":
            return self.three_files(repo, "body")
        return self.cache(repo)

    def cache(self, repo: Path) -> dict[str, float]:
        argv = ["hookwright", "verify", "--config", self.files["hookwright.yaml"], "--all-files"]
        firsts, seconds = [], []
        for _ in range(self.runs):
            shutil.rmtree(repo / ".git" / "hookwright" / "cache", ignore_errors=True)
            firsts.append(timed(argv, repo, self.env))
            seconds.append(timed(argv, repo, self.env))
        return {"first run": statistics.median(firsts), "unchanged re-run": statistics.median(seconds)}

    def startup(self, repo: Path) -> dict[str, float]:
        runs = max(self.runs * 4, 10)
        figures = {
            "hookwright (no checks)": median(
                lambda: timed(["hookwright", "verify", "--config", self.files["noop.yaml"]], repo, self.env),
                runs,
            ),
            "pre-commit (one hook, no file)": median(
                lambda: timed(
                    ["pre-commit", "run", "-c", self.files["pre-commit-noop.yaml"]], repo, self.env
                ),
                runs,
            ),
            "python -c pass": median(lambda: timed([sys.executable, "-c", "pass"], repo, self.env), runs),
        }
        if "prek" in self.peers:
            prek = [self.peers["prek"], "run", "-c", self.files["pre-commit-noop.yaml"]]
            figures["prek (one hook, no file)"] = median(lambda: timed(prek, repo, self.env), runs)
        return figures


SCENARIOS = ["all files", "3 staged files", "3 staged files, body edits", "cache", "start-up"]


def prepare(work: Path, click: Path | None, given: dict[str, Path | None]) -> dict[str, Path]:
    repos = {}
    for name, modules, yaml_files in (("synthetic-5000", 5000, 200), ("synthetic-50", 50, 2)):
        dest = work / name
        if not dest.exists() and given.get(name) is not None:
            subprocess.run(["git", "clone", "-q", str(given[name]), str(dest)], check=True)
        elif not dest.exists():
            subprocess.run(
                [
                    sys.executable,
                    str(HERE / "make_synthetic.py"),
                    str(dest),
                    "--modules",
                    str(modules),
                    "--yaml",
                    str(yaml_files),
                ],
                check=True,
            )
        repos[name] = dest
    if click is not None:
        dest = work / "click"
        if not dest.exists():
            subprocess.run(["git", "clone", "-q", str(click), str(dest)], check=True)
            # click's own suite imports click: install this checkout where the runners' python finds it.
            subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-e", str(dest)], check=True)
        repos["click"] = dest
    return repos


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--work", type=Path, required=True, help="scratch directory (repositories are made here)"
    )
    parser.add_argument(
        "--click", type=Path, help="a clone of pallets/click (its own test suite is the tests check)"
    )
    for size in ("50", "5000"):
        parser.add_argument(
            f"--synthetic-{size}", type=Path, help="clone this repository instead of making one"
        )
    parser.add_argument("--prek", help="the prek executable (a row when given)")
    parser.add_argument("--lefthook", help="the lefthook executable (a row when given)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", nargs="*", help="repository names to run, in this order")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument(
        "--scenarios",
        nargs="*",
        choices=SCENARIOS,
        default=SCENARIOS,
        help="which scenarios to run (all of them by default)",
    )
    args = parser.parse_args()
    peers = {name: path for name, path in (("prek", args.prek), ("lefthook", args.lefthook)) if path}
    bench = Bench(args.work, args.runs, peers)
    given = {"synthetic-50": args.synthetic_50, "synthetic-5000": args.synthetic_5000}
    repos = prepare(args.work, args.click, given)
    results: dict[str, dict[str, dict[str, float]]] = {}
    # In the order --only names them: the slowest repository first, when the session is short.
    for name in args.only or list(repos):
        repo = repos[name]
        load_before = os.getloadavg()[0]
        wanted = [scenario for scenario in SCENARIOS[:-1] if scenario in args.scenarios]
        results[name] = {scenario: bench.scenario(scenario, repo) for scenario in wanted}
        results[name]["load average (1 min) before / after"] = {
            "before": load_before,
            "after": os.getloadavg()[0],
        }
        print(json.dumps({name: results[name]}, indent=1), flush=True)
    if "start-up" in args.scenarios:
        results["start-up"] = {"no-op": bench.startup(repos["synthetic-50"])}
        print(json.dumps({"start-up": results["start-up"]}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
