"""Parse errors on the right line: JSON duplicate keys, YAML's marks in git's lines, conflict blocks."""

from __future__ import annotations

import pytest
import ruamel.yaml
from ruamel.yaml.error import MarkedYAMLError

from hookwright import file_syntax


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        pytest.param('{"a": 1, "a": 2}', 1, 10, id="flat"),
        pytest.param('{\n "a": {"x": 1},\n "b": [{"y": 1, "z": 2}],\n "a": 3\n}', 4, 2, id="after-nesting"),
        pytest.param('[{"k": 1}, {"k": 1,\n  "k": 2}]', 2, 3, id="objects-in-an-array"),
        pytest.param('{"a\\"b": 1, "a\\"b": 2}', 1, 13, id="escaped-quote"),
        pytest.param('{"\\u0061": 1, "a": 2}', 1, 15, id="same-key-once-decoded"),
        pytest.param(
            '{"s": "{\\"a\\": 1, \\"a\\": 2}", "a": 1, "a": 2}', 1, 39, id="key-like-text-in-a-string"
        ),
    ],
)
def test_a_duplicate_json_key_is_reported_at_the_second_key(text: str, line: int, column: int) -> None:
    (finding,) = file_syntax.json_syntax("f.json", text.encode())
    assert (finding.line, finding.column) == (line, column)
    assert finding.message.startswith("duplicate key")


def test_json_that_repeats_keys_only_in_separate_objects_is_fine() -> None:
    assert file_syntax.json_syntax("f.json", b'{"a": {"k": 1}, "b": {"k": 2}, "c": [{"k": 3}]}') == []


def _ruamel_marks(text: str) -> tuple[int | None, int]:
    try:
        ruamel.yaml.YAML(typ="safe").load(text)
    except MarkedYAMLError as exc:
        context = exc.context_mark.line + 1 if exc.context_mark else None
        return context, exc.problem_mark.line + 1
    raise AssertionError("ruamel accepted it")


@pytest.mark.parametrize(
    ("text", "line", "which"),
    [
        # the parser names the problem where it is
        pytest.param("a: b: c\n", 1, "problem", id="mapping-in-a-value"),
        pytest.param("a:\n  b: 1\n   c: 2\n", 3, "problem", id="bad-indentation"),
        pytest.param("a:\n  - 1\n - 2\n", 3, "problem", id="sequence-out-of-line"),
        pytest.param("a:\n\tb: 1\n", 2, "problem", id="tab"),
        pytest.param("a: [1, 2\nb: 3\n", 2, "problem", id="unclosed-flow-sequence"),
        # ... or where it gave up looking: the mistake is where its context began
        pytest.param("a: 1\nkey value\n\n# note\nb: 2\n", 2, "context", id="key-without-colon"),
        pytest.param('a: "abc\nb: 1\n\n\nc: 2\n', 1, "context", id="unclosed-quote"),
    ],
)
def test_yaml_findings_are_on_the_line_the_parser_names(text: str, line: int, which: str) -> None:
    (finding,) = file_syntax.yaml_syntax("f.yaml", text.encode())
    assert finding.line == line, finding
    context, problem = _ruamel_marks(text)
    assert line == (context if which == "context" else problem)


def test_a_yaml_key_without_colon_at_the_end_of_the_file_stays_inside_the_file() -> None:
    (finding,) = file_syntax.yaml_syntax("f.yaml", b"a: 1\nkey value")
    assert finding.line == 2  # libyaml's mark is on line 3 of a 2-line file


def test_yaml_lines_are_git_lines_whatever_yaml_counts_as_a_line_break() -> None:
    # YAML 1.1 breaks lines at NEL and U+2028; git, editors and annotations do not.
    text = "a: 'one\x85two'\nb: 'x\u2028y'\nkey value\nc: 1\n"
    (finding,) = file_syntax.yaml_syntax("f.yaml", text.encode())
    assert finding.line == 3


def test_duplicate_yaml_keys_are_on_the_second_key() -> None:
    (finding,) = file_syntax.yaml_syntax("f.yaml", b"a: 1\nb:\n  x: 1\n  x: 2\n")
    assert (finding.line, finding.column) == (4, 3)


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        pytest.param(b"<<<<<<< HEAD\na\n=======\nb\n>>>>>>> topic\n", [1, 3, 5], id="block"),
        pytest.param(
            b"<<<<<<< HEAD\na\n||||||| base\no\n=======\nb\n>>>>>>> topic\n", [1, 3, 5, 7], id="diff3"
        ),
        pytest.param(b"<<<<<<< HEAD\r\na\r\n=======\r\nb\r\n>>>>>>> topic\r\n", [1, 3, 5], id="crlf"),
        pytest.param(b"Title\n=======\n\ntext\n", [], id="rst-heading"),
        pytest.param(
            b"<<<<<<< HEAD\na\n=======\nb\n>>>>>>> t\nHeading\n=======\n", [1, 3, 5], id="heading-after"
        ),
        pytest.param(b"x\n>>>>>>> topic\n", [2], id="lone-end-marker"),
        pytest.param(b"# <<<<<<< HEAD\n <<<<<<< HEAD\n<<<<<<<<< x\n", [], id="not-at-line-start"),
    ],
)
def test_conflict_markers(text: bytes, lines: list[int]) -> None:
    assert [f.line for f in file_syntax.conflict_markers("f.txt", text)] == lines


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.py", "python"),
        ("a.pyi", "python"),
        ("wscript", "python"),
        ("x.ipynb", "json"),
        ("dir/.babelrc", "json"),
        ("Pipfile", "toml"),
        ("uv.lock", "toml"),
        (".clang-format", "yaml"),
        ("a.YML", "yaml"),
        ("a.json5", None),
        ("Makefile", None),
    ],
)
def test_the_parser_a_name_needs(name: str, kind: str | None) -> None:
    assert file_syntax.file_type(name) == kind


@pytest.mark.parametrize(
    ("source", "line"),
    [
        pytest.param(b"x = 1  # caf\xe9\n", 1, id="latin-1-in-a-comment"),
        pytest.param(b"x = 1\ny = 2\n# caf\xe9\n", 3, id="third-line"),
    ],
)
def test_bytes_python_would_refuse_to_import_fail_although_compile_takes_them(
    source: bytes, line: int
) -> None:
    # compile() lets undecodable bytes through in comments; `python f.py` and import refuse the file.
    (finding,) = file_syntax.python_syntax("f.py", source)
    assert (finding.code, finding.line) == ("SyntaxError", line)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(b"# -*- coding: latin-1 -*-\nx = 'caf\xe9'  # caf\xe9\n", id="declared-latin-1"),
        pytest.param(b"\xef\xbb\xbfx = 'caf\xc3\xa9'\n", id="utf-8-with-bom"),
    ],
)
def test_bytes_in_the_declared_encoding_pass(source: bytes) -> None:
    assert file_syntax.python_syntax("f.py", source) == []
