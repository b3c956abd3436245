"""Dunder-shaped names: refused only when the data model or a string lookup reads them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hookwright.refactor import rename
from hookwright.refactor.symbol_index import RenameRefused

_FILES = {
    "ruler.py": """
        class Ruler:
            def __find__(self, name):
                return 0

            def at(self, name):
                return self.__find__(name)

            def __len__(self):
                return 1
        """,
    "compiled.py": """
        class Sub:
            def __tool_compile__(self):
                return 1

        def compile_schema(schema):
            if hasattr(schema, "__tool_compile__"):
                return schema.__tool_compile__()
        """,
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("special")
    for name, text in _FILES.items():
        (root / name).write_text(textwrap.dedent(text).lstrip("\n"))
    return root, sorted(_FILES)


def test_a_dunder_shaped_method_python_never_looks_up_is_renamed(project: tuple[Path, list[str]]) -> None:
    root, paths = project
    result = rename.plan(root, paths, "ruler.Ruler.__find__", "_find_index")
    assert result.contents["ruler.py"].count(b"_find_index") == 2


def test_data_model_names_and_names_looked_up_as_strings_are_refused(project: tuple[Path, list[str]]) -> None:
    root, paths = project
    with pytest.raises(RenameRefused, match="special name"):
        rename.plan(root, paths, "ruler.Ruler.__len__", "size")
    with pytest.raises(RenameRefused, match=r"written as a string in compiled\.py"):
        rename.plan(root, paths, "compiled.Sub.__tool_compile__", "compile_with")
