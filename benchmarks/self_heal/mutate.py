"""Deterministic mutants of real code, per family, for the self_heal fix-rate benchmark.

Each operator breaks one thing the way people do: a deleted import; a line indented with a tab, one
step too deep, off by a few spaces, or not indented under its header; a dropped colon, closing
bracket, comma or closing quote; leftover merge-conflict markers. A mutant is kept only when it is
really broken: the import family must compile with new undefined names (checked with ruff by the
benchmark), the others must fail to compile. Choices come from ``random.Random("<family>:<path>")``,
so the same corpus always gives the same mutants.

    python benchmarks/self_heal/mutate.py tests/corpus/self_heal --out /tmp/mutants   # to look at them
"""

from __future__ import annotations

import argparse
import ast
import io
import itertools
import random
import sys
import tokenize
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FAMILIES = ("import", "indentation", "syntax")
PER_OPERATOR = {"import": 4, "indentation": 2, "syntax": 2}
TYPO_WORDS = {"return", "import", "for", "while", "else", "elif", "def", "class", "lambda", "except", "raise"}
HEADERS = {"if", "elif", "else", "for", "while", "def", "class", "try", "except", "finally", "with", "async"}


@dataclass(frozen=True)
class Mutant:
    id: str
    family: str
    operator: str
    project: str  # directory under the corpus: the project root
    path: str  # relative to the project root
    line: int
    original: str
    text: str


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _tokens(text: str) -> list[tokenize.TokenInfo]:
    return list(tokenize.generate_tokens(io.StringIO(text).readline))


def _fails(text: str) -> SyntaxError | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "<mutant>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        return exc
    return None


@dataclass(frozen=True)
class Logical:
    tokens: tuple[tokenize.TokenInfo, ...]
    first: int
    last: int
    indent: str
    after_colon: bool  # the logical line before ends with ':' (this one opens a block body)


def _logical_lines(text: str) -> list[Logical]:
    found: list[Logical] = []
    current: list[tokenize.TokenInfo] = []
    after_colon = False
    skip = (tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER)
    for token in _tokens(text):
        if token.type in skip:
            continue
        if token.type == tokenize.NEWLINE:
            if current:
                first = current[0]
                found.append(
                    Logical(
                        tuple(current),
                        first.start[0],
                        token.start[0],
                        first.line[: first.start[1]],
                        after_colon,
                    )
                )
                after_colon = current[-1].string == ":"
            current = []
            continue
        current.append(token)
    return found


# -- import ------------------------------------------------------------------------------------------


def import_mutants(text: str, rng: random.Random) -> Iterator[tuple[str, int, str]]:
    tree = ast.parse(text)
    lines = _lines(text)
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    used |= {  # names in string annotations, where TYPE_CHECKING imports are used
        n.id
        for c in ast.walk(tree)
        if isinstance(c, ast.Constant) and isinstance(c.value, str) and c.value.isidentifier()
        for n in [ast.Name(c.value)]
    }
    sites = []
    for node in tree.body:
        if not isinstance(node, ast.Import | ast.ImportFrom) or getattr(node, "module", "") == "__future__":
            continue
        if any(a.name == "*" for a in node.names):
            continue
        bound = {(a.asname or a.name).split(".")[0] for a in node.names}
        span = lines[node.lineno - 1 : node.end_lineno]
        if bound & used and ";" not in "".join(span) and node.col_offset == 0:
            sites.append(node)
    for node in rng.sample(sites, min(len(sites), PER_OPERATOR["import"])):
        mutated = "".join(lines[: node.lineno - 1] + lines[node.end_lineno :])  # type: ignore[misc]
        yield "delete-import", node.lineno, mutated
    yield from _nested_import_mutants(tree, lines, used, rng)
    names = [
        (node, alias)
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
        and node.module.split(".")[0] in sys.stdlib_module_names and node.module != "__future__"
        and len(node.names) > 1 and node.lineno == node.end_lineno
        for alias in node.names
        if alias.asname is None and alias.name in used
    ]  # fmt: skip
    for node, alias in rng.sample(names, min(len(names), PER_OPERATOR["import"])):
        line = lines[node.lineno - 1]
        kept = ", ".join(
            a.name + (f" as {a.asname}" if a.asname else "") for a in node.names if a is not alias
        )
        start = line.index(" import ") + len(" import ")
        rest = line[start:].lstrip("(").rstrip()
        new = line[:start] + kept + ("\n" if "#" not in rest else "  #" + rest.split("#", 1)[1] + "\n")
        yield "delete-name", node.lineno, "".join([*lines[: node.lineno - 1], new, *lines[node.lineno :]])


