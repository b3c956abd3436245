"""An import cycle keeps a re-added import lazy only when the file does not import that module already.

The shape is electrum's ``gui/qt/main_window.py`` (2019): it imports a dozen names from ``.util``
at module level, ``util.py`` imports ``main_window`` back, and ``ButtonsTextEdit`` was missing from
the list. The cycle is there at load time already: the name joins the module's imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

from hookwright.heal.fix_base import FixContext
from hookwright.heal.fix_imports import add_import
from hookwright.heal.project_names import ProjectIndex

MAIN_WINDOW = (
    "from .util import (read_QIcon, ColorScheme, text_dialog, icon_path, WaitingDialog,\n"
    "                   ButtonsLineEdit, CopyCloseButton)\n"
    "from .channels_list import ChannelsList\n\n\n"
    "class ElectrumWindow:\n"
    "    def create_receive_tab(self):\n"
    "        # A 4-column grid layout.\n"
    "        self.receive_message_e = ButtonsTextEdit()\n"
    "        self.icon = read_QIcon('x') or ColorScheme or text_dialog or icon_path or WaitingDialog\n"
    "        return ButtonsLineEdit, CopyCloseButton, ChannelsList\n"
)


def test_a_module_imported_at_load_time_takes_the_name_at_module_level(tmp_path: Path) -> None:
    util = "class ButtonsTextEdit:\n    pass\n\n\ndef window():\n    pass\n\n\nfrom . import main_window\n"
    files = {
        "electrum/__init__.py": "",
        "electrum/gui/__init__.py": "",
        "electrum/gui/qt/__init__.py": "",
        "electrum/gui/qt/util.py": util,
        "electrum/gui/qt/channels_list.py": "class ChannelsList:\n    pass\n",
        "electrum/gui/qt/main_window.py": MAIN_WINDOW,
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    index = ProjectIndex.from_directory(tmp_path)
    assert index.imports_back("electrum.gui.qt.util", "electrum.gui.qt.main_window")
    ctx = FixContext(
        "electrum/gui/qt/main_window.py",
        None,
        None,
        "NameError",
        "",
        {"name": "ButtonsTextEdit"},
        {"source": "definitions"},
        index,
    )
    fixed = add_import(MAIN_WINDOW, ctx)
    assert fixed is not None
    tree = ast.parse(fixed)
    method = tree.body[-1].body[0]  # type: ignore[attr-defined]
    assert not any(isinstance(n, ast.ImportFrom) for n in ast.walk(method))
    assert any(
        isinstance(n, ast.ImportFrom) and any(a.name == "ButtonsTextEdit" for a in n.names) for n in tree.body
    )
