"""An import placed inside a block spells the project's modules as that block's other imports do.

The shapes are fsspec's ``asyn.py`` (relative imports at the top, ``from fsspec import ...``
inside its functions) and setuptools' ``_apply_pyprojecttoml.py`` (relative at the top,
``from setuptools.dist import Distribution`` under ``if TYPE_CHECKING:``).
"""

from __future__ import annotations

from pathlib import Path

from heal_projects import add as _add
from heal_projects import project as _project

ASYN = (
    "import os\n\nfrom .callbacks import DEFAULT_CALLBACK\n\n\n"
    "def _get_batch_size(nofiles=False):\n\n    if nofiles:\n        return conf.get('nofiles_gather_batch_size')\n"
    "    return conf.get('gather_batch_size')\n\n\n"
    "def mirror_sync_methods(obj):\n    from fsspec import AbstractFileSystem\n\n    return AbstractFileSystem\n"
)


def test_a_function_import_is_absolute_where_the_files_function_imports_are(tmp_path: Path) -> None:
    index = _project(
        tmp_path,
        {
            "fsspec/__init__.py": "from .spec import AbstractFileSystem\n",
            "fsspec/spec.py": "class AbstractFileSystem:\n    pass\n",
            "fsspec/callbacks.py": "DEFAULT_CALLBACK = None\n",
            "fsspec/config.py": "conf = {}\n",
            "fsspec/core.py": "from .config import conf\n\n\ndef f():\n    from fsspec.config import conf\n",
            "fsspec/gui.py": "def g():\n    from fsspec.config import conf\n",
            "fsspec/asyn.py": ASYN,
        },
    )
    fixed = _add(ASYN, "fsspec/asyn.py", "conf", index)
    assert fixed is not None
    assert "def _get_batch_size(nofiles=False):\n    from fsspec.config import conf\n" in fixed


APPLY = (
    "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n"
    "from ..errors import InvalidConfigError\n\nif TYPE_CHECKING:\n"
    "    from setuptools.dist import Distribution\n\n\n"
    "def apply(dist: Distribution, meta: metadata.PackageMetadata) -> None:\n"
    "    raise InvalidConfigError(dist)\n"
)


def test_a_type_checking_import_is_absolute_where_the_blocks_imports_are(tmp_path: Path) -> None:
    index = _project(
        tmp_path,
        {
            "setuptools/__init__.py": "",
            "setuptools/errors.py": "class InvalidConfigError(Exception):\n    pass\n",
            "setuptools/dist.py": "from ._importlib import metadata\n\n\nclass Distribution:\n    pass\n",
            "setuptools/_importlib.py": "import importlib.metadata as metadata\n",
            "setuptools/config/__init__.py": "",
            "setuptools/config/expand.py": "from .._importlib import metadata\n",
            "setuptools/config/_apply_pyprojecttoml.py": APPLY,
        },
    )
    fixed = _add(APPLY, "setuptools/config/_apply_pyprojecttoml.py", "metadata", index)
    assert fixed is not None
    assert "if TYPE_CHECKING:\n    from setuptools._importlib import metadata\n" in fixed
