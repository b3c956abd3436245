"""Receivers made by test helpers that hold a class (``cls = self._getTargetClass(); cls(...)``), duck
tests that cannot see the rename, and isinstance narrowing that ends where the name is bound again.

The shapes are WebOb 1.8.9's tests and ``webob.dec`` (held_out_7, a tuning set), reduced.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_rename import make

from hookwright.refactor import rename
from hookwright.refactor.symbol_index import RenameRefused

GETTER = "    def _getTargetClass(self):\n        from shop.cart import Cart\n        return Cart\n\n"

# As test_rename_returns reads them (it runs these with its own): shop/use.py after its HEAD, then the
# text the site must have after renaming Cart.total to grand_total (or the verdict of a site left alone).
HELPERS_RENAMED = [
    pytest.param(
        "class TestCart:\n"
        + GETTER
        + "    def _makeOne(self, *args):\n        cls = self._getTargetClass()\n"
        "        return cls(*args)\n\n    def test_total(self):\n        cart = self._makeOne()\n"
        "        assert cart.total() == 1\n",
        "cart.grand_total()",
        id="a-helper-calling-the-class-a-getter-returns",
    ),
    pytest.param(
        "class Fancy(Cart):\n    @classmethod\n    def blank(cls):\n        made = cls()\n        return made\n\n\n"
        "class TestFancy:\n    def _getTargetClass(self):\n        return Fancy\n\n"
        "    def _blankOne(self):\n        cls = self._getTargetClass()\n        return cls.blank()\n\n"
        "    def test_total(self):\n        assert self._blankOne().total() == 1\n",
        "self._blankOne().grand_total()",
        id="a-helper-calling-a-classmethod-of-the-class-a-getter-returns",
    ),
    pytest.param(
        "class Profile(Cart):\n    def __call__(self, request):\n        return self.bind(request)\n\n"
        "    def bind(self, request):\n        bound = Profile()\n        bound.request = request\n"
        "        return bound\n\n\nclass TestProfile:\n    def makeOne(self, request=None):\n"
        "        from shop.use import Profile as Target\n        return Target()(request)\n\n"
        "    def test_total(self):\n        profile = self.makeOne()\n        assert profile.total() == 1\n",
        "profile.grand_total()",
        id="a-helper-calling-an-instance-of-a-class-imported-under-another-name",
    ),
    pytest.param(
        "def test_unbound():\n    res = Cart\n    return res.total(Cart())\n",
        "res.grand_total(Cart())",
        id="a-name-bound-to-the-class-itself",
    ),
    pytest.param(
        "class Wrapper(object):\n    def __init__(self, cart):\n        self.count = cart.total()\n\n\n"
        'def make():\n    return Wrapper(Cart())\n\n\nFIELD = {"name": "object"}\n',
        "cart.grand_total()",
        id="an-init-parameter-every-construction-types-beside-a-string-saying-object",
    ),
]

HELPERS_LEFT_ALONE = [
    pytest.param(
        "class TestCart:\n    def _getTargetClass(self, kind):\n        return kind\n\n"
        "    def _makeOne(self):\n        cls = self._getTargetClass(Cart)\n        return cls()\n\n"
        "    def test_total(self):\n        assert self._makeOne().total() == 1\n",
        "unsure",
        id="a-getter-returning-a-parameter",
    ),
    pytest.param(
        "class TestCart:\n    def _getTargetClass(self, n):\n        if n:\n            return Cart\n"
        "        return None\n\n    def _makeOne(self):\n        cls = self._getTargetClass(1)\n"
        "        return cls()\n\n    def test_total(self):\n        assert self._makeOne().total() == 1\n",
        "unsure",
        id="a-getter-that-may-return-none",
    ),
    pytest.param(
        "class TestReceipt:\n    def _getTargetClass(self):\n        from shop.cart import Receipt\n"
        "        return Receipt\n\n    def _makeOne(self):\n        cls = self._getTargetClass()\n"
        "        return cls()\n\n    def test_total(self):\n        assert self._makeOne().total() == 0\n",
        "other",
        id="a-getter-returning-another-class",
    ),
    pytest.param(
        'def is_file(o):\n    return hasattr(o, "total") and hasattr(o, "flush")\n',
        "other",
        id="a-duck-test-also-asking-for-a-name-the-class-has-not-got",
    ),
    pytest.param(
        "def f(resp, req):\n    if isinstance(resp, Receipt):\n        body = resp\n"
        "        resp = req.response\n        resp.total(body)\n",
        "unsure",
        id="a-name-narrowed-by-isinstance-then-bound-again",
    ),
]


@pytest.mark.parametrize(
    "subclass",
    [
        "class Flushing(Cart):\n    def flush(self):\n        pass\n",
        "class Flushing(Cart):\n    def __getattr__(self, name):\n        return 1\n",
        "class Flushing(Cart):\n    def __init__(self):\n        self.flush = print\n",
    ],
    ids=["a-subclass-defines-it", "a-subclass-answers-any-name", "an-instance-gets-it"],
)
def test_a_duck_test_whose_other_name_the_family_may_have_is_still_refused(
    tmp_path: Path, subclass: str
) -> None:
    use = subclass + '\n\ndef is_file(o):\n    return hasattr(o, "total") and hasattr(o, "flush")\n'
    files = {"shop/__init__.py": "", "shop/cart.py": "class Cart:\n    def total(self):\n        return 1\n"}
    files["shop/use.py"] = "from shop.cart import Cart\n\n\n" + use
    with pytest.raises(RenameRefused, match="looks it up by its name"):
        rename.plan(tmp_path, make(tmp_path, files), "shop.cart.Cart.total", "grand_total")
