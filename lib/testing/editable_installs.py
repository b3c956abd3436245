"""What the project's interpreter imports from the user's work tree: its editable installs.

``pip install -e`` either names a folder of the work tree in a ``.pth`` file (a src layout, a
sub-project's ``plugin/src``) or installs setuptools' import hook with a table of package -> folder
(``__editable___*_finder.py``: ``mypkg = lib``, ``hookwright.hooks = hooks``, a namespace's
``myns.sub = lib/sub``), or hatchling's ``dev-mode-exact`` redirector (``_editable_impl_*.py``:
``map_module('mypkg', .../python/mypkg/__init__.py)``), or a loader of its own (meson-python:
``meson_editables``; scikit-build-core's redirect mode), or setuptools' strict mode's tree of links.
Either way a test run in the private copy imported the work tree's unstaged bytes: the ``.pth``
folder comes after PYTHONPATH but the copy's own top is no such folder, and the hook answers for a
name no folder of the copy spells.
``package_aliases`` points each of them at the copy instead. Any work tree of the repository
counts: an interpreter installed from one (``/work/wt/a``) and run from another imports the first
one's files.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from hookwright.frozen import dataclass
from hookwright.lazy_regex import compile_lazily
from hookwright.testing.suite import find_program

_FINDER = re.compile(r"\bimport\s+(__editable___\w+_finder)\b")
_REDIRECTOR = re.compile(r"\bimport\s+(_editable_impl_\w+)\b")  # hatchling's dev-mode-exact
_REDIRECTED = compile_lazily(r"\.map_module\(\s*('[^']*'|\"[^\"]*\")\s*,\s*('[^']*'|\"[^\"]*\")\s*\)")
_IMPORTED = (".py", ".pyi", ".so", ".pyd", ".pth", ".json", ".toml", ".cfg", ".txt")
_MAX_STAMPED = 20_000
_SCIKIT_BUILD = re.compile(r"\bimport\s+(_editable_skbc_\w+|_\w+_editable)\b")  # redirect mode
_MESON_LOADER = re.compile(r"\bimport\s+(_\w+_editable_loader)\b")
_MAPPING = compile_lazily(r"^MAPPING\s*(?::[^=]*)?=\s*(\{.*?\})\s*$", re.M | re.S)


def site_dirs(python: str) -> list[Path]:
    """The interpreter's site-packages folders, found from its path without starting it."""
    from hookwright.testing.interpreter_inputs import base_prefix, venv_settings

    exe = Path(python if os.sep in python else (find_program(python) or python))
    prefix = exe.parent.parent  # a venv's bin/python links out of the venv: not resolved
    found: list[Path] = []
    versions = []
    settings = venv_settings(prefix)
    # A venv made with --system-site-packages reads its base interpreter's packages after its own.
    system = base_prefix(prefix, settings) if settings is not None else None
    prefixes = [prefix] if system is None else [prefix, system]
    # Debian's /usr/bin/python3 also reads /usr/local's dist-packages (`sudo pip install`).
    prefixes += [Path("/usr/local")] if Path("/usr") in prefixes else []
    for lib in sorted(lib for p in prefixes for lib in p.glob("lib*/python3*")):
        versions.append(lib.name)
        found.extend(lib / name for name in ("site-packages", "dist-packages") if (lib / name).is_dir())
    if settings is None or system is not None:  # a venv reads the user's only with the system's
        base = os.environ.get("PYTHONUSERBASE")
        user = (Path(base) if base else Path.home() / ".local") / "lib"
        found.extend(user / v / "site-packages" for v in versions if (user / v / "site-packages").is_dir())
    return found


def holds_module(folder: Path, name: str) -> bool:
    """``folder`` (a site-packages, a .pth's folder) holds the top-level package or module ``name``."""
    return (folder / name).is_dir() or any(folder.glob(f"{name}.py")) or any(folder.glob(f"{name}.*.so"))


