"""Instance attributes stored from an untyped parameter, typed by the class's constructions (issue 21)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_rename import make

from hookwright.refactor import rename

CART = "class Cart:\n    def total(self):\n        return 1\n\n\nclass Receipt:\n    def total(self):\n        return 0\n"
HEAD = "from shop.cart import Cart, Receipt\n\n\n"
ORDER = "class Order:\n    def __init__(self, cart):\n        self.cart = cart\n\n    def due(self):\n        return self.cart.total()\n\n\n"
SITE = "self.cart.total()"

# shop/order.py after HEAD; shop/more.py; what becomes of SITE.
CASES = [
    pytest.param(
        ORDER + "def run():\n    return Order(Cart())\n",
        "",
        "renamed",
        id="every-construction-passes-the-class",
    ),
    pytest.param(
        ORDER + "def run():\n    return Order(cart=Cart())\n",
        "from shop.order import Order\nfrom shop.cart import Receipt\n\n\ndef again():\n    return Order(Receipt())\n",
        "unsure",
        id="another-module-passes-another-class",
    ),
    pytest.param(
        ORDER + "def run():\n    return Order(Receipt())\n",
        "",
        "other",
        id="every-construction-another-class",
    ),
    pytest.param(
        ORDER + "def run():\n    Order(Cart())\n    return Order\n",
        "",
        "unsure",
        id="the-class-returned-as-a-value",
    ),
    pytest.param(
        ORDER + "def run(module):\n    Order(Cart())\n    return getattr(module, 'Order')\n",
        "",
        "unsure",
        id="the-class-named-in-a-string",
    ),
    pytest.param(
        ORDER + "def run(*args):\n    Order(Cart())\n    return Order(*args)\n", "", "unsure", id="star-args"
    ),
    pytest.param(ORDER, "", "unsure", id="never-constructed"),
    pytest.param(
        ORDER.replace("(self, cart)", "(self, cart=Cart())") + "def run():\n    return Order()\n",
        "",
        "renamed",
        id="left-to-a-default-of-the-class",
    ),
    pytest.param(
        ORDER.replace("(self, cart)", "(self, cart=None)")
        + "def run():\n    Order()\n    return Order(Receipt())\n",
        "",
        "other",
        id="none-by-default-adds-nothing",
    ),
    pytest.param(
        ORDER.replace("        self.cart", "        assert isinstance(cart, Cart)\n        self.cart")
        + "def run(anything):\n    return Order(anything)\n",
        "",
        "renamed",
        id="asserted-with-isinstance",
    ),
    pytest.param(
        ORDER.replace(
            "        self.cart",
            "        if not isinstance(cart, Receipt):\n            raise TypeError\n        self.cart",
        )
        + "def run(anything):\n    return Order(anything)\n",
        "",
        "other",
        id="if-not-isinstance-raise",
    ),
    pytest.param(
        ORDER.replace("        self.cart", "        cart = cart or Receipt()\n        self.cart")
        + "def run():\n    return Order(Cart())\n",
        "",
        "unsure",
        id="the-parameter-bound-again",
    ),
    pytest.param(
        ORDER + "class Rush(Order):\n    def __init__(self, cart):\n        super().__init__(cart)\n\n\n"
        "def run():\n    return Order(Cart())\n",
        "",
        "unsure",
        id="an-overriding-subclass-passes-its-own-untyped-parameter",
    ),
    pytest.param(
        ORDER + "class Rush(Order):\n    def __init__(self):\n        super().__init__(Cart())\n\n\n"
        "def run():\n    return Order(Cart())\n",
        "",
        "renamed",
        id="an-overriding-subclass-passes-the-class",
    ),
    pytest.param(
        ORDER + "class Rush(Order):\n    def __init__(self):\n        Order.__init__(self, Receipt())\n\n\n"
        "def run():\n    return Order(Cart())\n",
        "",
        "unsure",
        id="an-overriding-subclass-calls-the-base-init-by-name",
    ),
    pytest.param(
        ORDER
        + "class Rush(Order):\n    def __init__(self):\n        super(Rush, self).__init__(Receipt())\n\n\n"
        "def run():\n    return Order(Cart())\n",
        "",
        "unsure",
        id="an-overriding-subclass-calls-super-with-arguments",
    ),
    pytest.param(
        ORDER
        + "class Rush(Order):\n    pass\n\n\ndef run():\n    Order(Cart())\n    return Rush(Receipt())\n",
        "",
        "unsure",
        id="an-inheriting-subclass-built-with-another-class",
    ),
    pytest.param(
        ORDER
        + "    @classmethod\n    def empty(cls):\n        return cls(Receipt())\n\n\ndef run():\n    return Order(Cart())\n",
        "",
        "unsure",
        id="cls-in-a-classmethod-builds-it-too",
    ),
    pytest.param(
        ORDER
        + "    def copy(self):\n        return type(self)(Receipt())\n\n\ndef run():\n    return Order(Cart())\n",
        "",
        "unsure",
        id="type-of-self-builds-it-too",
    ),
    pytest.param(
        ORDER + "class Shop:\n    def __init__(self, cart):\n        self.cart = cart\n\n"
        "    def order(self):\n        return Order(self.cart)\n\n\ndef run():\n    return Shop(Cart()).order()\n",
        "",
        "renamed",
        id="passed-on-from-another-such-attribute",
    ),
    pytest.param(
        ORDER + "def make(cart: Cart):\n    return Order(cart)\n",
        "",
        "renamed",
        id="from-an-annotated-parameter",
    ),
    pytest.param(
        ORDER + "def make(cart):\n    return Order(cart)\n\n\ndef run():\n    return make(Cart())\n",
        "",
        "renamed",
        id="from-an-untyped-parameter-every-caller-gives-the-class",
    ),
    pytest.param(
        ORDER
        + "def make(cart):\n    cart = cart or Receipt()\n    return Order(cart)\n\n\ndef run():\n    return make(Cart())\n",
        "",
        "unsure",
        id="from-a-parameter-bound-again",
    ),
    pytest.param(
        ORDER
        + "def make(cart, n):\n    if n:\n        return make(cart, n - 1)\n    return Order(cart)\n\n\n"
        "def run():\n    return make(Cart(), 3)\n",
        "",
        "unsure",
        id="from-a-parameter-passed-round-a-cycle",
    ),
    pytest.param(
        ORDER.replace("class Order:", "class Order(object):") + "def run():\n    return Order(Cart())\n",
        "",
        "renamed",
        id="an-object-base-builds-nothing",
    ),
    pytest.param(
        ORDER.replace("class Order:", "class Order(dict):") + "def run():\n    return Order(Cart())\n",
        "",
        "unsure",
        id="a-standard-library-base-may-build-it",
    ),
    pytest.param(
        ORDER.replace("class Order:", "@register\nclass Order:") + "def run():\n    return Order(Cart())\n",
        "",
        "unsure",
        id="a-decorated-class",
    ),
]


@pytest.mark.parametrize(("use", "more", "outcome"), CASES)
def test_an_attribute_holds_what_every_construction_passes(
    tmp_path: Path, use: str, more: str, outcome: str
) -> None:
    use = use.replace("\n@register", "\nregister = print\n\n\n@register") if "@register" in use else use
    files = {"shop/__init__.py": "", "shop/cart.py": CART, "shop/order.py": HEAD + use, "shop/more.py": more}
    plan = rename.plan(tmp_path, make(tmp_path, files), "shop.cart.Cart.total", "grand_total")
    text = plan.contents.get("shop/order.py", b"").decode()
    if outcome == "renamed":
        assert "self.cart.grand_total()" in text
        assert not plan.unsure, plan.unsure
        return
    assert "shop/order.py" not in plan.contents
    found = plan.others if outcome == "other" else plan.unsure
    assert [s.path for s in found] == ["shop/order.py"], (plan.others, plan.unsure)
    assert all(s.text for s in found), "every site left alone says why"


NARROWED = (
    HEAD + "def pay(item, ready):\n    if isinstance(item, Cart) and ready:\n        return item.total()\n"
)


def test_an_isinstance_test_joined_by_and_narrows_the_body(tmp_path: Path) -> None:
    files = {"shop/__init__.py": "", "shop/cart.py": CART, "shop/pay.py": NARROWED}
    plan = rename.plan(tmp_path, make(tmp_path, files), "shop.cart.Cart.total", "grand_total")
    assert "item.grand_total()" in plan.contents["shop/pay.py"].decode()
    assert not plan.unsure


def test_an_isinstance_test_joined_by_or_does_not_narrow(tmp_path: Path) -> None:
    files = {"shop/__init__.py": "", "shop/cart.py": CART, "shop/pay.py": NARROWED.replace(" and ", " or ")}
    plan = rename.plan(tmp_path, make(tmp_path, files), "shop.cart.Cart.total", "grand_total")
    assert "shop/pay.py" not in plan.contents
    assert [s.path for s in plan.unsure] == ["shop/pay.py"]


TWO = (
    HEAD + "class Other:\n    def total(self):\n        return 2\n\n\n"
    "def pick(flag):\n    if flag:\n        return {first}\n    return Other()\n\n\n"
    "def run():\n    return pick(True).total()\n"
)


@pytest.mark.parametrize(
    ("first", "outcome"),
    [
        pytest.param("Receipt()", "other", id="neither-is-the-class"),
        pytest.param("Cart()", "unsure", id="one-is"),
    ],
)
def test_a_function_returning_one_of_two_types(tmp_path: Path, first: str, outcome: str) -> None:
    files = {"shop/__init__.py": "", "shop/cart.py": CART, "shop/pick.py": TWO.format(first=first)}
    plan = rename.plan(tmp_path, make(tmp_path, files), "shop.cart.Cart.total", "grand_total")
    assert "shop/pick.py" not in plan.contents
    found = plan.others if outcome == "other" else plan.unsure
    assert [s.line for s in found if s.path == "shop/pick.py"] == [16], (plan.others, plan.unsure)


def test_a_with_target_of_a_star_reexported_class_has_what_its_enter_returns(tmp_path: Path) -> None:
    """more-itertools: ``with mi.callback_iter(...) as it: it.done`` where ``callback_iter`` reaches
    the package through ``from .more import *``; ``self._future.done()`` stays a Future's."""
    files = {
        "pkg/__init__.py": "from .more import *\n",
        "pkg/more.py": (
            "__all__ = ['Waiter']\n\n\nclass Waiter:\n    def __init__(self):\n"
            "        self._future = __import__('concurrent.futures').futures.Future()\n\n"
            "    def __enter__(self):\n        return self\n\n"
            "    def __exit__(self, *exc):\n        return False\n\n"
            "    @property\n    def done(self):\n        return self._future.done()\n"
        ),
        "tests/test_more.py": (
            "import pkg as mi\n\n\ndef test_done():\n    with mi.Waiter() as it:\n        assert not it.done\n"
        ),
    }
    plan = rename.plan(tmp_path, make(tmp_path, files), "pkg.more.Waiter.done", "finished")
    assert "it.finished" in plan.contents["tests/test_more.py"].decode()
    assert plan.unsure and all(s.text.startswith("self._future.done:") for s in plan.unsure)
    assert "self._future.done()" in plan.contents["pkg/more.py"].decode()
