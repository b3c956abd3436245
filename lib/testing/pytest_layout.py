"""How pytest would collect a tree: its config file, testpaths, python_files and norecursedirs.

Read from the committed tree (the paths of its entries and the bytes of its config files), the way
pytest reads them when run with no arguments at the tree's root, never from a bounded scan of a
directory. Used to know which files are test files; the run itself still lets pytest collect as it
always does (see ``pytest_run``): a file this model misses is collected anyway.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from hookwright.frozen import dataclass

# pytest's own defaults (``_pytest/python.py`` and ``main.py``).
DEFAULT_PYTHON_FILES = ("test_*.py", "*_test.py")
DEFAULT_NORECURSE = ("*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}")
DEFAULT_DOCTEST_GLOBS = ("test*.txt",)
# The files pytest looks for at the root, in its order (``_pytest/config/findpaths.py``).
# pytest 9 reads pytest.toml first: unknown here, a tree whose suite it configured was "no tests found"
# (or run under `-c /dev/null`, without its options).
CONFIG_FILES = (
    "pytest.toml",
    ".pytest.toml",
    "pytest.ini",
    ".pytest.ini",
    "pyproject.toml",
    "tox.ini",
    "setup.cfg",
)


@dataclass(frozen=True)
class PytestLayout:
    inifile: str | None  # the config file pytest reads at the root; None: none there
    testpaths: tuple[str, ...] = ()
    python_files: tuple[str, ...] = DEFAULT_PYTHON_FILES
    norecursedirs: tuple[str, ...] = DEFAULT_NORECURSE
    addopts: tuple[str, ...] = ()
    doctest_globs: tuple[str, ...] = DEFAULT_DOCTEST_GLOBS
    doctest_modules: bool = False
    plugins: tuple[str, ...] = ()  # `-p NAME` in addopts: modules loaded into every session
    # Modules the config's other settings name, which a plugin may load by that name (``named_in``).
    named: tuple[str, ...] = ()
    # The config file pytest reads could not be parsed here: pytest itself then stops with a usage
    # error (a TOML or ini syntax error, a key given twice), or reads options this model does not know.
    unread: str | None = None

    @functools.cached_property
    def _skipped_dir(self) -> re.Pattern[str]:
        # One regex for every norecursedirs glob: this runs on every path of the tree per commit.
        return re.compile("|".join(fnmatch.translate(p) for p in self.norecursedirs) or r"(?!)")

    @functools.cached_property
    def _test_name(self) -> re.Pattern[str]:
        names = [fnmatch.translate(p) for p in self.python_files if "/" not in p]
        return re.compile("|".join(names) or r"(?!)")

    def _collected_dir(self, path: str) -> bool:
        skipped = self._skipped_dir.match
        if any(skipped(part) for part in path.split("/")[:-1]):
            return False
        if not self.testpaths:
            return True
        return any(_under(path, root) for root in self.testpaths)

    def is_test_file(self, path: str) -> bool:
        """A Python file pytest collects as tests (doctest modules aside)."""
        if not path.endswith(".py"):
            return False
        if self._test_name.match(path.rsplit("/", 1)[-1]) is None and not (
            any("/" in glob for glob in self.python_files) and matches_python_files(path, self.python_files)
        ):
            return False
        return self._collected_dir(path)

    def is_doctest_file(self, path: str) -> bool:
        name = path.rsplit("/", 1)[-1]
        return any(fnmatch.fnmatch(name, glob) for glob in self.doctest_globs) and self._collected_dir(path)

    def test_files(self, paths: Iterable[str]) -> list[str]:
        return sorted(p for p in paths if self.is_test_file(p))


def matches_python_files(path: str, patterns: Sequence[str]) -> bool:
    """``path`` matches one of pytest's ``python_files`` globs: by name, or by path when it has a /."""
    name = path.rsplit("/", 1)[-1]
    for glob in patterns:
        if "/" not in glob:
            if fnmatch.fnmatch(name, glob):
                return True
        elif fnmatch.fnmatch(path, glob) or fnmatch.fnmatch(path, f"*/{glob}"):
            return True
    return False


def _under(path: str, root: str) -> bool:
    root = root.strip("/").removeprefix("./")
    if root in ("", "."):
        return True
    if any(ch in root for ch in "*?["):  # testpaths may be globs (pytest 7+)
        parts = path.split("/")
        return any(fnmatch.fnmatch("/".join(parts[:depth]), root) for depth in range(1, len(parts) + 1))
    return path == root or path.startswith(root + "/")


