"""What one Python file imports, and whether it reaches code in ways an import graph cannot follow.

Read with regular expressions, not ``ast``: it runs on every changed file of every commit and must
also read files that do not parse. It errs towards more: an import inside a string, a docstring's
``>>> import x`` or a dotted name in a string (``mock.patch("pkg.mod.f")``) counts as an import.
"""

from __future__ import annotations

import re

from hookwright.frozen import dataclass
from hookwright.lazy_regex import compile_lazily

_IMPORT = re.compile(
    rb"^[ \t]*(?:(?:>>>|\.\.\.)[ \t]+)?"
    rb"(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^#\n]*)|import[ \t]+([^#\n]+))",
    re.M,
)
# A dotted name in quotes: a mock.patch target, a plugin list, an entry point, import_module("x.y").
_DOTTED_STRING = re.compile(rb"""["']([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?::\w+)?["']""")
# Code loaded by a name or a path the import statements do not show.
_DYNAMIC = re.compile(
    rb"\bimport_module\b|\b__import__\b|\bentry_points\b|\bpkgutil\b|\brunpy\b|\bspec_from_"
    rb"|\bSourceFileLoader\b|\bload_source\b|\bload_module\b|\bexec(?:file)?\s*\(|\bzipimport\b"
    # sys.modules["__main__"]: the running script, which loads nothing by being looked up.
    rb"|\b__path__\b|\bsys\.modules\s*\[(?!\s*[\"']__main__[\"']\s*\])|\bsys\.meta_path\b|\bimportlib\.util\b"
    # The builtin compile() (eval(compile(source, path, "exec")) runs a file), a doctest of a text file.
    rb"|(?<![\w.])compile\s*\(|\btestfile\s*\(|\bDocFileSuite\b|\bDocTestParser\b"
)
# pytest.importorskip("name"): an import by a name no import statement shows, dotted or not.
_IMPORTORSKIP = re.compile(rb"""\bimportorskip\(\s*["']([A-Za-z_][\w.]*)["']""")
# A process started: it may run any of the project's modules (python -m pkg, a console script).
_SPAWNS = re.compile(
    rb"\bsubprocess\b|\bPopen\b|\bos\.(?:system|popen|spawn\w*|exec\w*)\b|\bpexpect\b"
    rb"|\bsys\.executable\b|\bcheck_output\b"
)
# ... and that process is Python: the source starts the project's own code.
_RUNS_PYTHON = compile_lazily(rb"""\bsys\.executable\b|["']-m["']|["']python[\d.]*["']""")
# Files read as data by a path found at run time: a walk of folders, or a file found from ``__file__``
# and read. A test that reads the project's sources so (no TODO, a licence header in every module)
# depends on every change, though it imports none of them.
_READS_TREE = re.compile(rb"\bwalk\s*\(|\b[ri]?glob\s*\(|\blistdir\b|\.iterdir\s*\(|\bscandir\b")
_READS_NEAR_ITSELF = re.compile(rb"\b__file__\b")
_READS = compile_lazily(rb"\bopen\s*\(|\.read_(?:text|bytes)\s*\(")
# A Python file's path or name in quotes ("examples/demo.py", "demo.py"): code may open it by that
# path (relative to the folder pytest runs in) and read its bytes, which no import shows.
_PYTHON_PATH = re.compile(rb"""["']((?:[\w.-]+/)*[\w.-]+\.py)["']""")
# A symbolic link's blob is its target's path, one line with no newline: it runs whatever the target
# does (a test file linked to an example), which no import in these bytes shows.
_LINK = re.compile(rb"[^\s'\"#()\\]*[/.][^\s'\"#()\\]*")
_PYTEST_PLUGINS = re.compile(rb"^\s*pytest_plugins\b", re.M)
_QUOTED_NAME = compile_lazily(rb"""["']([A-Za-z_][\w.]*)["']""")


@dataclass(frozen=True)
class Scanned:
    names: tuple[str, ...]  # dotted module names it may import (relative ones made absolute)
    dynamic: bool  # loads code by a name or path the graph cannot read
    spawns: bool  # starts processes
    runs_python: bool  # ... that are Python
    reads_tree: bool = False  # reads files by a path found at run time (a walk, a path from __file__)
    python_paths: tuple[str, ...] = ()  # Python files it spells by path or name: it may read their bytes


