"""hookwright against pre-commit-hooks 6.0.0, the hooks teams trust for the same checks.

Every case builds a real repository, runs the trusted hook the way pre-commit would (its files picked
by identify's tags with the hook's `types` from pre-commit-hooks' manifest, on the staged files) and
runs `hookwright verify` on the same commit. Both verdicts are asserted, so each row of the README's
parity table is a test: where hookwright is stricter (or more lenient) on purpose, the case says so.
The cases are our own, written after the kinds of case in pre-commit-hooks' own tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ROOT, git, run_cli, write

BIN = Path(sys.executable).parent
KEY = "PRIVATE" + " KEY"  # split, so that this file is not itself a committed key

# pre-commit-hooks 6.0.0's .pre-commit-hooks.yaml: entry and types of each hook compared here.
MANIFEST: dict[str, tuple[str, frozenset[str]]] = {
    "check-ast": ("check-ast", frozenset({"python"})),
    "check-json": ("check-json", frozenset({"json"})),
    "check-yaml": ("check-yaml", frozenset({"yaml"})),
    "check-toml": ("check-toml", frozenset({"toml"})),
    "check-merge-conflict": ("check-merge-conflict", frozenset({"text"})),
    "detect-private-key": ("detect-private-key", frozenset({"text"})),
    "check-added-large-files": ("check-added-large-files", frozenset({"file"})),
    "check-symlinks": ("check-symlinks", frozenset({"symlink"})),
    "no-commit-to-branch": ("no-commit-to-branch", frozenset()),
}
# Which hookwright check answers for each trusted hook, and which of its parts are switched on.
OURS: dict[str, tuple[str, dict[str, object]]] = {
    "check-ast": ("syntax", {"conflict_markers": False}),
    "check-json": ("syntax", {"conflict_markers": False}),
    "check-yaml": ("syntax", {"conflict_markers": False}),
    "check-toml": ("syntax", {"conflict_markers": False}),
    "check-merge-conflict": ("syntax", {"languages": []}),
    "detect-private-key": ("git_state", {"symlinks": False, "case_conflicts": False}),
    "check-added-large-files": (
        "git_state",
        {"symlinks": False, "private_keys": False, "case_conflicts": False, "max_file_kb": 500},
    ),
    "check-symlinks": ("git_state", {"private_keys": False, "case_conflicts": False}),
    "no-commit-to-branch": (
        "git_state",
        {"symlinks": False, "private_keys": False, "case_conflicts": False},
    ),
}

Content = bytes | tuple[str, str | bytes]  # bytes, ("link", target) or ("exec", bytes)


@dataclass(frozen=True)
class Case:
    id: str
    hook: str
    stage: dict[str, Content] = field(default_factory=dict)
    trusted: bool = False  # does the trusted hook fail?
    ours: bool = False  # does hookwright fail?
    base: dict[str, Content] = field(default_factory=dict)  # committed before the change
    moves: tuple[tuple[str, str], ...] = ()
    args: tuple[str, ...] = ()  # the trusted hook's arguments
    options: dict[str, object] = field(default_factory=dict)  # hookwright's, over OURS
    branch: str = "topic"
    line: int | None = None  # where hookwright's finding must be

    def param(self) -> object:
        return pytest.param(self, id=f"{self.hook}-{self.id}")


BIG = b"x" * (500 * 1024 + 1)  # one byte over 500 KB
CONFLICT = b"<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> topic\n"

CASES = [
    # check-ast: Python by extension, or by the shebang of an executable file
    Case("valid-module", "check-ast", {"m.py": b"def f():\n    return 1\n"}),
    Case("broken-module", "check-ast", {"m.py": b"def f(:\n"}, True, True, line=1),
    Case(
        "shebang-executable", "check-ast", {"tool": ("exec", b"#!/usr/bin/env python3\nif x\n")}, True, True
    ),
    Case("shebang-not-executable", "check-ast", {"tool": b"#!/usr/bin/env python3\nif x\n"}),
    Case("shebang-python3.12", "check-ast", {"run": ("exec", b"#!/usr/bin/python3.12\nx = (\n")}, True, True),
    Case("wscript-by-name", "check-ast", {"wscript": b"def configure(:\n"}, True, True),
    # stricter on purpose: a stub is Python, and CPython compiles it
    Case("broken-stub", "check-ast", {"m.pyi": b"def f(:\n"}, False, True),
    # check-json: duplicate keys, JSON known by name or extension, encodings
    Case("valid", "check-json", {"a.json": b'{"a": [1, 2], "b": {"c": null}}\n'}),
    Case("broken", "check-json", {"a.json": b'{"a": 1,}\n'}, True, True, line=1),
    Case(
        "duplicate-key",
        "check-json",
        {"a.json": b'{\n  "x": 1,\n  "y": {"k": 1},\n  "x": 2\n}\n'},
        True,
        True,
        line=4,
    ),
    Case(
        "nested-duplicate", "check-json", {"a.json": b'[{"k": 1}, {"k": 1,\n "k": 2}]\n'}, True, True, line=2
    ),
    Case("same-key-apart", "check-json", {"a.json": b'{"a": {"k": 1}, "b": {"k": 2}}\n'}),
    Case("notebook", "check-json", {"n.ipynb": b'{"cells": [\n}\n'}, True, True),
    Case("babelrc", "check-json", {".babelrc": b'{"presets": ["env"]\n'}, True, True),
    Case("latin1", "check-json", {"a.json": '{"name": "caf\u00e9"}'.encode("latin-1")}, True, True),
    Case("not-json-by-name", "check-json", {"a.notjson": b"{nope"}),
    # check-yaml: YAML known by name; the line the parser names
    Case("valid", "check-yaml", {"a.yaml": b"a: 1\nb: [x, y]\n"}),
    Case("missing-colon", "check-yaml", {"a.yaml": b"a: 1\nkey value\n\n# note\nb: 2\n"}, True, True, line=2),
    Case("unclosed-flow", "check-yaml", {"c.yml": b"a: [1, 2\nb: 3\n"}, True, True, line=2),
    Case("duplicate-key", "check-yaml", {"a.yaml": b"a: 1\nb: 2\na: 3\n"}, True, True, line=3),
    Case("clang-format-by-name", "check-yaml", {".clang-format": b"BasedOnStyle: [LLVM\n"}, True, True),
    Case("yamllint-by-name", "check-yaml", {".yamllint": b"rules:\n  a: 1\n   b: 2\n"}, True, True, line=3),
    # more lenient on purpose: several documents (Kubernetes) and custom tags (CloudFormation's !Ref)
    Case("multi-document", "check-yaml", {"k.yaml": b"a: 1\n---\nb: 2\n"}, True, False),
    Case("custom-tag", "check-yaml", {"t.yaml": b"Value: !Ref Bucket\n"}, True, False),
    Case(
        "multi-document-allowed",
        "check-yaml",
        {"k.yaml": b"a: 1\n---\nb: 2\n"},
        args=("--allow-multiple-documents",),
    ),
    # check-toml: TOML known by name
    Case("valid-unicode", "check-toml", {"a.toml": 'letter = "\N{SNOWMAN}"\n'.encode()}),
    Case("broken", "check-toml", {"a.toml": b"key = # nothing\n"}, True, True, line=1),
    Case("pipfile-by-name", "check-toml", {"Pipfile": b"[packages\n"}, True, True),
    Case("cargo-lock-by-name", "check-toml", {"Cargo.lock": b"version = \n"}, True, True),
    # check-merge-conflict (the trusted hook needs a merge, or --assume-in-merge, to look at all)
    Case(
        "conflict",
        "check-merge-conflict",
        {"f.txt": CONFLICT},
        True,
        True,
        args=("--assume-in-merge",),
        line=1,
    ),
    Case(
        "commented-markers",
        "check-merge-conflict",
        {"f.txt": b"# <<<<<<< HEAD\n# =======\n"},
        args=("--assume-in-merge",),
    ),
    Case(
        "binary-file",
        "check-merge-conflict",
        {"img.bin": b"\x00\x01\x02" + CONFLICT},
        args=("--assume-in-merge",),
    ),
    # stricter on purpose: markers are looked for outside a merge too (stash pop, cherry-pick, rebase)
    Case("not-in-a-merge", "check-merge-conflict", {"f.txt": CONFLICT}, False, True),
    # more lenient on purpose: a lone ======= is a reStructuredText heading
    Case(
        "rst-heading",
        "check-merge-conflict",
        {"doc.rst": b"Title\n=======\n"},
        True,
        False,
        args=("--assume-in-merge",),
    ),
    # detect-private-key: every marker it knows, and the formats it misses
    Case(
        "rsa",
        "detect-private-key",
        {"k.pem": f"-----BEGIN RSA {KEY}-----\nMIIB\n".encode()},
        True,
        True,
        line=1,
    ),
    Case("dsa", "detect-private-key", {"k": f"-----BEGIN DSA {KEY}-----\n".encode()}, True, True),
    Case("ec", "detect-private-key", {"k": f"x\n-----BEGIN EC {KEY}-----\n".encode()}, True, True, line=2),
    Case("openssh", "detect-private-key", {"id": f"-----BEGIN OPENSSH {KEY}-----\n".encode()}, True, True),
    Case("pkcs8", "detect-private-key", {"k": f"-----BEGIN {KEY}-----\n".encode()}, True, True),
    Case("encrypted", "detect-private-key", {"k": f"-----BEGIN ENCRYPTED {KEY}-----\n".encode()}, True, True),
    Case("pgp", "detect-private-key", {"k.asc": f"-----BEGIN PGP {KEY} BLOCK-----\n".encode()}, True, True),
    Case("ssh2", "detect-private-key", {"k": f"---- BEGIN SSH2 ENCRYPTED {KEY} ----\n".encode()}, True, True),
    Case("putty-v2", "detect-private-key", {"k.ppk": b"PuTTY-User-Key-File-" + b"2: ssh-rsa\n"}, True, True),
    Case(
        "openvpn",
        "detect-private-key",
        {"ta.key": b"-----BEGIN OpenVPN Static " + b"key V1-----\n"},
        True,
        True,
    ),
    Case("in-source", "detect-private-key", {"s.py": f"HEADER = 'BEGIN RSA {KEY}'\n".encode()}, True, True),
    Case("public-key", "detect-private-key", {"id.pub": b"ssh-rsa AAAAB3Nza user@host\n"}),
    Case("binary-data", "detect-private-key", {"b": b"\xa2\xf1\x93\x12"}),
    # stricter on purpose: formats the trusted hook does not know
    Case(
        "putty-v3",
        "detect-private-key",
        {"k.ppk": b"PuTTY-User-Key-File-" + b"3: ssh-ed25519\n"},
        False,
        True,
    ),
    Case(
        "any-pem-label", "detect-private-key", {"k": f"-----BEGIN X25519 {KEY}-----\n".encode()}, False, True
    ),
    Case(
        "age", "detect-private-key", {"age.txt": b"AGE-SECRET-KEY-" + b"1" + b"Q" * 58 + b"\n"}, False, True
    ),
    # check-added-large-files: only additions count
    Case("added", "check-added-large-files", {"big.bin": BIG}, True, True),
    Case("at-the-limit", "check-added-large-files", {"big.bin": BIG[:-1]}),
    Case("renamed", "check-added-large-files", base={"big.bin": BIG}, moves=(("big.bin", "moved.bin"),)),
    Case("modified", "check-added-large-files", {"big.bin": BIG + b"y"}, base={"big.bin": BIG}),
    Case(
        "small-limit",
        "check-added-large-files",
        {"f.py": b"a" * 10000},
        True,
        True,
        args=("--maxkb", "9"),
        options={"max_file_kb": 9},
    ),
    # more lenient on purpose: a copy of a blob the repository holds is no new weight
    Case("copied", "check-added-large-files", {"copy.bin": BIG}, True, False, base={"big.bin": BIG}),
    # check-symlinks
    Case("to-a-file", "check-symlinks", {"t.txt": b"x\n", "l": ("link", "t.txt")}),
    Case("to-a-folder", "check-symlinks", {"d/t.txt": b"x\n", "l": ("link", "d")}),
    Case("dangling", "check-symlinks", {"l": ("link", "nowhere")}, True, True),
    Case("chain-to-nothing", "check-symlinks", {"a": ("link", "b"), "b": ("link", "nowhere")}, True, True),
    Case("loop", "check-symlinks", {"a": ("link", "b"), "b": ("link", "a")}, True, True),
    Case(
        "through-a-folder-link",
        "check-symlinks",
        {"real/t.txt": b"x\n", "d": ("link", "real"), "l": ("link", "d/t.txt")},
    ),
    # stricter on purpose: an absolute target, or one outside the repository, is in no checkout
    Case("absolute-existing", "check-symlinks", {"l": ("link", "/")}, False, True),
    Case("outside-existing", "check-symlinks", {"l": ("link", "../outside.txt")}, False, True),
    # no-commit-to-branch: names and patterns (re.match, anchored at the start only)
    Case("main", "no-commit-to-branch", branch="main", trusted=True, ours=True),
    Case("master", "no-commit-to-branch", branch="master", trusted=True, ours=True),
    Case("other-branch", "no-commit-to-branch", branch="feature"),
    Case(
        "pattern",
        "no-commit-to-branch",
        branch="another/branch",
        trusted=True,
        ours=True,
        args=("--pattern", "another/.*"),
        options={"protected_patterns": ["another/.*"]},
    ),
    Case(
        "pattern-prefix",
        "no-commit-to-branch",
        branch="release-1.2",
        trusted=True,
        ours=True,
        args=("--pattern", "release"),
        options={"protected_patterns": ["release"]},
    ),
    Case(
        "pattern-no-match",
        "no-commit-to-branch",
        branch="my-release",
        args=("--pattern", "release"),
        options={"protected_patterns": ["release"]},
    ),
]
DEFAULT_BRANCHES = {"protected_branches": ["main", "master"]}  # the trusted hook's default


def _place(repo: Path, path: str, content: Content) -> None:
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, tuple) and content[0] == "link":
        assert isinstance(content[1], str)
        target.symlink_to(content[1])
        return
    data = content[1] if isinstance(content, tuple) else content
    assert isinstance(data, bytes)
    target.write_bytes(data)
    if isinstance(content, tuple) and content[0] == "exec":
        target.chmod(0o755)


def build(tmp_path: Path, case: Case) -> Path:
    """The case's repository at tmp_path/r, its change staged; beside it a file a link can reach."""
    write(tmp_path / "outside.txt", "exists on disk, outside the repository\n")
    repo = tmp_path / "r"
    repo.mkdir()
    git(repo, "init", "-q", "-b", case.branch)
    git(repo, "commit", "-q", "--allow-empty", "-m", "root")
    for path, content in case.base.items():
        _place(repo, path, content)
    if case.base:
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "base")
    for old, new in case.moves:
        git(repo, "mv", old, new)
    # A branch case still needs something staged, or there is no commit to judge.
    for path, content in (case.stage or ({} if case.moves else {"notes.md": b"notes\n"})).items():
        _place(repo, path, content)
    git(repo, "add", "-A")
    return repo


