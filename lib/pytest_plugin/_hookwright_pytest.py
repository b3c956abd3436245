"""A pytest plugin hookwright loads into a project's own pytest (``-p _hookwright_pytest``).

It never chooses what pytest collects, it only subtracts: the test files named in
``HOOKWRIGHT_PYTEST_SKIP`` are not collected (with ``HOOKWRIGHT_PYTEST_KEEP``, only the files
named there are), and with ``HOOKWRIGHT_PYTEST_ONLY`` every test but
the node ids listed there is deselected. Files pytest collects that hookwright does not know as
tests (custom ``python_files``, doctest files, plugins' collectors) are collected as always.
Every failed node id (test or collection) is appended to ``HOOKWRIGHT_PYTEST_OUTCOMES``.

It runs on the project's interpreter, which may not have hookwright installed: standard library
and pytest only, Python 3.8 syntax.
"""

from __future__ import annotations

import json
import os

import pytest

_ROOT = os.environ.get("HOOKWRIGHT_PYTEST_ROOT", "")


def _read_lines(variable: str) -> set[str] | None:
    name = os.environ.get(variable)
    if not name:
        return None
    with open(name, encoding="utf-8") as handle:
        return {line.rstrip("\n") for line in handle if line.strip()}


_SKIP = _read_lines("HOOKWRIGHT_PYTEST_SKIP") or set()
_KEEP = _read_lines("HOOKWRIGHT_PYTEST_KEEP")  # a shard after the first: only these files
_ONLY = _read_lines("HOOKWRIGHT_PYTEST_ONLY")
_ROOT_REAL = os.path.realpath(_ROOT) if _ROOT else ""


def _relative(path: str) -> str:
    real = os.path.realpath(path)
    if not _ROOT_REAL or not real.startswith(_ROOT_REAL + os.sep):
        return ""
    return real[len(_ROOT_REAL) + 1 :].replace(os.sep, "/")


def _ignored(path: str) -> bool | None:
    # None, never False: False would overrule --ignore, collect_ignore and the other plugins.
    relative = _relative(path)
    if relative in _SKIP:
        return True
    if _KEEP is not None and relative not in _KEEP and not os.path.isdir(path):
        # The first shard collects every file no shard was given by name (files hookwright does
        # not know as tests): the others collect only their own.
        return True if os.path.basename(path) not in ("conftest.py", "__init__.py") else None
    return None


# tryfirst: a conftest's own pytest_ignore_collect that answers False (boltons' does) would
# otherwise end the call before this one is asked.
if int(pytest.__version__.split(".")[0]) >= 7:

    @pytest.hookimpl(tryfirst=True)
    def pytest_ignore_collect(collection_path, config):  # type: ignore[no-untyped-def]
        return _ignored(str(collection_path))

else:  # pragma: no cover - pytest 6 names the argument `path`

    @pytest.hookimpl(tryfirst=True)
    def pytest_ignore_collect(path, config):  # type: ignore[no-untyped-def]
        return _ignored(str(path))


def pytest_collection_modifyitems(session, config, items):  # type: ignore[no-untyped-def]
    if _ONLY is None:
        return
    kept = [item for item in items if item.nodeid in _ONLY]
    dropped = [item for item in items if item.nodeid not in _ONLY]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _record(nodeid: str, when: str) -> None:
    name = os.environ.get("HOOKWRIGHT_PYTEST_OUTCOMES")
    if name:
        # Appended line by line: pytest-xdist workers and their controller may all write here.
        with open(name, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"failed": nodeid, "when": when}) + "\n")


def pytest_runtest_logreport(report):  # type: ignore[no-untyped-def]
    if report.failed:
        _record(report.nodeid, report.when)


def pytest_collectreport(report):  # type: ignore[no-untyped-def]
    if report.failed:
        _record(report.nodeid, "collect")
