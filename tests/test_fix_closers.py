"""A bracket left open inside a statement, and one left open before a string's later lines.

The shapes are those of real repairs mined from project histories (a default argument's header that
lost its ``)``, a slice bound's call, a usage message printed from a triple-quoted string).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hookwright.heal import rules as error_rules
from hookwright.heal.engine import Detector, heal_text
from hookwright.heal.fix_base import FixContext, compile_error
from hookwright.heal.fix_closers import insert_closer
from hookwright.heal.fix_syntax import close_bracket

CTX = FixContext("mod.py", None, None, "SyntaxError", "")

CALLBACK = """\
class TreeCallback:
    def v2_runner_on_ok(self, result):
        self.result_to_tree(result)

    def v2_runner_on_failed(self, result, ignore_errors=False{closer}:
        self.result_to_tree(result)
"""

SALT = """\
def split(content, salt_field):
    if salt_field.startswith('salt='):
        salt = salt_field[len('salt='{closer}:]
    else:
        salt = None
    return content, salt
"""

USAGE = """\
def token(args):
    if not args.api_token:
        print('''Could not find values for the api_token.
They must be given in the ini file or the environment
(DO_API_TOKEN)'''{closer}
        sys.exit(-1)
    return args.api_token
"""

MTN = """\
def test_update(self):
    expects = [
        Expect(['path/to/mtn', 'db', 'info',
                '--db', os.path.join(self.basedir, 'db.mtn'{closer}],
               self.basedir,
               keepStdout=True)
    ]
    return expects
"""

POSTINSTALL = """\
def run():
    args = ['--destination', sitepackages]
    args.extend(['--compiledir', join(sitepackages, 'twisted'),{closer})
    tkunzip.run(args)
"""


# history8 (tuning): rows of a matrix whose outer `]` was lost before the call's keyword argument or its `)`.
MATRIX = """\
def test_rows():
    rows = np.array([[0, 0, 1], [0, 1, 0], [1, 0, 0]{closer})
    return rows
"""

PAIRS = """\
def pairs(text):
    return {{k.strip(): v
            for (k, v) in [x.split("=", 1) for x in text.split() if "=" in x{closer}}}
"""

MATRIX_KEYWORD = """\
def test_rows():
    rows = np.array([[0, 0, 0], [1, 0, 0], [2, 0, 0], [3, 0, 0], [4, 0, 0]{closer},
                    dtype='float32')
    return rows
"""


@pytest.mark.parametrize(
    ("shape", "closer"),
    [(MTN, ")"), (POSTINSTALL, "]"), (MATRIX, "]"), (MATRIX_KEYWORD, "]"), (PAIRS, "]")],
    ids=[
        "call-in-a-list",
        "list-in-a-call",
        "list-of-lists",
        "list-before-a-keyword-argument",
        "a-list-comprehension-in-a-dict-comprehension",
    ],
)
def test_several_places_compile_the_one_before_the_mismatched_closer_is_taken(
    shape: str, closer: str
) -> None:
    # Each also compiles with the closer earlier (`join(self.basedir), 'db.mtn']`); whoever typed the
    # mismatched closer believed the bracket closed right before it.
    broken, truth = shape.format(closer=""), shape.format(closer=closer)
    assert insert_closer(broken, CTX) == truth


def test_a_list_written_one_item_a_line_closes_before_the_typed_closer_on_its_own_line() -> None:
    broken = "def setup(self):\n    self.add_paths([\n        '/etc/x',\n        '/var/log/x.log',\n    )\n    self.done()\n"
    assert insert_closer(broken, CTX) == broken.replace("    )", "    ])")


@pytest.mark.parametrize("shape", [CALLBACK, SALT], ids=["def-header-colon", "slice-bound"])
def test_the_one_place_that_compiles_gets_the_closer(shape: str) -> None:
    broken, truth = shape.format(closer=""), shape.format(closer=")")
    assert compile_error(broken) is not None
    assert insert_closer(broken, CTX) == truth


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("x = f(a, g(b, c:]\n", id="two-readings"),
        pytest.param("def f(a, b=(1, 2:\n    pass\n", id="two-closers-missing"),
        pytest.param("x = (a + b])\n", id="an-extra-closer-not-a-missing-one"),
        pytest.param("x = [f(a,\n]\n", id="the-mismatched-closer-on-a-line-of-its-own"),
        pytest.param("x = [(a % (b, c)\n     for r in rs]\n", id="a-generator-or-a-comprehension"),
        pytest.param("print(a b)\n", id="not-a-bracket-slip"),
        pytest.param("x = 1\n", id="compiles"),
    ],
)
def test_declines_unless_exactly_one_place_compiles(text: str) -> None:
    assert insert_closer(text, CTX) is None


def test_a_bracket_closes_after_the_triple_quoted_string_not_inside_it() -> None:
    broken, truth = USAGE.format(closer=""), USAGE.format(closer=")")
    assert close_bracket(broken, CTX) == truth


def test_the_engine_reaches_the_rule_for_an_invalid_syntax_header() -> None:
    registry = error_rules.load_builtin()
    detect = Detector(None, codes=())
    healed = heal_text("tree.py", CALLBACK.format(closer=""), error_rules.Registry(tuple(registry)), detect)
    assert healed.text == CALLBACK.format(closer=")")


# exaile (2009-2010): a header's closer lost inside nested brackets. Closing right before the colon
# is the one place that leaves the typed trailers (`.StatusIcon`, `.startswith(...)`) where they were.
TRAY = """\
def attach(notif, gui, gtk):
    if hasattr(gui, 'tray_icon') and gui.tray_icon:
        if isinstance(gui.tray_icon, type(gtk.StatusIcon){closer}:
            notif.attach_to_status_icon(gui.tray_icon)
"""

SUBDIR = """\
def is_subdir(path_sep, item_sep):
    if (path_sep.startswith(item_sep){closer}:
        return True
    return False
"""


@pytest.mark.parametrize("shape", [TRAY, SUBDIR])
def test_a_header_s_closer_goes_before_its_colon_not_inside_a_trailer(shape: str) -> None:
    broken = shape.format(closer="")
    assert insert_closer(broken, CTX) == shape.format(closer=")")


def test_two_places_that_keep_the_trailers_are_still_two_readings() -> None:
    broken = "def f(a, b):\n    if g(a, h(b:\n        return 1\n"
    assert insert_closer(broken, CTX) is None


# exaile's tta.py (2008): a call's closer lost at the end of its second line, in Python 2 code that
# reads `unicode`. The name was in the file before the repair; the repair only lets ruff see it.
TTA = """\
def write(id3, tr, mutagen):
    for k, v in tr.items():
        try:
            frame = mutagen.id3.Frames[k](encoding=3,
                text = unicode(tr[v]){closer}
            id3.loaded_frame(frame)
        except KeyError:
            pass
"""


def test_a_repair_that_reveals_an_undefined_name_it_did_not_write_is_kept(tmp_path: Path) -> None:
    healed = heal_text("tta.py", TTA.format(closer=""), error_rules.load(tmp_path, {}), Detector(tmp_path))
    assert healed.text == TTA.format(closer=")")


def test_a_repair_that_writes_an_undefined_name_is_still_refused() -> None:
    from hookwright.heal.diagnostics import Diagnostic
    from hookwright.heal.judging import judge

    target = Diagnostic("m.py", 2, 5, "SyntaxError", "invalid syntax", "compile")
    found = Diagnostic("m.py", 2, 5, "F821", "Undefined name `unicode`", "ruff")
    old, new = "x = (1\n", "x = (unicode)\n"
    assert judge(target, [target], [found], {2}, (old, new)) is not None
    assert judge(target, [target], [found], {2}, ("x = (unicode\n", new)) is None
