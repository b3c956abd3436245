"""Members found by a name built at run time (rename_dispatch, built_names): a name the built one can
never be is renamed; one it can be, or any name when what it can be is not closed, is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_rename import make

from hookwright.refactor import rename
from hookwright.refactor.symbol_index import RenameRefused

# cssselect 1.2.0's shape: GenericTranslator.xpath dispatches on the parsed node's class name
NODES = """from typing import Union


class Element:
    pass


class Class:
    pass


Tree = Union[Element, "Class"]
"""
TRANSLATOR = """from sel.nodes import Element, Tree


class Translator:
    def xpath(self, parsed: PARSED):
        type_name = type(parsed).__name__
        method = getattr(self, "xpath_%s" % type_name.lower(), None)
        return method(parsed)

    def pseudo(self, ident):
        return getattr(self, "xpath_%s_pseudo" % ident)()

    def xpath_element(self, element):
        return self.xpath_literal(element)

    def xpath_class(self, element):
        return self.xpath_literal(element)

    def xpath_literal(self, text):
        return repr(text)

    def xpath_first_pseudo(self):
        return 1
"""

CASES = [
    pytest.param("Tree", "", "xpath_literal", None, id="a-name-no-class-of-the-union-makes"),
    pytest.param("Tree", "", "xpath_class", "xpath.py:7", id="the-lowered-name-of-a-class-of-the-union"),
    pytest.param(
        "Tree",
        "\n\nclass Literal(Element):\n    pass\n",
        "xpath_literal",
        "xpath.py:7",
        id="a-subclass-in-the-project-closes-it-too",
    ),
    pytest.param("Element", "", "xpath_literal", None, id="one-class-annotated"),
    pytest.param("object", "", "xpath_literal", "xpath.py:7", id="a-class-not-of-the-project"),
    pytest.param("Union[Tree, str]", "", "xpath_literal", "xpath.py:7", id="a-builtin-in-the-union"),
    pytest.param("Tree", "", "xpath_first_pseudo", r"xpath.py:\d+", id="the-literal-end-fits"),
    pytest.param("Tree = None", "", "xpath_literal", "xpath.py:7", id="a-default-of-another-class"),
]


@pytest.mark.parametrize(("parsed", "more", "old", "refused_at"), CASES)
def test_a_built_name_refuses_only_the_names_it_can_be(
    tmp_path: Path, parsed: str, more: str, old: str, refused_at: str | None
) -> None:
    head = "from typing import Union\n\n" if "Union" in parsed else ""
    files = {
        "sel/__init__.py": "",
        "sel/nodes.py": NODES + more,
        "sel/xpath.py": head + TRANSLATOR.replace("PARSED", parsed),
    }
    at = refused_at.replace("7", str(7 + head.count("\n"))) if refused_at else None
    if at is not None:
        with pytest.raises(RenameRefused, match=rf"looks it up by a name it builds at run time \(sel/{at}\)"):
            rename.plan(tmp_path, make(tmp_path, files), f"sel.xpath.Translator.{old}", "renamed_one")
        return
    plan = rename.plan(tmp_path, make(tmp_path, files), f"sel.xpath.Translator.{old}", "renamed_one")
    assert plan.contents["sel/xpath.py"].decode().count("self.renamed_one(element)") == 2


@pytest.mark.parametrize(
    "body",
    [
        "        parsed = parsed.child\n        return getattr(self, 'xpath_%s' % type(parsed).__name__.lower())\n",
        "        return getattr(self, 'xpath_%s' % parsed.name.lower())\n",
        "        other = parsed.child\n        return getattr(self, 'xpath_%s' % type(other).__name__.lower())\n",
    ],
    ids=["the-parameter-bound-again", "not-a-class-name", "a-local-nothing-types"],
)
def test_a_middle_the_project_does_not_close_refuses_every_name_that_fits(tmp_path: Path, body: str) -> None:
    translator = (
        "from sel.nodes import Tree\n\n\nclass Translator:\n    def xpath(self, parsed: Tree):\n"
        + body
        + "\n    def xpath_literal(self, text):\n        return repr(text)\n"
    )
    files = {"sel/__init__.py": "", "sel/nodes.py": NODES, "sel/xpath.py": translator}
    with pytest.raises(RenameRefused, match="builds at run time"):
        rename.plan(tmp_path, make(tmp_path, files), "sel.xpath.Translator.xpath_literal", "renamed_one")


# Cerberus 1.3.4's shape: a private method builds '_{0}_{1}'.format(domain, rule), and every call of it
# passes a literal domain; a mixin calls a method of the validator it is mixed into on self.
RULES = """class Validator:
    def __handler(self, domain, rule):
        return getattr(self, '_{0}_{1}'.format(domain, rule.replace(' ', '_')), None)

    def validate(self, rules):
        for rule in rules:
            self.__handler('validate', rule)(self._get_child())
        return [self.__handler(CHECK, rule) for rule in rules]

    def _get_child(self):
        return Validator()

    def _validate_allowed(self, value):
        return value


class SchemaMixin:
    def check(self):
        return self._get_child()
