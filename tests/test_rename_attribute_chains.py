"""Receivers reached through what a class declares: a property's return annotation (``self.state.x``),
an ``async for`` over an instance (``__aiter__`` / ``__anext__``, as ``for`` reads ``__iter__`` /
``__next__``), an attribute that stores a class (``self.error_cls(...)`` of a parameter annotated
``type[E]``) and an item of ``self[...]`` through ``__getitem__``."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_rename import make

from hookwright.refactor import rename

CART = "class Cart:\n    def total(self):\n        return 1\n\n\nclass Receipt:\n    def total(self):\n        return 0\n"
# markdown-it-py 4.3.0's MarkdownIt.__getitem__ (overloads by Literal key) and `self.ruler2 = Ruler[T]()`
STORE = (
    "import typing\nfrom typing import Literal, overload\n\nfrom shop.cart import Cart, Receipt\n\n\n"
    "class Shelf:\n    def __init__(self):\n        self.cart = Cart[int]()\n\n\n"
    "class Store:\n    @overload\n    def __getitem__(self, name: Literal['cart']) -> Cart: ...\n\n"
    "    @overload\n    def __getitem__(self, name: Literal['receipt', 'till']) -> Receipt: ...\n\n"
    "    @overload\n    def __getitem__(self, name: Literal['shelf']) -> Shelf: ...\n\n"
    "    @overload\n    def __getitem__(self, name: str) -> typing.Any: ...\n\n"
    "    def __getitem__(self, name: str) -> typing.Any:\n        return getattr(self, name)\n"
)
HEAD = (
    "from __future__ import annotations\n\nimport typing\n\nfrom shop.cart import Cart, Receipt\n"
    "from shop.store import Shelf, Store\n\n\n"
)

CASES = [
    # tenacity 9.2.1's BaseRetrying.iter_state: `@property def iter_state(self) -> IterState`
    pytest.param(
        "class Till:\n    @property\n    def cart(self) -> Cart:\n        return self._local.cart\n\n"
        "    def pay(self):\n        return self.cart.total()\n",
        "renamed",
        id="a-property-annotated-with-the-class",
    ),
    pytest.param(
        "class Till:\n    @property\n    def cart(self) -> Receipt:\n        return self._local.cart\n\n"
        "    def pay(self):\n        return self.cart.total()\n",
        "other",
        id="a-property-annotated-with-another-class",
    ),
    pytest.param(
        "class Till:\n    @property\n    def cart(self):\n        return self._local.cart\n\n"
        "    def pay(self):\n        return self.cart.total()\n",
        "unsure",
        id="a-property-without-an-annotation",
    ),
    # tenacity 9.2.1's tests: `async for attempt in AsyncRetrying(...)`, `__aiter__ -> "AsyncRetrying"`,
    # `async def __anext__(self) -> AttemptManager`
    pytest.param(
        "class Carts:\n    def __aiter__(self) -> Carts:\n        return self\n\n"
        "    async def __anext__(self) -> Cart:\n        return self.made\n\n\n"
        "async def pay():\n    async for cart in Carts():\n        cart.total()\n",
        "renamed",
        id="async-for-over-an-instance-through-aiter-and-anext",
    ),
    pytest.param(
        "class Carts:\n    def __iter__(self) -> typing.Iterator[Cart]:\n        return iter(self.made)\n\n\n"
        "def pay():\n    for cart in Carts():\n        cart.total()\n",
        "renamed",
        id="for-over-an-instance-whose-iter-is-annotated",
    ),
    pytest.param(
        "class Carts:\n    def __aiter__(self) -> Carts:\n        return self\n\n"
        "    async def __anext__(self) -> Receipt:\n        return self.made\n\n\n"
        "async def pay():\n    async for cart in Carts():\n        cart.total()\n",
        "other",
        id="async-for-whose-anext-gives-another-class",
    ),
    pytest.param(
        "class Carts:\n    def __aiter__(self) -> Carts:\n        return self\n\n"
        "    async def __anext__(self):\n        return self.made\n\n\n"
        "async def pay():\n    async for cart in Carts():\n        cart.total()\n",
        "unsure",
        id="async-for-whose-anext-says-nothing",
    ),
    # tenacity 9.2.1's `retry_exc = self.retry_error_cls(fut)`, `retry_error_cls: type[RetryError]` in __init__
    pytest.param(
        "class Till:\n    def __init__(self, kind: type[Cart] = Cart):\n        self.kind = kind\n\n"
        "    def pay(self):\n        made = self.kind()\n        return made.total()\n",
        "renamed",
        id="an-attribute-storing-a-parameter-annotated-type-of-the-class",
    ),
    pytest.param(
        "class Till:\n    def __init__(self, kind: typing.Type[Receipt] = Receipt):\n        self.kind = kind\n\n"
        "    def pay(self):\n        made = self.kind()\n        return made.total()\n",
        "other",
        id="an-attribute-storing-type-of-another-class",
    ),
    pytest.param(
        "class Till:\n    def __init__(self, kind: type[Cart] = Cart):\n        self.kind = kind\n\n"
        "    def pay(self):\n        made = self.kind()\n        return made.total()\n\n\n"
        "class Shop(Till):\n    def kind(self):\n        return Receipt()\n",
        "unsure",
        id="a-subclass-makes-the-attribute-a-method",
    ),
    pytest.param(
        "class Till:\n    def __init__(self, kind: type[Cart] = Cart):\n        self.kind = kind\n\n"
        "    def pay(self):\n        made = self.kind()\n        return made.total()\n\n\n"
        "class Shop(Till):\n    def reset(self, maker):\n        self.kind = maker\n",
        "unsure",
        id="a-subclass-stores-something-else",
    ),
    pytest.param(
        "def pay(store: Store):\n    return store['cart'].total()\n",
        "renamed",
        id="getitem-overload-taking-the-literal-key",
    ),
    pytest.param(
        "def pay(store: Store):\n    for key in ['receipt', 'till']:\n        store[key].total()\n",
        "other",
        id="getitem-overloads-of-each-key-a-loop-gives",
    ),
    pytest.param(
        "def pay(store: Store, key: str):\n    return store[key].total()\n",
        "unsure",
        id="getitem-of-a-key-not-stated",
    ),
    pytest.param(
        "def pay(store: Store):\n    return {key: store[key].cart.total() for key in ['shelf']}\n",
        "renamed",
        id="getitem-then-an-attribute-a-generic-class-call-makes",
    ),
    pytest.param(
        "def pay(shelf: Shelf):\n    return shelf.cart.total()\n",
        "renamed",
        id="an-attribute-a-generic-class-call-makes",
    ),
]


@pytest.mark.parametrize(("use", "outcome"), CASES)
def test_receivers_reached_through_declarations(tmp_path: Path, use: str, outcome: str) -> None:
    files = {"shop/__init__.py": "", "shop/cart.py": CART, "shop/store.py": STORE, "shop/use.py": HEAD + use}
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
