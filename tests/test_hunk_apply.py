"""Hunk placement, differentially against the real `git apply`: same patch, same files, same bytes.

Cases come from this repository's own history (a clone in tmp_path) and from drifted variants of it:
lines inserted above a hunk, CRLF files, files without a final newline, duplicated and edited context.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hookwright.errors import BadInput
from hookwright.refactor import hunk_apply, patches

ROOT = Path(__file__).resolve().parent.parent
MAX_COMMITS = 25
FILES_PER_COMMIT = 2
DRIFT = b"# drift 1\n# drift 2\n# drift 3\n"


def run(*argv: str, cwd: Path, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(cwd.parent)}
    return subprocess.run(argv, cwd=cwd, input=input, capture_output=True, env=env, check=False)


def git_apply(files: dict[str, bytes], patch: bytes, where: Path) -> dict[str, bytes] | None:
    """What `git apply` makes of ``files`` (outside any repository), or None when it refuses."""
    where.mkdir(parents=True)
    for name, data in files.items():
        (where / name).parent.mkdir(parents=True, exist_ok=True)
        (where / name).write_bytes(data)
    if run("git", "apply", "-", cwd=where, input=patch).returncode != 0:
        return None
    return {p.relative_to(where).as_posix(): p.read_bytes() for p in where.rglob("*") if p.is_file()}


def hw_apply(files: dict[str, bytes], patch: bytes) -> dict[str, bytes] | None:
    """What hookwright makes of the same files (in memory), or None when it refuses."""
    try:
        parsed = patches.parse(patch)
        originals = {p: files.get(p) for f in parsed for p in (f.old_path, f.new_path) if p}
        units = hunk_apply.units_of(parsed)
        built = hunk_apply.build(parsed, originals, units, range(len(units)))
    except (BadInput, hunk_apply.HunkFailed):
        return None
    result = dict(files)
    for path, data in built.contents.items():
        if data is None:
            result.pop(path, None)
        else:
            result[path] = data
    return result


def unified(old: bytes, new: bytes, name: str, where: Path) -> bytes:
    """A plain `diff -u` between two versions of ``name`` (a/ and b/ labels, like git's)."""
    where.mkdir(parents=True, exist_ok=True)
    (where / "old").write_bytes(old)
    (where / "new").write_bytes(new)
    result = run("diff", "-u", "--label", f"a/{name}", "--label", f"b/{name}", "old", "new", cwd=where)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    clone = tmp_path_factory.mktemp("history") / "hookwright"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    return clone


def commits(clone: Path) -> list[str]:
    out = run("git", "rev-list", "--no-merges", f"--max-count={MAX_COMMITS}", "HEAD", cwd=clone).stdout
    return [
        c
        for c in out.decode().split()
        if run("git", "rev-parse", "-q", "--verify", f"{c}^", cwd=clone).stdout
    ]


def show(clone: Path, rev: str, path: str) -> bytes | None:
    result = run("git", "show", f"{rev}:{path}", cwd=clone)
    return result.stdout if result.returncode == 0 else None


def touched(clone: Path, commit: str) -> list[str]:
    out = run("git", "diff", "--name-only", "-z", "--no-renames", f"{commit}^", commit, cwd=clone).stdout
    return [p for p in out.decode().split("\0") if p]


def test_this_repository_history_applies_like_git_apply(history: Path, tmp_path: Path) -> None:
    mismatches = []
    cases = commits(history)
    assert len(cases) >= 5, "needs this repository's history: a shallow checkout (CI: use fetch-depth: 0)"
    for n, commit in enumerate(cases):
        patch = run("git", "diff", "--no-color", "--no-ext-diff", f"{commit}^", commit, cwd=history).stdout
        files = {
            p: data for p in touched(history, commit) if (data := show(history, f"{commit}^", p)) is not None
        }
        theirs = git_apply(files, patch, tmp_path / str(n))
        ours = hw_apply(files, patch)
        if theirs != ours:
            mismatches.append(commit)
        # Ground truth: applied to its parent, a commit's diff gives the commit.
        expected = {
            p: data for p in touched(history, commit) if (data := show(history, commit, p)) is not None
        }
        if ours is not None and ours != expected:
            mismatches.append(f"{commit} (differs from the commit itself)")
    assert not mismatches


@pytest.fixture(scope="module")
def modified_files(history: Path) -> list[tuple[str, bytes, bytes]]:
    """(name, old bytes, new bytes) of text files modified in recent history."""
    found = []
    for commit in commits(history):
        taken = 0
        for path in touched(history, commit):
            old, new = show(history, f"{commit}^", path), show(history, commit, path)
            if old and new and old != new and b"\0" not in old + new and taken < FILES_PER_COMMIT:
                taken += 1
                found.append((path, old, new))
    return found


def first_hunk(patch: bytes) -> patches.Hunk:
    return patches.parse(patch)[0].hunks[0]


def insert_above(old: bytes, hunk: patches.Hunk, extra: bytes) -> bytes:
    lines = hunk_apply.split_lines(old)
    at = max(hunk.old_start - 1, 0)
    return b"".join([*lines[:at], extra, *lines[at:]])


VARIANTS = {
    # name: (how the target file changes, how the edit itself changes)
    "lines inserted above a hunk": lambda old, new, h: (insert_above(old, h, DRIFT), None),
    "CRLF target": lambda old, new, h: (old.replace(b"\n", b"\r\n"), new.replace(b"\n", b"\r\n")),
    "no final newline": lambda old, new, h: (old.rstrip(b"\n"), new.rstrip(b"\n")),
    "duplicated context": lambda old, new, h: (old + b"\n" + b"".join(h.old), None),
    "edited context": lambda old, new, h: (
        insert_above(old, h, b"").replace(h.old[0], h.old[0].rstrip(b"\n") + b" # edited\n", 1)
        if h.leading
        else old + b"x",
        None,
    ),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_drifted_variants_apply_like_git_apply(
    modified_files: list[tuple[str, bytes, bytes]], tmp_path: Path, variant: str
) -> None:
    mismatches, applied = [], 0
    for n, (name, before, after) in enumerate(modified_files):
        hunk = first_hunk(unified(before, after, name, tmp_path / f"d{n}"))
        target, edited = VARIANTS[variant](before, after, hunk)
        # Either the target drifted from what the patch was made against, or the change is re-made on it.
        patch = unified(*((before, after) if edited is None else (target, edited)), name, tmp_path / f"p{n}")
        theirs = git_apply({name: target}, patch, tmp_path / f"g{n}")
        ours = hw_apply({name: target}, patch)
        applied += ours is not None
        if theirs != ours:
            mismatches.append(name)
    assert not mismatches
    if variant in ("CRLF target", "no final newline", "lines inserted above a hunk"):
        assert applied, "no case of this variant applied at all: the comparison proved nothing"


def test_duplicated_context_away_from_the_expected_place_is_refused_where_git_guesses(tmp_path: Path) -> None:
    old = b"".join(b"line %d\n" % i for i in range(1, 21))
    new = old.replace(b"line 10\n", b"line ten\n")
    patch = unified(old, new, "f.txt", tmp_path / "diff")
    block = b"line 7\nline 8\nline 9\nline 10\nline 11\nline 12\nline 13\n"
    drifted = DRIFT + old + b"tail\n" + block + b"tail\n"
    assert git_apply({"f.txt": drifted}, patch, tmp_path / "git") is not None  # git takes the nearest
    with pytest.raises(hunk_apply.HunkFailed, match="ambiguous: its context matches at lines 10, 25"):
        parsed = patches.parse(patch)
        hunk_apply.apply_file(drifted, parsed[0], parsed[0].hunks)
    undrifted = old + b"tail\n" + block
    assert hw_apply({"f.txt": undrifted}, patch) == git_apply({"f.txt": undrifted}, patch, tmp_path / "g2")


def test_offsets_of_earlier_hunks_carry_to_later_ones(tmp_path: Path) -> None:
    old = b"".join(b"%d\n" % i for i in range(1, 61))
    new = old.replace(b"5\n", b"five\n", 1).replace(b"50\n", b"fifty\n")
    patch = unified(old, new, "n.txt", tmp_path)
    parsed = patches.parse(patch)
    result, placements = hunk_apply.apply_hunks(DRIFT + old, parsed[0].hunks, "n.txt")
    assert result == DRIFT + new
    assert [p.offset for p in placements] == [3, 3]


def test_reasons_a_user_reads(tmp_path: Path) -> None:
    old = b"a\nb\nc\nd\ne\n"
    patch = unified(old, b"a\nb\nC\nd\ne\n", "f.txt", tmp_path)
    parsed = patches.parse(patch)
    crlf = old.replace(b"\n", b"\r\n")
    with pytest.raises(hunk_apply.HunkFailed, match="other line endings"):
        hunk_apply.apply_file(crlf, parsed[0], parsed[0].hunks)
    with pytest.raises(hunk_apply.HunkFailed, match="already there"):
        hunk_apply.apply_file(b"a\nb\nC\nd\ne\n", parsed[0], parsed[0].hunks)
    with pytest.raises(hunk_apply.HunkFailed, match="does not exist"):
        hunk_apply.apply_file(None, parsed[0], parsed[0].hunks)


line = st.sampled_from([b"a", b"b", b"a b", b"", b"  x", b"\tq", b"z\r"])
text = st.lists(line, max_size=30)


def render(lines: list[bytes], final_newline: bool) -> bytes:
    text = b"\n".join(lines)
    return text + b"\n" if lines and final_newline else text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    old_lines=text,
    edits=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 3), st.lists(line, max_size=3)), max_size=4),
    newlines=st.tuples(st.booleans(), st.booleans()),
)
def test_diff_then_apply_reproduces_the_edited_file(
    tmp_path: Path,
    old_lines: list[bytes],
    edits: list[tuple[int, int, list[bytes]]],
    newlines: tuple[bool, bool],
) -> None:
    new_lines = list(old_lines)
    for where, remove, insert in edits:
        at = min(where, len(new_lines))
        new_lines[at : at + remove] = insert
    old = render(old_lines, newlines[0])
    new = render(new_lines, newlines[1])
    if old == new:
        return
    patch = unified(old, new, "f.txt", tmp_path / "prop")
    parsed = patches.parse(patch)
    result, _ = hunk_apply.apply_file(old, parsed[0], parsed[0].hunks)
    assert result == new
