"""The held-out mutator: breaks real files of projects the fixers were never tuned on.

Written apart from the fixers (and from ``mutate.py``, the tuning corpus's mutator): each operator
mirrors a kind of breakage seen in the wild, finds its sites with ``ast`` and ``tokenize``, and picks
one site per file with ``random.Random("<operator>:<repo>/<path>")``, so a manifest of files always
gives the same mutants. A mutant is kept only when it is really broken: the import family must still
compile (the runner then keeps it only if ruff finds new undefined names), the others must not.

    python benchmarks/self_heal/heldout_mutate.py --manifest benchmarks/self_heal/heldout/mutants.json \\
        --git psf/requests=/path/to/requests.git ... --out /tmp/heldout-mutants   # to look at them
"""

from __future__ import annotations

import argparse
import ast
import io
import keyword
import random
import sys
import tokenize
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

FAMILY = {
    "import-deleted": "import", "from-name": "import", "stdlib-alias": "import", "local-import": "import",
    "type-checking": "import", "module-or-member": "import",
    "to-parent-level": "indentation", "tabs": "indentation", "one-tab": "indentation",
    "too-deep": "indentation", "short": "indentation", "body-not-indented": "indentation",
    "inline-comma": "syntax", "keyword-typo": "syntax", "eol-bracket": "syntax", "header-colon": "syntax",
    "eol-comma": "syntax", "quote": "syntax", "conflict": "syntax",
}  # fmt: skip
STDLIB = frozenset(sys.stdlib_module_names)
# Modules that have a member of their own name (datetime.datetime, time.time, ...), found by asking the
# interpreter rather than listing them.
TYPO_KEYWORDS = (
    "return", "import", "from", "for", "while", "elif", "else", "def", "class", "lambda", "yield", "raise",
    "except", "finally", "with", "assert", "continue", "break", "global", "not", "and", "in", "if", "try",
)  # fmt: skip


@dataclass(frozen=True)
class HeldoutMutant:
    id: str
    family: str
    operator: str
    repo: str
    commit: str
    path: str
    original: str
    text: str


