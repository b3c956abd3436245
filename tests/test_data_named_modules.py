"""A module a data file names by its dotted name: code loads it by that name, no import shows it.

``logging.config.fileConfig`` imports the handler class an ini file names (``class=pkg.handlers.
Collect``); a pickle names its classes' modules. On 3650294, with selection on and no records, a
change to ``pkg/handlers.py`` ran only the test file that imports it and passed, while the test
whose logging it broke (it imports nothing of the tree) was left out: a plain pytest fails.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from conftest import git, write
from test_selection import make, verify_tests

from hookwright.git.repo import Repo
from hookwright.testing import data_names

HANDLERS = (
    "import logging\n\n\nclass Collect(logging.Handler):\n    seen = []\n\n"
    "    def emit(self, record):\n        self.seen.append(record.getMessage())\n"
)
LOGGING_INI = (
    "[loggers]\nkeys=root\n\n[handlers]\nkeys=collect\n\n[formatters]\nkeys=\n\n"
    "[logger_root]\nlevel=INFO\nhandlers=collect\n\n[handler_collect]\nclass=pkg.handlers.Collect\nargs=()\n"
)
CONFIGURED_TEST = (
    "import logging\nimport logging.config\n\n\ndef test_messages_reach_the_handler():\n"
    "    logging.config.fileConfig('tests/logging.ini')\n    logging.getLogger().info('hello')\n"
    "    assert logging.getLogger().handlers[0].seen == ['hello']\n"
)
IMPORTING_TEST = (
    "import logging\n\nfrom pkg.handlers import Collect\n\n\n"
    "def test_collect_is_a_handler():\n    assert issubclass(Collect, logging.Handler)\n"
)


def test_a_change_to_a_handler_a_logging_config_names_runs_the_test_that_loads_it(
    committed_repo: Path,
) -> None:
    make(
        committed_repo,
        {
            "pytest.ini": "[pytest]\n",
            "pkg/handlers.py": HANDLERS,
            "tests/logging.ini": LOGGING_INI,
            "tests/test_configured.py": CONFIGURED_TEST,
            "tests/test_importing.py": IMPORTING_TEST,
        },
    )
    first = verify_tests(committed_repo)
    assert first["exit"] == 0, first
    git(committed_repo, "commit", "-qm", "logging")
    make(committed_repo, {"pkg/handlers.py": HANDLERS.replace("getMessage()", "getMessage().upper()")})
    step = verify_tests(committed_repo)
    assert step["exit"] == 1 and "test_messages_reach_the_handler" in step["stdout"], step


class Thing:  # pickled below as test_data_named_modules.Thing
    pass


def test_a_pickle_names_the_module_of_its_classes(committed_repo: Path) -> None:
    data = pickle.dumps(Thing()).replace(b"test_data_named_modules", b"pkg.models")
    write(committed_repo / "tests" / "thing.pkl", data)
    make(committed_repo, {"pkg/models.py": "class Thing:\n    pass\n", "pkg/unnamed.py": "X = 1\n"})
    repo = Repo.discover(committed_repo)
    inputs = repo.tree_files(git(committed_repo, "write-tree").strip())
    named = data_names.named_modules(repo, inputs, {}, committed_repo / "names.marshal")
    assert "pkg.models" in named and "pkg.unnamed" not in named, named
