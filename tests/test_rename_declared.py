"""Receivers typed from what the project declares away from the site, and the reduced copy the rename reads."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from test_rename import make

from hookwright.refactor import rename
from hookwright.refactor.symbol_index import RenameRefused
from hookwright.refactor.symbol_reduce import reduce

CART = """
    class Cart:
        def total(self):
            return 1
"""

# Each case: files besides shop/cart.py, then the site's text after a rename of Cart.total to grand_total.
RENAMED = [
    pytest.param(
        {
            "shop/globals.py": "from shop.cart import Cart\n\ncurrent: Cart = make_cart()\n",
            "shop/use.py": "from shop.globals import current\n\n\ndef f():\n    return current.total()\n",
        },
        "current.grand_total()",
        id="module-variable-annotated-in-another-module",
    ),
    pytest.param(
        {
            "shop/__init__.py": "from shop.globals import current\n",
            "shop/globals.py": "from shop.cart import Cart\n\ncurrent = Cart()\n",
            "shop/use.py": "import shop\n\n\ndef f():\n    return shop.current.total()\n",
        },
        "shop.current.grand_total()",
        id="module-variable-reached-as-an-attribute",
    ),
    pytest.param(
        {
            "shop/base.py": (
                "from shop.cart import Cart\n\n\nclass Base:\n    def __init__(self, cart: Cart):\n"
                "        self.cart = cart\n"
            ),
            "shop/use.py": (
                "from shop.base import Base\n\n\nclass Till(Base):\n    def f(self):\n"
                "        return self.cart.total()\n"
            ),
        },
        "self.cart.grand_total()",
        id="self-attribute-from-an-annotated-parameter-in-a-base-class",
    ),
    pytest.param(
        {
            "shop/use.py": (
                "from shop.cart import Cart\n\n\nclass Shop:\n    def cart_of(self, who) -> Cart:\n"
                "        return Cart()\n\n\ndef f(shop: Shop):\n    return shop.cart_of(1).total()\n"
            ),
        },
        "shop.cart_of(1).grand_total()",
        id="return-annotation-of-a-method-called-on-a-typed-receiver",
    ),
    pytest.param(
        {
            "shop/use.py": (
                "from shop.cart import Cart\n\n\nclass Shop:\n    def cart_of(self) -> Cart:\n"
                "        return Cart()\n\n\ndef f():\n    shop = Shop()\n    made = shop.cart_of()\n"
                "    return made.total()\n"
            ),
        },
        "made.grand_total()",
        id="assignment-from-a-method-of-a-constructed-object",
    ),
    pytest.param(
        {
            "shop/use.py": (
                "from shop.cart import Cart\n\n\nclass Till:\n    def __init__(self):\n"
                "        self.open = True\n        self.carts: list[Cart] = []\n        self.cart = Cart()\n\n"
                "    def f(self):\n        return self.cart.total()\n"
            ),
        },
        "self.cart.grand_total()",
        id="self-attribute-of-an-init-that-never-names-the-method",
    ),
]

# Each case: files besides shop/cart.py, the site's text that must stay, and what the plan calls it.
LEFT_ALONE = [
    pytest.param(
        {"shop/use.py": "def f(**options):\n    return options.total()\n"},
        "options.total()",
        "other",
        id="kwargs-is-a-dict",
    ),
    pytest.param(
        {"shop/use.py": "def f(*parts):\n    return parts.total()\n"},
        "parts.total()",
        "other",
        id="args-is-a-tuple",
    ),
    pytest.param(
        {"shop/use.py": "import typing as t\n\n\ndef f(d: t.Dict[str, int]):\n    return d.total()\n"},
        "d.total()",
        "other",
        id="typing-alias-is-its-runtime-class",
    ),
    pytest.param(
        {
            "shop/till.py": "class Till:\n    def __init__(self):\n        self.counts: dict[str, int] = {}\n",
            "shop/use.py": (
                "from shop.till import Till\n\n\nclass Big(Till):\n    def f(self):\n"
                "        return self.counts.total()\n"
            ),
        },
        "self.counts.total()",
        "other",
        id="self-attribute-declared-a-dict-in-a-base-class",
    ),
    pytest.param(
        {
            "shop/globals.py": "import collections\n\ncounts = collections.Counter()\n",
            "shop/use.py": "from shop.globals import counts\n\n\ndef f():\n    return counts.total()\n",
        },
        "counts.total()",
        "other",
        id="module-variable-of-a-standard-library-class",
    ),
    pytest.param(
        {
            "shop/sub.py": "X = 1\n",
            "shop/use.py": "import shop.sub\n\n\ndef f():\n    return shop.sub.total\n",
        },
        "shop.sub.total",
        "other",
        id="a-module-is-not-a-cart",
    ),
    pytest.param(
        {
            "shop/reg.py": "import collections.abc\n\nfrom shop.cart import Cart\n\ncollections.abc.Mapping.register(Cart)\n",
            "shop/use.py": "import typing\n\n\ndef f(m: typing.Mapping):\n    return m.total()\n",
        },
        "m.total()",
        "unsure",
        id="an-abc-the-class-is-registered-with-may-be-a-cart",
    ),
    pytest.param(
        {
            "shop/globals.py": "current = make()\n",
            "shop/use.py": "from shop.globals import current\n\n\ndef f():\n    return current.total()\n",
        },
        "current.total()",
        "unsure",
        id="module-variable-nobody-types",
    ),
]


def _plan(tmp_path: Path, files: dict[str, str]) -> rename.Plan:
    files = {"shop/__init__.py": "", **files, "shop/cart.py": CART}
    files["shop/extra.py"] = "class Receipt:\n    total = 0\n"  # the name is not unique to Cart
    return rename.plan(tmp_path, make(tmp_path, files), "shop.cart.Cart.total", "grand_total")


@pytest.mark.parametrize(("files", "expected"), RENAMED)
def test_receivers_declared_elsewhere_are_renamed(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    plan = _plan(tmp_path, files)
    assert expected in plan.contents["shop/use.py"].decode()
    assert not plan.unsure, plan.unsure


@pytest.mark.parametrize(("files", "kept", "verdict"), LEFT_ALONE)
def test_receivers_of_another_type_or_unknown_are_left_alone(
    tmp_path: Path, files: dict[str, str], kept: str, verdict: str
) -> None:
    plan = _plan(tmp_path, files)
    assert "shop/use.py" not in plan.contents
    assert kept in (tmp_path / "shop/use.py").read_text()
    found = plan.others if verdict == "other" else plan.unsure
    assert [s.path for s in found] == ["shop/use.py"], (plan.others, plan.unsure)
    assert all(s.text for s in found), "every site left alone says why"


LONG_FUNCTION = """
    import os


    def untouched():
        return os.sep


    def test_cart(tmp):
        first = 1
        shop = Shop()
        second = [
            first,
            2,
        ]
        cart = shop.make()
        third = 3; fourth = cart
        assert cart.total() == fourth
        return third
