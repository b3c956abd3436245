"""Which names a name built at run time can be: its literal ends, and a middle the project closes.

``getattr(self, "xpath_%s_pseudo" % ident)`` can only find a member whose name starts ``xpath_`` and
ends ``_pseudo``; cssselect's ``getattr(self, "xpath_%s" % type(parsed).__name__.lower())``, with
``parsed: Tree`` and ``Tree = Union[Element, Hash, Class, ...]``, can only find ``xpath_`` and the
lowered name of one of those classes or a class of the project derived from one: ``xpath_class``
(``Class``), never ``xpath_literal``. The middle is closed only when every step says so: a parameter
annotated with classes of the project (directly, through a union, or a module-level alias of one),
never bound again in the function, and its class's ``__name__`` taken by ``type(p)`` or
``p.__class__``; anything else (a text handed in, a builtin class, a name we cannot resolve) may be
any name, as before.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hookwright.refactor.symbol_facts import FileFacts
    from hookwright.refactor.symbol_index import Index

Function = ast.FunctionDef | ast.AsyncFunctionDef
_MAX_ALIASES = 4


OPEN = None  # a part of a built name that may be any text (a format spec, a starred argument, ...)
Part = str | ast.expr | None  # literal text, an expression whose text is inserted, or OPEN


def parts(key: ast.expr) -> list[Part] | None:
    """The literal texts and inserted expressions a built name is made of, in order: 'a_%s_b' % x,
    'a_%s_%s' % (x, y), 'a_' + x + '_b', f'a_{x}_b', 'a_{}_{}'.format(x, y) (positional, numbered or
    keyword fields); a field we cannot tie to one plain expression is OPEN. None: not a built name."""
    if isinstance(key, ast.BinOp) and isinstance(key.op, ast.Mod) and _text(key.left) is not None:
        return _percent(_text(key.left) or "", key.right)
    if isinstance(key, ast.BinOp) and isinstance(key.op, ast.Add):
        added = _added(key)
        return None if _text(added[0]) is None else [_text(p) if _text(p) is not None else p for p in added]
    if isinstance(key, ast.JoinedStr) and key.values and _text(key.values[0]) is not None:
        return [_text(v) if _text(v) is not None else _plain_field(v) for v in key.values]
    if (
        isinstance(key, ast.Call)
        and isinstance(key.func, ast.Attribute)
        and key.func.attr == "format"
        and _text(key.func.value) is not None
    ):
        return _formatted(_text(key.func.value) or "", key)
    return None


def _percent(template: str, given: ast.expr) -> list[Part]:
    pieces = template.replace("%%", "\x00").split("%")
    values = given.elts if isinstance(given, ast.Tuple) else [given]
    plain = all(piece.startswith("s") for piece in pieces[1:]) and len(values) == len(pieces) - 1
    if not plain or any(isinstance(v, ast.Starred) for v in values):
        return [pieces[0].replace("\x00", "%"), OPEN]  # %d, %(key)s, a tuple held elsewhere: the start only
    found: list[Part] = [pieces[0].replace("\x00", "%")]
    for value, piece in zip(values, pieces[1:], strict=True):
        found += [value, piece[1:].replace("\x00", "%")]
    return found


def _plain_field(value: ast.expr) -> Part:
    plain = isinstance(value, ast.FormattedValue) and value.format_spec is None and value.conversion == -1
    return value.value if plain else OPEN  # type: ignore[attr-defined]


def _formatted(template: str, call: ast.Call) -> list[Part]:
    import string

    starred = any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords)
    keywords = {k.arg: k.value for k in call.keywords}
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return [template.split("{", 1)[0], OPEN]
    found: list[Part] = []
    automatic = 0
    for text, written, spec, conversion in fields:
        found.append(text)
        if written is None:
            continue
        field = written or str(automatic)  # '{}': the next positional argument
        automatic += not written
        numbered = field.isdigit() and int(field) < len(call.args)
        value = call.args[int(field)] if numbered else keywords.get(field)
        found.append(OPEN if starred or spec or conversion or value is None else value)
    return found


def _text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _added(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [*_added(node.left), *_added(node.right)]
    return [node]


def closed_texts(
    index: Index, facts: FileFacts, owner: tuple[str, ast.ClassDef], part: ast.expr, function: Function
) -> set[str] | None:
    """Every text an inserted part can be, when the project closes it: a literal (through a local bound
    once), a parameter of the method for which every call passes a literal text (param_callers), or a
    class name (closed_middles); None when it may be any text."""
    bound = bound_once(part, function)
    if _text(bound) is not None:
        return {_text(bound) or ""}
    if isinstance(bound, ast.Name) and (looped := looped_texts(index, bound.id, function)) is not None:
        return looped
    if isinstance(bound, ast.Name):
        qualified, cls = owner
        if _bound_in(bound.id, function) or function not in cls.body:
            return None  # rebound in the method, or a function nested in it: its calls are not read
        from hookwright.refactor.param_callers import passed_texts

        return passed_texts(index, f"{qualified}.{function.name}", bound.id)
    return closed_middles(index, facts, part, function)


def looped_texts(index: Index, name: str, function: Function) -> set[str] | None:
    """The texts a loop variable can be: its one binding in the function is the target of a ``for``
    (or a comprehension) over literal strings, or over ``x.attr`` where the project binds an attribute
    ``attr`` only to literal strings and does nothing with it but iterate it or test ``in`` it
    (prettytable's ``for attr in self._options``); None when it may be any text."""
    stores = [
        n
        for n in ast.walk(function)
        if isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load)
    ]
    loops = [
        node
        for node in ast.walk(function)
        if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)) and node.target in stores
    ]
    arguments = function.args
    given = {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}
    if len(stores) != 1 or len(loops) != 1 or name in given:
        return None
    over = loops[0].iter
    texts = _literal_texts(over)
    return _attribute_texts(index, over.attr) if texts is None and isinstance(over, ast.Attribute) else texts


