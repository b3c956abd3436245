from __future__ import annotations

from pathlib import Path

import pytest

from hookwright import strict_yaml
from hookwright.errors import BadInput


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "a: on\nb: yes\nc: n\nd: off\n",
            {"a": "on", "b": "yes", "c": "n", "d": "off"},
            id="yaml11-booleans-stay-strings",
        ),
        pytest.param("when: 2024-01-02\n", {"when": "2024-01-02"}, id="dates-stay-strings"),
        pytest.param("t: 1:20\n", {"t": "1:20"}, id="no-base-60"),
        pytest.param("v: 3.10\ns: '3.10'\n", {"v": 3.1, "s": "3.10"}, id="floats-as-written"),
        pytest.param("x: true\ny: False\nz: ~\n", {"x": True, "y": False, "z": None}, id="yaml12-scalars"),
        pytest.param("\ufeffa: 1\n", {"a": 1}, id="bom"),
        pytest.param(
            "base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n",
            {"base": {"x": 1}, "use": {"x": 1, "y": 2}},
            id="merge-keys",
        ),
    ],
)
def test_scalars_keep_their_meaning(text: str, expected: dict[str, object]) -> None:
    assert strict_yaml.loads(text).data == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "a: 1\nb:\n  c: 1\n  c: 2\n",
            "<string>:4:3: duplicate key 'c' (first defined on line 3)",
            id="nested-duplicate",
        ),
        pytest.param(
            "a: !!python/name:os.system\n", "tag not allowed: !!python/name:os.system", id="python-tag"
        ),
        pytest.param("a: 1\n---\nb: 2\n", "several YAML documents", id="two-documents"),
        pytest.param("a: &a [*a]\n", "recursive alias", id="recursive-alias"),
        pytest.param("[1, 2]\n", "top level must be a mapping, not a list", id="list"),
        pytest.param("a: [\n", "<string>:2:1:", id="unclosed"),
    ],
)
def test_refusals_name_the_line_and_column(text: str, message: str) -> None:
    with pytest.raises(BadInput) as caught:
        strict_yaml.loads(text)
    assert message in str(caught.value)


def test_positions_of_nested_pointers() -> None:
    document = strict_yaml.loads("a:\n  b:\n    - x\n    - y: 1\n")
    assert document.position("/a/b/1/y") == (4, 7)
    assert document.position("/a/b/9/missing") == (2, 3)


def test_deep_nesting_does_not_recurse(tmp_path: Path) -> None:
    deep = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(BadInput, match="nested too deeply"):
        strict_yaml.loads(deep)


def test_files_not_utf8_and_too_big(tmp_path: Path) -> None:
    latin = tmp_path / "l.yaml"
    latin.write_bytes("a: caf\xe9\n".encode("latin-1"))
    with pytest.raises(BadInput, match=r"not UTF-8 \(byte 0xe9 at offset 6\)"):
        strict_yaml.load_path(latin)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: 1\n" + b"#" * strict_yaml.MAX_BYTES)
    with pytest.raises(BadInput, match="over the"):
        strict_yaml.load_path(big)
    with pytest.raises(BadInput, match="no such file"):
        strict_yaml.load_path(tmp_path / "missing.yaml")


def test_json_is_strict_and_positioned() -> None:
    document = strict_yaml.loads_json('{"a": {"b": [1, 2]}}')
    assert document.position("/a/b/1") == (1, 17)
    with pytest.raises(BadInput, match="duplicate key 'a'"):
        strict_yaml.loads_json('{"a": 1, "a": 2}')
    with pytest.raises(BadInput, match="NaN is not valid JSON"):
        strict_yaml.loads_json('{"a": NaN}')
