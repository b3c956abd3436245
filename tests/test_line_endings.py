"""Mixed CRLF/LF against real `git apply`: the same bytes, or a loud refusal, never other bytes with exit 0.

Cases come from a seeded generator: files with LF, CRLF, CR CR LF and lone-CR lines mixed, with and
without a final newline; changes anywhere (at the end of the file too); patches made by `git diff`
with 0, 1 or 3 lines of context, some then altered the way tools alter them (a CR added to or taken
from context lines, every CRLF made LF). Each runs under several repository settings, because
`git apply` converts line endings when `.gitattributes` or `core.autocrlf` say so.
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest
from conftest import git, run_cli

CASES = 70
WORDS = (b"alpha", b"beta", b"", b"  ", b"x\r", b"gamma")
ENDS = (b"\n", b"\r\n", b"\r\n", b"\r\r\n")


def _file(rng: random.Random) -> bytes:
    lines = [rng.choice(WORDS) + b"%d" % i + rng.choice(ENDS) for i in range(rng.randint(2, 14))]
    data = b"".join(lines)
    return data.rstrip(b"\n") if rng.random() < 0.3 else data


def _changed(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(lines) + 1)
        roll = rng.random()
        if roll < 0.3 and at < len(lines):
            del lines[at]
        elif roll < 0.6:
            lines.insert(at, rng.choice((b"new", b"new\r", b"", b"\r")))
        elif at < len(lines):
            lines[at] = lines[at][:-1] if lines[at].endswith(b"\r") else lines[at] + b"\r"
    return b"\n".join(lines)


def _altered(rng: random.Random, patch: bytes) -> bytes:
    roll = rng.random()
    if roll < 0.15:
        return patch.replace(b"\r\n", b"\n")
    if roll < 0.3:
        lines = patch.split(b"\n")
        return b"\n".join(
            line + b"\r" if line[:1] == b" " and not line.endswith(b"\r") and rng.random() < 0.5 else line
            for line in lines
        )
    if roll < 0.4:
        return patch.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")  # refused: its headers end in CRLF
    return patch


def _git_apply(repo: Path, patch: Path) -> bytes | None:
    done = subprocess.run(["git", "apply", str(patch)], cwd=repo, capture_output=True, check=False)
    return (repo / "f.txt").read_bytes() if done.returncode == 0 else None


SETTINGS = {
    "no attributes": ("", {}),
    "* text=auto": ("* text=auto\n", {}),
    "* text eol=lf": ("* text eol=lf\n", {}),
    "*.txt -text": ("*.txt -text\n", {}),
    "core.autocrlf=true": ("", {"core.autocrlf": "true"}),
    "core.autocrlf=input": ("", {"core.autocrlf": "input"}),
}


@pytest.mark.parametrize("setting", sorted(SETTINGS))
def test_mixed_line_endings_give_git_apply_bytes_or_a_refusal(
    in_git_dir: Path, tmp_path: Path, setting: str, capsys: pytest.CaptureFixture[str]
) -> None:
    attributes, config = SETTINGS[setting]
    (in_git_dir / ".gitattributes").write_text(attributes)
    for key, value in config.items():
        git(in_git_dir, "config", key, value)
    git(in_git_dir, "add", ".gitattributes")
    git(in_git_dir, "commit", "-qm", "settings", "--allow-empty")
    rng = random.Random(setting)
    target, patch_file = in_git_dir / "f.txt", tmp_path / "change.diff"
    applied = agreed = 0
    for case in range(CASES):
        base = _file(rng)
        changed = _changed(rng, base)
        # the diff git makes of the change, taken outside any attributes (as a producer elsewhere would)
        made = (
            subprocess.run(
                ["git", "diff", "--no-index", f"-U{rng.choice((0, 1, 3))}", "a", "b"],
                cwd=_pair(tmp_path, base, changed),
                capture_output=True,
                check=False,
            )
            .stdout.replace(b"a/a", b"a/f.txt")
            .replace(b"b/b", b"b/f.txt")
        )
        if not made:
            continue
        patch_file.write_bytes(_altered(rng, made))
        target.write_bytes(base)
        by_git = _git_apply(in_git_dir, patch_file)
        target.write_bytes(base)
        ran = run_cli(capsys, "patch", "apply", "--no-ruff", str(patch_file))
        ours = target.read_bytes()
        assert ran.returncode in (0, 1, 2), ran
        if ran.returncode == 0:
            applied += 1
            assert ours == by_git, f"case {case}: {base!r} -> {changed!r}\n{made!r}\n{ran.stdout}"
            agreed += 1
        else:
            assert ours == base, f"case {case}: a refusal changed the file"
            assert ran.stdout + ran.stderr, "a refusal says why"
    if setting in ("no attributes", "*.txt -text"):
        assert applied >= CASES // 3, (
            f"only {applied} of {CASES} applied: a refusal for everything is no answer"
        )
    assert agreed == applied


def _pair(tmp_path: Path, base: bytes, changed: bytes) -> Path:
    where = tmp_path / "pair"
    where.mkdir(exist_ok=True)
    (where / "a").write_bytes(base)
    (where / "b").write_bytes(changed)
    return where


def test_a_mixed_file_under_text_auto_is_refused_where_git_would_normalise_it(
    in_git_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The case that once passed silently: git apply rewrites every CRLF, hookwright only the hunk."""
    (in_git_dir / ".gitattributes").write_text("* text=auto\n")
    target = in_git_dir / "f.txt"
    target.write_bytes(b"a\r\nb\nc\nd\ne\nf\ng\r\n")
    patch = tmp_path / "p.diff"
    patch.write_bytes(b"--- a/f.txt\n+++ b/f.txt\n@@ -3,3 +3,3 @@\n c\n-d\n+D\n e\n")
    ran = run_cli(capsys, "patch", "apply", str(patch))
    assert ran.returncode == 1
    assert (
        "f.txt: git-converts it holds CR line endings, which git converts here (the attribute text=auto)"
        in (ran.stdout)
    )
    assert target.read_bytes() == b"a\r\nb\nc\nd\ne\nf\ng\r\n"
    assert _git_apply(in_git_dir, patch) == b"a\nb\nc\nD\ne\nf\ng\n"  # what git would have written