def _literal_texts(node: ast.expr | None) -> set[str] | None:
    if not isinstance(node, (ast.List, ast.Tuple, ast.Set)) or not node.elts:
        return None
    texts = [_text(element) for element in node.elts]
    return None if None in texts else {text for text in texts if text is not None}


def _attribute_texts(index: Index, attr: str) -> set[str] | None:
    """Every text an attribute ``attr`` holds, when every binding of ``.attr`` in the project is a
    literal collection of strings and every read of it iterates it or tests ``in`` it."""
    found: set[str] = set()
    for path in index.containing(attr):
        tree = index.parsed(path)
        if tree is None:
            return None
        parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute) or node.attr != attr:
                continue
            parent = parents.get(id(node))
            if isinstance(node.ctx, ast.Store):
                value = parent.value if isinstance(parent, (ast.Assign, ast.AnnAssign)) else None
                single = not isinstance(parent, ast.Assign) or len(parent.targets) == 1
                texts = _literal_texts(value) if single else None
                if texts is None:
                    return None
                found |= texts
                continue
            iterated = isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and parent.iter is node
            tested = (
                isinstance(parent, ast.Compare)
                and node is not parent.left
                and all(isinstance(o, (ast.In, ast.NotIn)) for o in parent.ops)
            )
            if isinstance(node.ctx, ast.Del) or not (iterated or tested):
                return None
    return found or None


def closed_middles(index: Index, facts: FileFacts, middle: ast.expr, function: Function) -> set[str] | None:
    """Every text ``middle`` can be, when it is a class name the project closes (see the module)."""
    middle = bound_once(middle, function)
    case = None
    if isinstance(middle, ast.Call) and isinstance(middle.func, ast.Attribute) and not middle.args:
        if middle.func.attr not in ("lower", "upper") or middle.keywords:
            return None
        case, middle = middle.func.attr, bound_once(middle.func.value, function)
    instance = _class_name_of(middle)
    annotation = _annotation_of(instance, function) if instance is not None else None
    if annotation is None or _bound_in(instance, function):  # type: ignore[arg-type]
        return None
    classes = _project_classes(index, facts, annotation, 0)
    if not classes:
        return None
    names = {qualified.rsplit(".", 1)[-1] for qualified in index.subclasses(classes)}
    return {getattr(name, case)() if case else name for name in names}


def bound_once(key: ast.expr, function: Function) -> ast.expr:
    """A local stands for what the function binds it to, when it binds it once only."""
    if not isinstance(key, ast.Name):
        return key
    stores = [
        node
        for node in ast.walk(function)
        if isinstance(node, ast.Name) and node.id == key.id and isinstance(node.ctx, ast.Store)
    ]
    bound = [
        node.value
        for node in ast.walk(function)
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and node.targets[0] in stores
    ]
    return bound[0] if len(stores) == 1 and len(bound) == 1 else key


def _class_name_of(node: ast.expr) -> str | None:
    """``p`` of ``type(p).__name__`` / ``p.__class__.__name__``."""
    if not (isinstance(node, ast.Attribute) and node.attr == "__name__"):
        return None
    of = node.value
    if isinstance(of, ast.Call) and ast.unparse(of.func) == "type" and len(of.args) == 1:
        of = of.args[0]
    elif isinstance(of, ast.Attribute) and of.attr == "__class__":
        of = of.value
    else:
        return None
    return of.id if isinstance(of, ast.Name) else None


def _annotation_of(name: str, function: Function) -> ast.expr | None:
    """A parameter's annotation; None for one with a default (``p: Tree = None`` can be None too)."""
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    defaulted = {a.arg for a in positional[len(positional) - len(arguments.defaults) :]}
    defaulted |= {a.arg for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True) if d}
    for argument in (*positional, *arguments.kwonlyargs):
        if argument.arg == name and name not in defaulted:
            return argument.annotation
    return None


def _bound_in(name: str, function: Function) -> bool:
    return any(
        isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load)
        for node in ast.walk(function)
    )


def _project_classes(index: Index, facts: FileFacts, annotation: ast.expr, depth: int) -> set[str] | None:
    """The project's classes an annotation names, through unions and module-level aliases; None if
    any part is something else."""
    from hookwright.refactor.symbol_index import _annotation_names

    names = _annotation_names(annotation)
    if not names or depth > _MAX_ALIASES:
        return None
    found: set[str] = set()
    for name in names:
        qualified = facts.resolve(name)
        located = index.located(qualified) if qualified else None
        if located is None:
            return None
        where, statement = located
        if isinstance(statement, ast.ClassDef):
            found.add(qualified)  # type: ignore[arg-type]
        elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            more = _project_classes(index, where, statement.value, depth + 1)
            if more is None:
                return None
            found |= more
        else:
            return None
    return found
