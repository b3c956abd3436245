"""A name defined by a module the file already imports from joins that import.

The shape is quodlibet's ``tests/test_formats__album.py`` (2013): it imports ``Album`` from
``quodlibet.formats._album``, which defines ``Playlist`` too; the browsers import another
``Playlist`` from ``quodlibet.browsers.playlists``, the commoner form in the project.
"""

from __future__ import annotations

from pathlib import Path

from heal_projects import add, project

ALBUM_TEST = (
    "from quodlibet.formats._album import Album\n"
    "from tests import TestCase\n\n\n"
    "class TPlaylist(TestCase):\n"
    "    def test_new(self):\n"
    "        return Playlist('x'), Album([])\n"
)

FILES = {
    "quodlibet/__init__.py": "",
    "quodlibet/formats/__init__.py": "",
    "quodlibet/formats/_album.py": "class Album:\n    pass\n\n\nclass Playlist(Album):\n    pass\n",
    "quodlibet/browsers/__init__.py": "",
    "quodlibet/browsers/playlists.py": "class Playlist:\n    pass\n",
    "quodlibet/browsers/a.py": "from quodlibet.browsers.playlists import Playlist\n\nPlaylist()\n",
    "quodlibet/browsers/b.py": "from quodlibet.browsers.playlists import Playlist\n\nPlaylist()\n",
    "tests/__init__.py": "class TestCase:\n    pass\n",
    "tests/test_album.py": ALBUM_TEST,
}


def test_a_name_the_imported_module_defines_joins_that_import(tmp_path: Path) -> None:
    index = project(tmp_path, FILES)
    fixed = add(ALBUM_TEST, "tests/test_album.py", "Playlist", index)
    assert fixed is not None
    assert "browsers" not in fixed
    # joined, or one name per statement as the project's other files write them
    assert "_album import Album, Playlist\n" in fixed or "_album import Playlist\n" in fixed


def test_two_imported_modules_that_define_it_give_no_answer_of_their_own(tmp_path: Path) -> None:
    text = "from quodlibet.browsers.playlists import Playlist as P\n" + ALBUM_TEST
    files = {**FILES, "tests/test_album.py": text}
    index = project(tmp_path, files)
    fixed = add(text, "tests/test_album.py", "Playlist", index)
    assert fixed is None or "from quodlibet.formats._album import Album, Playlist" not in fixed


def test_a_moved_python2_builtin_does_not_join_a_compatibility_module(tmp_path: Path) -> None:
    # twisted's words/protocols/irc.py (2016): it imports `xrange` from twisted.python.compat, which
    # re-binds `reduce` too; the commit imported `reduce` from functools, where Python 3 moved it.
    files = {
        "twisted/__init__.py": "",
        "twisted/python/__init__.py": "",
        "twisted/python/compat.py": "import functools\n\nxrange = range\nreduce = functools.reduce\n",
        "twisted/irc.py": "from twisted.python.compat import xrange\n\n\ndef total(a):\n"
        "    return reduce(lambda x, y: x + y, xrange(a))\n",
    }
    index = project(tmp_path, files)
    assert add(files["twisted/irc.py"], "twisted/irc.py", "reduce", index) is None


def test_a_name_the_file_renamed_from_that_module_is_another_object(tmp_path: Path) -> None:
    # pydantic's tests/test_docs_extraction.py (2024): `dataclass as pydantic_dataclass` from
    # pydantic.dataclasses, `field` from the standard library's dataclasses; the bare `dataclass`
    # is the standard library's.
    text = (
        "from dataclasses import field\n\n"
        "from pkg.dataclasses import dataclass as pydantic_dataclass\n\n\n"
        "@dataclass\nclass A:\n    x: int = field(default=1)\n\n\n"
        "@pydantic_dataclass\nclass B:\n    y: int = 2\n"
    )
    files = {"pkg/__init__.py": "", "pkg/dataclasses.py": "def dataclass(cls):\n    return cls\n"}
    index = project(tmp_path, {**files, "tests/test_docs.py": text})
    assert add(text, "tests/test_docs.py", "dataclass", index) is None  # not from pkg.dataclasses


def test_a_module_reached_through_a_project_folder_on_sys_path_is_joined(tmp_path: Path) -> None:
    # Medusa's tvmaze_api.py (history9): `from pytvmaze.exceptions import ...` is the project's
    # `lib/pytvmaze/exceptions.py` (lib is on sys.path); IDNotFound defined there joins that import,
    # not a second `from lib.pytvmaze.exceptions import IDNotFound`
    text = (
        "from pytvmaze.exceptions import CastNotFound, ShowNotFound\n\n\n"
        "def find(show):\n    if not show:\n        raise IDNotFound(CastNotFound, ShowNotFound)\n"
    )
    files = {
        "lib/__init__.py": "",
        "lib/pytvmaze/__init__.py": "",
        "lib/pytvmaze/exceptions.py": (
            "class CastNotFound(Exception):\n    pass\n\n\nclass IDNotFound(Exception):\n    pass\n\n\n"
            "class ShowNotFound(Exception):\n    pass\n"
        ),
        "medusa/__init__.py": "",
        "medusa/tvmaze_api.py": text,
    }
    index = project(tmp_path, files)
    fixed = add(text, "medusa/tvmaze_api.py", "IDNotFound", index)
    assert fixed is not None
    assert fixed.startswith("from pytvmaze.exceptions import CastNotFound, IDNotFound, ShowNotFound\n")
