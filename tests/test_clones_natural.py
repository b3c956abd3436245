"""The extractor benchmark's natural-twin judge: clones nobody labelled, never a look-alike."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks" / "extractor"))
try:
    from natural import natural_twins
    from scoring import Span
finally:
    sys.path.pop(0)

# pyparsing's operator methods: a copy of one is a copy of every other.
RAND = '''\
def __rand__(self, other) -> "ParserElement":
    """Implementation of ``&`` operator when left operand is not a :class:`ParserElement`."""
    if isinstance(other, str_type):
        other = self._literalStringClass(other)
    if not isinstance(other, ParserElement):
        return NotImplemented
    return other & self
'''
RXOR = RAND.replace("__rand__", "__rxor__").replace("&", "^")
# The same structure with other names and literals: what a detector must not link.
LOOKALIKE = '''\
def register(self, handler) -> "Registry":
    """Add a handler to the registry, once."""
    if hasattr(handler, callback_name):
        handler = self._wrapHandler(handler)
    if not callable(handler, StrictMode):
        return Rejected
    return handler | self
'''

# Eight lines of other work: the copy of __rand__'s checks is under half of this function.
MORE = """\
    for position, element in enumerate(self.elements):
        weights[position] = element.weight * factor
        totals.append(sum(weights.values()) / len(weights))
    while len(totals) > self.window_size:
        totals.pop(0)
    report = Report(totals, created=time.monotonic())
    self.history.extend(report.entries())
    return report.summary(limit=self.window_size)
"""


def judge(tmp_path: Path, one: str, two: str) -> bool:
    (tmp_path / "a.py").write_text(one)
    (tmp_path / "b.py").write_text(two)
    spans = (Span("a.py", 1, len(one.splitlines())), Span("b.py", 1, len(two.splitlines())))
    return natural_twins(tmp_path, spans)


def test_methods_that_differ_by_one_operator_are_natural_twins(tmp_path: Path) -> None:
    assert judge(tmp_path, RAND, RXOR)


def test_a_look_alike_is_never_a_natural_twin(tmp_path: Path) -> None:
    assert not judge(tmp_path, RAND, LOOKALIKE)


@pytest.mark.parametrize(
    "other",
    [
        pytest.param(
            'def f(self, other):\n    """Only a docstring alike."""\n    return other\n', id="too-short"
        ),
        pytest.param(RAND.replace("    return other & self\n", MORE), id="half-of-one-side-only"),
    ],
)
def test_a_pair_without_half_of_each_side_in_common_is_not_a_natural_twin(tmp_path: Path, other: str) -> None:
    assert not judge(tmp_path, RAND, other)
