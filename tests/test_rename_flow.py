"""What a name holds where it is used: the assignments that reach the use (reaching_assignments),
and ``typing.cast(T, x)``, which says the type (receiver_types)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_rename import make

from hookwright.refactor import rename

CART = "class Cart:\n    def total(self):\n        return 1\n\n\nclass Receipt:\n    def total(self):\n        return 0\n"
HEAD = "import typing\nfrom typing import cast\n\nfrom shop.cart import Cart, Receipt\n\n\n"

# jsonpatch 1.33's apply_patch: the parameter is bound again on every way to the use
BOTH_BRANCHES = """def apply(cart, fresh):
    if isinstance(cart, str):
        cart = Cart()
    else:
        cart = Cart()
    return cart.total()
"""

CASES = [
    pytest.param(BOTH_BRANCHES, "renamed", id="both-branches-of-an-if-bind-it"),
    pytest.param(
        "def apply(cart, fresh):\n    if fresh:\n        cart = Cart()\n    elif cart:\n        cart = Cart()\n"
        "    else:\n        raise ValueError(cart)\n    return cart.total()\n",
        "renamed",
        id="an-elif-binds-it-and-the-else-raises",
    ),
    pytest.param(
        "def apply(cart):\n    try:\n        cart = Cart()\n    except ValueError:\n        cart = Cart()\n"
        "    return cart.total()\n",
        "renamed",
        id="a-try-and-its-handler-bind-it",
    ),
    pytest.param(
        "def apply(cart):\n    cart = Receipt()\n    cart = Cart()\n    return cart.total()\n",
        "renamed",
        id="bound-again-just-before",
    ),
    pytest.param(
        "def apply(cart, fresh):\n    if fresh:\n        cart = Cart()\n    return cart.total()\n",
        "unsure",
        id="an-if-without-else-can-skip-it",
    ),
    pytest.param(
        "def apply(cart, fresh):\n    if fresh:\n        cart = Cart()\n    else:\n        print(cart)\n"
        "    return cart.total()\n",
        "unsure",
        id="the-else-does-not-bind-it",
    ),
    pytest.param(
        "def apply(cart, items):\n    cart = Cart()\n    for item in items:\n        cart.total()\n"
        "        cart = Receipt()\n",
        "unsure",
        id="a-loop-binds-it-after-the-use-and-comes-round-again",
    ),
    pytest.param(
        "def apply(cart):\n    cart = Cart()\n    while cart.total():\n        cart = Receipt()\n",
        "unsure",
        id="a-while-test-after-its-body-bound-it",
    ),
    pytest.param(
        "def apply(cart):\n    try:\n        cart = Cart()\n        cart = Receipt()\n    except ValueError:\n"
        "        cart.total()\n",
        "unsure",
        id="a-handler-after-a-body-that-may-have-bound-it",
    ),
    pytest.param(
        "def apply(cart):\n    cart = Cart()\n\n    def later():\n        nonlocal cart\n        cart = Receipt()\n\n"
        "    later()\n    return cart.total()\n",
        "unsure",
        id="a-nested-function-binds-it-through-nonlocal",
    ),
    pytest.param(
        "def apply():\n    cart = Cart()\n\n    def later():\n        nonlocal cart\n        cart = Receipt()\n\n"
        "    later()\n    return cart.total()\n",
        "unsure",
        id="bound-once-and-again-through-nonlocal",
    ),
    pytest.param(
        "def apply(cart):\n    cart = Cart()\n    if (cart := Receipt()) and cart.total():\n        pass\n",
        "unsure",
        id="a-walrus-in-the-test-before-the-use",
    ),
    pytest.param(
        "def apply(cart):\n    import contextlib\n\n    cart = Receipt()\n    with contextlib.suppress(ValueError):\n"
        "        cart = Cart()\n    return cart.total()\n",
        "unsure",
        id="a-with-may-swallow-what-skipped-it",
    ),
    pytest.param(
        "def apply(cart, fresh):\n    if fresh:\n        cart = Receipt()\n    else:\n        cart = Receipt()\n"
        "    return cart.total()\n",
        "other",
        id="both-branches-bind-another-class",
    ),
    pytest.param(
        "@typing.overload\ndef make(v: int) -> Receipt: ...\n\n\n@typing.overload\ndef make(v: str) -> Cart: ...\n\n\n"
        "def make(v):\n    return Cart() if isinstance(v, str) else Receipt()\n\n\n"
        "def apply(v):\n    made = make(v)\n    return made.total()\n",
        "unsure",
        id="the-first-of-several-overloads-is-not-the-return",
    ),
    pytest.param("def apply(box):\n    return typing.cast(Cart, box).total()\n", "renamed", id="typing-cast"),
    pytest.param("def apply(box):\n    return cast('Cart', box).total()\n", "renamed", id="cast-to-a-string"),
    pytest.param(
        "def apply(box):\n    return cast(typ=Cart, val=box).total()\n", "renamed", id="cast-by-keywords"
    ),
    pytest.param(
        "def apply(box):\n    return cast(Receipt, box).total()\n", "other", id="cast-to-another-class"
    ),
]


@pytest.mark.parametrize(("use", "outcome"), CASES)
def test_a_name_holds_what_reaches_its_use(tmp_path: Path, use: str, outcome: str) -> None:
    files = {"shop/__init__.py": "", "shop/cart.py": CART, "shop/use.py": HEAD + use}
    plan = rename.plan(tmp_path, make(tmp_path, files), "shop.cart.Cart.total", "grand_total")
    line = next(n for n, text in enumerate((HEAD + use).splitlines(), 1) if ".total()" in text)
    if outcome == "renamed":
        assert ".grand_total()" in plan.contents["shop/use.py"].decode()
        assert not plan.unsure, plan.unsure
        return
    assert "shop/use.py" not in plan.contents
    found = plan.others if outcome == "other" else plan.unsure
    assert [(s.path, s.line) for s in found] == [("shop/use.py", line)], (plan.unsure, plan.others)
    assert all(s.text for s in found), "every site left alone says why"
