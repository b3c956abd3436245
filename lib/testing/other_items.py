"""Whether pytest collects test items beyond the test files: if so, no change may skip pytest.

A change that reaches no test file used to start no pytest at all. But pytest also makes items of
files that are not test files by name: a conftest's ``pytest_collect_file`` (``*_spec.py`` read as
test modules), a plugin that makes an item of every source file (pytest-mypy, pytest-ruff), YAML or
Markdown tests. Without a run those items never saw the change: a test appended to a ``*_spec.py``
module passed while plain pytest failed (found in the lead's review of the new-function rule). So
pytest is skipped only when none of these can hold; otherwise it runs with every test file left
out, and collects only the rest (with nothing else there, the whole suite runs: see ``pytest_check``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from hookwright.testing.pytest_layout import PytestLayout
from hookwright.testing.unstarted import options_collect, setup_collects

Read = Callable[[str], bytes | None]  # a committed file by path


def collected_beyond_tests(
    layout: PytestLayout, paths: Iterable[str], collected_from: Iterable[str], read: Read
) -> str | None:
    """Why pytest may collect items outside the test files of ``paths``; None when it cannot.

    ``collected_from``: the files earlier runs took items from (their measured durations). That
    sees an installed plugin's items; the conftests and in-tree plugins are read for the hooks
    that collect a file which has no item yet.
    """
    tree = set(paths)
    earlier = sorted(p for p in collected_from if p in tree and not layout.is_test_file(p))
    if earlier:
        return f"pytest took tests from {earlier[0]}, no test file by name: it runs"
    in_tree = {name: _module_file(name, tree) for name in layout.plugins}
    why = options_collect(layout, [name for name, path in in_tree.items() if path is None])
    if why is None:
        setup = [p for p in tree if p.rsplit("/", 1)[-1] == "conftest.py"]
        found = [*setup, *(p for p in in_tree.values() if p is not None)]
        why = setup_collects({p: read(p) or b"" for p in found})
    return why.replace("may collect it", "may collect other files") if why is not None else None


def _module_file(name: str, paths: set[str]) -> str | None:
    """The tree's file of module ``name`` (at the root or under a source folder), if it has one."""
    tail = name.replace(".", "/")
    for path in sorted(paths):
        if f"/{path}".endswith((f"/{tail}.py", f"/{tail}/__init__.py")):
            return path
    return None
