"""Receivers typed by what an unannotated function returns, and by a class attribute set to a class."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_rename import make
from test_rename_helpers import HELPERS_LEFT_ALONE, HELPERS_RENAMED

from hookwright.refactor import rename

CART = "class Cart:\n    def total(self):\n        return 1\n"
HEAD = "from shop.cart import Cart, Receipt\n\n\n"

# shop/use.py after HEAD, then the text the site must have after renaming Cart.total to grand_total.
RENAMED = [
    pytest.param(
        "def open_cart(n):\n    if n:\n        return Cart()\n    return None\n\n\n"
        "def f():\n    return open_cart(1).total()\n",
        "open_cart(1).grand_total()",
        id="a-function-returning-a-constructor-or-none",
    ),
    pytest.param(
        "class Fancy(Cart):\n    @classmethod\n    def build(cls, n):\n        if n:\n"
        "            return cls(n)\n        return cls()\n\n\ndef f():\n    return Fancy.build(1).total()\n",
        "Fancy.build(1).grand_total()",
        id="a-classmethod-returning-cls",
    ),
    pytest.param(
        "class Fancy(Cart):\n    def again(self):\n        return self\n\n\n"
        "def f():\n    x = Fancy().again()\n    return x.total()\n",
        "x.grand_total()",
        id="a-method-returning-self",
    ),
    pytest.param(
        "class Shop:\n    _carts = {}\n\n    def get(self, key):\n        found = self._carts.get(key)\n"
        "        if found is not None:\n            return found\n        made = self._make(key)\n"
        "        self._carts[key] = made\n        return made\n\n    def _make(self, key):\n"
        "        return self._build()\n\n    def _build(self):\n        return Cart()\n\n\n"
        "def cart_for(key):\n    return Shop().get(key)\n\n\ndef f():\n    return cart_for(1).total()\n",
        "cart_for(1).grand_total()",
        id="a-dict-cache-the-method-alone-fills-through-calls",
    ),
    pytest.param(
        "class Mixin:\n    Kind = None\n\n    def check(self):\n        cart = self.Kind()\n"
        "        return cart.total()\n\n\nclass One(Mixin):\n    Kind = Cart\n",
        "cart.grand_total()",
        id="a-class-attribute-every-subclass-sets-to-a-class-of-the-family",
    ),
    pytest.param(
        "class Mixin:\n    Kind = None\n\n    def check(self):\n        class Local(self.Kind):\n"
        "            pass\n\n        cart = Local()\n        return cart.total()\n\n\n"
        "class One(Mixin):\n    Kind = Cart\n",
        "cart.grand_total()",
        id="a-local-class-deriving-from-such-an-attribute",
    ),
    pytest.param(
        "from typing import Iterator\n\n\ndef carts() -> Iterator[Cart]:\n    yield Cart()\n\n\n"
        "def f():\n    for each in carts():\n        each.total()\n",
        "each.grand_total()",
        id="a-loop-over-a-function-annotated-to-return-an-iterator-of-the-class",
    ),
    pytest.param(
        "def f(items):\n    each: Cart\n    for each in items:\n        each.total()\n",
        "each.grand_total()",
        id="a-loop-variable-declared-without-a-value",
    ),
]

LEFT_ALONE = [
    pytest.param(
        "def either(n):\n    if n:\n        return Cart()\n    return Receipt()\n\n\n"
        "def f():\n    return either(1).total()\n",
        "unsure",
        id="two-types",
    ),
    pytest.param(
        "def receipt():\n    return Receipt()\n\n\ndef f():\n    return receipt().total()\n",
        "other",
        id="one-other-type",
    ),
    pytest.param(
        "class Shop:\n    _carts = {}\n\n    def get(self, key):\n        found = self._carts.get(key)\n"
        "        if found is not None:\n            return found\n        made = Cart()\n"
        "        self._carts[key] = made\n        return made\n\n    def put(self, key, value):\n"
        "        self._carts[key] = value\n\n\ndef f():\n    return Shop().get(1).total()\n",
        "unsure",
        id="a-dict-another-method-fills-too",
    ),
    pytest.param(
        "import functools\n\n\n@functools.cache\ndef made():\n    return Cart()\n\n\n"
        "def deco(function):\n    return function\n\n\n@deco\ndef wrapped():\n    return Cart()\n\n\n"
        "def f():\n    return wrapped().total()\n",
        "unsure",
        id="a-decorator-may-replace-the-function",
    ),
    pytest.param(
        "def carts():\n    yield Cart()\n    return Cart()\n\n\ndef f():\n    return carts().total()\n",
        "unsure",
        id="a-generator",
    ),
    pytest.param(
        "def last(items):\n    found = Cart()\n    for found in items:\n        pass\n    return found\n\n\n"
        "def f():\n    return last([]).total()\n",
        "unsure",
        id="a-local-also-bound-by-a-loop",
    ),
    pytest.param(
        "class Odd(Cart):\n    def __new__(cls):\n        return Receipt()\n\n\n"
        "def make():\n    return Odd()\n\n\ndef f():\n    return make().total()\n",
        "unsure",
        id="a-class-with-its-own-__new__",
    ),
    pytest.param(
        "".join(f"def f{i}():\n    return f{i + 1}()\n\n\n" for i in range(6))
        + "def f6():\n    return Cart()\n\n\ndef f():\n    return f0().total()\n",
        "unsure",
        id="deeper-than-the-bound",
    ),
    pytest.param(
        "def loop():\n    return loop()\n\n\ndef f():\n    return loop().total()\n",
        "unsure",
        id="a-cycle",
    ),
    pytest.param(
        "class Mixin:\n    Kind = None\n\n    def check(self):\n        return self.Kind().total()\n\n\n"
        "class One(Mixin):\n    Kind = Cart\n\n\nclass Two(Mixin):\n    Kind = Receipt\n",
        "unsure",
        id="a-class-attribute-set-to-the-family-and-to-another-class",
    ),
    pytest.param(
        "class Mixin:\n    Kind = None\n\n    def check(self):\n        class Local(self.Kind):\n"
        "            pass\n\n        return Local().total()\n\n\n"
        "class One(Mixin):\n    Kind = Cart\n\n\nclass Two(Mixin):\n    Kind = Receipt\n",
        "unsure",
        id="a-local-class-deriving-from-an-attribute-of-mixed-classes",
    ),
    pytest.param(
        "def f(items):\n    each: Receipt\n    for each in items:\n        each.total()\n",
        "other",
        id="a-loop-variable-declared-another-class",
    ),
    pytest.param(
        "from typing import Iterator\n\n\ndef carts() -> Iterator[Cart | Receipt]:\n    yield Cart()\n\n\n"
        "def f():\n    for each in carts():\n        each.total()\n",
        "unsure",
        id="a-loop-over-an-iterator-of-either-class",
    ),
    pytest.param(
        "def f(items):\n    for each in items:\n        each.total()\n",
        "unsure",
        id="a-loop-over-something-no-line-types",
    ),
    pytest.param(
        "def kind():\n    return Cart\n\n\nclass Mixin:\n    Kind = None\n\n    def check(self):\n"
        "        return self.Kind().total()\n\n\nclass One(Mixin):\n    Kind = kind()\n",
        "unsure",
        id="a-class-attribute-set-to-a-call",
    ),
]


RENAMED += HELPERS_RENAMED  # test helpers holding a class, a name bound to the class itself
LEFT_ALONE += HELPERS_LEFT_ALONE  # their doubts, duck tests, isinstance narrowing bound again


def _plan(tmp_path: Path, use: str) -> rename.Plan:
    files = {
        "shop/__init__.py": "",
        "shop/cart.py": CART + "\n\nclass Receipt:\n    def total(self):\n        return 0\n",
        "shop/use.py": HEAD + use,
    }
    return rename.plan(tmp_path, make(tmp_path, files), "shop.cart.Cart.total", "grand_total")


@pytest.mark.parametrize(("use", "expected"), RENAMED)
def test_receivers_typed_by_what_the_code_returns_are_renamed(
    tmp_path: Path, use: str, expected: str
) -> None:
    plan = _plan(tmp_path, use)
    assert expected in plan.contents["shop/use.py"].decode()
    assert not plan.unsure, plan.unsure


@pytest.mark.parametrize(("use", "verdict"), LEFT_ALONE)
def test_a_return_with_any_doubt_leaves_the_site_alone_with_a_reason(
    tmp_path: Path, use: str, verdict: str
) -> None:
    plan = _plan(tmp_path, use)
    assert "shop/use.py" not in plan.contents
    found = plan.others if verdict == "other" else plan.unsure
    assert [s.path for s in found] == ["shop/use.py"], (plan.others, plan.unsure)
    assert all(s.text for s in found), "every site left alone says why"