def _nested_import_mutants(
    tree: ast.Module, lines: list[str], used: set[str], rng: random.Random
) -> Iterator[tuple[str, int, str]]:
    """An import inside a function body, or under ``if TYPE_CHECKING:``, deleted."""
    sites: dict[str, list[ast.stmt]] = {"delete-local-import": [], "delete-typing-import": []}
    for parent in ast.walk(tree):
        body = getattr(parent, "body", None)
        if not isinstance(body, list) or len(body) < 2 or parent is tree:
            continue
        if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef):
            operator = "delete-local-import"
        elif isinstance(parent, ast.If) and "TYPE_CHECKING" in ast.unparse(parent.test):
            operator = "delete-typing-import"
        else:
            continue
        for node in body:
            if isinstance(node, ast.Import | ast.ImportFrom) and node.lineno == node.end_lineno:
                bound = {(a.asname or a.name).split(".")[0] for a in node.names}
                if bound & used and ";" not in lines[node.lineno - 1]:
                    sites[operator].append(node)
    for operator, found in sites.items():
        for node in rng.sample(found, min(len(found), PER_OPERATOR["import"])):
            yield operator, node.lineno, "".join(lines[: node.lineno - 1] + lines[node.lineno :])


# -- indentation -------------------------------------------------------------------------------------