def work_trees(root: Path, common_dir: Path) -> list[str]:
    """Every work tree of the repository, as real paths: ``root`` first, the main one, linked ones."""
    found = [os.path.realpath(root)]
    if common_dir.name == ".git":
        found.append(os.path.realpath(common_dir.parent))
    for gitdir in sorted(common_dir.glob("worktrees/*/gitdir")):
        try:
            dot_git = gitdir.read_text(encoding="utf-8").strip()
        except OSError:
            continue
        found.append(os.path.realpath(os.path.dirname(dot_git)))
    return list(dict.fromkeys(found))


def inside(path: str, roots: list[str]) -> str | None:
    """``path`` relative to the work tree holding it ("" for its top); None when none does."""
    real = os.path.realpath(path)
    for root in roots:
        if real == root:
            return ""
        if real.startswith(root + os.sep):
            return real[len(root) + 1 :].replace(os.sep, "/")
    return None


def _finder_mapping(finder: Path) -> dict[str, str]:
    """package -> folder, from a setuptools editable finder's ``MAPPING``."""
    try:
        found = _MAPPING.search(finder.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}
    if found is None:
        return {}
    import ast

    try:
        mapping = ast.literal_eval(found.group(1))
    except (ValueError, SyntaxError):
        return {}
    if not isinstance(mapping, dict):
        return {}
    return {n: f for n, f in mapping.items() if isinstance(n, str) and isinstance(f, str)}


def _redirect_mapping(module: Path) -> dict[str, str]:
    """package -> folder (a module -> its ``.py``), from ``editables``' redirector calls
    (``F.map_module('mypkg', '/work/tree/python/mypkg/__init__.py')``)."""
    import ast

    try:
        text = module.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    mapping = {}
    for quoted_name, quoted_path in _REDIRECTED.findall(text):
        name, path = ast.literal_eval(quoted_name), ast.literal_eval(quoted_path)
        mapping[name] = os.path.dirname(path) if os.path.basename(path) == "__init__.py" else path
    return mapping