def _broken(text: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(text, "<mutant>", "exec", dont_inherit=True)
        except (SyntaxError, ValueError):
            return True
    return False


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _drop_lines(text: str, first: int, last: int) -> str:
    lines = _lines(text)
    return "".join(lines[: first - 1] + lines[last:])


def _replace_line(text: str, number: int, new: str) -> str:
    lines = _lines(text)
    return "".join([*lines[: number - 1], new, *lines[number:]])


def _single_line(node: ast.stmt, lines: list[str]) -> bool:
    """The statement is alone on its physical line(s): nothing else shares them (``;``)."""
    line = lines[node.lineno - 1]
    return node.lineno == node.end_lineno and ";" not in line and _indent(line) == line[: node.col_offset]


def _loaded_names(tree: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


# -- import ------------------------------------------------------------------------------------------


def _parents(tree: ast.Module) -> dict[int, ast.AST]:
    return {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _in_function(node: ast.AST, parents: dict[int, ast.AST]) -> bool:
    current = parents.get(id(node))
    while current is not None:
        if isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef):
            return True
        current = parents.get(id(current))
    return False


def _type_checking_blocks(tree: ast.Module) -> list[ast.If]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = ast.unparse(node.test)
            if test in ("TYPE_CHECKING", "typing.TYPE_CHECKING", "t.TYPE_CHECKING"):
                found.append(node)
    return found


def import_sites(text: str, tree: ast.Module) -> dict[str, list[str]]:
    """Each import operator's mutants of this file (all sites; the caller picks one)."""
    lines = _lines(text)
    used = _loaded_names(tree)
    parents = _parents(tree)
    out: dict[str, list[str]] = {op: [] for op, family in FAMILY.items() if family == "import"}
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    guarded = {id(n) for block in _type_checking_blocks(tree) for n in block.body}
    for node in imports:
        if isinstance(node, ast.ImportFrom) and (
            node.module == "__future__" or (node.level == 0 and not node.module)
        ):
            continue
        binds = {(a.asname or a.name).split(".")[0] for a in node.names}
        if not binds & used or any(a.name == "*" for a in node.names) or not _single_line(node, lines):
            continue
        block = parents.get(id(node))
        siblings = [getattr(block, f, []) for f in ("body", "orelse", "finalbody")]
        alone = any(len(b) == 1 and node in b for b in siblings)
        if alone:
            continue  # deleting it would empty its block
        dropped = _drop_lines(text, node.lineno, node.end_lineno or node.lineno)
        top = (node.names[0].name if isinstance(node, ast.Import) else node.module or "").split(".")[0]
        stdlib = top in STDLIB and getattr(node, "level", 0) == 0
        if id(node) in guarded:
            out["type-checking"].append(dropped)
        elif _in_function(node, parents):
            out["local-import"].append(dropped)
        elif node.col_offset == 0:
            out["import-deleted"].append(dropped)
            if isinstance(node, ast.Import) and stdlib and len(node.names) == 1:
                alias = node.names[0]
                if alias.asname and alias.asname != alias.name:
                    out["stdlib-alias"].append(dropped)
                elif _module_has_member(alias.name, alias.name):
                    out["module-or-member"].append(dropped)
            if isinstance(node, ast.ImportFrom) and stdlib:
                for alias in node.names:
                    if (
                        alias.asname is None
                        and alias.name == node.module
                        and _module_has_member(alias.name, alias.name)
                    ):
                        out["module-or-member"].append(
                            dropped if len(node.names) == 1 else _without(text, node, alias)
                        )
        if isinstance(node, ast.ImportFrom) and stdlib and node.col_offset == 0 and id(node) not in guarded:
            for alias in node.names:
                if alias.asname is None and alias.name in used and alias.name != node.module:
                    out["from-name"].append(dropped if len(node.names) == 1 else _without(text, node, alias))
    return out


def _without(text: str, node: ast.ImportFrom, alias: ast.alias) -> str:
    """The one-line ``from m import a, b, c`` without ``alias`` (its own spelling of the rest kept)."""
    lines = _lines(text)
    line = lines[node.lineno - 1]
    rest = ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in node.names if a is not alias)
    head = line[: node.col_offset] + f"from {'.' * node.level}{node.module} import "
    parenthesised = "(" in line[node.col_offset :].split("import", 1)[1]
    ending = line[len(line.rstrip("\r\n")) :]
    comment = line.rstrip("\r\n")[len(line[: node.end_col_offset]) :]
    new = head + (f"({rest})" if parenthesised else rest) + comment + ending
    return _replace_line(text, node.lineno, new)


_MEMBERS: dict[str, bool] = {}


def _module_has_member(module: str, name: str) -> bool:
    """The stdlib module ``module`` has a class or function called ``name`` (imported here to ask)."""
    if module not in _MEMBERS:
        import importlib

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                loaded = importlib.import_module(module) if module not in ("antigravity", "this") else None
            _MEMBERS[module] = callable(getattr(loaded, name, None))
        except Exception:  # a module this platform lacks
            _MEMBERS[module] = False
    return _MEMBERS[module]


# -- indentation and syntax: from the tokens -----------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """A logical line: its physical lines, its indentation, and where it stands in its block."""

    first: int
    last: int
    indent: str
    opens_body: bool  # the statement before it ends with ':' (it is the first of a block)
    header: bool  # it ends with ':' (it opens a block)
    tokens: tuple[tokenize.TokenInfo, ...]


def statements(text: str) -> list[Statement]:
    found: list[Statement] = []
    current: list[tokenize.TokenInfo] = []
    after_header = False
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type in (
            tokenize.COMMENT,
            tokenize.NL,
            tokenize.INDENT,
            tokenize.DEDENT,
            tokenize.ENDMARKER,
        ):
            continue
        if token.type != tokenize.NEWLINE:
            current.append(token)
            continue
        if current:
            header = current[-1].string == ":"
            first = current[0]
            found.append(
                Statement(first.start[0], token.start[0], first.line[: first.start[1]], after_header, header,
                          tuple(current))
            )  # fmt: skip
            after_header = header
        current = []
    return found


def _reindent_lines(text: str, first: int, last: int, change: Callable[[str], str]) -> str:
    lines = _lines(text)
    for number in range(first, last + 1):
        line = lines[number - 1]
        if line.strip():
            lines[number - 1] = change(_indent(line)) + line.lstrip(" \t")
    return "".join(lines)


def _as_tabs(indent: str, width: int) -> str:
    return "\t" * (len(indent) // width) + " " * (len(indent) % width)


def indentation_sites(text: str, found: list[Statement], rng: random.Random) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {op: [] for op, family in FAMILY.items() if family == "indentation"}
    if any(s.indent.startswith("\t") for s in found):
        return out  # a tab-indented file: these operators assume spaces
    for index, statement in enumerate(found):
        if not statement.indent or statement.indent.strip():
            continue
        following = found[index + 1] if index + 1 < len(found) else None
        single = statement.first == statement.last
        one = statement.first
        if (
            single and not statement.opens_body and not statement.header and following is not None
            and following.indent == statement.indent and not following.opens_body
        ):  # fmt: skip
            parent = next(
                (s.indent for s in reversed(found[:index]) if len(s.indent) < len(statement.indent)), None
            )
            if parent is not None:
                out["to-parent-level"].append(_reindent_lines(text, one, one, lambda _, p=parent: p))
        if single and not statement.opens_body:
            out["too-deep"].append(_reindent_lines(text, one, one, lambda i: i + "    "))
            if len(statement.indent) >= 4:
                cut = rng.randint(1, 3)
                out["short"].append(_reindent_lines(text, one, one, lambda i, c=cut: i[:-c]))
        if single and statement.opens_body and len(statement.indent) >= 4:
            out["body-not-indented"].append(_reindent_lines(text, one, one, lambda i: i[:-4]))
        if len(statement.indent) >= 4:
            variant = rng.choice(["\t" * (len(statement.indent) // 8) or "\t", "\t" + statement.indent[8:]])
            out["one-tab"].append(_reindent_lines(text, one, one, lambda i, v=variant: v))
            run = [s for s in found[index : index + rng.randint(2, 6)] if len(s.indent) >= 4]
            width = rng.choice([2, 4, 8])
            out["tabs"].append(
                _reindent_lines(text, run[0].first, run[-1].last, lambda i, w=width: _as_tabs(i, w))
            )
    return out


def _delete_token(text: str, token: tokenize.TokenInfo) -> str:
    lines = _lines(text)
    row, col = token.start
    line = lines[row - 1]
    return _replace_line(text, row, line[:col] + line[token.end[1] :])


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(len(word) - 1) if len(word) > 2 else 0
    kind = rng.choice(["swap", "drop", "double"]) if len(word) > 2 else "double"
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    return word[: i + 1] + word[i] + word[i + 1 :]


def syntax_sites(text: str, found: list[Statement], rng: random.Random) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {op: [] for op, family in FAMILY.items() if family == "syntax"}
    lines = _lines(text)
    for statement in found:
        depth = 0
        toks = statement.tokens
        for index, token in enumerate(toks):
            before = toks[index - 1] if index else None
            after = toks[index + 1] if index + 1 < len(toks) else None
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                depth -= 1
                if after is None or after.start[0] > token.end[0]:
                    out["eol-bracket"].append(_delete_token(text, token))
            elif token.string == "," and depth > 0 and before is not None and after is not None:
                same_line = before.end[0] == token.start[0] == after.start[0]
                if same_line and after.string not in ")]}":
                    out["inline-comma"].append(_delete_token(text, token))
                elif after.start[0] > token.end[0] and after.string not in ")]}":
                    out["eol-comma"].append(_delete_token(text, token))
            elif token.type == tokenize.NAME and token.string in TYPO_KEYWORDS:
                row, col = token.start
                typo = _typo(token.string, rng)
                if not keyword.iskeyword(typo):
                    line = lines[row - 1]
                    out["keyword-typo"].append(
                        _replace_line(text, row, line[:col] + typo + line[token.end[1] :])
                    )
            elif token.type == tokenize.STRING and token.start[0] == token.end[0]:
                body = token.string.lstrip("rRbBuUfF")
                if body[:3] not in ('"""', "'''"):
                    row, col = token.end
                    line = lines[row - 1]
                    out["quote"].append(_replace_line(text, row, line[: col - 1] + line[col:]))
        if statement.header and toks[0].string in (
            "if",
            "for",
            "while",
            "def",
            "class",
            "with",
            "try",
            "else",
            "elif",
            "except",
        ):
            out["header-colon"].append(_delete_token(text, toks[-1]))
        if not statement.header and not statement.opens_body and statement.first == statement.last:
            line = lines[statement.first - 1]
            if rng.random() < 0.5:
                block = ["<<<<<<< HEAD\n", line, "=======\n", line, ">>>>>>> topic\n"]
            else:
                block = [rng.choice(["<<<<<<< HEAD\n", "=======\n", ">>>>>>> topic\n"]), line]
            out["conflict"].append(
                "".join([*lines[: statement.first - 1], *block, *lines[statement.first :]])
            )
    return out


# -- one file ------------------------------------------------------------------------------------------


def mutants(repo: str, commit: str, path: str, text: str) -> Iterator[HeldoutMutant]:
    """At most one mutant per operator for this file; the site chosen by a seeded generator."""
    try:
        tree = ast.parse(text)
        found = statements(text)
    except (SyntaxError, ValueError, tokenize.TokenError):
        return
    sites: dict[str, list[str]] = {}
    sites.update(import_sites(text, tree))
    sites.update(indentation_sites(text, found, random.Random(f"indentation:{repo}/{path}")))
    sites.update(syntax_sites(text, found, random.Random(f"syntax:{repo}/{path}")))
    for operator, candidates in sites.items():
        family = FAMILY[operator]
        rng = random.Random(f"{operator}:{repo}/{path}")
        order = rng.sample(candidates, len(candidates))
        for mutated in order[:20]:
            if mutated != text and _broken(mutated) == (family != "import"):
                ident = f"{operator}-{repo.replace('/', '.')}-{path.replace('/', '.')}"
                yield HeldoutMutant(ident, family, operator, repo, commit, path, text, mutated)
                break


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from gitsource import parse_git_args
    from heldout import load_mutants

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, required=True)
    parser.add_argument("--git", action="append", default=[], help="owner/name=GIT_DIR")
    parser.add_argument("--out", type=Path, help="write each mutant here as <id>.py")
    args = parser.parse_args(argv)
    counts: dict[str, int] = {}
    for mutant in load_mutants(args.manifest, parse_git_args(args.git)):
        counts[mutant.operator] = counts.get(mutant.operator, 0) + 1
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{mutant.id}.py").write_text(mutant.text, encoding="utf-8")
    for operator, count in sorted(counts.items(), key=lambda x: (FAMILY[x[0]], x[0])):
        sys.stdout.write(f"{FAMILY[operator]:<12} {operator:<18} {count}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
