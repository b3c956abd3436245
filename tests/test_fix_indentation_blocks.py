"""Indentation repairs checked against the block structure around them (history7's real repairs, h20i).

Each case is the shape of a real commit's repair, written afresh (no project's code): the broken
text, the fixer, and the one repair the lines around it leave.
"""

from __future__ import annotations

from hookwright.heal.fix_base import FixContext
from hookwright.heal.fix_indentation import fix_expected_block

CTX = FixContext("mod.py", None, None, "IndentationError", "")


def test_a_docstring_whose_first_line_slipped_keeps_its_text() -> None:
    broken = (
        "class Graph:\n"
        "    def merge(self, i):\n"
        '    """Merge a node.\n'
        "\n"
        "        More about it.\n"
        '        """\n'
        "        return i\n"
    )
    assert fix_expected_block(broken, CTX) == broken.replace('    """Merge', '        """Merge')