def _scikit_build_mapping(module: Path) -> dict[str, str]:
    """top-level package -> folder (a module -> its file), from scikit-build-core's redirecting
    finder: ``install({'mypkg': '.../python/mypkg/__init__.py', ...}, ...)``, first on
    ``sys.meta_path`` (the copy's PYTHONPATH never shadowed it)."""
    import ast

    try:
        tree = ast.parse(module.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return {}
    for node in tree.body:
        call = node.value if isinstance(node, ast.Expr) else None
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "install":
            try:
                files = ast.literal_eval(call.args[0]) if call.args else None
            except ValueError:
                return {}
            if not isinstance(files, dict):
                return {}
            return {
                name: os.path.dirname(path) if os.path.basename(path) == "__init__.py" else path
                for name, path in files.items()
                if isinstance(name, str) and "." not in name and isinstance(path, str)
            }
    return {}


def _strict_link_tree(folder: str) -> dict[str, str]:
    """package -> folder (a module -> its file), from setuptools' strict editable mode: a ``.pth``
    names ``build/__editable__.NAME-VERSION-*``, a tree of links to the sources (``mypkg/__init__.py
    -> lib/__init__.py``). The copy has no such folder (``build/`` is ignored): read as a path folder,
    every package it holds went missing and a passing suite failed."""
    if not os.path.basename(folder.rstrip(os.sep)).startswith("__editable__."):
        return {}
    mapping = {}
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return {}
    for entry in entries:
        if entry.is_symlink() and entry.name.endswith(".py"):
            mapping[entry.name[:-3]] = os.path.realpath(entry.path)
        elif entry.is_dir(follow_symlinks=False) and entry.name.isidentifier():
            init = os.path.join(entry.path, "__init__.py")
            if os.path.islink(init):  # the package's folder is where its __init__.py lives
                mapping[entry.name] = os.path.dirname(os.path.realpath(init))
    return mapping


@dataclass(frozen=True)
class Installs:
    """What an interpreter takes from the work trees, each path relative to the tree holding it."""

    folders: list[str]  # put on the path by a .pth
    packages: dict[str, str]  # package -> its folder (a module -> its .py), answered by an import hook
    skipped_builds: list[str]  # meson-python build folders whose loader must stand aside
    outside: list[str]  # real paths of what an install takes from outside the work trees


def into_work_tree(python: str, roots: list[str]) -> Installs:
    """What ``python`` takes from the work trees ``roots`` (real paths)."""
    from hookwright.testing import meson_editables

    installs = Installs([], {}, [], [])

    def add(mapping: dict[str, str]) -> None:
        for name, folder in mapping.items():
            held = inside(folder, roots)
            if held is None:
                installs.outside.append(os.path.realpath(folder))
            else:
                installs.packages[name] = held

    for site in site_dirs(python):
        for pth in sorted(site.glob("*.pth")):
            try:
                text = pth.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            for line in (raw.strip() for raw in text.splitlines()):
                if line.startswith(("import ", "import\t")):
                    for module in _FINDER.findall(line):
                        add(_finder_mapping(site / f"{module}.py"))
                    for module in _REDIRECTOR.findall(line):
                        add(_redirect_mapping(site / f"{module}.py"))
                    for module in _SCIKIT_BUILD.findall(line):
                        add(_scikit_build_mapping(site / f"{module}.py"))
                    for module in _MESON_LOADER.findall(line):
                        mapped, build = meson_editables.packages(site / f"{module}.py", roots)
                        installs.packages.update(mapped)
                        installs.skipped_builds.extend([build] if build else [])
                elif line and not line.startswith("#"):
                    held = inside(os.path.join(site, line), roots)
                    linked = _strict_link_tree(os.path.join(site, line)) if held is not None else {}
                    if linked:
                        add(linked)
                    elif held is None:
                        installs.outside.append(os.path.realpath(os.path.join(site, line)))
                    elif held not in installs.folders:
                        installs.folders.append(held)
    return installs


def outside_stamp(python: str, roots: list[str]) -> list[str]:
    """What the editable installs of ``python`` take from outside the work trees, as it is now: part
    of the tests check's key. A sibling project installed with ``pip install -e ../lib`` changes
    with no install, and the pass with its old code was replayed from the cache.

    Another environment's packages a ``.pth`` names (``site-packages``) are stamped by their folder,
    as the interpreter's own are; a source folder by its Python files' sizes and times.
    """
    return [
        f"{folder}: {source_stamp(folder)}" for folder in sorted(set(into_work_tree(python, roots).outside))
    ]


def source_stamp(folder: str, suffixes: tuple[str, ...] = _IMPORTED) -> str:
    """A folder's (or file's) code as it is now: its files' sizes and times, by suffix."""
    from hookwright.hashing import sha256

    if not os.path.exists(folder):  # setuptools maps a module without its suffix: ``.../dep``
        found = [folder + suffix for suffix in _IMPORTED if os.path.isfile(folder + suffix)]
        return " ".join(source_stamp(f, suffixes) for f in found) or "missing"
    try:
        if os.path.isfile(folder) or {"site-packages", "dist-packages"} & set(Path(folder).parts):
            st = os.stat(folder)
            return f"{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}"
        listed = []
        for top, dirs, names in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d not in ("__pycache__", "node_modules")]
            for name in names:
                if name.endswith(suffixes):
                    st = os.stat(os.path.join(top, name))
                    listed.append(f"{os.path.join(top, name)} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}")
            if len(listed) > _MAX_STAMPED:
                return "unstamped " + os.urandom(16).hex()  # too big to stamp each run: never replayed
        return sha256("\n".join(sorted(listed)).encode("utf-8", "surrogateescape")).hexdigest()
    except OSError as error:
        return f"unreadable {error.errno}"
