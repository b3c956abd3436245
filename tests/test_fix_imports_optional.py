"""A function that imports only an optional package lazily keeps no standard-library name inside.

The shape is Flexget's (2019-2020): ``on_task_start`` imports ``subliminal`` inside a ``try:``
(an optional dependency), and ``logging`` was missing from the module's imports.
"""

from __future__ import annotations

from hookwright.heal.fix_base import FixContext
from hookwright.heal.fix_imports import add_import

SUBTITLES = (
    "import os\nimport tempfile\n\nfrom flexget import plugin\n\n\n"
    "class MetainfoSubs:\n"
    "    def on_task_start(self, task, config):\n"
    "        try:\n"
    "            import subliminal\n"
    "        except ImportError as e:\n"
    "            raise plugin.PluginError('subliminal module required: %s' % e)\n"
    "        logging.getLogger('subliminal').setLevel(logging.CRITICAL)\n"
    "        return os.sep, tempfile, subliminal\n"
)


def _add(text: str, name: str) -> str | None:
    ctx = FixContext(
        "flexget/plugins/subtitles_check.py",
        None,
        None,
        "NameError",
        "",
        {"name": name},
        {"source": "stdlib"},
    )
    return add_import(text, ctx)


def test_a_standard_library_module_goes_to_the_module_s_imports() -> None:
    fixed = _add(SUBTITLES, "logging")
    assert fixed is not None
    assert fixed.startswith("import logging\nimport os\n")


def test_a_function_that_imports_the_standard_library_lazily_keeps_it() -> None:
    text = SUBTITLES.replace(
        "            import subliminal\n", "            import subliminal\n            import shutil\n"
    )
    fixed = _add(text, "logging")
    assert fixed is not None
    assert not fixed.startswith("import logging")
    assert "        import logging\n" in fixed or "            import logging\n" in fixed