"""


@pytest.mark.parametrize(
    ("check", "more", "old", "refused"),
    [
        pytest.param("'check_with'", "", "_get_child", False, id="every-caller-passes-a-literal-domain"),
        pytest.param("'check_with'", "", "_validate_allowed", True, id="a-name-a-literal-domain-builds"),
        pytest.param("rule", "", "_get_child", True, id="a-caller-passes-a-variable"),
        pytest.param("'get'", "", "_get_child", True, id="a-caller-passes-the-domain-that-builds-it"),
        pytest.param(
            "'check_with'",
            "\n\ndef outside(v):\n    return v._Validator__handler('x', 'y')\n",
            "_get_child",
            True,
            id="the-mangled-name-written-elsewhere",
        ),
    ],
)
def test_a_domain_every_caller_passes_as_a_literal_closes_the_built_name(
    tmp_path: Path, check: str, more: str, old: str, refused: bool
) -> None:
    files = {"val/__init__.py": "", "val/core.py": RULES.replace("CHECK", check) + more}
    if refused:
        with pytest.raises(RenameRefused, match=r"builds at run time \(val/core.py:3\)"):
            rename.plan(tmp_path, make(tmp_path, files), f"val.core.Validator.{old}", "renamed_one")
        return
    plan = rename.plan(tmp_path, make(tmp_path, files), f"val.core.Validator.{old}", "renamed_one")
    text = plan.contents["val/core.py"].decode()
    assert text.count("self.renamed_one()") == 2  # the mixin's call on self too: no other class has it


# prettytable 3.19.0's shape: __getitem__ copies every option with getattr(self, f"_{attr}") for attr in
# self._options, a literal list of option names; conftest.py re-exports the class.
TABLE = """class Table:
    def __init__(self):
        self._options = ["title", "border"]

    def copy(self):
        new = Table()
        for attr in self._options:
            setattr(new, f"_{attr}", getattr(self, f"_{attr}"))
        return new

    def show(self):
        return self._hrule() + self._title_text() if "title" in self._options else ""

    def _title(self):
        return "T"

    def _hrule(self):
        return "-"

    def _title_text(self):
        return "t"
"""


@pytest.mark.parametrize(
    ("more", "old", "refused"),
    [
        pytest.param("", "_hrule", False, id="a-name-no-option-of-the-literal-list-makes"),
        pytest.param("", "_title", True, id="a-name-an-option-makes"),
        pytest.param("", "_title_text", False, id="a-longer-name-than-an-option-makes"),
        pytest.param(
            "\n\ndef more(table):\n    table._options.append('hrule')\n",
            "_hrule",
            True,
            id="the-list-is-added-to",
        ),
        pytest.param(
            "\n\ndef more(table, names):\n    table._options = names\n",
            "_hrule",
            True,
            id="the-list-is-bound-to-a-value",
        ),
    ],
)
def test_a_name_built_from_a_literal_list_is_judged_by_its_items(
    tmp_path: Path, more: str, old: str, refused: bool
) -> None:
    files = {
        "tab/__init__.py": "",
        "tab/core.py": TABLE + more,
        "conftest.py": "from tab.core import Table\n",
    }
    if refused:
        with pytest.raises(
            RenameRefused, match=r": tab.core.Table looks it up by a name it builds at run time"
        ):
            rename.plan(tmp_path, make(tmp_path, files), f"tab.core.Table.{old}", "renamed_one")
        return
    plan = rename.plan(tmp_path, make(tmp_path, files), f"tab.core.Table.{old}", "renamed_one")
    assert "self.renamed_one()" in plan.contents["tab/core.py"].decode()


# markdown-it-py 4.3.0's RendererHTML: __init__ collects its methods by name with inspect.getmembers into
# self.rules, and render looks each token up as self.rules[token.type]; a block rule makes the type "fence".
RENDERER = """import inspect


class Renderer:
    def __init__(self):
        self.rules = {
            k: v for k, v in inspect.getmembers(self, predicate=inspect.ismethod) if not k.startswith(("render", "_"))
        }

    def render(self, tokens):
        return [self.rules[t.type](t) if t.type in self.rules else self.renderToken(t) for t in tokens]

    def renderToken(self, token):
        return str(token)

    def fence(self, token):
        return self.renderToken(token)
"""


@pytest.mark.parametrize(
    ("rules", "old", "refused"),
    [
        pytest.param("RULES", "fence", True, id="a-member-the-class-collects-and-looks-up-by-a-given-name"),
        pytest.param("RULES", "renderToken", False, id="a-member-its-startswith-filter-leaves-out"),
        pytest.param("{}", "fence", False, id="a-collection-not-of-its-own-members"),
    ],
)
def test_a_member_collected_by_name_and_written_as_a_string_is_refused(
    tmp_path: Path, rules: str, old: str, refused: bool
) -> None:
    renderer = (
        RENDERER
        if rules == "RULES"
        else RENDERER.replace(RENDERER[RENDERER.index("{\n") : RENDERER.index("}\n") + 1], rules)
    )
    files = {
        "md/__init__.py": "",
        "md/render.py": renderer,
        "md/block.py": "def fence(state):\n    state.push('fence')\n",
    }
    if refused:
        with pytest.raises(
            RenameRefused,
            match=r"looks it up by a name given at run time, and md/block.py:2 has 'fence' \(md/render.py:11\)",
        ):
            rename.plan(tmp_path, make(tmp_path, files), f"md.render.Renderer.{old}", "renamed_one")
        return
    plan = rename.plan(tmp_path, make(tmp_path, files), f"md.render.Renderer.{old}", "renamed_one")
    assert "def renamed_one(self" in plan.contents["md/render.py"].decode()