def trusted_fails(repo: Path, case: Case) -> bool:
    """The trusted hook, on the files pre-commit would pass it."""
    from identify import identify

    entry, types = MANIFEST[case.hook]
    staged = git(repo, "diff", "--staged", "--name-only", "-z").split("\0")
    files = [f for f in staged if f and types <= identify.tags_from_path(str(repo / f))]
    if case.hook == "no-commit-to-branch":
        files = []  # pass_filenames: false, always_run: true
    elif not files:
        return False  # pre-commit skips a hook with no files
    ran = subprocess.run([BIN / entry, *case.args, *files], cwd=repo, capture_output=True, check=False)
    assert ran.returncode in (0, 1), ran.stderr
    return ran.returncode == 1


def ours(repo: Path, case: Case, capsys: pytest.CaptureFixture[str]) -> tuple[bool, list[dict]]:
    check, options = OURS[case.hook]
    options = {**options, **(DEFAULT_BRANCHES if case.hook == "no-commit-to-branch" else {}), **case.options}
    write(repo / ".git" / "hw.json", json.dumps({"checks": {check: options}}))
    ran = run_cli(capsys, "verify", "--only", check, "--config", ".git/hw.json", "-f", "json", "--no-cache")
    assert ran.returncode in (0, 1), ran.stderr
    record = json.loads(ran.stdout)
    return ran.returncode == 1, record["findings"]


