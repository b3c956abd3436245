"""Series against real git: `git format-patch --stdout` vs `git am`, concatenated diffs vs `git apply`.

Each case is a real repository with several commits made from a seeded generator: the same file
changed in several commits, renames, created and deleted files, CRLF, mixed and no-final-newline files.
The series goes back onto the base with hookwright and with git; the trees must be byte for byte equal.
"""

from __future__ import annotations

import itertools
import random
import subprocess
from pathlib import Path

import pytest
from conftest import files_of, git, run_cli, write

ENDINGS = {"lf": (b"\n",), "crlf": (b"\r\n",), "mixed": (b"\n", b"\r\n")}


def _text(rng: random.Random, name: str, count: int, style: str) -> bytes:
    lines = [
        f"{name} line {i} {rng.randrange(10**6)}".encode() + rng.choice(ENDINGS[style]) for i in range(count)
    ]
    data = b"".join(lines)
    return data.rstrip(b"\r\n") if rng.random() < 0.25 else data


def _edit(rng: random.Random, data: bytes, tag: str) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(lines))
        ending = b"\r" if lines[at].endswith(b"\r") else b""
        choice = rng.random()
        if choice < 0.4:
            lines[at] = f"{tag} changed {rng.randrange(10**6)}".encode() + ending
        elif choice < 0.7:
            lines.insert(at, f"{tag} added {rng.randrange(10**6)}".encode() + rng.choice((b"", b"\r")))
        elif len(lines) > 3:
            del lines[at]
    return b"\n".join(lines)


def _commit_series(repo: Path, rng: random.Random, commits: int) -> str:
    """A base commit and ``commits`` more on top; returns the base's id."""
    files = {
        f"f{i}.txt": _text(rng, f"f{i}", rng.randint(4, 30), rng.choice(list(ENDINGS))) for i in range(4)
    }
    for name, data in files.items():
        write(repo / name, data)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    base = git(repo, "rev-parse", "HEAD").strip()
    for number in range(commits):
        tag = f"c{number}"
        names = sorted(files)
        for name in {"f0.txt", rng.choice(names)}:  # f0.txt: the same file in every commit
            files[name] = _edit(rng, files[name], tag)
            write(repo / name, files[name])
        roll = rng.random()
        victim = rng.choice([n for n in sorted(files) if n != "f0.txt"])
        if roll < 0.3:
            git(repo, "mv", victim, f"moved-{tag}.txt")
            files[f"moved-{tag}.txt"] = files.pop(victim)
        elif roll < 0.5 and len(files) > 2:
            git(repo, "rm", "-qf", victim)
            del files[victim]
        elif roll < 0.8:
            files[f"new-{tag}.txt"] = _text(rng, tag, rng.randint(1, 6), rng.choice(list(ENDINGS)))
            write(repo / f"new-{tag}.txt", files[f"new-{tag}.txt"])
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", f"commit {tag}: édition {number}")
    return base


def _git_out(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, check=True).stdout


def _seeded_series(repo: Path, seed: int, *, most: int) -> tuple[int, str]:
    """2 to ``most`` random commits on top of a base: (how many, the base)."""
    rng = random.Random(seed)
    commits = rng.randint(2, most)
    return commits, _commit_series(repo, rng, commits)


def _reference_am(repo: Path, base: str, mbox: Path, tmp: Path) -> dict[str, bytes]:
    other = tmp / "reference"
    git(tmp, "clone", "-q", str(repo), str(other))
    git(other, "checkout", "-q", "-B", "ref", base)
    # git am drops the CR of every CRLF line unless --keep-cr; hookwright keeps them (see patch_series).
    git(other, "am", "-q", "--keep-cr", str(mbox))
    return files_of(other)


@pytest.mark.parametrize("seed", range(8))
def test_a_format_patch_series_gives_the_tree_git_am_gives(
    in_git_dir: Path, tmp_path: Path, seed: int, capsys: pytest.CaptureFixture[str]
) -> None:
    commits, base = _seeded_series(in_git_dir, seed, most=5)
    mbox = tmp_path / "series.mbox"
    mbox.write_bytes(_git_out(in_git_dir, "format-patch", f"-{commits}", "--stdout"))
    expected = _reference_am(in_git_dir, base, mbox, tmp_path)
    assert expected == files_of(in_git_dir)  # git am rebuilt the commits
    git(in_git_dir, "checkout", "-q", "--detach", base)
    ran = run_cli(capsys, "patch", "apply", str(mbox))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert f"applied {commits} of {commits} patches" in ran.stdout
    assert files_of(in_git_dir) == expected


