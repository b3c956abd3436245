"""Clone detection on code that repeats short preambles (sortedcontainers' methods open alike)."""

from __future__ import annotations

from hookwright.clones import classes as clones

# Two natural twins that open with the same lookup (sortedcontainers' SortedKeyList).
TWINS = """\
class SortedKeyList:
    def __contains__(self, value):
        _maxes = self._maxes
        if not _maxes:
            return False
        key = self._key(value)
        pos = bisect_left(_maxes, key)
        if pos == len(_maxes):
            return False
        _lists = self._lists
        _keys = self._keys
        idx = bisect_left(_keys[pos], key)
        len_sublist = len(_keys[pos])
        while True:
            if _keys[pos][idx] != key:
                return False
            if _lists[pos][idx] == value:
                return True
            idx += 1

    def count(self, value):
        _maxes = self._maxes
        if not _maxes:
            return 0
        key = self._key(value)
        pos = bisect_left(_maxes, key)
        if pos == len(_maxes):
            return 0
        _lists = self._lists
        _keys = self._keys
        idx = bisect_left(_keys[pos], key)
        total = 0
        len_sublist = len(_keys[pos])
        while True:
            if _keys[pos][idx] != key:
                return total
            if _lists[pos][idx] == value:
                total += 1
            idx += 1
"""
# The second half of __contains__'s preamble pasted as it is (T1) ...
EXACT = """\
def symmetric_difference(self, other):
    diff = self._set.symmetric_difference(other)
    pos = bisect_left(_maxes, key)  # simplify

    if pos == len(_maxes):
        return False
    _lists = self._lists
    _keys = self._keys
    idx = bisect_left(_keys[pos], key)
    return self._fromset(diff, key=self._key)
"""
# ... and the first half of count's, renamed consistently (T2c): the two windows share half their lines.
RENAMED = """\
def setdefault(self, key, default=None):
    if key in self:
        return self[key]
    dict.__setitem__(self, key, default)
    if not _maxes:
        return 0
    nectar = self._key(value)
    summit = bisect_left(_maxes, nectar)
    if summit == len(_maxes):
        return 0
    self._list_add(key)
    return default
"""


def classes_of(**files: str) -> list[list[tuple[str, int, int]]]:
    analysis = clones.analyse([(f"{name}.py", text.encode()) for name, text in files.items()])
    return [[(m.path, m.start_line, m.end_line) for m in c.members] for c in analysis.classes]


def test_each_copy_of_a_window_of_a_repeated_preamble_joins_its_original() -> None:
    # The two windows overlap by exactly half: merged as shifted windows of one block, the class
    # kept the earlier window and lost the exact copy's original.
    found = classes_of(a=TWINS, b=EXACT, c=RENAMED)
    assert any(("a.py", 7, 12) in members and ("b.py", 3, 9) in members for members in found), found
    assert any(("a.py", 23, 28) in members and ("c.py", 5, 10) in members for members in found), found


# Two more of its methods: a region that runs from count's preamble into its loop fails as a whole
# and was cut at its gaps; the part before a gap (six one-line statements of the lookup) verified.
COUNT = """\
def count(self, value):
    _maxes = self._maxes
    if not _maxes:
        return 0
    key = self._key(value)
    pos = bisect_left(_maxes, key)
    if pos == len(_maxes):
        return 0
    _lists = self._lists
    _keys = self._keys
    idx = bisect_left(_keys[pos], key)
    total = 0
    len_keys = len(_keys)
    len_sublist = len(_keys[pos])
    while True:
        if _keys[pos][idx] != key:
            return total
        if _lists[pos][idx] == value:
            total += 1
        idx += 1
        if idx == len_sublist:
            pos += 1
            if pos == len_keys:
                return total
            len_sublist = len(_keys[pos])
            idx = 0
"""
INDEX = """\
def index(self, value, start=None, stop=None):
    _len = self._len
    if not _len:
        raise ValueError('{0!r} is not in list'.format(value))
    if start is None:
        start = 0
    if start < 0:
        start += _len
    if start < 0:
        start = 0
    if stop is None:
        stop = _len
    if stop < 0:
        stop += _len
    if stop > _len:
        stop = _len
    if stop <= start:
        raise ValueError('{0!r} is not in list'.format(value))
    _maxes = self._maxes
    key = self._key(value)
    pos = bisect_left(_maxes, key)
    if pos == len(_maxes):
        raise ValueError('{0!r} is not in list'.format(value))
    stop -= 1
    _lists = self._lists
    _keys = self._keys
    idx = bisect_left(_keys[pos], key)
    len_keys = len(_keys)
    len_sublist = len(_keys[pos])
    while True:
        if _keys[pos][idx] != key:
            raise ValueError('{0!r} is not in list'.format(value))
        if _lists[pos][idx] == value:
            loc = self._loc(pos, idx)
            if start <= loc <= stop:
                return loc
            elif loc > stop:
                break
        idx += 1
        if idx == len_sublist:
            pos += 1
            if pos == len_keys:
                raise ValueError('{0!r} is not in list'.format(value))
            len_sublist = len(_keys[pos])
            idx = 0
    raise ValueError('{0!r} is not in list'.format(value))
"""


def test_a_region_that_fails_is_not_cut_down_to_a_preamble_alike_in_shape() -> None:
    found = classes_of(a=COUNT, b=INDEX)
    # Its loops (a.py 20-26) may pair; nothing of the lookup before them (lines 2-11) may.
    assert all(start > 11 for members in found for path, start, _ in members if path == "a.py"), found
