"""Renames on real code shapes: aliases, relative imports, self, shadowing, PEP 695, match, refusals."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hookwright.refactor import rename
from hookwright.refactor.symbol_index import RenameRefused


def make(root: Path, files: dict[str, str]) -> list[str]:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return sorted(files)


def renamed(root: Path, files: dict[str, str], old: str, new: str, **options: bool) -> dict[str, str]:
    paths = make(root, files)
    plan = rename.plan(root, paths, old, new, **options)
    result = {p: (root / p).read_text() for p in paths}
    result.update({p: data.decode() for p, data in plan.contents.items()})
    return {p: text for p, text in result.items() if text != textwrap.dedent(files[p]).lstrip("\n")}


PACKAGE = {
    "pkg/__init__.py": """
        from .core import parse_config
        from . import core as core_module

        __all__ = ["parse_config", "core_module"]
    """,
    "pkg/core.py": """
        import json


        def parse_config(text):
            return json.loads(text)


        def load(path):
            with open(path) as handle:
                return parse_config(handle.read())
    """,
    "pkg/cli/__init__.py": "",
    "pkg/cli/main.py": """
        from ..core import parse_config as parse
        from .. import core
        from pkg import parse_config


        def run(text):
            return parse(text), core.parse_config(text), parse_config(text)
    """,
    "app.py": """
        import pkg.core
        import pkg.core as pc
        from pkg.core import parse_config


        def main(parse_config=None):  # a parameter of the same name is another thing
            return parse_config


        def other():
            return pkg.core.parse_config("{}"), pc.parse_config("[]")


        print(parse_config("1"))
    """,
    "unrelated.py": "VALUE = 1\n",
}


def test_every_import_form_alias_and_reexport_is_renamed(tmp_path: Path) -> None:
    result = renamed(tmp_path, PACKAGE, "pkg.core.parse_config", "read_config")
    assert result["pkg/__init__.py"].splitlines()[0] == "from .core import read_config"
    assert '__all__ = ["read_config", "core_module"]' in result["pkg/__init__.py"]
    assert "def read_config(text):" in result["pkg/core.py"]
    assert "return read_config(handle.read())" in result["pkg/core.py"]
    main = result["pkg/cli/main.py"]
    assert "from ..core import read_config as parse\n" in main
    assert "from pkg import read_config\n" in main
    assert "return parse(text), core.read_config(text), read_config(text)" in main
    app = result["app.py"]
    assert "def main(parse_config=None):" in app and "    return parse_config\n" in app
    assert 'pkg.core.read_config("{}"), pc.read_config("[]")' in app
    assert 'print(read_config("1"))' in app
    assert "unrelated.py" not in result


def test_the_public_name_of_a_reexport_finds_the_definition(tmp_path: Path) -> None:
    paths = make(tmp_path, PACKAGE)
    plan = rename.plan(tmp_path, paths, "pkg.parse_config", "read_config")
    assert (plan.definition.path, plan.definition.line) == ("pkg/core.py", 4)
    assert plan.definition.kind == "definition"


def test_only_files_holding_the_name_are_parsed(tmp_path: Path) -> None:
    paths = make(tmp_path, {**PACKAGE, **{f"other{i}.py": "x = 1\n" for i in range(5)}})
    plan = rename.plan(tmp_path, paths, "pkg.core.parse_config", "read_config")
    assert plan.parsed == 4


METHODS = {
    "shop/__init__.py": "",
    "shop/cart.py": """
        class Cart:
            def __init__(self):
                self.items = []

            def tally(self):
                return sum(self.items)

            def report(self):
                return f"{self.tally()}"

            @classmethod
            def empty_tally(cls):
                return cls().tally()


        class GiftCart(Cart):
            def tally(self):
                return super().tally() + 1


        class Invoice:  # another class with a tally: a receiver of unknown type may be either
            def tally(self):
                return 0
    """,
    "shop/use.py": """
        from shop.cart import Cart, GiftCart


        def checkout(cart: Cart, anything):
            fresh = GiftCart()
            return cart.tally(), fresh.tally(), Cart.tally(cart), anything.tally()


        def test_a_local_subclass():
            class Discounted(Cart):
                def tally(self):
                    return super().tally() - 1

            return Discounted().tally()
    """,
}


def test_methods_through_self_cls_super_subclasses_and_typed_names(tmp_path: Path) -> None:
    result = renamed(tmp_path, METHODS, "shop.cart.Cart.tally", "grand_tally")
    cart = result["shop/cart.py"]
    assert cart.count("def grand_tally(self):") == 2, "the override in the subclass follows"
    assert 'f"{self.grand_tally()}"' in cart
    assert "return cls().grand_tally()" in cart
    assert "return super().grand_tally() + 1" in cart
    use = result["shop/use.py"]
    assert "cart.grand_tally(), fresh.grand_tally(), Cart.grand_tally(cart), anything.tally()" in use
    assert "def grand_tally(self):\n            return super().grand_tally() - 1" in use, (
        "a class in a function"
    )
    assert "return Discounted().grand_tally()" in use


def test_attributes_of_unknown_objects_are_unsure_and_renamed_only_when_asked(tmp_path: Path) -> None:
    paths = make(tmp_path, METHODS)
    plan = rename.plan(tmp_path, paths, "shop.cart.Cart.tally", "grand_tally")
    assert [(s.path, s.line, s.kind) for s in plan.unsure] == [("shop/use.py", 6, "attribute")]
    loose = rename.plan(tmp_path, paths, "shop.cart.Cart.tally", "grand_tally", include_unsure=True)
    assert b"anything.grand_tally()" in loose.contents["shop/use.py"]


def test_names_shadowed_in_inner_scopes_are_left_alone(tmp_path: Path) -> None:
    files = {
        "calc.py": """
            def scale(x):
                return x * 2


            def apply(values, scale=None):
                return [scale(v) for v in values]


            def nested():
                def scale(v):
                    return v
                return scale(3)


            def uses():
                return [scale(scale) for scale in (1, 2)], scale(4)


            class Holder:
                scale = 3

                def method(self):
                    return scale(self.scale)
        """,
    }
    result = renamed(tmp_path, files, "calc.scale", "double")["calc.py"]
    assert result.startswith("def double(x):")
    assert "def apply(values, scale=None):\n    return [scale(v) for v in values]" in result
    assert "    def scale(v):\n        return v\n    return scale(3)" in result
    assert "return [scale(scale) for scale in (1, 2)], double(4)" in result
    assert "    scale = 3\n" in result and "return double(self.scale)" in result


def test_pep_695_and_match_statements(tmp_path: Path) -> None:
    files = {
        "geo/__init__.py": "",
        "geo/shapes.py": """
            from dataclasses import dataclass


            def area[T: (int, float)](side: T) -> T:
                return side * side


            type Sides = list[area]


            class Box[T]:
                def __init__(self, item: T) -> None:
                    self.item = area(item)


            @dataclass
            class Point:
                x: int
                y: int


            def describe(shape):
                match shape:
                    case Point(x=0, y=0):
                        return area(0)
                    case [first, *rest] if area(first):
                        return rest
                    case {"area": area_value}:
                        return area_value
                    case _:
                        return None
        """,
    }
    result = renamed(tmp_path, files, "geo.shapes.area", "square")["geo/shapes.py"]
    assert "def square[T: (int, float)](side: T) -> T:" in result
    assert "type Sides = list[square]" in result
    assert "self.item = square(item)" in result
    assert "return square(0)" in result and "if square(first):" in result
    assert 'case {"area": area_value}:' in result, "a mapping key is a string, not the function"


def test_unsure_sites_getattr_strings_and_star_imports(tmp_path: Path) -> None:
    files = {
        "plug/__init__.py": "",
        "plug/hooks.py": """
            def on_save(doc):
                return doc
        """,
        "plug/registry.py": """
            from plug import hooks
            from plug.hooks import *

            HANDLERS = {"save": getattr(hooks, "on_save")}
            TARGET = "plug.hooks.on_save"
            LABEL = "on_save is called on save"


            def fire(doc):
                return on_save(doc)
        """,
    }
    paths = make(tmp_path, files)
    plan = rename.plan(tmp_path, paths, "plug.hooks.on_save", "after_save")
    assert sorted(s.kind for s in plan.unsure) == ["getattr", "star-import", "string"]
    assert "plug/registry.py" not in plan.contents, "unsure sites wait for --include-unsure"
    loose = rename.plan(tmp_path, paths, "plug.hooks.on_save", "after_save", include_unsure=True)
    text = loose.contents["plug/registry.py"].decode()
    assert 'getattr(hooks, "after_save")' in text
    assert 'TARGET = "plug.hooks.after_save"' in text
    assert "return after_save(doc)" in text
    assert 'LABEL = "on_save is called on save"' in text, "prose is not a reference"


def test_formatting_comments_and_crlf_survive_byte_for_byte(tmp_path: Path) -> None:
    source = b"# -*- coding: utf-8 -*-\r\nMAX_SIZE = 10  # bytes\r\n\r\n\r\ndef f(  x ,y ):\r\n    return MAX_SIZE+x # sum\r\n"
    (tmp_path / "conf.py").write_bytes(source)
    plan = rename.plan(tmp_path, ["conf.py"], "conf.MAX_SIZE", "LIMIT")
    assert plan.contents["conf.py"] == source.replace(b"MAX_SIZE", b"LIMIT")


REFUSALS = {
    "a keyword": ("calc.scale", "class", "is a Python keyword"),
    "not an identifier": ("calc.scale", "two words", "not a Python identifier"),
    "bound at module level": ("calc.scale", "helper", "helper is already bound at calc.py:5"),
    "bound where a reference is": ("calc.scale", "tmp", "tmp is already bound at calc.py:10"),
    "shadows a builtin in use": ("calc.scale", "len", "len is already bound at calc.py:11"),
    "no such module": ("nowhere.scale", "other", "does not exist: no module"),
    "no such name": ("calc.missing", "other", "calc defines no 'missing'"),
    "no such member": ("calc.Holder.missing", "other", "has no member 'missing'"),
    "a module": ("calc", "other", "not a dotted qualified name"),
    "same name": ("calc.scale", "scale", "already called scale"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refusals_name_the_sites(tmp_path: Path, case: str) -> None:
    files = {
        "calc.py": """
            def scale(x):
                return x * 2


            def helper():
                return 1


            def use():
                tmp = 3
                return scale(tmp), len([])


            class Holder:
                pass
        """,
    }
    old, new, message = REFUSALS[case]
    paths = make(tmp_path, files)
    with pytest.raises(RenameRefused, match=message.replace(".", r"\.").replace("(", r"\(")):
        rename.plan(tmp_path, paths, old, new)


def test_a_file_libcst_cannot_parse_is_reported_and_the_rest_renamed(tmp_path: Path) -> None:
    files = {
        "lib.py": "def go():\n    pass\n",
        "old.py": "print 'go'\nfrom lib import go\n",
        "ok.py": "from lib import go\n",
    }
    paths = make(tmp_path, files)
    plan = rename.plan(tmp_path, paths, "lib.go", "run")
    assert [path for path, _ in plan.skipped] == ["old.py"]
    assert plan.contents["ok.py"] == b"from lib import run\n"


def test_star_reexports_and_the_x_as_x_idiom_follow_the_rename(tmp_path: Path) -> None:
    files = {
        "core/__init__.py": "from .conv import to_bool as to_bool\n",
        "core/conv.py": '__all__ = ["to_bool"]\n\n\ndef to_bool(value):\n    return bool(value)\n',
        "public/__init__.py": "",
        "public/conv.py": "from core.conv import *  # noqa: F403\n",
        "use.py": "import core\nimport public.conv\nfrom public.conv import to_bool\n\n"
        "print(core.to_bool(1), public.conv.to_bool(0), to_bool(2))\n",
    }
    result = renamed(tmp_path, files, "core.conv.to_bool", "as_bool")
    assert result["core/__init__.py"] == "from .conv import as_bool as as_bool\n"
    assert "public/conv.py" not in result, "the star import re-exports the new name by itself"
    assert result["use.py"].endswith(
        "from public.conv import as_bool\n\nprint(core.as_bool(1), public.conv.as_bool(0), as_bool(2))\n"
    )


def test_positions_from_tokens_agree_with_libcst_on_real_modules() -> None:
    """cst_positions maps the k-th node to the k-th token; libcst's own (slow) positions must agree."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    from hookwright.refactor.cst_positions import Positions

    names = ("self", "path", "data", "name", "report")

    class Walk(cst.CSTVisitor):
        def __init__(self, positions: Positions) -> None:
            super().__init__()
            self.positions = positions
            self.seen: list[cst.CSTNode] = []

        def on_visit(self, node: cst.CSTNode) -> bool:
            self.positions.note(node)
            if isinstance(node, cst.SimpleString) or (isinstance(node, cst.Name) and node.value in names):
                self.seen.append(node)
            return True

    root = Path(__file__).resolve().parent.parent
    for path in ("lib/transactions.py", "lib/parallel.py", "lib/reporting.py", "hooks/refactor_patch.py"):
        tree = cst.parse_module((root / path).read_bytes())
        wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
        walk = Walk(Positions(wrapper, names))
        tree.visit(walk)
        real = wrapper.resolve(PositionProvider)
        assert len(walk.seen) > 50
        for node in walk.seen:
            start = real[node].start
            assert walk.positions[node] == (start.line, start.column + 1), (path, start)


