"""What a test suite is known to do on a tree: which of its tests fail (an empty set: it passes).

A state is known only after a complete run (pytest ran to its end) or a narrowed run from a known
state (the tests it left out read nothing that changed). Two uses: the last known state is what
the next change is compared with (test selection), and a base's state says which failures a
change did not bring (hold the line).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from pathlib import Path

from hookwright.cache import ResultCache, digest, read_snapshot, write_snapshot
from hookwright.cache import key as cache_key
from hookwright.frozen import dataclass
from hookwright.git.repo import Repo


@dataclass(frozen=True)
class Known:
    inputs: Mapping[str, str]  # path -> blob of every file the tests may read
    failing: frozenset[str]  # pytest node ids


def _last_path(repo: Repo, check_digest: str) -> Path:
    return repo.state_dir / "cache" / f"tests-baseline-{check_digest[:16]}.marshal"


def last_known(repo: Repo, check_digest: str) -> Known | None:
    data = read_snapshot(_last_path(repo, check_digest))
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("inputs"), dict):
        return Known(data["inputs"], frozenset(data.get("failing", ())))
    if all(isinstance(v, str) for v in data.values()):
        return Known(data, frozenset())  # the older format: the last passing state
    return None


def state_key(check_digest: str, inputs: Mapping[str, str]) -> str:
    return cache_key(digest(check_digest, "state"), *(f"{p}\0{b}" for p, b in sorted(inputs.items())))


def known_passing(repo: Repo, check_digest: str, inputs: Mapping[str, str], state: str) -> None:
    """A cached pass is a known state too: make it the one the next change is compared with.

    ``state`` names it (the cache key); a small file beside the snapshot says which state the
    snapshot holds, so an unchanged re-run reads a few bytes and writes nothing.
    """
    marker = _last_path(repo, check_digest).with_suffix(".state")
    try:
        if marker.read_text() == state:
            return
    except OSError:
        pass
    write_snapshot(_last_path(repo, check_digest), {"inputs": dict(inputs), "failing": []})
    with contextlib.suppress(OSError):
        marker.write_text(state)


def remember(
    repo: Repo, cache: ResultCache, check_digest: str, inputs: Mapping[str, str], failing: frozenset[str]
) -> None:
    """Record a known state: the one the next change is compared with, and this tree's answer."""
    cache.put(state_key(check_digest, inputs), {"failing": sorted(failing)})
    write_snapshot(_last_path(repo, check_digest), {"inputs": dict(inputs), "failing": sorted(failing)})
    _last_path(repo, check_digest).with_suffix(".state").unlink(missing_ok=True)


@dataclass(frozen=True)
class BaseAnswer:
    failing: frozenset[str] | None  # None: the base could not tell (its run broke)
    how: str  # "cache" or "re-run"


def failing_at_base(
    repo: Repo,
    cache: ResultCache,
    check_digest: str,
    base: str,
    wanted: frozenset[str],
    inputs_now: Mapping[str, str],
    pick: Callable[[Mapping[str, str]], dict[str, str]],
    rerun: Callable[[Path, list[str], frozenset[str]], frozenset[str] | None],
) -> BaseAnswer:
    """Which of ``wanted`` (node ids failing now) fail at ``base`` too.

    From the cache when the base was verified before; else only those tests are run again on a
    private export of the base (never the work tree, never the whole suite).
    """
    files = repo.tree_files(base)
    inputs = pick(files)
    if inputs == inputs_now:
        return BaseAnswer(wanted, "same inputs")  # a new worktree, a commit of docs only
    known = cache.get(state_key(check_digest, inputs))
    if isinstance(known, dict) and isinstance(known.get("failing"), list):
        return BaseAnswer(frozenset(known["failing"]) & wanted, "cache")
    from hookwright.git import snapshot

    with snapshot.exported_tree(repo, base) as root:
        failing = rerun(root, list(files), wanted)
    return BaseAnswer(failing & wanted if failing is not None else None, "re-run")
