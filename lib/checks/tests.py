"""tests: the project's test suite (pytest, jest, go test), run once per tree state that matters."""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from hookwright.cache import digest
from hookwright.cache import key as cache_key
from hookwright.checks.base import Check, CheckContext
from hookwright.frozen import replace
from hookwright.reporting import StepResult

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any

    from hookwright.git.target import Target
    from hookwright.testing import js_suites
    from hookwright.testing.pytest_layout import PytestLayout

# Files whose change cannot change a test result, unless the user says otherwise with `inputs`.
_NOT_INPUTS = (
    "*.md",
    "*.rst",
    "*.adoc",
    "LICENSE*",
    "CHANGELOG*",
    "AUTHORS*",
    ".github/*",
    "docs/*",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".hookwright.yaml",
    ".hookwright.yml",
)


@functools.cache
def _globs(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for a set of globs, tried on the path and on its last part (like .gitignore)."""
    either = "|".join(fnmatch.translate(p) for p in patterns)
    return re.compile(rf"(?:.*/)?(?:{either})")


# (Not .gitattributes: it decides the bytes a checkout writes, `eol=crlf` on a file a test reads.)


def pick_inputs(
    entries: Mapping[str, str], patterns: Sequence[str], layout: PytestLayout | None
) -> dict[str, str]:
    """path -> blob of every file a test run may read (one regex match per path: this runs per commit).

    The default leaves documentation out, but never a file pytest may collect or import: Python
    files anywhere (docs/conftest.py, a test under docs/), doctest files (``test*.txt``, or the
    project's ``--doctest-glob``, say ``*.md``).
    """
    matcher = _globs(tuple(patterns or _NOT_INPUTS)).match
    keep = bool(patterns)  # explicit globs say what to include; the default says what to leave out
    picked = {path: blob for path, blob in entries.items() if (matcher(path) is not None) == keep}
    for path, blob in entries.items():
        if path not in picked and (
            path.endswith(".py")
            or (layout and layout.is_doctest_file(path))
            or (keep and _ALWAYS_INPUTS(path))
        ):
            picked[path] = blob
    return picked


# Code and the runners' config count whatever `inputs` says: under `inputs: [src/**]` a test file
# changed to fail replayed the pass of the one before (a pass for other bytes than the committed).
_ALWAYS_INPUTS = re.compile(
    r"(?:.*/)?(?:[^/]*\.(?:pyi|js|mjs|cjs|jsx|ts|tsx|mts|cts|go)|package\.json|go\.mod|go\.sum)"
    r"|\.?pytest\.(?:toml|ini)|pyproject\.toml|tox\.ini|setup\.cfg|jest\.config\.[^/]*"
).fullmatch


def beyond_blobs(target: Target, picked: Mapping[str, str]) -> list[str]:
    """What decides the bytes the tests read besides the inputs' blob ids."""
    from hookwright.git.conversion import checkout_fingerprint
    from hookwright.testing import tree_links

    # A blob id does not say a file's mode, nor what a link out of the tree leads to.
    found = tree_links.special_modes(target.entries, picked)
    if found:
        texts = tree_links.link_texts(target.repo, target.entries, picked)
        found += tree_links.outside_stamps(target.repo.root, target.entries, texts)
    # core.autocrlf, a smudge filter: the same blobs, other bytes in the copy the tests read.
    attributes = [(p, b) for p, b in picked.items() if p.endswith(".gitattributes")]
    # A file a test finds by walking up from the copy: the work tree's `.env` the tree does not hold.
    from hookwright.testing import untracked_above

    above = untracked_above.stamp(target.repo.common_dir, target.entries)
    # A submodule the copy gets as an empty folder (its commit not fetched) must not answer for its files.
    from hookwright.git.submodules import missing

    empty = [f"empty submodule {m}" for m in missing(target.entries, picked, target.repo.root)]
    return [
        *found,
        checkout_fingerprint(target.repo, attributes),
        *(["above the copy", *above] if above else []),
        *empty,
    ]


def root_reader(ctx: CheckContext) -> Callable[[str], bytes | None]:
    """A committed file by path (None when the tree has none); only that file is exported.

    A run the cache answers reads a few root files (pytest's config, package.json), never the tree.
    """

    def read(name: str) -> bytes | None:
        if name not in ctx.target.entries:
            return None
        try:
            return ctx.target.read(name)
        except OSError:
            return None

    return read


class TestsCheck(Check):
    """Cached as a whole when it passes; for pytest, only the test files a change can reach run."""

    kind = "tests"
    default_timeout = 900.0
    __test__ = False  # not a pytest class, whatever its name says

    def __init__(self, name: str, options: Mapping[str, Any], *, with_coverage: bool = False) -> None:
        super().__init__(name, options)
        self.with_coverage = with_coverage
        self._frameworks: tuple[str, ...] | None = None

    def frameworks(self, ctx: CheckContext) -> tuple[str, ...]:
        """Every framework that runs, the one ``args`` is for first: all the tree has, under auto.

        Running only the first of a tree with pytest tests and a jest suite passed a failing jest
        suite unrun.
        """
        if self._frameworks is None:
            from hookwright.testing import frameworks

            chosen = self.options.get("framework", "auto")
            self._frameworks = (
                frameworks.every_in_tree(ctx.target.entries, root_reader(ctx))
                if chosen == "auto"
                else (chosen,)
            )
        return self._frameworks

    def framework(self, ctx: CheckContext) -> str | None:
        return next(iter(self.frameworks(ctx)), None)

    def unavailable(self, ctx: CheckContext) -> str | None:
        if self.framework(ctx) is None:
            return "no tests found (pytest, jest or go)"
        return None

    def run(self, ctx: CheckContext) -> StepResult:
        started = time.monotonic()
        result = self._run(ctx)
        if result.cached:
            return result
        return replace(result, duration=max(result.duration, time.monotonic() - started))

    def _run(self, ctx: CheckContext) -> StepResult:
        framework = self.framework(ctx)
        layout = None
        if framework == "pytest":
            from hookwright.testing import pytest_layout

            layout = pytest_layout.layout(root_reader(ctx), list(self.options.get("args", ())))
        patterns = list(self.options.get("inputs", []))

        def pick(entries: Mapping[str, str]) -> dict[str, str]:
            picked = pick_inputs(entries, patterns, layout)
            if not patterns:  # what the default leaves out counts again where code names it
                from hookwright.testing import doc_readers

                left_out = {p: b for p, b in entries.items() if p not in picked}
                table = ctx.target.repo.state_dir / "cache" / "doc_mentions.marshal"
                picked.update(doc_readers.read_by_code(ctx.target.repo, entries, left_out, table))
            return picked

        picked = pick({path: entry.blob for path, entry in ctx.target.entries.items()})
        if dead := [p for p in patterns if not any(_globs((p,)).match(path) for path in picked)]:
            # The key would hold nothing that pattern stands for: a pass made once answered for every
            # later change there (a typo, `src/*` in a flat layout). pre-commit's check-useless-excludes.
            message = f"checks.{self.name}.inputs: {', '.join(map(repr, dead))} matches no file of the tree"
            from hookwright.checks.tests_suites import refused

            return refused(self.name, [message])
        interpreter: list[object] = []
        if framework == "pytest":
            from hookwright.testing.interpreter_inputs import project_interpreter

            interpreter = project_interpreter(ctx.target.repo, self.options.get("python"))
        others = self.frameworks(ctx)[1:]
        if "jest" in (framework, *others):  # node_modules: what is installed there now; and node
            from hookwright.testing import dependency_links, suite

            folders = self.jest_suites(ctx).folders  # each with its own node_modules
            interpreter.append(dependency_links.installed_stamp(ctx.target.repo, folders))
            interpreter.append(suite.executable_identity("node", ctx.env.get("PATH")))
        if "go" in (framework, *others):  # the go tool, and what a replace outside the tree holds
            from hookwright.testing import go_modules, suite

            interpreter.append(suite.executable_identity("go", ctx.env.get("PATH")))
            for folder in go_modules.module_folders(ctx.target.entries, root_reader(ctx)):
                go_mod = root_reader(ctx)(f"{folder}/go.mod" if folder else "go.mod")
                interpreter += go_modules.stamp(go_mod, ctx.target.repo.root / folder)
        base = digest(
            self.kind,
            "v2",  # v1 imported what an editable install took from the work tree: its passes are void
            dict(self.options),
            [framework, *others] if others else framework,  # (one framework: keys as before)
            self.with_coverage,
            sys.version,
            runner_environment(self.options.get("environment", ())),
            interpreter,
            beyond_blobs(ctx.target, picked),
        )
        key = cache_key(base, *(f"{p}\0{b}" for p, b in sorted(picked.items())))
        hit = ctx.cache.get(key)
        if hit is not None:
            if hit.get("coverage") is not None:
                ctx.artifacts["coverage"] = hit["coverage"]
            if framework == "pytest" and ctx.cache.path is not None:
                from hookwright.testing import states as test_states

                test_states.known_passing(ctx.target.repo, base, picked, key)
            return StepResult(
                self.name, "passed", 0.0, files=hit.get("files", 0), cached=True, saved=hit.get("t", 0.0)
            )
        if framework == "pytest":
            from hookwright.checks import pytest_early

            # Started before pytest_check is even imported: its start-up overlaps all the planning.
            early = pytest_early.start(self, ctx)
            try:
                from hookwright.checks import pytest_check

                assert layout is not None
                result = pytest_check.run(self, ctx, layout, picked, base, pick, early)
            finally:
                if early is not None:
                    early.close()
        else:
            result = self.execute(ctx, framework)
        if others:
            from hookwright.checks import tests_suites

            runs = [result]
            for other in others:  # (configured args are the first framework's)
                if other != "jest":  # (jest runs in a fresh copy of its own)
                    ctx.target.restored_root()  # the first suite may have written into the slot
                runs.append(self.execute(ctx, other, args=()))
            result = tests_suites.combine(self.name, self.frameworks(ctx), runs)
        if result.status == "passed":
            ctx.cache.put(
                key, {"t": result.duration, "files": result.files, "coverage": ctx.artifacts.get("coverage")}
            )
        return result

    def execute(
        self, ctx: CheckContext, framework: str | None, args: Sequence[str] | None = None
    ) -> StepResult:
        """jest and go: the whole suite, every failure blocking (``args``: the configured ones)."""
        from hookwright.checks import tests_suites
        from hookwright.testing import adapters as testing
        from hookwright.testing import dependency_links

        args = list(self.options.get("args", ()) if args is None else args)
        folders: tuple[str, ...] = ("",)
        if framework == "go":  # every module: go test ./... at the root stops at a nested one
            from hookwright.testing import go_modules

            folders = go_modules.module_folders(ctx.target.entries, root_reader(ctx)) or folders
        if framework == "jest":  # its root and workspace suites; a test script it cannot run fails
            suites = self.jest_suites(ctx)
            if suites.refused:
                return tests_suites.refused(self.name, suites.refused)
            folders = suites.folders or folders
        with tests_suites.suite_root(ctx, framework) as root:
            if ctx.target.shadow:
                dependency_links.link_dependencies(ctx.target.repo, root, folders)
            if framework == "jest" and (
                missing := tests_suites.missing_jest(self.name, root, self.frameworks(ctx), folders)
            ):
                return missing
            env = dependency_links.node_env(ctx.env, ctx.target.repo, root) if ctx.target.shadow else ctx.env
            runs = []
            for folder in folders:
                with contextlib.ExitStack() as stack:
                    run_env = env
                    if framework == "go":  # each module with its own go.mod's replacements
                        from hookwright.testing import go_modules

                        has_work = "go.work" in ctx.target.entries
                        module = (root / folder, ctx.target.repo.root / folder)
                        run_env = stack.enter_context(go_modules.environment(env, *module, has_work))
                    runs.append(
                        testing.run_tests(
                            root, framework, args=args, timeout=self.timeout, env=run_env, folder=folder
                        )
                    )
        return tests_suites.suites_result(self.name, str(framework), folders, runs)

    def jest_suites(self, ctx: CheckContext) -> js_suites.JsSuites:
        from hookwright.testing import frameworks

        return frameworks.jest_suites(ctx.target.entries, root_reader(ctx))


def load_coverage(data_file: Path, root: Path, env: Mapping[str, str], python: str) -> dict[str, Any] | None:
    """coverage.py's data as ``{"files": {path: [executed, missing]}, "percent": total}``."""
    from hookwright import parallel

    if not data_file.exists():
        return None
    report = data_file.with_name("coverage.json")
    result = parallel.run(
        [
            python,
            "-m",
            "coverage",
            "json",
            f"--data-file={data_file}",
            "-o",
            str(report),
            "-q",
        ],
        cwd=root,
        env=env,
        timeout=300,
    )
    if not result.ok or not report.exists():
        return None
    return compact_coverage(json.loads(report.read_text()), root)


def compact_coverage(raw: Mapping[str, Any], root: Path) -> dict[str, Any]:
    files = {}
    resolved = root.resolve()
    for name, data in raw.get("files", {}).items():
        path = Path(name)
        if path.is_absolute():
            try:
                path = path.resolve().relative_to(resolved)
            except ValueError:
                continue
        files[path.as_posix()] = [data.get("executed_lines", []), data.get("missing_lines", [])]
    return {"files": files, "percent": raw.get("totals", {}).get("percent_covered", 0.0)}


# The test runner reads these from the environment the user runs hookwright in: a verdict reached
# under PYTEST_ADDOPTS="-m 'not slow'" must not be reused without it. (PYTEST_CURRENT_TEST is set by
# a pytest that runs hookwright and names nothing the tests read.) The interpreter (PYTHON*) and the
# C library (TZ, the locale) read theirs whatever the tests say: under TZ=UTC0 a test of local
# time passed, and the pass answered for TZ=ABC-5.
_RUNNER_PREFIXES = ("PYTEST_", "JEST_", "PYTHON", "LC_")
_RUNNER_VARIABLES = (
    *("GOFLAGS", "GOOS", "GOARCH", "CGO_ENABLED", "GOEXPERIMENT", "GOWORK"),
    *("NODE_OPTIONS", "NODE_PATH", "NODE_ENV", "BABEL_ENV"),
    *("TZ", "LANG", "LANGUAGE"),
)


def runner_environment(declared: Iterable[str] = ()) -> list[tuple[str, str]]:
    """The variables of this process's environment that change what a test run does.

    ``declared`` holds the names (or globs) the project's config says its tests read.
    """
    patterns = tuple(declared)
    return sorted(
        (name, value)
        for name, value in os.environ.items()
        if (name.startswith(_RUNNER_PREFIXES) and name != "PYTEST_CURRENT_TEST")
        or name in _RUNNER_VARIABLES
        or any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)
    )
