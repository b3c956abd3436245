"""Receivers and refusals added after the third held-out set (issue 21): type(self), TypeVar returns,
``pytest.raises``, ``with open``, and members found by a name given at run time."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_rename import make

from hookwright.refactor import rename
from hookwright.refactor.symbol_index import RenameRefused

CART = "class Cart:\n    def total(self):\n        return 1\n\n    @staticmethod\n    def _round(x):\n        return x\n"
OTHER = "\n\nclass Receipt:\n    def total(self):\n        return 0\n\n    @staticmethod\n    def _round(x):\n        return x\n"


def plan_of(tmp_path: Path, files: dict[str, str], old: str, new: str = "renamed_member") -> rename.Plan:
    return rename.plan(tmp_path, make(tmp_path, {"shop/__init__.py": "", **files}), old, new)


@pytest.mark.parametrize(
    ("method", "outcome"),
    [
        pytest.param(
            "        cls = type(self)\n        return cls._round(1)\n", "renamed", id="type-of-self"
        ),
        pytest.param("        return self.__class__._round(1)\n", "renamed", id="self-dunder-class"),
        pytest.param(
            "        cls = type(Receipt())\n        return cls._round(1)\n", "other", id="type-of-another"
        ),
        pytest.param(
            "        cls = type(thing)\n        return cls._round(1)\n", "unsure", id="type-of-unknown"
        ),
    ],
)
def test_the_class_of_a_value_has_its_members(tmp_path: Path, method: str, outcome: str) -> None:
    # semver's Version.bump_prerelease: cls = type(self); cls._increment_string(...)
    text = CART + "\n    def again(self, thing=None):\n" + method + OTHER
    plan = plan_of(tmp_path, {"shop/cart.py": text}, "shop.cart.Cart._round", "_rounded")
    site = [
        line
        for line in plan.contents["shop/cart.py"].decode().splitlines()
        if "return cls" in line or "__class__" in line
    ]
    if outcome == "renamed":
        assert "._rounded(1)" in site[0] and not plan.unsure
    else:
        assert "._round(1)" in site[0]
        assert len(plan.others if outcome == "other" else plan.unsure) == 1


TYPEVAR = (
    "from typing import Type, TypeVar\n\nT = TypeVar('T', bound='Version')\n\n\n"
    "class Version:\n    @classmethod\n    def parse(cls: Type[T], text) -> T:\n        return cls()\n\n"
    "    def compare(self, other):\n        return 0\n\n\n"
    "class Sub(Version):\n    pass\n\n\n"
    "def compare(a, b):\n    return Version.parse(a).compare(b)\n\n\n"
    "def sub(a, b):\n    return Sub.parse(a).compare(b)\n"
)


def test_a_return_annotated_with_the_typevar_of_cls_is_the_receivers_class(tmp_path: Path) -> None:
    plan = plan_of(tmp_path, {"shop/version.py": TYPEVAR}, "shop.version.Version.compare", "compare_to")
    text = plan.contents["shop/version.py"].decode()
    assert "Version.parse(a).compare_to(b)" in text and "Sub.parse(a).compare_to(b)" in text
    assert "def compare(a, b)" in text, "the module function of the same name is another symbol"
    assert not plan.unsure


def test_a_typevar_return_on_an_unrelated_class_is_that_class(tmp_path: Path) -> None:
    loader = (
        "\n\nclass Loader:\n    @classmethod\n    def load(cls: Type[T]) -> T:\n        return cls()\n\n"
        "    def compare(self, other):\n        return 1\n\n\ndef use():\n    return Loader.load().compare(1)\n"
    )
    plan = plan_of(
        tmp_path, {"shop/version.py": TYPEVAR + loader}, "shop.version.Version.compare", "compare_to"
    )
    assert "Loader.load().compare(1)" in plan.contents["shop/version.py"].decode()
    assert [s.text for s in plan.others] == ["Loader.load(...).compare: a Loader"], plan.others


RAISES = (
    "import pytest\n\nfrom shop.errors import Many, Single\n\n\n"
    "def test_it():\n    with pytest.raises({kind}) as ctx:\n        raise Many()\n    ctx.value.add(1)\n"
)
ERRORS = (
    "class Single(Exception):\n    pass\n\n\n"
    "class Many(Single):\n    def add(self, error):\n        return error\n"
)


@pytest.mark.parametrize(
    ("kind", "outcome"),
    [
        pytest.param("Many", "renamed", id="the-class"),
        pytest.param("Single", "unsure", id="a-base-may-be-it"),
        pytest.param("ValueError", "other", id="another-error"),
        pytest.param("(Many, ValueError)", "unsure", id="one-of-a-tuple"),
    ],
)
def test_the_value_of_pytest_raises_is_the_error_raised(tmp_path: Path, kind: str, outcome: str) -> None:
    # voluptuous: with pytest.raises(MultipleInvalid) as ctx: ...; ctx.value.add(...)
    files = {"shop/errors.py": ERRORS, "tests/test_errors.py": RAISES.format(kind=kind)}
    plan = plan_of(tmp_path, files, "shop.errors.Many.add", "add_error")
    if outcome == "renamed":
        assert "ctx.value.add_error(1)" in plan.contents["tests/test_errors.py"].decode()
        return
    assert "tests/test_errors.py" not in plan.contents
    assert [s.path for s in (plan.others if outcome == "other" else plan.unsure)] == ["tests/test_errors.py"]


READER = (
    "class Reader:\n    def read(self, path):\n        with open(path) as f:\n            return f.read()\n\n"
    "    def __enter__(self):\n        return self\n\n    def __exit__(self, *exc):\n        return None\n\n\n"
    "def use(path):\n    with Reader() as r:\n        return r.read(path)\n"
)


def test_with_open_is_a_file_and_with_a_class_is_what_its_enter_returns(tmp_path: Path) -> None:
    # mistune's Markdown.read opens the file it reads: f.read() is the file's
    plan = plan_of(tmp_path, {"shop/reader.py": READER}, "shop.reader.Reader.read", "read_file")
    text = plan.contents["shop/reader.py"].decode()
    assert "return f.read()" in text and "return r.read_file(path)" in text
    assert [s.text for s in plan.others] == ["f.read: a file object (open(...))"]
    assert not plan.unsure


RENDERER = (
    "class Base:\n    def render(self, token):\n        return self._method(token['type'])(token)\n\n"
    "    def _method(self, name):\n        return {lookup}\n\n\n"
    "class Html(Base):\n    def emphasis(self, token):\n        return '<em>'\n\n\n"
    "def parse(text):\n    return [{{'type': 'emphasis', 'text': text}}]\n"
)


@pytest.mark.parametrize(
    ("lookup", "refused"),
    [
        pytest.param("object.__getattribute__(self, name)", True, id="getattribute-of-a-parameter"),
        pytest.param("getattr(self, name)", True, id="getattr-of-a-parameter"),
        pytest.param("getattr(self, name['type'])", True, id="getattr-of-a-record"),
        pytest.param("[getattr(self, n) for n in ('text', 'strong')]", False, id="names-drawn-from-a-list"),
        pytest.param("hasattr(self, name)", False, id="only-tested"),
    ],
)
def test_a_method_found_by_a_name_given_at_run_time_is_refused(
    tmp_path: Path, lookup: str, refused: bool
) -> None:
    # mistune: BaseRenderer.render_token finds HTMLRenderer.emphasis by token['type']
    files = {"shop/render.py": RENDERER.format(lookup=lookup)}
    if refused:
        with pytest.raises(RenameRefused, match=r"shop/render.py:\d+ has 'emphasis'"):
            plan_of(tmp_path, files, "shop.render.Html.emphasis", "emph")
    else:
        assert "shop/render.py" in plan_of(tmp_path, files, "shop.render.Html.emphasis", "emph").contents


def test_a_name_given_at_run_time_that_the_project_never_writes_is_not_refused(tmp_path: Path) -> None:
    files = {"shop/render.py": RENDERER.format(lookup="getattr(self, name)").replace("'emphasis'", "'em'")}
    assert "shop/render.py" in plan_of(tmp_path, files, "shop.render.Html.emphasis", "emph").contents


def test_a_built_name_looked_up_on_a_local_bound_to_self_is_refused(tmp_path: Path) -> None:
    # semver's Version.next_version: version = self; getattr(version, "bump_" + part)()
    text = (
        "class Version:\n    def bump_minor(self):\n        return self\n\n"
        "    def next_version(self, part):\n        version = self\n        return getattr(version, 'bump_' + part)()\n"
    )
    with pytest.raises(RenameRefused, match=r"builds at run time \(shop/version.py:7\)"):
        plan_of(tmp_path, {"shop/version.py": text}, "shop.version.Version.bump_minor", "bump_minor_part")