TYPED = {
    "shop/__init__.py": "",
    "shop/cart.py": """
        import optparse
        from typing import Optional


        class Cart:
            def get(self, key):
                return key


        class Shelf:
            label: Cart

            def __init__(self):
                self.cart = Cart()
                self.parser = optparse.OptionParser()

            def get(self, key):
                return self.cart.get(key), self.label.get(key), self.parser.get_usage()

            def other(self):
                return self.get(1)
    """,
    "shop/use.py": """
        from typing import Optional, Union

        from shop.cart import Cart, Shelf


        def typed(a: Optional[Cart], b: "Cart", c: Cart | None, d: Union[Cart, None]):
            return a.get(1), b.get(2), c.get(3), d.get(4), Cart().get(5)


        def narrowed(thing, table: dict, shelf: Shelf):
            if isinstance(thing, Cart):
                thing.get(6)
            made = {}
            return table.get(7), made.get(8), "s".get, shelf.get(9), thing.get(10)
    """,
}


def test_receivers_are_judged_by_what_the_code_says_they_are(tmp_path: Path) -> None:
    paths = make(tmp_path, TYPED)
    plan = rename.plan(tmp_path, paths, "shop.cart.Cart.get", "fetch", include_unsure=True)
    cart = plan.contents["shop/cart.py"].decode()
    assert "return self.cart.fetch(key), self.label.fetch(key), self.parser.get_usage()" in cart
    assert "def get(self, key):\n        return self.cart" in cart, "Shelf.get is another class's method"
    assert "return self.get(1)" in cart, "self in Shelf is a Shelf"
    use = plan.contents["shop/use.py"].decode()
    assert "return a.fetch(1), b.fetch(2), c.fetch(3), d.fetch(4), Cart().fetch(5)" in use
    assert "thing.fetch(6)" in use
    assert 'return table.get(7), made.get(8), "s".get, shelf.get(9), thing.fetch(10)' in use
    others = {(s.line, s.text.split(":")[0]) for s in plan.others}
    assert {(14, "table.get"), (14, "made.get"), (14, "simplestring.get"), (14, "shelf.get")} <= others
    assert [(s.line, s.text) for s in plan.unsure] == [(14, "thing.get: thing is a parameter without a type")]


