"""A TOML document remembered by its bytes reads as tomllib reads it, in this process and the next.

``toml_memory`` keeps ``pyproject.toml``'s document in the result cache so a commit that leaves it
alone imports no TOML parser; every answer must be tomllib's own, a text that does not parse too.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from hookwright import toml_memory
from hookwright.cache import ResultCache
from hookwright.lazy_regex import compile_lazily
from hookwright.tomlfile import TOMLDecodeError, loads

TEXTS = [
    '[tool.ruff]\nline-length = 100\nsrc = ["lib", "tests"]\n[tool.pytest.ini_options]\naddopts = "-q"\n',
    "big = 123456789012345678901234567890\nf = -0.0\ninf = inf\n[a.b]\nc = [1, [2, 'x'], {d = true}]\n",
    "when = 2026-12-08T01:00:00Z\n",  # JSON holds no dates: parsed on every call
    "",
]


def test_a_remembered_document_is_tomllibs_and_one_that_does_not_parse_is_none(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "results.sqlite")
    try:
        toml_memory.remember_in(cache)
        for text in [*TEXTS, "[tool.ruff\n", "a = 1\na = 2\n"]:
            first = toml_memory.document(text)
            toml_memory._seen.clear()  # the next process: only the cache remembers
            again = toml_memory.document(text)
            try:
                expected = loads(text)
            except TOMLDecodeError:
                assert first is None and again is None
                continue
            assert first == expected and again == expected
        assert toml_memory.document(TEXTS[2]) == {
            "when": datetime.datetime(2026, 12, 8, 1, tzinfo=datetime.timezone.utc)
        }
        assert cache.hits >= 5  # the second reading of each text that JSON holds came from the cache
    finally:
        toml_memory.remember_in(None)
        cache.close()


def test_a_lazily_compiled_pattern_answers_as_the_compiled_one() -> None:
    lazy, eager = compile_lazily(r"^(?P<k>\w+) = (\d+)$", re.M), re.compile(r"^(?P<k>\w+) = (\d+)$", re.M)
    assert lazy.findall("a = 1\nb = 22\n") == eager.findall("a = 1\nb = 22\n") == [("a", "1"), ("b", "22")]
    assert [m.group("k") for m in map(lazy.search, ["x = 3", "no"]) if m] == ["x"]
    assert (lazy.pattern, lazy.flags) == (eager.pattern, eager.flags)
    in_bytes = compile_lazily(rb"\bx\b")
    assert in_bytes.sub(b"y", b"a x b") == b"a y b"
