"""Very large files in bounded memory: compiled piece by piece, fixed through a window.

CPython compiles a 300,000-line module in one piece with over a gigabyte of memory (issue 16), and
the fixers' own tokenizing grows with the file too. A file this large is cut at lines that start a
top-level statement (column 0; not a continuation clause, not after a backslash) into pieces of about
``PIECE_LINES`` lines, and each piece is compiled on its own. A cut in the wrong place (inside a
string or a bracket, before an ``else:``) always makes a piece fail to compile, so a piece that fails
is compiled again with the piece before it and twice as many after it, until the error stays where
it is: the first error of the whole file. Two module-wide rules span pieces (``global`` after an
assignment, a ``__future__`` import after code); a file that has either is compiled whole.
"""

from __future__ import annotations
import __future__

import re
import warnings
import zlib
from dataclasses import replace

from hookwright.heal.fix_base import FixContext, Fixer, lines_of

LARGE_LINES = 20_000  # below this a file is compiled whole, as before
PIECE_LINES = 2_000
WINDOW_MARGIN = 1_000  # lines kept on each side of an error when a fixer works on a window
_CLAUSES = ("else", "elif", "except", "finally", "case")
_SPANNING = re.compile(r"^(?:global|nonlocal)\b|^from[ \t]+__future__\b", re.M)


def is_large(text: str) -> bool:
    return text.count("\n") > LARGE_LINES


def cut_points(lines: list[str]) -> list[int]:
    """0-based indexes of lines where a piece may start: the first line, then one every PIECE_LINES or so.

    Where to cut is decided by the lines themselves (a line whose hash hits, at least half a piece
    after the last cut), not by counting from the top: a fix that adds or removes lines leaves every
    piece away from it as it was, and a piece already compiled is not compiled again.
    """
    points = [0]
    half = PIECE_LINES // 2
    for number in range(half, len(lines)):
        since = number - points[-1]
        if since < half:
            continue
        line = lines[number]
        word = re.match(r"[A-Za-z_@]\w*", line)
        if not word or word.group() in _CLAUSES or lines[number - 1].rstrip("\r\n").endswith("\\"):
            continue
        if since >= 2 * PIECE_LINES or zlib.crc32(line.encode("utf-8", "replace")) % half == 0:
            points.append(number)
    return points


_COMPILED: dict[tuple[int, str], bool] = {}  # pieces known to compile; bounded below
_MAX_REMEMBERED = 4_000


def _compile(text: str, flags: int) -> SyntaxError | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(text, "<fix>", "exec", flags=flags, dont_inherit=True)
        except SyntaxError as exc:
            return exc
        except (ValueError, MemoryError, RecursionError) as exc:
            error = SyntaxError(str(exc))
            error.lineno = 1
            return error
    return None


_DETECTED_AT = re.compile(r"\(detected at line (\d+)\)")


def _moved(error: SyntaxError, by: int) -> SyntaxError:
    """The error of a piece as the whole file's: its lines (and the line in its message) moved down."""
    error.msg = _DETECTED_AT.sub(lambda m: f"(detected at line {int(m[1]) + by})", error.msg or "")
    if error.lineno is not None:
        error.lineno += by
    if getattr(error, "end_lineno", None) is not None:
        error.end_lineno += by  # type: ignore[operator]
    return error


def _future_flags(first_piece: str) -> int:
    flags = 0
    for name in re.findall(r"^from[ \t]+__future__[ \t]+import[ \t]+\(?([\w, \t]+)", first_piece, re.M):
        for feature in name.replace(" ", "").replace("\t", "").split(","):
            flags |= getattr(getattr(__future__, feature, None), "compiler_flag", 0)
    return flags


def compile_error(text: str) -> SyntaxError | None:
    """What ``compile`` says of ``text`` (its first error, or None), compiled piece by piece."""
    lines = lines_of(text)
    points = [*cut_points(lines), len(lines)]
    if len(points) <= 2 or _SPANNING.search(text, len("".join(lines[: points[1]]))):
        return _compile(text, 0)
    flags = _future_flags("".join(lines[: points[1]]))
    pieces = len(points) - 1
    index = 0
    while index < pieces:
        piece = "".join(lines[points[index] : points[index + 1]])
        if (flags, piece) in _COMPILED or _compile(piece, flags) is None:
            if len(_COMPILED) >= _MAX_REMEMBERED:
                _COMPILED.clear()
            _COMPILED[(flags, piece)] = True
            index += 1
            continue
        low, width, previous = max(index - 1, 0), 1, None
        while True:
            high = min(index + width, pieces)
            error = _compile("".join(lines[points[low] : points[high]]), flags)
            if error is None:
                index = high  # only the cut was wrong
                break
            where = (_DETECTED_AT.sub("", error.msg or ""), error.lineno, error.offset)
            detected = _DETECTED_AT.search(error.msg or "")
            at_the_cut = detected is not None and int(detected[1]) >= points[high] - points[low]
            if high == pieces or (where == previous and not at_the_cut):
                return _moved(error, points[low])
            previous, width = where, width * 2
    return None


def window(text: str, line: int) -> tuple[int, int]:
    """0-based line range [start, end) around ``line`` (1-based) that a fixer may work on alone."""
    lines = lines_of(text)
    points = [*cut_points(lines), len(lines)]
    start = max((p for p in points if p <= max(line - 1 - WINDOW_MARGIN, 0)), default=0)
    end = min((p for p in points if p >= min(line + WINDOW_MARGIN, len(lines))), default=len(lines))
    return start, end


def fix_in_window(fixer: Fixer, text: str, ctx: FixContext) -> str | None:
    """Run ``fixer`` on the lines around ``ctx.line`` alone and put its result back in place.

    Every fixer's work (tokenizing, compiling its candidates) then costs the window, not the file;
    the fix is still judged on the whole file afterwards. Only errors with a line get a window.
    """
    if ctx.line is None:
        return None
    start, end = window(text, ctx.line)
    lines = lines_of(text)
    inner = fixer("".join(lines[start:end]), replace(ctx, line=ctx.line - start))
    if inner is None:
        return None
    return "".join(lines[:start]) + inner + "".join(lines[end:])
