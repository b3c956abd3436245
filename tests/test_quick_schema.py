"""quick_schema is a shortcut past jsonschema: it must never answer differently from it.

Its promise (lib/templates/quick_schema.py) is "never says yes where jsonschema would say no"; a wrong "no"
inside a ``not`` becomes a wrong yes, so both answers are held to jsonschema, over schemas built from
every keyword it knows and values of every JSON type.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hookwright.templates import quick_schema
from hookwright.templates.pack_schema import linear_validator_class

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.0, 1.0, 1.5, -2.0]),
    st.sampled_from(["", "a", "ab", "A1", "x-y", "é"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
    ),
    max_leaves=6,
)
_TYPES = st.sampled_from(["string", "integer", "number", "boolean", "array", "object", "null"])
_LEAF_SCHEMAS = st.one_of(
    st.builds(lambda t: {"type": t}, _TYPES),
    st.builds(lambda ts: {"type": ts}, st.lists(_TYPES, min_size=1, max_size=3)),
    st.builds(lambda v: {"enum": v}, st.lists(_VALUES, min_size=1, max_size=3)),
    st.builds(lambda v: {"const": v}, _VALUES),
    st.builds(lambda p: {"pattern": p}, st.sampled_from(["^a", "b$", "[0-9]", "^$", "-"])),
    st.builds(lambda k, n: {k: n}, st.sampled_from(["minLength", "maxLength"]), st.integers(0, 3)),
    st.builds(lambda k, n: {k: n}, st.sampled_from(["minimum", "maximum"]), st.sampled_from([-1, 0, 1, 1.5])),
    st.builds(lambda k, n: {k: n}, st.sampled_from(["minItems", "maxItems"]), st.integers(0, 3)),
    st.builds(lambda k, n: {k: n}, st.sampled_from(["minProperties", "maxProperties"]), st.integers(0, 3)),
    st.builds(lambda r: {"required": r}, st.lists(st.sampled_from(["a", "b", "c"]), unique=True, max_size=2)),
    st.just({"description": "annotations change nothing", "default": 1, "title": "t"}),
    st.just({"$ref": "#/$defs/word"}),
    st.just(True),
    st.just(False),
    st.just({}),
)


def _combine(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    names = st.sampled_from(["a", "b", "c"])
    return st.one_of(
        st.builds(lambda s: {"not": s}, inner),
        st.builds(lambda ss: {"anyOf": ss}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda s: {"items": s}, inner),
        st.builds(lambda p: {"properties": p}, st.dictionaries(names, inner, max_size=2)),
        st.builds(
            lambda p, extra: {"properties": p, "additionalProperties": extra},
            st.dictionaries(names, inner, max_size=2),
            inner,
        ),
        st.builds(lambda s: {"propertyNames": s}, inner),
        st.builds(
            lambda a, b: {**a, **b} if isinstance(a, dict) and isinstance(b, dict) else a, inner, inner
        ),
    )


_SCHEMAS = st.recursive(_LEAF_SCHEMAS, _combine, max_leaves=8)


@settings(max_examples=600, deadline=None)
@given(schema=_SCHEMAS, value=_VALUES)
def test_quick_answers_agree_with_jsonschema(schema: Any, value: Any) -> None:
    root = {"$defs": {"word": {"type": "string", "minLength": 1}}}
    document = {**root, **schema} if isinstance(schema, dict) else {**root, "allOf": [schema]}
    quick = quick_schema.is_valid(document, value)
    if quick is None:
        return  # it did not know a keyword: jsonschema decides, nothing to hold it to
    full = linear_validator_class()(document).is_valid(value)
    assert quick == full, (document, value)


def test_nested_booleans_are_not_numbers_for_enum_and_const() -> None:
    # JSON equality all the way down: [True] is not [1], {"a": False} is not {"a": 0}.
    assert quick_schema.is_valid({"enum": [[1]]}, [True]) is False
    assert quick_schema.is_valid({"const": {"a": 0}}, {"a": False}) is False
    assert quick_schema.is_valid({"not": {"const": [1]}}, [True]) is True
