"""Native git hooks: small sh scripts that run hookwright, written where git looks for them.

git's own answer says where that is (``rev-parse --git-path hooks``: ``core.hooksPath`` when set, the
common directory for linked worktrees, the module's git directory for a submodule). A hook that is
already there (pre-commit's, husky's, a hand-written one) is never lost: by default it is kept beside
ours and run first, as pre-commit's "legacy mode" does, so that installing hookwright changes nothing
a team relied on; ``overwrite`` replaces it, keeping a copy. ``uninstall`` puts back the exact bytes
and mode that were there.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from hookwright.atomic import atomic_write
from hookwright.errors import BadInput
from hookwright.git.repo import Repo

HOOK_TYPES = ("pre-commit", "pre-push", "commit-msg", "post-checkout", "post-merge", "post-commit")
MARKER = "# hookwright-native-hook"  # how a script of ours is told from anyone else's
CHAINED = ".hookwright-chained"  # the hook that was there, run before ours
REPLACED = ".hookwright-replaced"  # the hook that was there, set aside by --overwrite

# stdin matters to pre-push (the refs being pushed): it is read once and handed to both hooks.
_SCRIPT = """\
#!/bin/sh
{marker} v1: written by `hookwright install`; `hookwright uninstall` restores what was here.
# Plain sh, no login shell and no $HOME: GUI clients and IDEs run hooks like this too.
HOOKWRIGHT_PYTHON={python}
hook={hook}
here=${{0%/*}}
{stdin_read}if [ -x "$here/$hook{chained}" ]; then
    {chained_run} || exit $?
fi
if [ -x "$HOOKWRIGHT_PYTHON" ]; then
    {exec_python}
elif command -v hookwright >/dev/null 2>&1; then
    {exec_path}
elif [ "${{HOOKWRIGHT_ALLOW_MISSING:-}}" = 1 ]; then
    echo "hookwright: NOT RUN: not found; HOOKWRIGHT_ALLOW_MISSING=1 let this $hook through unchecked" >&2
    exit 0
else
    echo "hookwright: not found ($HOOKWRIGHT_PYTHON is gone and no hookwright on PATH):" \\
        "reinstall it and run 'hookwright install' again, or set HOOKWRIGHT_ALLOW_MISSING=1" \\
        "to let this $hook through unchecked" >&2
    exit 1
fi
"""


def hooks_dir(repo: Repo) -> Path:
    """The directory git runs hooks from, for this repository and work tree."""
    found = Path(repo.check("rev-parse", "--git-path", "hooks").decode().strip())
    return found if found.is_absolute() else repo.root / found


def script(hook: str, python: str) -> str:
    if hook == "pre-push":
        stdin_read = "refs=$(cat)\n"
        chained_run = 'printf "%s\\n" "$refs" | "$here/$hook' + CHAINED + '" "$@"'
        exec_python = 'printf "%s\\n" "$refs" | exec "$HOOKWRIGHT_PYTHON" -m hookwright hook "$hook" -- "$@"'
        exec_path = 'printf "%s\\n" "$refs" | exec hookwright hook "$hook" -- "$@"'
    else:
        stdin_read = ""
        chained_run = '"$here/$hook' + CHAINED + '" "$@"'
        exec_python = 'exec "$HOOKWRIGHT_PYTHON" -m hookwright hook "$hook" -- "$@"'
        exec_path = 'exec hookwright hook "$hook" -- "$@"'
    return _SCRIPT.format(
        marker=MARKER,
        python=shlex.quote(python),
        hook=hook,
        chained=CHAINED,
        stdin_read=stdin_read,
        chained_run=chained_run,
        exec_python=exec_python,
        exec_path=exec_path,
    )


def is_ours(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return MARKER.encode() in handle.read(256)
    except OSError:
        return False


def install(repo: Repo, hooks: list[str], *, overwrite: bool = False) -> list[str]:
    """Write our scripts for ``hooks``; one line per hook saying what happened to what was there."""
    directory = hooks_dir(repo)
    directory.mkdir(parents=True, exist_ok=True)
    said = []
    for hook in hooks:
        if hook not in HOOK_TYPES:
            raise BadInput(f"unknown hook type {hook!r}; known: {', '.join(HOOK_TYPES)}")
        path = directory / hook
        note = f"{hook}: installed"
        if (path.exists() or path.is_symlink()) and not is_ours(path):
            kept = path.with_name(hook + (REPLACED if overwrite else CHAINED))
            if kept.exists() or kept.is_symlink():
                raise BadInput(f"{kept} exists already: move it away, or run `hookwright uninstall` first")
            os.replace(path, kept)  # a rename keeps the bytes, the mode and a symlink as they were
            how = "set aside as" if overwrite else "kept and run first:"
            note += f" (the existing hook is {how} {kept.name})"
        atomic_write(path, script(hook, sys.executable).encode(), mode=0o755)
        said.append(note)
    return said


def uninstall(repo: Repo, hooks: list[str]) -> list[str]:
    """Remove our scripts and put back what they replaced or chained, byte for byte."""
    directory = hooks_dir(repo)
    said = []
    for hook in hooks:
        path = directory / hook
        if not is_ours(path):
            continue
        path.unlink()
        for suffix in (CHAINED, REPLACED):
            kept = path.with_name(hook + suffix)
            if kept.exists() or kept.is_symlink():
                os.replace(kept, path)
                said.append(f"{hook}: removed; the previous hook is back")
                break
        else:
            said.append(f"{hook}: removed")
    return said


def installed(repo: Repo) -> list[str]:
    directory = hooks_dir(repo)
    return [hook for hook in HOOK_TYPES if is_ours(directory / hook)]