def test_a_method_the_standard_library_calls_by_name_is_not_renamed(tmp_path: Path) -> None:
    files = {
        "work.py": """
            import threading


            class Worker(threading.Thread):
                def run(self):
                    return 1


            class Table(dict):
                def get(self, key, default=None):
                    return 2

                def own(self):
                    return 3
        """
    }
    paths = make(tmp_path, files)
    with pytest.raises(RenameRefused, match=r"overrides threading\.Thread\.run of the standard library"):
        rename.plan(tmp_path, paths, "work.Worker.run", "go")
    with pytest.raises(RenameRefused, match=r"overrides builtins\.dict\.get"):
        rename.plan(tmp_path, paths, "work.Table.get", "fetch")
    with pytest.raises(RenameRefused, match="special name"):
        rename.plan(tmp_path, paths, "work.Table.own", "__len__")
    assert rename.plan(tmp_path, paths, "work.Table.own", "mine").contents


def test_a_method_an_installed_package_calls_by_name_is_not_renamed(tmp_path: Path) -> None:
    """Read from the package's source, never imported: pytest's own classes stand in for any library."""
    files = {
        "plugin.py": """
            from _pytest.reports import TestReport


            class Report(TestReport):
                def toterminal(self, out):
                    return None

                def mine(self):
                    return 1
        """
    }
    paths = make(tmp_path, files)
    with pytest.raises(
        RenameRefused, match=r"overrides _pytest\.reports\.TestReport\.toterminal of the installed"
    ):
        rename.plan(tmp_path, paths, "plugin.Report.toterminal", "show")
    assert rename.plan(tmp_path, paths, "plugin.Report.mine", "own").contents