def _words(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    import shlex  # here: only a configuration with addopts as text needs it

    text = str(value or "")
    try:
        return tuple(shlex.split(text))
    except ValueError:
        return tuple(text.split())


# What a config file that does not parse gives: not None, which says "no pytest section here".
_UNPARSED: Mapping[str, str] = {}


def _ini_section(text: str, section: str) -> Mapping[str, str] | None:
    import configparser  # here: only a setup.cfg or tox.ini needs it

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return _UNPARSED
    return dict(parser.items(section)) if parser.has_section(section) else None


def _pytest_toml(text: str) -> Mapping[str, object]:
    from hookwright.toml_memory import document

    parsed = document(text)
    if parsed is None:
        return _UNPARSED
    table = parsed.get("pytest")
    return table if isinstance(table, dict) else {}


def _toml_section(text: str) -> Mapping[str, object] | None:
    from hookwright.toml_memory import document

    parsed = document(text)
    if parsed is None:
        return _UNPARSED
    tool = parsed.get("tool", {})
    tool = tool.get("pytest") if isinstance(tool, dict) else None
    if not isinstance(tool, dict):
        return None
    if isinstance(tool.get("ini_options"), dict):
        return tool["ini_options"]  # type: ignore[no-any-return]
    # pytest 9's native table: [tool.pytest] itself holds the options.
    options = {k: v for k, v in tool.items() if k != "ini_options"}
    return options or None


def find_config(read: Callable[[str], bytes | None]) -> tuple[str, Mapping[str, object] | None] | None:
    """The root config file pytest would use and its options; ``read(name)`` gives a file's bytes.

    The options are None when the file could not be parsed: pytest reads it and stops there (its
    usage error), so the search must not go on to the next candidate or to ``-c /dev/null``, where
    the suite would run without it and pass where the user's own run fails.
    """
    for name in CONFIG_FILES:
        raw = read(name)
        if raw is None:
            continue
        text = raw.decode("utf-8", "replace")
        section: Mapping[str, object] | None
        if name in ("pytest.toml", ".pytest.toml"):
            section = _pytest_toml(text)
        elif name == "pyproject.toml":
            section = _toml_section(text)
        else:
            ini_name = "tool:pytest" if name == "setup.cfg" else "pytest"
            section = _ini_section(text, ini_name)
        if section is _UNPARSED:
            return name, None
        if name.endswith(("pytest.ini", "pytest.toml")):
            return name, section or {}  # these count even when empty or without a pytest section
        if section is not None:
            return name, section
    return None


def layout(read: Callable[[str], bytes | None], extra_args: Sequence[str] = ()) -> PytestLayout:
    """The collection rules of the tree whose root files ``read`` returns (None: absent)."""
    found = find_config(read)
    options: Mapping[str, object] = (found[1] or {}) if found else {}
    # pytest adds $PYTEST_ADDOPTS after the ini's addopts and loads $PYTEST_PLUGINS like -p: a
    # --doctest-modules or a path there collects what no test file shows.
    env_plugins = [
        f"-p{name.strip()}" for name in os.environ.get("PYTEST_PLUGINS", "").split(",") if name.strip()
    ]
    env_addopts = (*_words(os.environ.get("PYTEST_ADDOPTS", "")), *env_plugins)
    addopts = (*_words(options.get("addopts")), *env_addopts, *extra_args)
    globs = tuple(_option_values(addopts, "--doctest-glob")) or DEFAULT_DOCTEST_GLOBS
    return PytestLayout(
        inifile=found[0] if found else None,
        testpaths=_words(options.get("testpaths")),
        python_files=_words(options.get("python_files")) or DEFAULT_PYTHON_FILES,
        norecursedirs=_words(options.get("norecursedirs")) or DEFAULT_NORECURSE,
        addopts=addopts,
        doctest_globs=globs,
        doctest_modules="--doctest-modules" in addopts,
        plugins=tuple(p for p in _option_values(addopts, "-p") if not p.startswith("no:")),
        named=named_in(options),
        unread=found[0] if found and found[1] is None else None,
    )


_DOTTED = re.compile(r"(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
_NAMES_MODULE = re.compile(r"module|plugin|settings", re.I)  # DJANGO_SETTINGS_MODULE = settings


def named_in(options: Mapping[str, object]) -> tuple[str, ...]:
    """The modules the config's settings may name, each also less its last part (a class).

    pytest-django imports ``DJANGO_SETTINGS_MODULE = proj.settings`` by that name, pytest itself the
    warning class of ``filterwarnings = error::pkg.errors.Late``: no import shows either. A change
    to ``proj/settings.py`` that another module imports ran that module's tests only, and the test
    that read the settings through the plugin passed unrun (t32). A bare word counts only under a
    key that says it names a module.
    """
    found: dict[str, None] = {}
    for key, value in options.items():
        for text in value if isinstance(value, list) else [value]:
            if not isinstance(text, str):
                continue
            names = _DOTTED.findall(text)
            if _NAMES_MODULE.search(key):
                names += re.findall(r"[A-Za-z_]\w*", text)
            for name in names:
                found.update(dict.fromkeys((name, name.rpartition(".")[0]) if "." in name else (name,)))
    return tuple(found)


def _option_values(args: Sequence[str], option: str) -> list[str]:
    """Every value of ``option`` in ``args``: ``-p x``, ``-px``, ``--opt=x`` and ``--opt x``."""
    values = []
    for index, arg in enumerate(args):
        if arg == option and index + 1 < len(args):
            values.append(args[index + 1])
        elif arg.startswith(option + "=") or (len(option) == 2 and arg.startswith(option) and arg != option):
            values.append(arg[len(option) :].removeprefix("="))
    return values


def layout_at(root: Path, extra_args: Sequence[str] = ()) -> PytestLayout:
    """``layout`` of the tree whose files are at ``root`` (a private copy of the committed tree)."""

    def read(name: str) -> bytes | None:
        try:
            return (root / name).read_bytes()
        except OSError:
            return None

    return layout(read, extra_args)