def _package_of(path: str) -> list[str]:
    parts = path[:-3].split("/") if path.endswith(".py") else path.split("/")
    return parts[:-1]


def scan(path: str, data: bytes) -> Scanned:
    package = _package_of(path)
    found: list[str] = []
    for match in _IMPORT.finditer(data):
        source, names, plain = match.group(1), match.group(2), match.group(3)
        if plain is not None:
            for item in plain.decode("utf-8", "replace").split(","):
                name = item.strip().split(" as ")[0].strip().rstrip(";").strip()
                if name:
                    found.append(name)
            continue
        base = source.decode("utf-8", "replace")
        dots = len(base) - len(base.lstrip("."))
        if dots:
            anchor = package[: len(package) - (dots - 1)] if dots - 1 <= len(package) else []
            base = ".".join([*anchor, base[dots:]] if base[dots:] else anchor)
        if not base:
            continue
        found.append(base)
        # `from pkg import mod` may import the submodule pkg.mod.
        for item in names.decode("utf-8", "replace").strip("()").replace("\n", " ").split(","):
            name = item.strip().split(" as ")[0].strip().strip("()\\ ")
            if name and name != "*":
                found.append(f"{base}.{name}")
    found.extend(m.decode("utf-8", "replace") for m in _DOTTED_STRING.findall(data))
    found.extend(m.decode("utf-8", "replace") for m in _IMPORTORSKIP.findall(data))
    if (
        _DYNAMIC.search(data)
        or _SPAWNS.search(data)
        or _READS_TREE.search(data)
        or _READS_NEAR_ITSELF.search(data)
    ):
        data = without_prose(data)
    dynamic = bool(_DYNAMIC.search(data)) or bool(_LINK.fullmatch(data))
    if _PYTEST_PLUGINS.search(data):
        # pytest_plugins = ["fixtures", "pkg.helpers"]: modules loaded into the session by name.
        plugins = [m.decode("utf-8", "replace") for m in _QUOTED_NAME.findall(data)]
        found.extend(plugins)
        dynamic = dynamic or not plugins
    spawns = bool(_SPAWNS.search(data))
    reads_tree = bool(_READS_TREE.search(data)) or bool(
        _READS_NEAR_ITSELF.search(data) and _READS.search(data)
    )
    runs_python = spawns and bool(_RUNS_PYTHON.search(data))
    paths = tuple(dict.fromkeys(m.decode("utf-8", "replace") for m in _PYTHON_PATH.findall(data)))
    return Scanned(tuple(dict.fromkeys(found)), dynamic, spawns, runs_python, reads_tree, paths)


def without_prose(data: bytes) -> bytes:
    """The source with its comments and string statements (docstrings) blanked: words there run nothing.

    Other strings stay (a command line may be built in one); unreadable source stays as it is.
    """
    import io
    import tokenize

    try:
        tokens = list(tokenize.tokenize(io.BytesIO(data).readline))
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError):
        return data
    lines = data.decode(tokens[0].string if tokens[0].type == tokenize.ENCODING else "utf-8").splitlines(True)
    starts = True  # the next token starts a statement
    for at, token in enumerate(tokens):
        blank = token.type == tokenize.COMMENT
        if token.type == tokenize.STRING and starts:
            after = next((t for t in tokens[at + 1 :] if t.type not in (tokenize.NL, tokenize.COMMENT)), None)
            blank = after is None or after.type in (tokenize.NEWLINE, tokenize.ENDMARKER)
        if blank:
            (row, col), (end_row, end_col) = token.start, token.end
            for number in range(row, end_row + 1):
                line = lines[number - 1]
                left = col if number == row else 0
                right = end_col if number == end_row else len(line.rstrip("\r\n"))
                lines[number - 1] = line[:left] + " " * (right - left) + line[right:]
        if token.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING):
            starts = True
        elif token.type not in (tokenize.NL, tokenize.COMMENT):
            starts = False
    return "".join(lines).encode("utf-8", "replace")
