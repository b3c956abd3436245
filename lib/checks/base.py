"""What a check is: a name, its options, and a run over a Target that returns a StepResult.

File checks answer per file and are cached per file blob; the tests check keeps its own cache (a
pass per tree state). The runner never needs to know which check it is running.
"""

from __future__ import annotations

import os
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from hookwright import filetypes
from hookwright.cache import ResultCache, digest, key
from hookwright.filetypes import TypeFilter
from hookwright.frozen import dataclass, field, replace
from hookwright.git.repo import no_git_env
from hookwright.git.target import Target
from hookwright.reporting import Finding, Status, StepResult
from hookwright.user_regex import compile_pattern

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any, ClassVar

_SITE_HOOKS = frozenset({"sitecustomize.py", "src/sitecustomize.py"})


class CheckError(Exception):
    """The check could not do its job (tool crashed, timed out): the step's status is ``error``."""


@dataclass
class CheckContext:
    target: Target
    cache: ResultCache
    jobs: int
    artifacts: dict[str, Any] = field(default_factory=dict)  # what one check leaves for another
    # Hold the line: what already fails at target.base is reported, not blocking (`baseline: none`
    # in the config turns it off).
    hold_the_line: bool = True

    @property
    def env(self) -> dict[str, str]:
        # No inherited GIT_DIR / GIT_INDEX_FILE: a check's git commands must see the tree they run in.
        env = no_git_env()
        env.update(self.target.extra_env)
        if "PYTHONPATH" in self.target.extra_env and not _SITE_HOOKS.isdisjoint(self.target.entries):
            # The copy's folders are on PYTHONPATH, so the interpreter would run the tree's
            # sitecustomize.py at its start, which plain `pytest` at the root never does: a test
            # passed on what it set up. child_start's takes that name and runs the one a plain run has.
            from hookwright.testing.run_env import CHILD_START

            env["PYTHONPATH"] = os.pathsep.join([str(CHILD_START), env["PYTHONPATH"]])
        return env


def status_of(findings: Sequence[Finding]) -> Status:
    if any(f.severity == "error" for f in findings):
        return "failed"
    if any(f.severity == "warning" for f in findings):
        return "warning"
    return "passed"


class Check(ABC):
    kind: ClassVar[str]  # the name in the config's `checks:` mapping
    needs: ClassVar[tuple[str, ...]] = ()
    default_timeout: ClassVar[float] = 300.0
    default_types: ClassVar[tuple[str, ...]] = ("file",)  # pre-commit's default for a hook's `types`

    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        self.name = name
        self.options = options
        self.timeout = float(options.get("timeout") or self.default_timeout)
        # The user's patterns: RE2, linear in the path whatever the pattern (hookwright.user_regex).
        files, exclude = options.get("files"), options.get("exclude")
        self._files = compile_pattern(files, f"{name}: files") if files else None
        self._exclude = compile_pattern(exclude, f"{name}: exclude") if exclude else None
        self._types = TypeFilter.from_options(options, name, self.default_types)

    def wanted(self, target: Target, paths: Iterable[str]) -> list[str]:
        """The paths this check reads, of ``paths`` (their tags read in one go where needed)."""
        paths = [p for p in paths if self._path_wanted(p)]
        if not self._types.trivial:
            filetypes.prefetch(target, paths)
        return [p for p in paths if self._types.matches(target, p)]

    def _path_wanted(self, path: str) -> bool:
        if self._files is not None and not self._files.search(path):
            return False
        return not (self._exclude is not None and self._exclude.search(path))

    def wants(self, target: Target, path: str) -> bool:
        """``files`` / ``exclude``, then ``types`` / ``types_or`` / ``exclude_types``, as in pre-commit."""
        return self._path_wanted(path) and self._types.matches(target, path)

    def prepare(self, root: Path) -> None:  # noqa: B027 -- optional: most checks need nothing
        """Refuse, as bad input, what cannot work before anything runs (a command not installed)."""

    def unavailable(self, ctx: CheckContext) -> str | None:
        """Why this check cannot run here (a tool is missing, nothing to test), or None."""
        return None

    @abstractmethod
    def run(self, ctx: CheckContext) -> StepResult: ...

    def result(
        self, findings: Sequence[Finding], *, started: float, files: int = 0, **kwargs: Any
    ) -> StepResult:
        tagged = tuple(f if f.step == self.name else replace(f, step=self.name) for f in findings)
        status = kwargs.pop("status", None) or status_of(tagged)
        return StepResult(self.name, status, time.monotonic() - started, tagged, files=files, **kwargs)


