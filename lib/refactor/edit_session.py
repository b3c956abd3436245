"""An edit of a work tree tried for real: written through a FileTransaction, verified, kept or undone.

Trials are written with ``pending`` journals, so a crash while one is being verified is undone by
``hookwright recover``; only the state that verified is finished.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from hookwright.errors import BadInput, TransactionError
from hookwright.refactor.delta_debug import Isolation, isolate
from hookwright.refactor.edit_checks import EditVerifier, Verdict, VerifyOptions
from hookwright.refactor.hunk_apply import Built, HunkFailed, Unit, build
from hookwright.refactor.patches import FilePatch
from hookwright.safe_paths import resolve_inside
from hookwright.transactions import FileTransaction


def read_originals(root: Path, paths: Sequence[str]) -> dict[str, bytes | None]:
    """Current bytes of each path (None: it does not exist); refuses paths that escape ``root``."""
    originals: dict[str, bytes | None] = {}
    for path in paths:
        target = resolve_inside(root, path)
        if target.exists() and not target.is_file():
            raise BadInput(f"{path}: exists and is not a regular file; refusing to change it")
        originals[path] = target.read_bytes() if target.is_file() else None
    return originals


def changes(
    contents: Mapping[str, bytes | None], originals: Mapping[str, bytes | None]
) -> dict[str, list[str]]:
    """Paths by what happens to them: created, modified, deleted."""
    changed: dict[str, list[str]] = {"created": [], "modified": [], "deleted": []}
    for path, data in sorted(contents.items()):
        if data is None:
            changed["deleted"].append(path)
        elif originals.get(path) is None:
            changed["created"].append(path)
        elif data != originals[path]:
            changed["modified"].append(path)
    return changed


class EditSession:
    """One repository's original bytes, a verifier, and trial writes undone unless kept."""

    def __init__(
        self,
        root: Path,
        journal_root: Path,
        originals: dict[str, bytes | None],
        options: VerifyOptions,
        label: str,
    ) -> None:
        self.root = root
        self.journal_root = journal_root
        self.originals = originals
        self.label = label
        self.verifier = EditVerifier(root, originals, options)
        self._kept: tuple[frozenset[tuple[str, bytes | None]], FileTransaction] | None = None

    @property
    def runs(self) -> int:
        return self.verifier.runs

    def _write(self, contents: Mapping[str, bytes | None], modes: Mapping[str, int]) -> FileTransaction:
        tx = FileTransaction(self.root, self.journal_root, label=self.label)
        # Each trial starts from the bytes the edit was built on: anything else there is refused.
        for path, data in contents.items():
            if data is None:
                tx.delete(path, expect=self.originals.get(path))
            elif self.originals.get(path) is None:
                tx.create(path, data, modes.get(path))
            else:
                tx.write(path, data, expect=self.originals[path])
        tx.apply(pending=True)  # from here until finish(), a crash is undone by `hookwright recover`
        return tx

    def _undo(self, tx: FileTransaction) -> None:
        conflicts = tx.rollback()
        if conflicts:
            raise TransactionError(
                f"{', '.join(conflicts)} changed while being verified (does the verify command edit files?);"
                " left as they are"
            )

    def trial(
        self,
        contents: Mapping[str, bytes | None],
        modes: Mapping[str, int] | None = None,
        *,
        hold: bool = False,
    ) -> Verdict:
        """Write ``contents``, verify, undo; with ``hold`` a state that verifies stays for ``keep``."""
        modes = modes or {}
        tx = self._write(contents, modes)
        try:
            verdict = self.verifier.check(contents)
        except BaseException:
            self._undo(tx)
            raise
        if verdict.ok and hold:
            self._release()
            self._kept = (frozenset(contents.items()), tx)
        else:
            self._undo(tx)
        return verdict

    def keep(self, contents: Mapping[str, bytes | None], modes: Mapping[str, int] | None = None) -> None:
        """Make ``contents`` (a state that verified) final: finish the held trial or write it again."""
        if self._kept is not None and self._kept[0] == frozenset(contents.items()):
            self._kept[1].finish()
            self._kept = None
            return
        self._release()
        if contents:
            self._write(contents, modes or {}).finish()

    def _release(self) -> None:
        if self._kept is not None:
            tx = self._kept[1]
            self._kept = None
            self._undo(tx)

    def close(self) -> None:
        """Undo a held trial that was never kept (an error or Ctrl-C on the way)."""
        self._release()


def keep_what_verifies(
    session: EditSession,
    files: Sequence[FilePatch],
    units: Sequence[Unit],
    modes: Mapping[str, int],
    *,
    all_or_nothing: bool = False,
) -> tuple[Isolation, Built, Verdict | None]:
    """Verify a patch's units together; when that fails, keep the largest set that verifies.

    Returns the isolation, the contents that were kept, and the first (whole-patch) verdict.
    """
    everything = frozenset(range(len(units)))
    verdicts: list[Verdict] = []

    def verify(kept: frozenset[int]) -> tuple[bool, set[int]]:
        try:
            built = build(files, session.originals, units, kept)
        except HunkFailed as exc:  # without its neighbour a hunk can become ambiguous
            return False, {i for i, unit in enumerate(units) if files[unit.file].path == exc.path}
        verdict = session.trial(built.contents, modes, hold=kept == everything)
        verdicts.append(verdict)
        hints: set[int] = set()
        for path, line in verdict.locations:
            hints |= built.units_at(path, line)
        return verdict.ok, hints

    if all_or_nothing:
        ok, _ = verify(everything)
        kept = tuple(sorted(everything)) if ok else ()
        result = Isolation(kept, () if ok else tuple(sorted(everything)), session.runs)
    else:
        result = isolate(len(units), verify)
    final = build(files, session.originals, units, result.kept)
    session.keep(final.contents, modes)
    return result, final, verdicts[0] if verdicts else None
