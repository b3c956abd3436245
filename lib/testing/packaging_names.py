"""Names a project's packaging gives its code: ``package_dir`` mappings and entry points.

``package_dir = hookwright = lib`` makes ``lib/git/repo.py`` importable as ``hookwright.git.repo``: an import
graph that only knows file paths would never connect the two. Entry points name modules that
something outside the graph loads by name into a process it shares with others (a pytest plugin
found through ``pytest11``, a plugin of any other group). A console or GUI script is not one of them:
it runs as a program of its own, so a test sees it only by starting it (``unstarted`` follows that) or
by importing it (the import graph does).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from hookwright.lazy_regex import compile_lazily

TYPE_CHECKING = False
if TYPE_CHECKING:
    import configparser

Reader = Callable[[str], "bytes | None"]
_PACKAGING = ("pyproject.toml", "setup.cfg", "setup.py")

_PAIR = compile_lazily(r"""["']([\w.]*)["']\s*:\s*["']([^"']*)["']""")
# "name = module:attr", or "name = module" (a pytest11 plugin names a module alone).
_TARGET = compile_lazily(r"""=\s*["']?\s*([A-Za-z_][\w.]*)(?:\s*:\s*[A-Za-z_][\w.]*)?""")
_SETUP_ENTRY = re.compile(r"""["'][^"'=]+=\s*([A-Za-z_][\w.]*)\s*(?::\s*[A-Za-z_][\w.]*\s*)?["']""")
# setup.cfg's groups whose entries are programs of their own, never loaded into another process.
_SCRIPT_GROUPS = frozenset({"console_scripts", "gui_scripts"})


def _text(read: Reader, name: str) -> str:
    raw = read(name)
    return raw.decode("utf-8", "replace") if raw else ""


def _setup_cfg(read: Reader) -> configparser.ConfigParser | None:
    text = _text(read, "setup.cfg")
    if not text:  # no sections to find: configparser (~2 ms to import) is not needed
        return None
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    return parser


def _pyproject(read: Reader) -> dict[str, object]:
    from hookwright.toml_memory import document

    return document(_text(read, "pyproject.toml")) or {}


def package_dirs(read: Reader) -> dict[str, str]:
    """Import name prefix -> folder (``""`` for the top level), from setup.cfg, pyproject, setup.py."""
    found: dict[str, str] = {}
    parser = _setup_cfg(read)
    if parser is not None and parser.has_option("options", "package_dir"):
        for line in parser.get("options", "package_dir").splitlines():
            name, sep, folder = line.partition("=")
            if sep:
                found[name.strip()] = folder.strip().strip("/")
    tool = _pyproject(read).get("tool")
    setuptools = tool.get("setuptools") if isinstance(tool, dict) else None
    mapping = setuptools.get("package-dir") if isinstance(setuptools, dict) else None
    if isinstance(mapping, dict):
        found.update({str(k): str(v).strip("/") for k, v in mapping.items()})
    setup_py = _text(read, "setup.py")
    block = re.search(r"package_dir\s*=\s*\{([^}]*)\}", setup_py)
    if block:
        found.update((k, v.strip("/")) for k, v in _PAIR.findall(block.group(1)))
    return {name: folder for name, folder in found.items() if folder not in ("", ".")}


def entry_point_modules(read: Reader) -> set[str]:
    """Modules named by the project's plugin entry points: every group but console and GUI scripts.

    A group we cannot tell (``setup.py``'s ``entry_points=``, read with a regular expression) counts
    as a plugin group: only a script group that is spelled as one is left out.
    """
    modules: set[str] = set()
    project = _pyproject(read).get("project")
    extra = project.get("entry-points") if isinstance(project, dict) else None
    for group in extra.values() if isinstance(extra, dict) else ():
        if isinstance(group, dict):
            modules.update(str(v).split(":")[0].strip() for v in group.values())
    parser = _setup_cfg(read)
    if parser is not None and parser.has_section("options.entry_points"):
        for group_name, value in parser.items("options.entry_points"):
            if group_name not in _SCRIPT_GROUPS:
                modules.update(_TARGET.findall(value))
    modules.update(_SETUP_ENTRY.findall(_text(read, "setup.py")))
    return {m for m in modules if m}


def tree_entry_point_modules(paths: Iterable[str], read: Reader) -> set[str]:
    """``entry_point_modules`` of every project in the tree, the top one and sub-projects alike.

    A sub-project installed editable (``plugin/pyproject.toml`` with a ``pytest11`` entry point)
    hands every test its fixtures as much as the top one does.
    """
    folders = {p.rpartition("/")[0] for p in paths if p.rpartition("/")[2] in _PACKAGING}
    modules: set[str] = set()
    for folder in sorted(folders):
        modules.update(entry_point_modules(_under(read, f"{folder}/" if folder else "")))
    return modules


def _under(read: Reader, prefix: str) -> Reader:
    """``read`` of the files of one folder of the tree, by their names in it."""

    def read_under(name: str) -> bytes | None:
        return read(prefix + name)

    return read_under
