"""lint: ruff on the Python files being committed, with the project's own ruff configuration."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hookwright import ruff
from hookwright.cache import digest, key
from hookwright.checks import ruff_configs, ruff_extends, ruff_sources
from hookwright.checks.base import CheckContext, CheckError, FileCheck, status_of
from hookwright.frozen import replace
from hookwright.reporting import Finding, StepResult

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any

_LINTED = (*ruff.PYTHON_SUFFIXES, ".ipynb")  # what ruff lints by default (notebooks since 0.6)


class LintCheck(FileCheck):
    kind = "lint"
    default_timeout = 120.0

    def __init__(self, name: str, options: Mapping[str, Any], *, syntax_elsewhere: bool = False) -> None:
        super().__init__(name, options)
        # When the syntax check runs too it reports parse errors (with CPython's words): once is enough.
        self.syntax_elsewhere = syntax_elsewhere
        self._inputs: dict[
            str, tuple[ruff_extends.Extended, dict[str, str], list[tuple[str, str]]]
        ] = {}  # tree id -> (extends, markers, includes)

    def select(self, ctx: CheckContext) -> list[str]:
        # What plain `ruff check .` lints: Python files, notebooks, and what `include` /
        # `extend-include` adds (`bin/*`, `*.pyw`); skipped, they passed with "no matching files".
        patterns = self._config_inputs(ctx)[2]
        files = [p for p in ctx.target.files if p.endswith(_LINTED) or ruff_sources.included(p, patterns)]
        return self.wanted(ctx.target, files)

    def fingerprint(self, ctx: CheckContext) -> str:
        # A file's findings change with ruff's version and with any ruff configuration in the tree
        # (or the user-level one, which files no committed configuration covers get), with what a
        # configuration extends, and with which modules are first-party (``ruff_sources``).
        entries = ctx.target.entries
        extends = self._extends(ctx)
        configs = sorted((path, entries[path].blob) for path in [*self._configs(ctx), *extends.inside])
        user = ruff_configs.user_config_bytes(ctx.env)
        modules = sorted(self._module_markers(ctx))
        return digest(
            self.kind,
            "v2",  # v1 read files of earlier runs left in the private copy (a deleted config): void
            dict(self.options),
            ruff.version(),
            configs,
            self.syntax_elsewhere,
            user,
            extends.outside,
            modules,
        )

    def reads_also(self, ctx: CheckContext) -> list[str]:
        markers = self._module_markers(ctx).values()
        return list(dict.fromkeys([*self._configs(ctx), *self._extends(ctx).inside, *markers]))

    def _configs(self, ctx: CheckContext) -> list[str]:
        return [path for path in ctx.target.entries if path.rsplit("/", 1)[-1] in ruff_configs.NAMES]

    def _extends(self, ctx: CheckContext) -> ruff_extends.Extended:
        return self._config_inputs(ctx)[0]

    def _module_markers(self, ctx: CheckContext) -> dict[str, str]:
        return self._config_inputs(ctx)[1]

    def _config_inputs(
        self, ctx: CheckContext
    ) -> tuple[ruff_extends.Extended, dict[str, str], list[tuple[str, str]]]:
        """What the configurations extend, the first-party markers, and the include patterns
        (folder, glob); once per tree (asked often)."""
        target = ctx.target
        if target.tree not in self._inputs:
            configs = self._configs(ctx)
            table = target.repo.state_dir / "cache" / "ruff_settings.marshal"
            settings = ruff_extends.tree_settings(
                target.repo, {p: target.entries[p].blob for p in configs}, table
            )
            extends = ruff_extends.extended(target.entries, configs, target.root, table, target.repo)
            roots = ruff_sources.roots({p: settings[p][1] for p in configs})
            includes = [(p.rpartition("/")[0], g) for p in configs for g in settings[p][2]]
            self._inputs[target.tree] = (extends, ruff_sources.markers(target.entries, roots), includes)
        return self._inputs[target.tree]

    def _extra(self, ctx: CheckContext, paths: Sequence[str]) -> dict[str, list[str]]:
        """path -> ruff's arguments for it: a file no committed configuration covers never gets one
        that ruff finds above the private copy (``ruff_configs``)."""
        extra = list(self.options.get("args", ()))
        folders = ruff_configs.covering_folders(self.reads_also(ctx), ctx.target.read)
        outside = [*extra, *ruff_configs.outside_arguments(extra, ctx.env)]
        return {p: extra if ruff_configs.covered(p, folders) else outside for p in paths}

    def run(self, ctx: CheckContext) -> StepResult:
        if ruff.executable() is None and (paths := self.select(ctx)):
            # As pre-commit fails a hook whose executable is missing: files to lint and no ruff is
            # no pass (it was "skipped: ruff is not installed" under a passing verdict).
            message = f"ruff is not installed (pip install ruff): {len(paths)} files were not linted"
            finding = Finding(None, None, None, "check-error", message, "error", self.name)
            return StepResult(self.name, "error", 0.0, (finding,), reason=message)
        result = super().run(ctx)
        target = ctx.target
        if self.options.get("scope", "added") == "file" or not result.findings:
            return result
        if not ctx.hold_the_line or target.base is None:
            if target.added_lines is None or not ctx.hold_the_line:
                return result  # `baseline: none`, or no base: every finding in the files counts
            kept = tuple(f for f in result.findings if self._on_added_line(ctx, f))
            return replace(result, findings=kept, status=status_of(kept))
        from hookwright.checks import lint_baseline

        judged = lint_baseline.judge(
            result.findings,
            lambda f: self._on_added_line(ctx, f),
            {p: target.blob(p) for p in {f.path for f in result.findings if f.path}},
            target.repo,
            target.base,
            lambda path, blob: self._base_findings(ctx, path, blob),
        )
        # Old findings in a whole file the user asked about (--all-files, a named unchanged file, a
        # new worktree) are reported; on a change's untouched lines they are that code's, not news.
        shown = [lint_baseline.as_warning(f) for f in judged.old if f.path and target.whole(f.path)]
        kept = (*judged.new, *shown)
        return replace(result, findings=kept, status=status_of(kept))

    @staticmethod
    def _on_added_line(ctx: CheckContext, finding: Finding) -> bool:
        """On a line the change adds (a finding with no place counts as the change's)."""
        if finding.line is None or finding.path is None:
            return True
        return not ctx.target.whole(finding.path) and ctx.target.is_added(finding.path, finding.line)

    def _base_findings(self, ctx: CheckContext, path: str, blob: str) -> list[Finding]:
        """The findings of ``path`` as the base holds it: cached like any file's, by its blob."""
        cache_key = key(self.fingerprint(ctx), path, blob)
        known = ctx.cache.get(cache_key)
        if known is not None:
            return [Finding.from_dict(f) for f in known["f"]]
        data = ctx.target.repo.read_blobs([blob]).get(blob, b"")
        try:
            found = ruff.check_source(
                ctx.target.ensure(self.reads_also(ctx)),  # the configuration ruff finds for it
                path,
                data,
                select=self.options.get("select", ()),
                ignore=self.options.get("ignore", ()),
                extra=self._extra(ctx, [path])[path],
                env=ctx.env,
                timeout=self.timeout,
            )
        except ruff.RuffFailed as exc:
            raise CheckError(str(exc)) from None
        found = [_unread(f) if f.code == "E902" else f for f in found]
        found = _without_syntax(path, found) if self.syntax_elsewhere else found
        ctx.cache.put(cache_key, {"f": [f.to_dict() for f in found], "t": 0.0})
        return found

    def check_files(self, ctx: CheckContext, paths: Sequence[str]) -> dict[str, list[Finding]]:
        groups: dict[tuple[str, ...], list[str]] = {}
        for path, chosen in self._extra(ctx, paths).items():
            groups.setdefault(tuple(chosen), []).append(path)
        found: dict[str, list[Finding]] = {}
        try:
            for arguments, group in groups.items():  # one ruff per configuration source (usually one)
                found.update(
                    ruff.check(
                        ctx.target.root,
                        group,
                        select=self.options.get("select", ()),
                        ignore=self.options.get("ignore", ()),
                        extra=arguments,
                        env=ctx.env,
                        timeout=self.timeout,
                    )
                )
        except ruff.RuffFailed as exc:
            raise CheckError(str(exc)) from None
        if self.syntax_elsewhere:
            found = {p: _without_syntax(p, fs) for p, fs in found.items()}
        # E902: ruff could not read the file (it reads UTF-8 only; a latin-1 file with a coding
        # cookie is valid Python). Not a lint failure: say the file went unlinted.
        return {p: [_unread(f) if f.code == "E902" else f for f in fs] for p, fs in found.items()}


def _without_syntax(path: str, found: list[Finding]) -> list[Finding]:
    """Parse errors the syntax check reports itself: those of Python files (it does not read a
    notebook's cells, nor an extension-less file `include` names)."""
    if not path.endswith(ruff.PYTHON_SUFFIXES):
        return found
    return [f for f in found if f.code != ruff.SYNTAX_CODE]


def _unread(finding: Finding) -> Finding:
    message = f"not linted: {finding.message}"
    return Finding(finding.path, finding.line, finding.column, finding.code, message, "warning", finding.step)
