"""A class built at run time by ``type(name, bases, namespace)`` is a subclass of exactly those bases
(WTForms' tests: ``def make_form(name="F", **fields): return type(str(name), (Form,), fields)``, then
``F = make_form(...)`` / a fixture ``return make_form("F1", ...)`` and ``form = F(...)``;
held_out_11's ``BaseForm.populate_obj``). On d8c1084 each such ``form`` was "the value of F(...) is
not known here". A builder whose ``type`` is its own name, whose bases are not a literal tuple of
classes, or that may return something else still leaves the call unknown."""

from __future__ import annotations

import pytest
from test_rename import make

from hookwright.refactor import rename

FORMS = """class BaseForm:
    def populate_obj(self, obj):
        return obj


class Form(BaseForm):
    pass


class Field:
    def populate_obj(self, obj, name):
        return obj
"""

TESTS = """import pytest

from pkg.forms import Field, Form


def make_form(name="F", **fields):
    return type(str(name), (Form,), fields)


def make_field(**attrs):
    return type("Custom", (Field,), attrs)


def make_shadowed(type, **fields):
    return type("F", (Form,), fields)


def make_from(bases, **fields):
    return type("F", bases, fields)


def make_either(**fields):
    if fields:
        return type("F", (Form,), fields)
    return Form


@pytest.fixture
def F1():
    return make_form("F1")


def test_forms(F1):
    F = make_form(a=1)
    local = F()
    local.populate_obj(None)
    given = F1()
    given.populate_obj(None)
    C = make_field()
    field = C()
    field.populate_obj(None, "a")
    S = make_shadowed(type)
    shadowed = S()
    shadowed.populate_obj(None)
    B = make_from((Form,))
    from_bases = B()
    from_bases.populate_obj(None)
    E = make_either()
    either = E()
    either.populate_obj(None)
"""


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> rename.Plan:
    root = tmp_path_factory.mktemp("built")
    files = {"pkg/__init__.py": "", "pkg/forms.py": FORMS, "tests/test_forms.py": TESTS}
    return rename.plan(root, make(root, files), "pkg.forms.BaseForm.populate_obj", "populate_object")


@pytest.mark.parametrize(
    ("receiver", "verdict"),
    [
        pytest.param("local", "renamed", id="a-local-name-bound-to-the-builder"),
        pytest.param("given", "renamed", id="a-fixture-returning-the-builder"),
        pytest.param("field", "other", id="a-class-built-on-another-base"),
        pytest.param("shadowed", "unsure", id="type-is-a-parameter"),
        pytest.param("from_bases", "unsure", id="bases-not-a-literal-tuple"),
        pytest.param("either", "unsure", id="another-return"),
    ],
)
def test_a_class_built_by_type_makes_instances_of_its_bases(
    plan: rename.Plan, receiver: str, verdict: str
) -> None:
    line = next(n for n, text in enumerate(TESTS.splitlines(), 1) if text.startswith(f"    {receiver}."))
    places = {"renamed": plan.sites, "unsure": plan.unsure, "other": plan.others}
    found = [
        name
        for name, sites in places.items()
        if any(s.line == line and s.path.startswith("tests") for s in sites)
    ]
    assert found == [verdict]
