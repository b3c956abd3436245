"""An import merged into a from-import never names what that statement already imports.

A second copy of a name the statement already binds cannot make it reach a use it does not reach;
it would only change the file. (h20g read history6's glances ``view.py`` cases as such a merge; they
are not: the duplicate ``fields_unit_short, fields_unit_short`` is in the parent commit itself, and
the repair adds ``fields_unit_type``. This is a guard, and it fails on the code before it.)
"""

from __future__ import annotations

import ast

from hookwright.heal.import_placement import merge_into
from hookwright.heal.project_names import ImportForm


def _statements(text: str) -> list[ast.ImportFrom]:
    return [n for n in ast.walk(ast.parse(text)) if isinstance(n, ast.ImportFrom)]


def test_a_name_the_statement_already_imports_is_not_merged_again() -> None:
    text = "from glances.globals import fields_unit_short, iteritems\n"
    assert merge_into(text, _statements(text), ImportForm("glances.globals", "fields_unit_short")) is None


def test_a_new_name_or_another_alias_is_merged() -> None:
    text = "from glances.globals import iteritems\n"
    merged = merge_into(text, _statements(text), ImportForm("glances.globals", "fields_unit_short"))
    assert merged is not None and "fields_unit_short" in merged and merged.count("iteritems") == 1
    text = "from os import path\n"
    aliased = merge_into(text, _statements(text), ImportForm("os", "path", asname="osp"))
    assert aliased is not None and "path as osp" in aliased