def test_a_name_only_the_class_has_is_renamed_on_receivers_of_unknown_type(tmp_path: Path) -> None:
    files = dict(METHODS)
    files["shop/cart.py"] = files["shop/cart.py"].split("class Invoice")[0]
    plan = rename.plan(tmp_path, make(tmp_path, files), "shop.cart.Cart.tally", "grand_tally")
    assert not plan.unsure
    assert "anything.grand_tally()" in plan.contents["shop/use.py"].decode()
    typed = sorted(s.text for s in plan.sites if s.kind == "typed")
    assert typed == [
        "anything.tally: anything is a parameter without a type; but no other class here and no built-in type"
        " has a tally",
        "cart.tally: a Cart",
        "fresh.tally: a GiftCart",
    ]


def test_an_override_of_a_method_of_the_projects_own_base_class_is_refused(tmp_path: Path) -> None:
    paths = make(tmp_path, METHODS)
    with pytest.raises(RenameRefused, match=r"overrides shop\.cart\.Cart\.tally; rename that one"):
        rename.plan(tmp_path, paths, "shop.cart.GiftCart.tally", "grand_tally")


def test_forward_references_in_annotations_follow_a_class_rename(tmp_path: Path) -> None:
    files = {
        "frames.py": """
            import typing as t


            class Frame:
                def child(self) -> "Frame":
                    return Frame()


            def outer(frame: t.Optional["Frame"], label: str = "Frame") -> None:
                pass
        """
    }
    result = renamed(tmp_path, files, "frames.Frame", "Scope")
    assert 'def child(self) -> "Scope":' in result["frames.py"]
    assert 'def outer(frame: t.Optional["Scope"], label: str = "Frame")' in result["frames.py"], (
        "a string that is not an annotation stays unsure"
    )


def test_a_local_variable_of_the_same_name_elsewhere_keeps_a_name_unique(tmp_path: Path) -> None:
    files = dict(METHODS)
    files["shop/cart.py"] = files["shop/cart.py"].split("class Invoice")[0]
    files["shop/other.py"] = """
        class Ledger:
            def sum(self):
                tally = 3
                return tally
    """
    plan = rename.plan(tmp_path, make(tmp_path, files), "shop.cart.Cart.tally", "grand_tally")
    assert not plan.unsure, "a method's local `tally` is not an attribute of another class"