@pytest.mark.parametrize("seed", range(8, 16))
def test_concatenated_diffs_give_the_tree_git_apply_gives_one_after_another(
    in_git_dir: Path, tmp_path: Path, seed: int, capsys: pytest.CaptureFixture[str]
) -> None:
    _, base = _seeded_series(in_git_dir, seed, most=4)
    revs = _git_out(in_git_dir, "rev-list", "--reverse", f"{base}..HEAD").decode().split()
    diffs = [
        _git_out(in_git_dir, "diff", "-M", "--no-color", old, new)
        for old, new in itertools.pairwise([base, *revs])
    ]
    (tmp_path / "all.diff").write_bytes(b"".join(diffs))
    git(in_git_dir, "checkout", "-q", "--detach", base)
    # The reference applies the diffs one by one: `git apply` of the whole concatenation reads the
    # source of a rename from the disk even when an earlier diff of the input changed it (seed 10).
    for diff in diffs:
        subprocess.run(["git", "apply", "-"], cwd=in_git_dir, input=diff, capture_output=True, check=True)
    expected = files_of(in_git_dir)
    git(in_git_dir, "reset", "-q", "--hard")
    git(in_git_dir, "clean", "-qfd")
    ran = run_cli(capsys, "patch", "apply", str(tmp_path / "all.diff"))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert files_of(in_git_dir) == expected
    git(in_git_dir, "checkout", "-q", revs[-1], "--", ".")  # and that is the last commit's tree
    assert files_of(in_git_dir) == expected


def _python_series(repo: Path, tmp_path: Path, bodies: list[str]) -> Path:
    """One commit per body of pkg/calc.py (the first is the base); the series of the rest as an mbox."""
    for number, body in enumerate(bodies):
        write(repo / "pkg" / "calc.py", body)
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", f"step {number}")
    mbox = tmp_path / "series.mbox"
    mbox.write_bytes(_git_out(repo, "format-patch", f"-{len(bodies) - 1}", "--stdout"))
    git(repo, "checkout", "-q", "--detach", f"HEAD~{len(bodies) - 1}")
    return mbox


STEPS = [
    "def one():\n    return 1\n",
    "def one():\n    return 1\n\n\ndef two():\n    return 2\n",
    "def one():\n    return 1\n\n\ndef two():\n    return 2\n\n\ndef three():\n    return 3\n",
    "def one():\n    return 1\n\n\ndef two():\n    return 2\n\n\ndef three():\n    return missing\n",
    "def one():\n    return 1\n\n\ndef two():\n    return 2\n\n\ndef three():\n    return missing\n# end\n",
]


def test_a_series_keeps_the_patches_before_the_one_that_breaks_verification(
    committed_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mbox = _python_series(committed_repo, tmp_path, STEPS)
    ran = run_cli(capsys, "patch", "apply", str(mbox))
    assert ran.returncode == 1
    assert "kept 2 of 4 patches (2 hunks) (3 verifier runs)" in ran.stdout
    assert "patch 3 of 4 (step 3) breaks verification" in ran.stdout
    assert "pkg/calc.py hunk #1" in ran.stdout  # ruff's F821 points into the patch's own hunk
    assert "it and the 1 after it left out" in ran.stdout
    assert (committed_repo / "pkg" / "calc.py").read_text() == STEPS[2]


def test_a_series_all_or_nothing_keeps_nothing(
    committed_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mbox = _python_series(committed_repo, tmp_path, STEPS)
    before = files_of(committed_repo)
    ran = run_cli(capsys, "patch", "apply", "--all-or-nothing", str(mbox))
    assert ran.returncode == 1
    assert files_of(committed_repo) == before


def test_a_series_stops_where_a_patch_does_not_apply_like_git_am(
    committed_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [f"value_{i} = {i}\n" for i in range(20)]
    first, second = list(lines), list(lines)
    first[2] = second[2] = "value_2 = 'two'\n"
    second[17] = "value_17 = 'seventeen'\n"
    mbox = _python_series(committed_repo, tmp_path, ["".join(lines), "".join(first), "".join(second)])
    drifted = list(lines)
    drifted[15] = "value_15 = 'drifted'\n"
    write(committed_repo / "pkg" / "calc.py", "".join(drifted))
    ran = run_cli(capsys, "patch", "apply", str(mbox))
    assert ran.returncode == 1
    assert "kept 1 of 2 patches" in ran.stdout
    assert "patch 2 of 2 (step 2): hunk #1 does not apply" in ran.stdout
    expected = list(drifted)
    expected[2] = first[2]
    assert (committed_repo / "pkg" / "calc.py").read_text() == "".join(expected)


def test_a_series_whose_first_patch_does_not_apply_changes_nothing(
    committed_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mbox = _python_series(committed_repo, tmp_path, STEPS[:3])
    write(committed_repo / "pkg" / "calc.py", "def one():\n    return 0\n")
    before = files_of(committed_repo)
    ran = run_cli(capsys, "patch", "apply", str(mbox))
    assert ran.returncode == 1
    assert "refused; nothing was changed" in ran.stdout
    assert files_of(committed_repo) == before


def test_an_encoded_mail_in_a_series_is_refused_in_one_line(
    committed_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mbox = _python_series(committed_repo, tmp_path, STEPS[:2])
    text = mbox.read_bytes().replace(b"Subject:", b"Content-Transfer-Encoding: base64\nSubject:", 1)
    mbox.write_bytes(text)
    ran = run_cli(capsys, "patch", "apply", str(mbox))
    assert ran.returncode == 2
    assert ran.stderr.startswith("hookwright: error: patch 1 of the series is sent as base64")
