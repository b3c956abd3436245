"""A copy pasted into a family of natural twins is reported with its original, not with the family."""

from __future__ import annotations

from hookwright.clones import classes as clones

# pyasn1's character-string types: a dozen classes that differ by a tag number and an encoding.
TYPE = """\
class {name}(AbstractCharacterString):
    __doc__ = AbstractCharacterString.__doc__
    tagSet = AbstractCharacterString.tagSet.tagImplicitly(
        tag.Tag(tag.tagClassUniversal, tag.tagFormatSimple, {number})
    )
    encoding = "{encoding}"
    typeId = AbstractCharacterString.getTypeId()

"""
FAMILY = [
    ("NumericString", 18, "us-ascii"),
    ("PrintableString", 19, "latin-1"),
    ("TeletexString", 20, "iso-8859-1"),
    ("VideotexString", 21, "iso-8859-2"),
    ("IA5String", 22, "utf-7"),
    ("GraphicString", 25, "iso-8859-5"),
    ("VisibleString", 26, "cp1252"),
    ("GeneralString", 27, "latin-2"),
    ("UniversalString", 28, "utf-32-be"),
    ("BMPString", 30, "utf-16-be"),
    ("UTF8String", 12, "utf-8"),
    ("ObjectString", 13, "cp437"),
    ("RelativeString", 14, "cp850"),
]  # thirteen: over the strength split's cap of twelve, as in pyasn1


def analyse(**files: str) -> clones.Analysis:
    return clones.analyse([(f"{name}.py", text.encode()) for name, text in files.items()])


def members(analysis: clones.Analysis) -> list[list[tuple[str, int]]]:
    return [[(m.path, m.start_line) for m in c.members] for c in analysis.classes]


def test_a_copy_of_one_twin_of_a_large_family_is_reported_with_its_original_alone() -> None:
    family = "".join(TYPE.format(name=n, number=t, encoding=e) for n, t, e in FAMILY)
    # The copy of GraphicString (line 41) with an attribute and a name changed: a T2 clone of it.
    copy = TYPE.format(name="GraphicString", number=25, encoding="iso-8859-5")
    copy = copy.replace("tagFormatSimple", "tagFormatPlain").replace("__doc__ =", "_anchor =")
    found = members(analyse(char=family, error=copy))
    assert [("char.py", 41), ("error.py", 1)] in found
    assert all(("error.py", 1) not in group for group in found if len(group) > 2)


def test_exact_twins_a_third_member_was_copied_from_stay_in_the_family() -> None:
    # Two exact twins and a renamed copy nearest to both: it came from either, nothing leaves.
    family = "".join(TYPE.format(name=n, number=t, encoding=e) for n, t, e in FAMILY[:3])
    twin = TYPE.format(name="NumericString", number=18, encoding="us-ascii")
    copy = twin.replace("NumericString", "DigitString")
    found = members(analyse(char=family, twin=twin, copy=copy))
    assert any({("char.py", 1), ("twin.py", 1), ("copy.py", 1)} <= set(group) for group in found)


def test_a_split_never_leaves_a_member_without_a_partner() -> None:
    # Two pairs of exact twins and a fifth class alike to all four: each pair is nearest to its
    # own twin, and splitting them off would leave the fifth in no class (SQLAlchemy's orm).
    first = TYPE.format(name="NumericString", number=18, encoding="us-ascii")
    second = TYPE.format(name="PrintableString", number=19, encoding="latin-1")
    fifth = TYPE.format(name="TeletexString", number=20, encoding="iso-8859-1")
    found = members(analyse(a=first, b=first, c=second, d=second, e=fifth))
    assert any(("e.py", 1) in group for group in found)
