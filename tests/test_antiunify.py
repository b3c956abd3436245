"""Anti-unification: holes where members differ, one variable per renamed word, every member reproduced."""

from __future__ import annotations

import ast
from typing import Any

import pytest

from hookwright.clones import antiunify
from hookwright.clones import classes as clones
from hookwright.clones.antiunify import Decline, Template, generalise
from hookwright.clones.hole_variables import Hole, assign, decompose


def statements(source: str) -> list[ast.stmt]:
    return ast.parse(source).body


def render(template: Template, index: int) -> str:
    return clones.default_renderer()(template.text, template.bindings[index])


def build(*sources: str, lines: int = 10) -> Template:
    return generalise([statements(s) for s in sources], lines, clones.default_renderer())


def assert_round_trip(template: Template, *sources: str) -> None:
    for index, source in enumerate(sources):
        assert ast.dump(ast.parse(render(template, index))) == ast.dump(ast.parse(source))


USER = """\
USER_TABLE = "users"


class UserStore:
    def get_user(self, user_id):
        row = self.db.fetch(USER_TABLE, user_id)
        return User(**row)

    def list_users(self, limit=20):
        users = self.db.scan(USER_TABLE, limit)
        return [User(**u) for u in users]
"""
ORDER = USER.replace("USER", "ORDER").replace("User", "Order").replace("user", "order").replace("20", "50")


def test_one_renamed_word_is_one_variable_with_filters() -> None:
    template = build(USER, ORDER)
    assert template.bindings == [{"name": "User", "number": 20}, {"name": "Order", "number": 50}]
    for spelling in (
        "{{ name | upper }}_TABLE",
        '"{{ name | plural | snake }}"',
        "class {{ name }}Store:",
        "def get_{{ name | snake }}(self, {{ name | snake }}_id):",
        "def list_{{ name | plural | snake }}(self, limit={{ number }}):",
    ):
        assert spelling in template.text
    assert_round_trip(template, USER, ORDER)


def test_identical_members_make_a_template_without_holes() -> None:
    template = build(USER, USER)
    assert template.variables == [] and template.bindings == [{}, {}]
    assert_round_trip(template, USER, USER)


def test_the_same_binding_in_the_same_place_is_one_hole() -> None:
    one = "def f(a):\n    total = a + 1\n    total = total * 2\n    return total\n"
    two = one.replace("total", "acc")
    template = build(one, two)
    assert [v.name for v in template.variables] == ["name"]
    assert template.text.count("{{ name }}") == 4


def test_statements_only_some_members_have_become_a_block_hole() -> None:
    one = "def f(items):\n    out = []\n    for item in items:\n        out.append(item)\n    return out\n"
    two = (
        "def f(items):\n    out = []\n    for item in items:\n        if item is None:\n            continue\n"
        "        out.append(item)\n    log.debug('done')\n    return out\n"
    )
    template = build(one, two)
    assert {v.kind for v in template.variables} == {"block"}
    assert template.bindings[0] == {"block": "", "block_2": ""}
    assert sorted(template.bindings[1].values()) == [
        "        if item is None:\n            continue\n",
        "    log.debug('done')\n",
    ]
    assert_round_trip(template, one, two)


@pytest.mark.parametrize(
    ("one", "two"),
    [
        pytest.param(
            "x = f'{a}-{b}'\ny = '{{ not jinja }}'\n", "x = f'{a}+{b}'\ny = '{{ not jinja }}'\n", id="fstring"
        ),
        pytest.param(
            "x = b'\\x00'\ny = 1j\nz = ...\n", "x = b'\\x01'\ny = 2j\nz = ...\n", id="bytes-complex"
        ),
        pytest.param("x = {'{%': 1, '{#': 2}\n", "x = {'{%': 3, '{#': 4}\n", id="jinja-delimiters-in-code"),
        pytest.param('x = """line one\nline two"""\n', 'x = """line one\nline 2"""\n', id="multiline-string"),
        pytest.param("x = None\ny = True\n", "x = 'text'\ny = False\n", id="mixed-literal-types"),
    ],
)
def test_awkward_code_still_round_trips(one: str, two: str) -> None:
    template = build(one, two)
    assert_round_trip(template, one, two)


def test_literal_braces_in_code_are_flagged_for_the_pack() -> None:
    one = "x = '{{ a }}'\ny = 1\n"
    assert build(one, one.replace("1", "2")).braces is True
    assert build("x = 1\n", "x = 2\n").braces is False


def test_a_template_that_is_mostly_holes_is_declined() -> None:
    one = "def f(a, b):\n    g(a, 1, 'x')\n    h(b, 2, 'y')\n    return k(a, b, 3)\n"
    two = "def p(q, r):\n    s(q, 7, 'u')\n    t(r, 8, 'v')\n    return w(q, r, 9)\n"
    with pytest.raises(Decline, match="mostly holes"):
        build(one, two, lines=4)


def test_a_template_that_does_not_reproduce_a_member_is_declined() -> None:
    def wrong(text: str, context: dict[str, Any]) -> str:
        return "x = 0\n"

    with pytest.raises(Decline, match="does not reproduce"):
        generalise([statements("x = 1\n"), statements("x = 2\n")], 1, wrong)


def test_a_window_with_return_is_not_a_module_on_its_own() -> None:
    one = "value = fetch(key)\nif value is None:\n    return default\nreturn value\n"
    template = build(one, one.replace("default", "fallback"))
    assert template.compiles is False


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["get_user_by_id", "get_order_by_id"], ("get_", ["user", "order"], "_by_id")),
        (["USER_TABLE", "ORDER_TABLE"], ("", ["USER", "ORDER"], "_TABLE")),
        (["UserProfile", "OrderProfile"], ("", ["User", "Order"], "Profile")),
        (["/api/users/", "/api/orders/"], ("/api/", ["users", "orders"], "/")),
        (["_x", "__y"], None),
    ],
)
def test_decompose_finds_the_renamed_core(values: list[str], expected: object) -> None:
    assert decompose(values) == expected


def test_unrelated_holes_stay_separate_variables() -> None:
    variables, uses = assign([Hole("ident", ["alpha", "beta"]), Hole("ident", ["gamma", "delta"])])
    assert [v.name for v in variables] == ["name", "name_2"]
    assert [u.expression() for u in uses] == ["{{ name }}", "{{ name_2 }}"]


def test_unparse_at_keeps_docstrings_exact() -> None:
    body = statements('def f():\n    """Doc\n    more."""\n')[0].body  # type: ignore[attr-defined]
    text = antiunify.unparse_at(body, 2)
    assert text.startswith("        ") and ast.parse("if 1:\n    if 1:\n" + text).body


def test_differing_lines_are_counted_against_the_member_that_holds_them() -> None:
    # The smaller member has 6 lines; the other holds 10 more of its own. "10 of 6 lines differ"
    # was the old message: more lines than there are. Now: 10 of the other member's 16 lines.
    core = [f"x{i} = load({i})\n" for i in range(6)]
    extra = [f"audit(x0, {i})\n" for i in range(10)]
    one = "".join(core)
    two = "".join(core[:3] + extra + core[3:])
    with pytest.raises(Decline, match=r"mostly holes \(62% of a member's lines differ\)"):
        build(one, two, lines=6)
