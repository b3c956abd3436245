"""The project classes a receiver may be an instance of, for chains (``self.spec.opts``) and the
methods called on them; a mixin of rename_receivers.Receivers, which fills ``classes``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hookwright.refactor.receiver_types import OTHER, Verdict

if TYPE_CHECKING:
    from hookwright.refactor.rename_sites import FileSites


class ReceiverClasses:
    sites: FileSites
    cst: Any
    classes: dict[int, list[str] | None]  # id(Name target) -> the classes it may hold
    looped_strings: dict[int, list[str]]  # id(Name target of a loop over literal strings) -> them

    if TYPE_CHECKING:  # ReceiverContents'

        def local_def(self, func: Any) -> Any | None: ...
        def declared_items(self, node: Any, read: Any) -> list[str] | None: ...

    def _imported(self, name: Any) -> Verdict | None:
        """``from flask import g``: what the project declares ``g`` to be, if it does."""
        types = self.sites.target.types
        if types is None or types.declared is None:
            return None
        for qualified in sorted(self.sites.qualified(name)):
            if types.declared.is_module(qualified):
                return OTHER, f"the module {qualified}"
            found = types.declared.variable(qualified)
            if found is not None:
                return types.of_names(found, name.value)
        return None

    def _annotated_classes(self, annotation: Any) -> list[str] | None:
        """The one class a plain annotation (``app: Flask``) names, as a list; None otherwise."""
        types = self.sites.target.types
        if types is not None and isinstance(annotation, self.cst.SimpleString):  # parser: "Parser"
            text, scope = str(annotation.evaluated_value).strip(), self.sites.scopes.get(annotation)
            dotted = all(part.isidentifier() for part in text.split("."))
            names = sorted(self.sites._resolved(scope, text)) if dotted and scope is not None else []
            return names[:1] if len(names) == 1 and types.is_project_class(names[0]) else None
        if types is None or not isinstance(annotation, (self.cst.Name, self.cst.Attribute)):
            return None
        names = sorted(self.sites.qualified(annotation))
        return names[:1] if len(names) == 1 and types.is_project_class(names[0]) else None

    def classes_of(self, node: Any) -> list[str] | None:
        """The project classes an expression's value may be an instance of, when the code says so."""
        types, cst = self.sites.target.types, self.cst
        if types is None:
            return None
        owner = self.sites.self_class(node)
        if owner is not None:
            return [owner]
        if isinstance(node, cst.Name):
            scope = self.sites.scopes.get(node)
            found: list[str] = []
            for assignment in list(scope[node.value]) if scope is not None else []:
                classes = self.classes.get(id(getattr(assignment, "node", None)))
                if classes is None:
                    return self._declared(node)
                found += classes
            return sorted(set(found)) or self._declared(node)
        if isinstance(node, cst.Attribute):
            declared = self._declared(node)
            if declared is not None or types.declared is None:
                return declared
            owners = self.classes_of(node.value)
            if not owners:
                return None
            found = []
            for cls in owners:
                classes = types.declared.attribute(cls, node.attr.value)
                if classes is None:
                    return None
                found += classes
            return sorted(set(found))
        if isinstance(node, cst.Subscript):  # m.events[k]: an item of what the class declares
            from hookwright.refactor.container_items import ITEM

            items = self.declared_items(node.value, ITEM)
            items = self.subscripted_instance(node) if items is None else items
            return items if items and all(types.is_project_class(n) for n in items) else None
        if isinstance(node, cst.Call):
            local = self.local_def(node.func)  # p = setup(), def setup() -> ConnectionPair in the test
            if local is not None:
                return self._annotated_classes(local.returns.annotation) if local.returns else None
            names = sorted(self.sites.qualified(node.func))
            if len(names) == 1 and types.is_project_class(names[0]):
                return names
            if isinstance(node.func, cst.Attribute):
                owners = self.classes_of(node.func.value)
                returned = [types.returns(f"{cls}.{node.func.attr.value}") for cls in owners or ()]
                if owners and all(r is not None for r in returned):
                    return sorted({name for r in returned for name in r or ()})
        return None

    def subscripted_instance(self, node: Any) -> list[str] | None:
        """``md["block"]``, ``self[chain]`` on instances of project classes: what their ``__getitem__``
        gives for the keys the code states (declared_items.subscript_gives)."""
        types, cst = self.sites.target.types, self.cst
        parts = node.slice
        if (
            types is None
            or types.declared is None
            or len(parts) != 1
            or not isinstance(parts[0].slice, cst.Index)
        ):
            return None
        owners = self.classes_of(node.value)
        if not owners or not all(types.is_project_class(cls) for cls in owners):
            return None
        keys = self._keys(parts[0].slice.value)
        found = [types.declared.subscript_gives(cls, keys) for cls in owners]
        return None if any(f is None for f in found) else sorted({n for f in found for n in f or ()})

    def _keys(self, key: Any) -> list[str] | None:
        """The strings a key may be: a literal, or a name every binding of which is a loop over
        literal strings (``for chain in ["core", "block"]``); None when the code does not say."""
        if isinstance(key, self.cst.SimpleString):  # a bytes key is no str: no Literal[str] takes it
            return [key.evaluated_value] if isinstance(key.evaluated_value, str) else None
        scope = self.sites.scopes.get(key) if isinstance(key, self.cst.Name) else None
        bound = [id(getattr(a, "node", None)) for a in scope[key.value]] if scope is not None else []
        if not bound or any(b not in self.looped_strings for b in bound):
            return None
        return sorted({string for b in bound for string in self.looped_strings[b]})

    def _declared(self, node: Any) -> list[str] | None:
        types = self.sites.target.types
        if types is None or types.declared is None:
            return None
        for qualified in sorted(self.sites.qualified(node)):
            found = types.declared.variable(qualified)
            if found is not None:
                return found
        return None
