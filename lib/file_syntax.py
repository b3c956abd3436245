"""Does a file parse: Python, JSON, YAML and TOML, each with the line and column of what is wrong.

Line numbers count ``\\n`` as git and editors do: YAML 1.1 also breaks lines at NEL, U+2028 and
U+2029, so its own line numbers are turned back into offsets first.
"""

from __future__ import annotations

import json
import re
import warnings

from hookwright import filetypes
from hookwright.lazy_regex import compile_lazily
from hookwright.reporting import Finding

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any


def file_type(path: str) -> str | None:
    """The parser a file needs, known by its name as identify knows it (``Pipfile``, ``x.ipynb``)."""
    return filetypes.language(filetypes.from_name(path))


def _decode(path: str, data: bytes) -> str | Finding:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Finding(
            path,
            None,
            None,
            "not-utf8",
            f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
        )


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    offset = max(0, min(offset, len(text.rstrip("\n"))))  # a parser at the end names the last line
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def python_syntax(path: str, data: bytes) -> list[Finding]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarnings (invalid escapes) are lint's business
        try:
            compile(data, path, "exec", dont_inherit=True)
        except SyntaxError as exc:
            kind = type(exc).__name__
            return [Finding(path, exc.lineno, exc.offset, kind, exc.msg)]
        except ValueError as exc:  # source code string cannot contain null bytes
            return [Finding(path, None, None, "SyntaxError", str(exc))]
        except (RecursionError, MemoryError):
            return [Finding(path, None, None, "SyntaxError", "nested too deeply for the compiler")]
    return _undecodable(path, data)


def _undecodable(path: str, data: bytes) -> list[Finding]:
    """Bytes not in the file's encoding: compile() lets them pass in a comment, import refuses the file."""
    try:
        data.decode("utf-8")
        return []
    except UnicodeDecodeError:
        pass
    import io
    import tokenize

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:  # no coding cookie, and the first two lines are not UTF-8 either
        encoding = "utf-8"
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"not {encoding} (byte 0x{data[exc.start]:02x}); Python refuses to run or import the file"
        return [Finding(path, line, None, "SyntaxError", message)]
    return []


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


# Strings whole, and the punctuation between them: enough to walk valid JSON's objects and keys.
_JSON_TOKEN = compile_lazily(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]')


def _second_key_offset(text: str) -> int:
    """Where the first repeated key of an object starts (the text is otherwise valid JSON)."""
    stack: list[set[str] | None] = []  # per open container: the keys of an object, None for an array
    expect_key = False
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "{[":
            stack.append(set() if token == "{" else None)
            expect_key = token == "{"
        elif token in "}]":
            stack.pop()
            expect_key = False
        elif token == ",":
            expect_key = bool(stack) and stack[-1] is not None
        elif token == ":":
            expect_key = False
        elif expect_key:
            keys = stack[-1]
            assert keys is not None
            key = json.loads(token)
            if key in keys:
                return match.start()
            keys.add(key)
            expect_key = False
    return 0


def json_syntax(path: str, data: bytes) -> list[Finding]:
    text = _decode(path, data)
    if isinstance(text, Finding):
        return [text]
    try:
        json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        return [Finding(path, exc.lineno, exc.colno, "json", exc.msg)]
    except _DuplicateKey as exc:
        line, column = _line_and_column(text, _second_key_offset(text))
        return [Finding(path, line, column, "json", f"duplicate key {exc.args[0]!r}")]
    except RecursionError:
        return [Finding(path, None, None, "json", "nested too deeply")]
    return []


def _yaml_duplicates(text: str, node: Any, path: str) -> list[Finding]:
    import yaml

    found = []
    stack = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if key.value in keys:
                        line, column = _line_and_column(text, key.start_mark.index)
                        found.append(Finding(path, line, column, "yaml", f"duplicate key {key.value!r}"))
                    keys.add(key.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return found


# The parser's problem mark is where it gave up; for these the mistake is where its context began:
# a key that never got its ':' (found lines later), a quote or bracket still open at the end.
_CONTEXT_IS_THE_MISTAKE = ("while scanning a simple key", "while scanning a quoted scalar")


def _yaml_error(text: str, path: str, exc: Any) -> Finding:
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    gave_up = context.startswith(_CONTEXT_IS_THE_MISTAKE) or "end of stream" in problem
    if gave_up and exc.context_mark is not None:
        mark = exc.context_mark
    message = problem or context or "invalid YAML"
    if problem and context:
        where = ""
        if exc.context_mark is not None and mark is not exc.context_mark:
            where = f" on line {_line_and_column(text, exc.context_mark.index)[0]}"
        message = f"{problem} ({context}{where})"
    if mark is None:
        return Finding(path, None, None, "yaml", message)
    line, column = _line_and_column(text, mark.index)
    return Finding(path, line, column, "yaml", message)


def yaml_syntax(path: str, data: bytes) -> list[Finding]:
    import yaml

    text = _decode(path, data)
    if isinstance(text, Finding):
        return [text]
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    findings: list[Finding] = []
    try:
        # Composing checks the syntax of every document without building objects: custom tags
        # (CloudFormation's !Ref) are fine and aliases are never expanded.
        for node in yaml.compose_all(text, Loader=loader_class):
            if node is not None:
                findings.extend(_yaml_duplicates(text, node, path))
    except yaml.MarkedYAMLError as exc:
        findings.append(_yaml_error(text, path, exc))
    except yaml.YAMLError as exc:
        findings.append(Finding(path, None, None, "yaml", str(exc)))
    except RecursionError:
        findings.append(Finding(path, None, None, "yaml", "nested too deeply"))
    return findings


def toml_syntax(path: str, data: bytes) -> list[Finding]:
    from hookwright import tomlfile

    text = _decode(path, data)
    if isinstance(text, Finding):
        return [text]
    try:
        tomlfile.loads(text)
    except tomlfile.TOMLDecodeError as exc:
        message = str(exc)
        where = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if where:
            message = message[: where.start()].strip()
            return [Finding(path, int(where.group(1)), int(where.group(2)), "toml", message)]
        return [Finding(path, None, None, "toml", message)]
    return []


SYNTAX_VALIDATORS = {
    "python": python_syntax,
    "json": json_syntax,
    "yaml": yaml_syntax,
    "toml": toml_syntax,
}


def syntax_findings(path: str, data: bytes) -> list[Finding]:
    kind = file_type(path)
    return SYNTAX_VALIDATORS[kind](path, data) if kind else []


_START, _BASE, _MIDDLE, _END = b"<<<<<<<", b"|||||||", b"=======", b">>>>>>>"


def _marker(line: bytes, marker: bytes) -> bool:
    return line == marker or line.startswith(marker + b" ")


def conflict_markers(path: str, data: bytes) -> list[Finding]:
    """Leftover merge-conflict blocks: ``<<<<<<<`` (``|||||||``) ``=======`` ``>>>>>>>``.

    A lone ``=======`` is a reStructuredText heading: the start and end markers are reported
    wherever they are, the middle ones only inside a block that a start marker opened.
    """
    if _START not in data and _END not in data:
        return []
    findings = []
    in_block = False
    for number, raw in enumerate(data.split(b"\n"), start=1):
        line = raw.rstrip(b"\r")
        if _marker(line, _START):
            in_block = True
        elif _marker(line, _END):
            in_block = False
        elif not (in_block and (_marker(line, _BASE) or _marker(line, _MIDDLE))):
            continue
        marker = line[:7].decode()
        findings.append(Finding(path, number, 1, "conflict-marker", f"merge conflict marker {marker}"))
    return findings
