"""Where a symlink in a tree leads: resolved inside the tree alone, as a checkout would resolve it.

"Exists" means: the target, resolved from the link's folder component by component (following the
tree's own links on the way, `..` after a link taken from where the link led, as the kernel does),
names a file, a folder or a submodule of the same tree. An absolute target never does: a commit holds
no `/etc/x`, and what a machine that checks it out has there is not the commit's. A target that leaves
the repository (`../../x`) is outside every checkout too.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping

from hookwright.filetypes import GITLINK_MODE, SYMLINK_MODE
from hookwright.frozen import dataclass

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from hookwright.git.repo import IndexEntry

_MAX_HOPS = 40  # links followed in one lookup before Linux answers ELOOP


@dataclass(frozen=True)
class Broken:
    link: str
    message: str
    missing: str | None = None  # the tree path that is not there, when a path is what is missing
    outside: str | None = None  # where it goes once it leaves the top (``../shared/x``), as written


def directories(paths: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        parent = path.rpartition("/")[0]
        while parent and parent not in found:
            found.add(parent)
            parent = parent.rpartition("/")[0]
    return found


def _parts(text: str) -> list[str]:
    return text.split("/")


def resolve(
    link: str, entries: Mapping[str, IndexEntry], folders: set[str], targets: Mapping[str, str]
) -> Broken | None:
    """None when ``link`` leads to something in the tree; else why it does not."""
    text = targets.get(link, "")
    if not text:
        return Broken(link, "symlink with an empty target")
    current = _parts(link)[:-1]
    pending = deque(_parts(text))
    via = ""  # the last link followed, to name in a message
    hops = 0
    while pending:
        part = pending.popleft()
        if part in ("", "."):
            continue
        if part == "..":
            if not current:
                rest = "/".join(["..", *pending])  # the kernel goes on from the checkout's parent
                return Broken(link, f"symlink target is outside the repository: {text}{via}", outside=rest)
            current.pop()
            continue
        path = "/".join([*current, part])
        entry = entries.get(path)
        if entry is not None and entry.mode == SYMLINK_MODE:
            hops += 1
            if hops > _MAX_HOPS:
                return Broken(link, f"symlink loop: {text} (through {path})")
            inner = targets.get(path, "")
            via = f" (through {path} -> {inner})"
            if not inner:
                return Broken(link, f"symlink target does not exist: {text}{via}", path)
            if inner.startswith("/"):
                return Broken(link, f"symlink target is an absolute path, in no checkout: {inner}{via}")
            pending.extendleft(reversed(_parts(inner)))
            continue
        if entry is not None and entry.mode == GITLINK_MODE:
            return None  # inside a submodule: another repository's tree, pinned by this one
        if entry is not None:
            if pending:  # `file/x` or `file/`: a file is not a folder
                return Broken(link, f"symlink target is not a folder: {path} in {text}{via}", path)
            return None
        if path not in folders:
            return Broken(link, f"symlink target does not exist: {text}{via}", path)
        current.append(part)
    return None


def broken(
    links: Iterable[str], entries: Mapping[str, IndexEntry], targets: Mapping[str, str]
) -> list[Broken]:
    """Every link of ``links`` that leads nowhere in the tree (``targets``: every link's text)."""
    folders = directories(entries)
    found = []
    for link in links:
        text = targets.get(link, "")
        if text.startswith("/"):
            found.append(Broken(link, f"symlink target is an absolute path, in no checkout: {text}"))
            continue
        problem = resolve(link, entries, folders, targets)
        if problem is not None:
            found.append(problem)
    return found


def leaves_to(
    link: str, entries: Mapping[str, IndexEntry], folders: set[str], targets: Mapping[str, str]
) -> str | None:
    """Where ``link`` goes out of the tree: its absolute target, or a path from the tree's top that
    climbs out of it (``../shared/x``); None when it stays inside, or leads nowhere in it."""
    text = targets.get(link, "")
    if text.startswith("/"):
        return text
    problem = resolve(link, entries, folders, targets)
    return problem.outside if problem is not None else None