"""


def test_the_reduced_copy_keeps_what_the_name_needs_and_maps_lines_back() -> None:
    text = textwrap.dedent(LONG_FUNCTION).lstrip("\n").encode()
    reduced = reduce(text, ast.parse(text), ("total", "grand_total"))
    assert reduced is not None
    kept = {reduced.lines[number]: line for number, line in enumerate(reduced.code.split(b"\n"))}
    original = text.split(b"\n")
    for number, line in kept.items():  # every kept line is the real line, or `pass` at its indent
        assert line == original[number - 1] or line.strip() == b"pass"
    code = reduced.code.decode()
    assert "shop = Shop()" in code and "cart = shop.make()" in code, "bindings the kept lines read"
    assert "third = 3; fourth = cart" in code, "two statements on a line are kept together"
    assert "first = 1" not in code and "second = [" not in code and "return os.sep" not in code
    assert len(reduced.code.split(b"\n")) < len(original)


def test_a_rename_in_a_reduced_function_edits_the_real_lines(tmp_path: Path) -> None:
    use = textwrap.dedent(LONG_FUNCTION).lstrip("\n").replace("\n", "\r\n")
    files = {"shop/__init__.py": "", "shop/cart.py": CART, "shop/use.py": use}
    paths = make(tmp_path, files)
    (tmp_path / "shop/use.py").write_bytes(use.encode())
    plan = rename.plan(tmp_path, paths, "shop.cart.Cart.total", "grand_total", include_unsure=True)
    assert plan.contents["shop/use.py"] == use.replace("cart.total()", "cart.grand_total()").encode()


@pytest.mark.parametrize(
    ("text", "read"),
    [
        pytest.param("def f(it):\n    return next(it)\n", False, id="only-the-builtin-of-that-name"),
        pytest.param("def f(next):\n    return next + 1\n", False, id="only-a-local-of-that-name"),
        pytest.param("def f(c):\n    return c.next()\n", True, id="an-attribute"),
        pytest.param("def f(c: int):\n    return getattr(c, 'next')\n", True, id="a-string"),
        pytest.param("class Other:\n    next = 1\n", True, id="a-class-attribute"),
    ],
)
def test_a_member_rename_reads_only_files_that_can_hold_a_site(tmp_path: Path, text: str, read: bool) -> None:
    files = {"cyc.py": "class Cycler:\n    def next(self):\n        return 1\n", "use.py": text}
    plan = rename.plan(tmp_path, make(tmp_path, files), "cyc.Cycler.next", "step")
    assert plan.parsed == (2 if read else 1)


def test_a_subclass_that_never_names_the_member_but_binds_the_new_name_is_a_collision(tmp_path: Path) -> None:
    files = {
        "cyc.py": "class Cycler:\n    def next(self):\n        return 1\n",
        "sub.py": "from cyc import Cycler\n\n\nclass Sub(Cycler):\n    def step(self):\n        return 2\n",
    }
    with pytest.raises(RenameRefused, match=r"step is already bound at sub.py:5"):
        rename.plan(tmp_path, make(tmp_path, files), "cyc.Cycler.next", "step")


def test_a_method_its_base_class_calls_on_self_is_refused(tmp_path: Path) -> None:
    files = {
        "timed.py": (
            "class Timed:\n    def __repr__(self):\n        self.expire()\n        return 'timed'\n\n\n"
            "class TTL(Timed):\n    def expire(self):\n        return 1\n\n\n"
            "class TLRU(Timed):\n    def expire(self):\n        return 2\n"
        ),
    }
    with pytest.raises(
        RenameRefused, match=r"its base class timed.Timed calls it on self by that name at timed.py:3"
    ):
        rename.plan(tmp_path, make(tmp_path, files), "timed.TTL.expire", "expire_items")


@pytest.mark.parametrize(
    ("imports", "method", "renamed"),
    [
        pytest.param("import os\n", "is_dir", False, id="os-DirEntry-has-is_dir"),
        # pathlib.Path has one too, imported here or not: a receiver may come from anywhere
        pytest.param("import json\n", "is_dir", False, id="a-class-of-a-module-not-imported-counts"),
        pytest.param("import json\n", "is_folder", True, id="no-standard-library-class-has-is_folder"),
    ],
)
def test_a_name_a_standard_library_class_has_is_not_unique(
    tmp_path: Path, imports: str, method: str, renamed: bool
) -> None:
    files = {
        "entry.py": f"class Entry:\n    def {method}(self):\n        return True\n",
        "walk.py": f"{imports}\n\ndef walk(found):\n    return [e for e in found if e.{method}()]\n",
    }
    plan = rename.plan(tmp_path, make(tmp_path, files), f"entry.Entry.{method}", "is_directory")
    assert ("walk.py" in plan.contents) is renamed
    assert bool(plan.unsure) is not renamed


FIXTURE_CARTS = {
    "conftest-constructor": "@pytest.fixture\ndef cart():\n    made = Cart()\n    return made\n",
    "yield-annotated": "@pytest.fixture\ndef cart() -> Iterator[Cart]:\n    yield make()\n",
    "renamed-fixture": "@pytest.fixture(name='cart')\ndef cart_fixture():\n    return Cart()\n",
}


@pytest.mark.parametrize(
    ("conftest", "test", "verdict"),
    [
        *(
            pytest.param(fixture, "def test_total(cart):\n    assert cart.total()\n", "typed", id=name)
            for name, fixture in FIXTURE_CARTS.items()
        ),
        pytest.param(
            "",
            "class TestTill:\n    class Mine(Cart):\n        pass\n\n    @pytest.fixture\n"
            "    def cart(self):\n        return self.Mine()\n\n    def test_total(self, cart):\n"
            "        assert cart.total()\n",
            "typed",
            id="class-fixture-of-a-class-the-test-class-defines",
        ),
        pytest.param(
            "@pytest.fixture\ndef cart():\n    return {}\n",
            "def test_total(cart):\n    assert cart.total()\n",
            "other",
            id="a-fixture-giving-a-dict",
        ),
        pytest.param(
            "@pytest.fixture\ndef cart(request):\n    return request.param\n",
            "def test_total(cart):\n    assert cart.total()\n",
            "unsure",
            id="a-fixture-whose-value-no-line-types",
        ),
        pytest.param(
            "@pytest.fixture\ndef cart():\n    return Cart()\n",
            "def helper(cart):\n    assert cart.total()\n",
            "unsure",
            id="not-a-test-so-not-a-fixture",
        ),
    ],
)
def test_fixture_receivers_are_typed_by_the_fixture(
    tmp_path: Path, conftest: str, test: str, verdict: str
) -> None:
    head = "from typing import Iterator\n\nimport pytest\n\nfrom shop.cart import Cart\n\n\n"
    files = {
        "shop/__init__.py": "",
        "shop/cart.py": CART,
        "shop/extra.py": "class Receipt:\n    total = 0\n",
        "tests/conftest.py": head + conftest,
        "tests/test_till.py": head + test,
    }
    plan = rename.plan(tmp_path, make(tmp_path, files), "shop.cart.Cart.total", "grand_total")
    typed = [s for s in plan.sites if s.kind == "typed"]
    found = {"typed": typed, "other": list(plan.others), "unsure": list(plan.unsure)}[verdict]
    assert [s.path for s in found] == ["tests/test_till.py"], (typed, plan.others, plan.unsure)


EITHER = (
    '    if name:\n        i18n = importlib.import_module("shop.i18n")\n'
    '    else:\n        i18n = importlib.import_module("shop.other")\n'
)


@pytest.mark.parametrize(
    ("binding", "verdict"),
    [
        pytest.param('    i18n = importlib.import_module("shop.i18n")\n', "renamed", id="this-module"),
        pytest.param('    i18n = importlib.import_module("shop.other")\n', "left", id="another-module"),
        pytest.param(EITHER, "unsure", id="this-or-another-module"),
        # markdown's extensions: module = importlib.import_module(ext_name); module.makeExtension(...)
        pytest.param(
            "    i18n = importlib.import_module(name)\n", "refused", id="a-module-named-at-run-time"
        ),
    ],
)
def test_a_module_imported_by_name_at_run_time(tmp_path: Path, binding: str, verdict: str) -> None:
    # humanize's tests: i18n = importlib.import_module("humanize.i18n"); i18n.activate("ru_RU")
    files = {
        "shop/__init__.py": "",
        "shop/i18n.py": "def activate(locale):\n    return locale\n",
        "shop/other.py": "def activate(locale):\n    return None\n",
        "use.py": f"import importlib\n\n\ndef f(name):\n{binding}    return i18n.activate('ru')\n",
    }
    paths = make(tmp_path, files)
    if verdict == "refused":
        with pytest.raises(
            RenameRefused, match=r"use.py:\d+ looks it up by its name, i18n.activate on a module"
        ):
            rename.plan(tmp_path, paths, "shop.i18n.activate", "activate_locale")
        return
    plan = rename.plan(tmp_path, paths, "shop.i18n.activate", "activate_locale")
    assert ("i18n.activate_locale('ru')" in plan.contents.get("use.py", b"").decode()) is (
        verdict == "renamed"
    )
    unsure = [(s.path, s.text) for s in plan.unsure]
    assert unsure == (
        [("use.py", "i18n is a module imported at run time, perhaps another")] if verdict == "unsure" else []
    )


@pytest.mark.parametrize(
    ("lookup", "refused"),
    [
        pytest.param("getattr(self, 'visit_%s' % kind)", True, id="percent"),
        pytest.param("getattr(self, 'visit_' + kind, None)", True, id="plus"),
        pytest.param("getattr(self, f'visit_{kind}')", True, id="f-string"),
        pytest.param("getattr(self, 'visit_{}'.format(kind))", True, id="format"),
        pytest.param("getattr(self, 'leave_' + kind)", False, id="another-prefix"),
        pytest.param("getattr(other, 'visit_' + kind)", False, id="not-on-self"),
    ],
)
def test_a_method_found_by_a_name_built_at_run_time_is_refused(
    tmp_path: Path, lookup: str, refused: bool
) -> None:
    # jmespath: Visitor.visit calls getattr(self, 'visit_%s' % node['type']); TreeInterpreter.visit_field
    files = {
        "visitor.py": (
            f"class Visitor:\n    def visit(self, kind, other=None):\n        return {lookup}\n\n\n"
            "class Interpreter(Visitor):\n    def visit_field(self):\n        return 1\n"
        ),
    }
    paths = make(tmp_path, files)
    if refused:
        with pytest.raises(
            RenameRefused,
            match=r"visitor.Visitor looks it up by a name it builds at run time \(visitor.py:3\)",
        ):
            rename.plan(tmp_path, paths, "visitor.Interpreter.visit_field", "visit_name")
    else:
        assert (
            "visitor.py"
            in rename.plan(tmp_path, paths, "visitor.Interpreter.visit_field", "visit_name").contents
        )


@pytest.mark.parametrize(
    ("lookup", "member", "refused"),
    [
        pytest.param(
            "kind = node.__name__.upper()\n        return getattr(self, kind)",
            "GLOBAL",
            True,
            id="upper-local",
        ),
        pytest.param("return getattr(self, node.__name__.upper(), None)", "GLOBAL", True, id="upper"),
        pytest.param("return getattr(self, node.__name__.upper())", "handle", False, id="upper-not-lower"),
        pytest.param("return getattr(self, node.__name__.lower())", "handle", True, id="lower"),
        pytest.param(
            "kind = node.__name__.upper()\n        kind = 'x'\n        return getattr(self, kind)",
            "GLOBAL",
            False,
            id="bound-twice",
        ),
    ],
)
def test_a_member_found_by_a_name_cased_at_run_time_is_refused(
    tmp_path: Path, lookup: str, member: str, refused: bool
) -> None:
    # pyflakes: Checker.getNodeHandler binds nodeType = node_class.__name__.upper() and calls
    # getattr(self, nodeType): the handler GLOBAL is named by no line of the project.
    files = {
        "checker.py": (
            f"class Checker:\n    def handler(self, node):\n        {lookup}\n\n"
            f"    def {member}(self, tree):\n        return tree\n"
        ),
    }
    paths = make(tmp_path, files)
    if refused:
        with pytest.raises(
            RenameRefused, match=r"checker.Checker looks it up by a name it builds at run time"
        ):
            rename.plan(tmp_path, paths, f"checker.Checker.{member}", f"{member}_RENAMED")
    else:
        assert (
            "checker.py" in rename.plan(tmp_path, paths, f"checker.Checker.{member}", f"{member}_X").contents
        )
