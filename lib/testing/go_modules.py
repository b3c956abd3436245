"""What ``go test`` in a private copy needs to see the module as it does in the work tree.

A ``replace example.com/dep => ../dep`` in go.mod is read from the module's folder: from the copy,
``../dep`` is not the sibling project, and every passing module failed ("replacement directory
../dep does not exist"). The copy's go test reads a go.mod of its own (``-modfile``) where each
such path is the folder it names from the work tree. What a replacement outside the tree holds
(``../dep``, ``/abs/dep``) is no blob of the tree: its Go files are stamped in the tests key, or a
pass made with its old code was replayed after it changed.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path

from hookwright.lazy_regex import compile_lazily

_REPLACE = compile_lazily(
    r"^(?P<head>\s*(?:replace\s+)?[^\s=]+(?:\s+\S+)?\s*=>\s*)(?P<path>\S+)(?P<tail>\s*)$"
)
# go's source files and what a build reads besides them (cgo, assembly, embedded files under testdata).
_GO_SOURCES = (".go", ".mod", ".sum", ".s", ".c", ".h", ".cc", ".syso")


def module_folders(paths: Collection[str], read: Callable[[str], bytes | None]) -> tuple[str, ...]:
    """Each Go module of the tree by its folder ("" the root), as go test ./... in each finds them.

    ``go test ./...`` at the root stops at a nested module's go.mod: its tests never ran, and a
    tree whose modules all lie in folders (a go.work at the root) had no go suite at all. go
    itself passes over testdata, vendor and folders starting with ``.`` or ``_``. Under a committed
    go.work, the modules it uses: go refuses to test one it does not list.
    """
    used = _used(read("go.work")) if "go.work" in paths else None
    folders = []
    for path in paths:
        if path == "go.mod" or path.endswith("/go.mod"):
            folder = path[: -len("go.mod")].rstrip("/")
            parts = folder.split("/") if folder else []
            if not any(
                p in ("testdata", "vendor", "node_modules") or p.startswith((".", "_")) for p in parts
            ):
                folders.append(folder)
    return tuple(sorted(f for f in folders if used is None or f in used))


def _used(go_work: bytes | None) -> set[str]:
    """The folders a go.work's ``use`` directives name ("" the root)."""
    text = (go_work or b"").decode("utf-8", "replace")
    named = re.findall(r"^\s*use\s+(?!\()(\S+)", text, re.M)
    for block in re.findall(r"^\s*use\s*\((.*?)\)", text, re.M | re.S):
        named += [line.split("//")[0].strip() for line in block.splitlines()]
    folders = (os.path.normpath(n.strip('"`')).replace(os.sep, "/") for n in named if n)
    return {"" if folder == "." else folder for folder in folders}


def _local(path: str) -> bool:
    """go reads a replacement as a folder when it is absolute or starts with ./ or ../."""
    return path.startswith(("./", "../", "/")) or path in (".", "..")


def _replacements(go_mod: str) -> Iterator[tuple[int, re.Match[str]]]:
    """(line number, match) of each replace directive whose new side is a folder."""
    inside_block = False
    for number, raw in enumerate(go_mod.splitlines()):
        line = raw.split("//", 1)[0].rstrip()
        stripped = line.strip()
        if re.match(r"^replace\s*\($", stripped):
            inside_block = True
            continue
        if inside_block and stripped == ")":
            inside_block = False
            continue
        if not (inside_block or stripped.startswith("replace ")):
            continue
        found = _REPLACE.match(line)
        if found is not None and _local(found["path"].strip('"`')):
            yield number, found


def outside_folders(go_mod: str, work_tree: Path) -> dict[str, str]:
    """As written -> the absolute folder, for each replacement folder outside the tree."""
    found = {}
    tree = os.path.realpath(work_tree)
    for _, match in _replacements(go_mod):
        written = match["path"].strip('"`')
        folder = os.path.realpath(os.path.join(tree, written))
        if folder != tree and not folder.startswith(tree + os.sep):
            found[written] = folder
    return found


def stamp(go_mod: bytes | None, work_tree: Path) -> list[str]:
    """The code of each replacement outside the tree, for the tests key."""
    from hookwright.testing.editable_installs import source_stamp

    if not go_mod:
        return []
    text = go_mod.decode("utf-8", "replace")
    return [
        f"{w} {source_stamp(f, _GO_SOURCES)}" for w, f in sorted(outside_folders(text, work_tree).items())
    ]


@contextlib.contextmanager
def environment(
    env: Mapping[str, str], copy: Path, work_tree: Path, has_go_work: bool
) -> Iterator[dict[str, str]]:
    """``env`` for go test in ``copy``: no go.work from above the copy, relative replacements as
    they are in the work tree."""
    env = dict(env)
    if "GOWORK" not in env and not has_go_work:
        # go looks for go.work in every folder above the copy, which lies in the work tree: an
        # uncommitted one there made the copy's module "not one of the workspace modules".
        env["GOWORK"] = "off"
    try:
        go_mod = (copy / "go.mod").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        go_mod = ""
    relative = {w: f for w, f in outside_folders(go_mod, work_tree).items() if not w.startswith("/")}
    if not relative or has_go_work or "-modfile" in env.get("GOFLAGS", ""):
        yield env
        return
    lines = go_mod.splitlines(keepends=True)
    for number, match in _replacements(go_mod):
        written = match["path"].strip('"`')
        if written in relative:
            ending = "\n" if lines[number].endswith("\n") else ""
            lines[number] = f'{match["head"]}"{relative[written]}"{match["tail"]}{ending}'
    import tempfile  # here: it brings random and shutil, which a project without Go never needs

    with tempfile.TemporaryDirectory(prefix="hookwright-go-") as folder:
        modfile = Path(folder) / "go.mod"
        modfile.write_text("".join(lines), encoding="utf-8")
        if (copy / "go.sum").is_file():  # -modfile reads go.sum beside it
            (Path(folder) / "go.sum").write_bytes((copy / "go.sum").read_bytes())
        env["GOFLAGS"] = f"{env.get('GOFLAGS', '')} -modfile={modfile}".strip()
        yield env
