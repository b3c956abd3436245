"""Receivers made by factories: pytest fixtures giving ``partial(...)``, local partials, generic bases."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_rename import make

from hookwright.refactor import rename

CART = (
    "from typing import Generic, TypeVar\n\nT = TypeVar('T')\n\n\nclass Cart(Generic[T]):\n"
    "    def total(self):\n        return 1\n\n\nclass Big(Cart[int]):\n    pass\n\n\n"
    "class Receipt:\n    def total(self):\n        return 0\n"
)
HEAD = "from functools import partial\n\nimport pytest\n\nfrom shop.cart import Big, Cart, Receipt\n\n\n"
FACTORY = (
    "class TestCart:\n    @pytest.fixture(params=(Cart, partial(Big)))\n"
    "    def cart_factory(self, request):\n        return partial(request.param)\n\n"
    "    @pytest.fixture\n    def cart(self, cart_factory):\n        return cart_factory()\n\n"
    "    def test_total(self, cart):\n        assert cart.total()\n\n"
    "    def test_made(self, cart_factory):\n        made = cart_factory()\n        assert made.total()\n"
)

CASES = [
    pytest.param(FACTORY, "", "typed", id="fixtures-giving-partials-over-params-of-the-family"),
    pytest.param(
        FACTORY,
        "from tests.test_till import TestCart\n\n\nclass TestBig(TestCart):\n    @pytest.fixture\n"
        "    def cart_factory(self):\n        return partial(Big)\n",
        "typed",
        id="a-subclass-test-class-overriding-the-factory-with-the-family",
    ),
    pytest.param(
        FACTORY,
        "from tests.test_till import TestCart\n\n\nclass TestReceipt(TestCart):\n    @pytest.fixture\n"
        "    def cart_factory(self):\n        return partial(Receipt)\n",
        "unsure",
        id="a-subclass-test-class-runs-the-same-tests-with-another-class",
    ),
    pytest.param(
        FACTORY.replace("params=(Cart, partial(Big))", "params=(Cart, make_one)"),
        "",
        "unsure",
        id="a-param-that-is-not-a-class",
    ),
    pytest.param(
        "def test_local():\n    factory = partial(Big, 1)\n    assert factory().total()\n",
        "",
        "typed",
        id="a-local-partial-of-a-class-of-the-family",
    ),
    pytest.param(
        "def test_local(n):\n    factory = partial(Big, 1)\n    if n:\n        factory = make_one\n"
        "    assert factory().total()\n",
        "",
        "unsure",
        id="a-local-rebound-to-something-else",
    ),
]


@pytest.mark.parametrize(("test", "more", "verdict"), CASES)
def test_receivers_made_by_factories(tmp_path: Path, test: str, more: str, verdict: str) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/cart.py": CART,
        "tests/__init__.py": "",
        "tests/test_till.py": HEAD + "def make_one():\n    return 1\n\n\n" + test,
        "tests/test_more.py": HEAD + more,
    }
    plan = rename.plan(tmp_path, make(tmp_path, files), "shop.cart.Cart.total", "grand_total")
    sites = [s for s in (*plan.sites, *plan.unsure, *plan.others) if s.path == "tests/test_till.py"]
    assert sites, (plan.sites, plan.unsure)
    kinds = {"typed" if s in plan.sites else "unsure" if s in plan.unsure else "other" for s in sites}
    assert kinds == {verdict}, sites
    assert all(s.text for s in sites if s in plan.unsure), "every unsure site says why"


def test_a_subclass_of_a_generic_base_is_of_the_family(tmp_path: Path) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/cart.py": CART + "\n\nclass Huge(Big):\n    def total(self):\n        return 3\n",
    }
    plan = rename.plan(tmp_path, make(tmp_path, files), "shop.cart.Cart.total", "grand_total")
    assert plan.contents["shop/cart.py"].decode().count("def grand_total(self):") == 2