def indentation_mutants(text: str, rng: random.Random) -> Iterator[tuple[str, int, str]]:
    lines = _lines(text)
    if any(line.startswith("\t") for line in lines):
        return
    starts = [s for s in _logical_lines(text) if s.indent and s.indent.strip() == ""]
    ops = {
        "tab": [s for s in starts if len(s.indent) >= 4],
        "unexpected-indent": [s for s in starts if not s.after_colon],
        "unindent": [s for s in starts if len(s.indent) >= 4 and not s.after_colon],
        "not-indented": [s for s in starts if s.after_colon and len(s.indent) >= 4],
        "dedent-line": [
            s for s, n in itertools.pairwise(starts)
            if not s.after_colon and n.indent == s.indent and not n.after_colon and s.first == s.last
            and not _opens(s)
        ],
        "tab-run": [s for s in starts if len(s.indent) >= 4],
    }  # fmt: skip
    for operator, sites in ops.items():
        for site in rng.sample(sites, min(len(sites), PER_OPERATOR["indentation"])):
            line, indent = site.first, site.indent
            rest = lines[line - 1][len(indent) :]
            if operator == "tab":
                new = (
                    "\t" * (len(indent) // 4) + " " * (len(indent) % 4)
                    if rng.random() < 0.5
                    else "\t" + indent[4:]
                )
            elif operator == "unexpected-indent":
                new = indent + "    "
            elif operator == "unindent":
                new = indent[: len(indent) - rng.randint(1, 3)]
            elif operator == "tab-run":
                yield operator, line, _tab_run(lines, line, rng)
                continue
            else:  # not-indented, dedent-line: one level out
                new = indent[:-4]
            yield operator, line, "".join([*lines[: line - 1], new + rest, *lines[line:]])


def _opens(logical: Logical) -> bool:
    return logical.tokens[-1].string == ":"


def _tab_run(lines: list[str], first: int, rng: random.Random) -> str:
    """A few lines from ``first`` re-indented with tabs of one width (2, 4 or 8 columns)."""
    width = rng.choice([2, 4, 8])
    out = list(lines)
    for number in range(first, min(first + rng.randint(2, 5), len(lines) + 1)):
        text = out[number - 1]
        indent = text[: len(text) - len(text.lstrip(" "))]
        if text.strip() and indent:
            out[number - 1] = "\t" * (len(indent) // width) + " " * (len(indent) % width) + text.lstrip(" ")
    return "".join(out)


# -- syntax ------------------------------------------------------------------------------------------


def _delete(lines: list[str], token: tokenize.TokenInfo) -> str:
    row, col = token.start
    line = lines[row - 1]
    return "".join([*lines[: row - 1], line[:col] + line[token.end[1] :], *lines[row:]])


def syntax_mutants(text: str, rng: random.Random) -> Iterator[tuple[str, int, str]]:
    lines = _lines(text)
    logical = _logical_lines(text)
    colons = [g.tokens[-1] for g in logical if g.tokens[0].string in HEADERS and g.tokens[-1].string == ":"]
    closers, commas, strings, inline, words = [], [], [], [], []
    for group in logical:
        depth = 0
        for token, following in zip(group.tokens, [*group.tokens[1:], None], strict=True):
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                depth -= 1
            ends_line = following is None or following.start[0] > token.end[0]
            if token.type == tokenize.OP and token.string in ")]}" and ends_line:
                closers.append(token)
            elif (
                token.string == ","
                and depth >= 1
                and ends_line
                and following
                and following.string not in ")]}"
            ):
                commas.append(token)
            elif token.string == "," and depth >= 1 and following and following.start[0] == token.end[0]:
                if following.string not in ")]}":
                    inline.append(token)
            elif token.type == tokenize.NAME and token.string in TYPO_WORDS:
                words.append(token)
            elif token.type == tokenize.STRING and token.start[0] == token.end[0]:
                body = token.string.lstrip("rRbBuUfF")
                if body[:3] not in ('"""', "'''") and len(body) >= 2:
                    strings.append(token)
    for operator, sites in (("colon", colons), ("bracket", closers), ("comma", commas)):
        for token in rng.sample(sites, min(len(sites), PER_OPERATOR["syntax"])):
            yield operator, token.start[0], _delete(lines, token)
    for token in rng.sample(strings, min(len(strings), PER_OPERATOR["syntax"])):
        row, col = token.end
        line = lines[row - 1]
        yield "string", row, "".join([*lines[: row - 1], line[: col - 1] + line[col:], *lines[row:]])
    statements = [g for g in logical if not g.after_colon]
    for group in rng.sample(statements, min(len(statements), PER_OPERATOR["syntax"])):
        block = lines[group.first - 1 : group.last]
        if rng.random() < 0.5:
            markers = ["<<<<<<< HEAD\n", *block, "=======\n", *block, ">>>>>>> feature/cleanup\n"]
        else:
            markers = [rng.choice(["<<<<<<< HEAD\n", "=======\n", ">>>>>>> main\n"]), *block]
        yield "markers", group.first, "".join([*lines[: group.first - 1], *markers, *lines[group.last :]])
    # Operators added later draw after the first ones, so that those keep their mutants.
    for token in rng.sample(inline, min(len(inline), PER_OPERATOR["syntax"])):
        yield "inline-comma", token.start[0], _delete(lines, token)
    for token in rng.sample(words, min(len(words), PER_OPERATOR["syntax"])):
        row, col = token.start
        line = lines[row - 1]
        word = token.string
        at = rng.randrange(len(word) - 1)
        typo = rng.choice([word[:at] + word[at + 1] + word[at] + word[at + 2 :], word[:at] + word[at + 1 :]])
        yield (
            "keyword",
            row,
            "".join([*lines[: row - 1], line[:col] + typo + line[token.end[1] :], *lines[row:]]),
        )


OPERATORS = {"import": import_mutants, "indentation": indentation_mutants, "syntax": syntax_mutants}


def mutants(project: str, path: str, text: str) -> Iterator[Mutant]:
    for family, operator_set in OPERATORS.items():
        rng = random.Random(f"{family}:{project}/{path}")
        try:
            generated = list(operator_set(text, rng))
        except (SyntaxError, tokenize.TokenError):
            continue
        for number, (operator, line, mutated) in enumerate(generated):
            if mutated == text:
                continue
            broken = _fails(mutated)
            if (family == "import") == (broken is not None):
                continue  # an import mutant must compile; the others must not
            ident = f"{family}-{project}-{path.replace('/', '.')}-{number}"
            yield Mutant(ident, family, operator, project, path, line, text, mutated)


def corpus(root: Path) -> Iterator[Mutant]:
    """Mutants of every Python file under each project directory of ``root`` (one level down)."""
    for base in sorted(p for p in root.iterdir() if p.is_dir()):
        for file in sorted(base.rglob("*.py")):
            text = file.read_text(encoding="utf-8")
            yield from mutants(base.name, file.relative_to(base).as_posix(), text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, help="write each mutant here as <id>.py")
    args = parser.parse_args(argv)
    counts: dict[tuple[str, str], int] = {}
    for mutant in corpus(args.corpus):
        counts[(mutant.family, mutant.operator)] = counts.get((mutant.family, mutant.operator), 0) + 1
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{mutant.id}.py").write_text(mutant.text, encoding="utf-8")
    for (family, operator), count in sorted(counts.items()):
        sys.stdout.write(f"{family:<12} {operator:<18} {count}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