@pytest.mark.parametrize("case", [c.param() for c in CASES])
def test_hookwright_and_the_trusted_hook(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = build(tmp_path, case)
    monkeypatch.chdir(repo)
    assert trusted_fails(repo, case) is case.trusted
    failed, findings = ours(repo, case, capsys)
    assert failed is case.ours, findings
    if case.ours and case.stage and case.hook != "no-commit-to-branch":
        assert {f["path"] for f in findings} <= set(case.stage), "the right file"
    if case.line is not None:
        assert findings[0]["line"] == case.line, findings


def test_pre_commit_itself_picks_the_files_hookwright_checks(
    in_git_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pre-commit running pre-commit-hooks' hooks (their manifest's types) agrees file by file."""
    hooks = "".join(
        f"      - {{id: {hook}, name: {hook}, entry: {BIN / entry}, language: system, "
        f"types: [{', '.join(sorted(types))}]}}\n"
        for hook, (entry, types) in MANIFEST.items()
        if hook in ("check-ast", "check-json", "check-yaml", "check-toml")
    )
    write(in_git_dir / ".pre-commit-config.yaml", f"repos:\n  - repo: local\n    hooks:\n{hooks}")
    files: dict[str, Content] = {
        "bin/tool": ("exec", b"#!/usr/bin/env python3\ndef f(:\n"),
        "bin/notes": b"#!/usr/bin/env python3\ndef f(:\n",  # not executable: not Python
        ".babelrc": b'{"a": 1, "a": 2}\n',
        "Pipfile": b"[packages\n",
        ".clang-format": b"a: [1\n",
        "ok.json": b"{}\n",
    }
    for path, content in files.items():
        _place(in_git_dir, path, content)
    git(in_git_dir, "add", "-A")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    ran = subprocess.run(
        ["pre-commit", "run", "--all-files", "--verbose"],
        cwd=in_git_dir,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    flagged_by_trusted = {p for p in files if p in ran.stdout}
    assert flagged_by_trusted == {"bin/tool", ".babelrc", "Pipfile", ".clang-format"}, ran.stdout
    result = run_cli(capsys, "verify", "--only", "syntax", "--all-files", "-f", "json", "--no-cache")
    flagged_by_us = {f["path"] for f in json.loads(result.stdout)["findings"]}
    assert flagged_by_us == flagged_by_trusted


def test_the_readme_parity_table_names_every_hook_compared_here() -> None:
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("### Parity with pre-commit-hooks") :]
    table = table[: table.index("\n## ")]
    for hook in MANIFEST:
        assert f"`{hook}`" in table, hook
