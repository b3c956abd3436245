"""A module the pytest config names by its dotted name reaches every test (t32).

pytest-django imports ``DJANGO_SETTINGS_MODULE = proj.settings`` from the ini file; no import
statement of the tree shows it. When another module also imported the settings, a change to them
ran only that module's tests, and the test that read the settings through the plugin passed unrun.
"""

from __future__ import annotations

import os
from pathlib import Path

from conftest import git, hookwright, write

# An installed plugin (outside the tree) that loads the module its ini setting names, as
# pytest-django does.
PLUGIN = """import importlib

SETTINGS = None


def pytest_addoption(parser):
    parser.addini("settings_module", "the settings module")


def pytest_configure(config):
    global SETTINGS
    SETTINGS = importlib.import_module(config.getini("settings_module"))
"""


def test_a_settings_module_named_in_the_pytest_config_runs_the_tests_that_read_it(
    in_git_dir: Path, tmp_path: Path
) -> None:
    repo = in_git_dir
    write(tmp_path / "plugins" / "settingsplugin.py", PLUGIN)
    write(repo / "pytest.ini", "[pytest]\naddopts = -p settingsplugin\nsettings_module = proj.settings\n")
    write(repo / "proj" / "__init__.py", "")
    write(repo / "proj" / "settings.py", "FEATURE = 1\n")
    write(repo / "proj" / "other.py", "from proj import settings\n\n\ndef two():\n    return 2\n")
    write(
        repo / "tests" / "test_feature.py",
        "import settingsplugin\n\n\ndef test_feature():\n    assert settingsplugin.SETTINGS.FEATURE == 1\n",
    )
    write(
        repo / "tests" / "test_other.py",
        "from proj.other import two\n\n\ndef test_two():\n    assert two() == 2\n",
    )
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "initial")
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    env["PYTHONPATH"] = str(tmp_path / "plugins")
    assert hookwright("verify", "--only", "tests", cwd=repo, env=env).returncode == 0
    write(repo / "proj" / "settings.py", "FEATURE = 2\n")
    git(repo, "add", ".")
    result = hookwright("verify", "--only", "tests", cwd=repo, env=env)
    assert result.returncode == 1, f"the test reading the settings was left out: {result.stdout}"
