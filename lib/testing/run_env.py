"""The environment a test run gets: kept apart from the runners so that a pytest started early
(``pytest_prestart``) gets exactly it without importing the report parsers first."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

PLUGIN = "_hookwright_pytest"
PLUGIN_DIR = Path(__file__).resolve().parent / "pytest_plugin"
# Its ``sitecustomize`` hides the work trees in every Python process started with it on PYTHONPATH.
CHILD_START = PLUGIN_DIR / "child_start"


def child_environment(env: Mapping[str, str] | None) -> dict[str, str]:
    """The environment a test run gets from ``env`` (None: ours)."""
    child_env = dict(os.environ if env is None else env)
    # Bytecode (and pytest's rewritten test modules) must not land in the tree under test: the
    # caller may give a PYTHONPYCACHEPREFIX outside it, which keeps imports fast run after run;
    # without one, no bytecode is written at all.
    if "PYTHONPYCACHEPREFIX" not in child_env:
        child_env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    return child_env


def pytest_base_env(env: Mapping[str, str]) -> dict[str, str]:
    """Every variable of a pytest run but the plugin's own (``HOOKWRIGHT_PYTEST_*``, set per run)."""
    child = child_environment(env)
    path = child.get("PYTHONPATH")
    child["PYTHONPATH"] = os.pathsep.join([str(PLUGIN_DIR), path] if path else [str(PLUGIN_DIR)])
    return child
