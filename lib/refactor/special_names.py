"""The ``__x__`` names Python's data model looks up, as against names merely spelled that way.

A method such as ``Ruler.__find__`` is an ordinary method with a dunder shape: nothing in the
language calls it, so it can be renamed like any other. The names below are the ones the language,
its standard protocols (copy, pickle, os.fspath, format, abc, dataclasses, typing) or the module and
class machinery read by name; renaming one of those (or renaming to one) changes behaviour silently.
"""

from __future__ import annotations

# Written as plain words (the stems between the double underscores), grouped by where they are read.
_OPERATORS = """add sub mul matmul truediv floordiv mod divmod pow lshift rshift and xor or"""
_OBJECT_PROTOCOLS = """
new init del repr str bytes format lt le eq ne gt ge hash bool getattr getattribute setattr delattr
dir get set delete set_name slots dict weakref class init_subclass class_getitem mro_entries prepare
instancecheck subclasscheck subclasshook call len length_hint getitem setitem delitem missing iter
reversed contains next neg pos abs invert complex int float index round trunc floor ceil enter exit
await aiter anext aenter aexit buffer release_buffer
"""
_LIBRARY_AND_MODULE_NAMES = """
copy deepcopy reduce reduce_ex getnewargs getnewargs_ex getstate setstate fspath sizeof subclasses
abstractmethods isabstractmethod dataclass_fields dataclass_params post_init match_args orig_bases
parameters type_params origin args annotations all name qualname module doc file path package loader
spec builtins cached version wrapped signature text_signature self func mro bases base code defaults
kwdefaults globals closure future debug main import build_class
"""

DATA_MODEL_NAMES: frozenset[str] = frozenset(
    [f"__{stem}__" for stem in (_OBJECT_PROTOCOLS + _LIBRARY_AND_MODULE_NAMES).split()]
    + [f"__{prefix}{op}__" for op in _OPERATORS.split() for prefix in ("", "r", "i")]
)


def is_dunder_shaped(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")