class FileCheck(Check):
    """A check whose findings for a file depend only on that file's bytes (and the configuration)."""

    def select(self, ctx: CheckContext) -> list[str]:
        return self.wanted(ctx.target, ctx.target.files)

    def fingerprint(self, ctx: CheckContext) -> str:
        """Everything besides the file that the answer depends on: options, tool version, config."""
        return digest(self.kind, dict(self.options))

    def reads_also(self, ctx: CheckContext) -> list[str]:
        """Files besides the checked ones that the check reads (a tool's configuration)."""
        return []

    @abstractmethod
    def check_files(self, ctx: CheckContext, paths: Sequence[str]) -> dict[str, list[Finding]]:
        """Findings per path; the paths (and ``reads_also``) are in place under ``ctx.target.root``."""

    def run(self, ctx: CheckContext) -> StepResult:
        started = time.monotonic()
        paths = self.select(ctx)
        if not paths:
            return StepResult(self.name, "skipped", 0.0, reason="no matching files")
        if ctx.cache.path is None:
            # --no-cache (or a cache that cannot be opened): nothing is looked up or kept, so no key is
            # hashed and no finding turned into a row (5,000 files: ~10,000 digests for nothing).
            ctx.target.ensure([*paths, *self.reads_also(ctx)])
            fresh = self.check_files(ctx, paths)
            return self.result(
                [f for p in paths for f in fresh.get(p, [])], started=started, files=len(paths)
            )
        base = self.fingerprint(ctx)
        # The mode is part of what a file is: `chmod +x` can make a file Python (by its shebang).
        blobs = {p: _blob_and_mode(ctx, p) for p in paths}
        # Two levels: the whole set of files (an unchanged re-run is one lookup), then each file (a
        # change re-checks only the files it touches).
        whole = key(base, *(f"{p}\0{b}" for p, b in blobs.items()))
        hit = ctx.cache.get(whole)
        if hit is not None:
            replayed = [Finding.from_dict(f) for f in hit["f"]]
            return self.result(replayed, started=started, files=len(paths), cached=True, saved=hit["t"])
        keys = {p: key(base, p, b) for p, b in blobs.items()}
        known = ctx.cache.get_many(keys.values())
        todo = [p for p in paths if keys[p] not in known]
        if todo:
            ctx.target.ensure([*todo, *self.reads_also(ctx)])
        fresh = self.check_files(ctx, todo) if todo else {}
        spent = time.monotonic() - started
        per_file = spent / len(todo) if todo else 0.0
        ctx.cache.put_many(
            {keys[p]: {"f": [f.to_dict() for f in fresh.get(p, [])], "t": per_file} for p in todo}
        )
        findings: list[Finding] = []
        saved = 0.0
        for path in paths:
            if path in fresh:
                findings.extend(fresh[path])
            elif keys[path] in known:
                entry = known[keys[path]]
                findings.extend(Finding.from_dict(f) for f in entry["f"])
                saved += entry.get("t", 0.0)
        ctx.cache.put(whole, {"f": [f.to_dict() for f in findings], "t": saved + spent})
        return self.result(findings, started=started, files=len(paths), cached=not todo, saved=saved)


def _blob_and_mode(ctx: CheckContext, path: str) -> str:
    entry = ctx.target.entries.get(path)
    return f"{entry.blob}:{entry.mode}" if entry is not None else ""
