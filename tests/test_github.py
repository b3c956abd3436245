"""hookwright github refs|run|publish: real webhook payloads, real git (shallow clones), real records."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from conftest import git, hookwright, write

from hookwright import renderers
from hookwright.errors import BadInput
from hookwright.git.repo import NULL_SHA, Repo
from hookwright.github.annotations import Annotation, escape_data, escape_property, select_annotations
from hookwright.github.events import STATIC_CHECKS, EventRefs, refs_from_event
from hookwright.github.history import ensure_commits, is_shallow
from hookwright.github.runner import output_text
from hookwright.reporting import Finding

DATA = Path(__file__).parent / "data"
WEBHOOK_EXAMPLES = "@octokit/webhooks-examples@7.6.1"


def need(tool: str) -> str:
    """A tool the tests integrate with: missing on a developer's machine skips, missing in CI fails."""
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is not installed (CI installs it: see .ci/run)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def webhook_examples(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The payloads GitHub documents, from npm (once per session, or where CI installed them)."""
    given = os.environ.get("HOOKWRIGHT_WEBHOOK_EXAMPLES")
    if given:
        prefix = Path(given)
    else:
        npm = need("npm")
        prefix = tmp_path_factory.mktemp("webhook-examples")
        # The machine's npm settings (registry, CA certificates) hold; npm's cache and logs go here.
        env = dict(
            os.environ,
            npm_config_cache=str(prefix / ".npm"),
            npm_config_update_notifier="false",
            npm_config_fund="false",
            npm_config_audit="false",
        )
        argv = [npm, "install", "--no-save", "--ignore-scripts", "--prefix", str(prefix), WEBHOOK_EXAMPLES]
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, f"npm install {WEBHOOK_EXAMPLES} failed: {done.stderr[-2000:]}"
    for candidate in (
        prefix / "node_modules/@octokit/webhooks-examples/api.github.com/index.json",
        prefix / "api.github.com/index.json",
        prefix,
    ):
        if candidate.is_file():
            return json.loads(candidate.read_text())
    raise AssertionError(f"no @octokit/webhooks-examples index.json under {prefix}")


def example(examples: list[dict[str, Any]], event: str, **match: Any) -> dict[str, Any]:
    for entry in examples:
        if entry["name"] == event:
            for payload in entry["examples"]:
                if all(payload.get(k) == v for k, v in match.items()):
                    return copy.deepcopy(payload)
    raise LookupError(f"no {event} example with {match}")


def pull_request_payload(
    examples: list[dict[str, Any]],
    action: str,
    base: str,
    head: str,
    *,
    base_ref: str = "main",
    head_ref: str = "feature",
    title: str | None = None,
    full_name: str = "acme/widget",
) -> dict[str, Any]:
    payload = example(examples, "pull_request", action=action)
    pr = payload["pull_request"]
    pr["base"].update(sha=base, ref=base_ref, label=f"acme:{base_ref}")
    pr["head"].update(sha=head, ref=head_ref, label=f"acme:{head_ref}")
    pr["base"]["repo"]["full_name"] = pr["head"]["repo"]["full_name"] = full_name
    payload["repository"]["full_name"] = full_name
    if title is not None:
        pr["title"] = title
    if action == "synchronize":
        payload["before"], payload["after"] = base, head
    return payload


def push_payload(
    examples: list[dict[str, Any]],
    before: str,
    after: str,
    *,
    branch: str = "main",
    full_name: str = "acme/widget",
) -> dict[str, Any]:
    payload = example(examples, "push", ref="refs/heads/master")
    payload.update(
        ref=f"refs/heads/{branch}", before=before, after=after, created=False, deleted=False, base_ref=None
    )
    payload["head_commit"]["id"] = after
    payload["repository"].update(full_name=full_name, default_branch="main")
    return payload


def read_outputs(path: Path) -> dict[str, str]:
    """Parse $GITHUB_OUTPUT the way the runner does (name=value and name<<DELIMITER heredocs)."""
    lines = path.read_text().split("\n")
    outputs: dict[str, str] = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line:
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            outputs[name] = "\n".join(lines[i + 1 : end])
            i = end + 1
        else:
            if line:
                name, value = line.split("=", 1)
                outputs[name] = value
            i += 1
    return outputs


def rev(repo: Path, ref: str) -> str:
    return git(repo, "rev-parse", ref).strip()


# -- payload -> refs --------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["opened", "synchronize"])
@pytest.mark.parametrize("event", ["pull_request", "pull_request_target"])
def test_pull_request_refs_are_base_and_head(
    webhook_examples: list[dict[str, Any]], event: str, action: str
) -> None:
    payload = pull_request_payload(webhook_examples, action, "a" * 40, "b" * 40)
    refs = refs_from_event(event, payload)
    assert (refs.base, refs.head) == ("a" * 40, "b" * 40)
    assert refs.depth_hint == payload["pull_request"]["commits"]


def test_push_refs_are_before_and_after(webhook_examples: list[dict[str, Any]]) -> None:
    refs = refs_from_event("push", push_payload(webhook_examples, "c" * 40, "d" * 40))
    assert (refs.base, refs.head) == ("c" * 40, "d" * 40)


def test_new_branch_push_compares_with_the_default_branch(webhook_examples: list[dict[str, Any]]) -> None:
    payload = push_payload(webhook_examples, NULL_SHA, "d" * 40, branch="topic")
    assert refs_from_event("push", payload).base == "main"
    first = push_payload(webhook_examples, NULL_SHA, "d" * 40, branch="main")
    assert refs_from_event("push", first).base == NULL_SHA  # nothing before it: every file


def test_merge_group_refs(webhook_examples: list[dict[str, Any]]) -> None:
    payload = example(webhook_examples, "merge_group", action="checks_requested")
    group = payload["merge_group"]
    refs = refs_from_event("merge_group", payload)
    assert (refs.base, refs.head) == (group["base_sha"], group["head_sha"])


def test_base_ref_override_wins(webhook_examples: list[dict[str, Any]]) -> None:
    payload = pull_request_payload(webhook_examples, "opened", "a" * 40, "b" * 40)
    assert refs_from_event("pull_request", payload, base_override="release/2.x").base == "release/2.x"
    refs = refs_from_event("workflow_dispatch", {}, base_override="main", sha="e" * 40)
    assert (refs.base, refs.head) == ("main", "e" * 40)


@pytest.mark.parametrize(
    ("event", "payload", "override", "needle"),
    [
        pytest.param("workflow_dispatch", {}, "", "set the base-ref input", id="event-without-commits"),
        pytest.param(
            "push", {"after": NULL_SHA, "before": "a" * 40, "ref": "x"}, "", "deleted", id="deleted"
        ),
        pytest.param("push", {"after": "not a sha", "before": "a" * 40}, "", "after", id="bad-sha"),
        pytest.param("pull_request", {}, "", "pull_request.base.sha", id="no-pull-request"),
        pytest.param(
            "push", {"after": "b" * 40, "before": "a" * 40}, "--upload-pack=x", "base-ref", id="option"
        ),
        pytest.param("push", {"after": "b" * 40, "before": "a" * 40}, "a..b", "base-ref", id="range"),
    ],
)
def test_refs_bad_input(event: str, payload: dict[str, Any], override: str, needle: str) -> None:
    with pytest.raises(BadInput, match=re.escape(needle)):
        refs_from_event(event, payload, base_override=override)


# -- shallow clones -----------------------------------------------------------------------------------


def _commit(repo: Path, name: str, text: str) -> str:
    write(repo / name, text)
    git(repo, "add", name)
    git(repo, "commit", "-q", "-m", name)
    return rev(repo, "HEAD")


@pytest.fixture
def shallow_checkout(tmp_path: Path) -> dict[str, Any]:
    """origin: main 20 commits, a pull request of 3 forked 5 back; the job's clone: main at depth 1."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    for i in range(15):
        _commit(origin, f"m{i}.txt", f"{i}\n")
    fork = rev(origin, "HEAD")
    git(origin, "checkout", "-q", "-b", "feature")
    for i in range(3):
        head = _commit(origin, f"f{i}.py", f"X = {i}\n")
    git(origin, "checkout", "-q", "main")
    for i in range(15, 20):
        base = _commit(origin, f"m{i}.txt", f"{i}\n")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth=1", "--no-tags", f"file://{origin}", str(clone))
    return {"clone": clone, "fork": fork, "base": base, "head": head}


def test_ensure_commits_fetches_the_head_and_deepens_only_to_the_merge_base(
    shallow_checkout: dict[str, Any],
) -> None:
    clone = shallow_checkout["clone"]
    repo = Repo.discover(clone)
    refs = EventRefs("pull_request", shallow_checkout["base"], shallow_checkout["head"], depth_hint=3)
    assert repo.rev_parse(shallow_checkout["head"]) is None
    assert ensure_commits(repo, refs) == (shallow_checkout["base"], shallow_checkout["head"])
    assert repo.merge_base(refs.base, refs.head) == shallow_checkout["fork"]
    assert is_shallow(repo)  # never the whole history when a little does
    fetched = int(git(clone, "rev-list", "--count", "--all").strip())
    assert fetched < 23  # 20 on main + 3 on the branch


def test_ensure_commits_fetches_a_branch_by_name(shallow_checkout: dict[str, Any]) -> None:
    clone = shallow_checkout["clone"]
    git(clone, "checkout", "-q", "--detach")  # as actions/checkout leaves it: no local branches
    git(clone, "branch", "-q", "-D", "main")
    git(clone, "update-ref", "-d", "refs/remotes/origin/main")
    repo = Repo.discover(clone)
    refs = EventRefs("push", "main", shallow_checkout["head"])
    base, _ = ensure_commits(repo, refs)
    assert base == shallow_checkout["base"] == rev(clone, "refs/remotes/origin/main")


def test_ensure_commits_says_what_could_not_be_fetched(shallow_checkout: dict[str, Any]) -> None:
    clone = shallow_checkout["clone"]
    git(clone, "remote", "set-url", "origin", str(clone.parent / "gone"))
    refs = EventRefs("pull_request", shallow_checkout["base"], shallow_checkout["head"])
    with pytest.raises(
        BadInput, match=r"cannot fetch .*does not appear to be a git repository.*fetch-depth: 0"
    ):
        ensure_commits(Repo.discover(clone), refs)


# -- workflow commands, outputs, summary ---------------------------------------------------------------


def test_escaping_follows_the_workflow_command_rules() -> None:
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_a_message_cannot_forge_a_second_command() -> None:
    item = Annotation("error", "oops\n::set-output name=x::1", "T,itle", "a:b,c.py", 3, 1)
    command = item.command()
    assert "\n" not in command
    assert command == "::error file=a%3Ab%2Cc.py,line=3,col=1,title=T%2Citle::oops%0A::set-output name=x::1"


def _finding(severity: str, path: str = "a.py", line: int = 1) -> Finding:
    return Finding(path, line, 1, "C1", "message", severity, "check")  # type: ignore[arg-type]


def test_annotations_most_severe_first_within_the_per_step_limit() -> None:
    findings = [_finding("note", line=i) for i in range(12)] + [
        _finding("warning", line=i) for i in range(12)
    ]
    findings += [_finding("error", "b.py", 7)]
    shown, omitted = select_annotations(findings)
    assert [a.level for a in shown] == ["error"] + ["warning"] * 10 + ["notice"] * 10
    assert omitted == 4
    assert shown[0].command().startswith("::error file=b.py,line=7,col=1,title=C1 (check)::")
    assert select_annotations(findings, per_level=0) == ([], 25)


def test_outputs_use_a_fresh_random_heredoc_delimiter(tmp_path: Path) -> None:
    text = output_text({"status": "failed", "failed-checks": "a\nEOF\nb"})
    delimiters = re.findall(r"<<(\S+)", text)
    assert len(set(delimiters)) == 2 and all(len(d) > 30 for d in delimiters)
    out = tmp_path / "out.txt"
    out.write_text(text)
    assert read_outputs(out) == {"status": "failed", "failed-checks": "a\nEOF\nb"}


def test_code_span_shows_backticks_verbatim() -> None:
    assert renderers.code_span("a.py:1") == "`a.py:1`"
    assert renderers.code_span("`x`.py") == "`` `x`.py ``"
    assert renderers.code_span("my_file.py") == "`my_file.py`"  # no backslash inside a code span


# -- the CLI, end to end on real repositories ------------------------------------------------------------


@pytest.fixture
def pull_request_repo(committed_repo: Path) -> Path:
    """main: a clean module; feature: a syntax error and twelve TODOs on added lines."""
    write(committed_repo / "pkg" / "untouched.py", "import os\n")  # a problem the PR did not add
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-q", "-m", "base")
    git(committed_repo, "checkout", "-q", "-b", "feature")
    write(committed_repo / "pkg" / "bad.py", "X = 1\ndef f(:\n    pass\n")
    write(committed_repo / "notes.md", "".join(f"- TODO item {i}\n" for i in range(12)))
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-q", "-m", "feature")
    return committed_repo


def _actions_env(repo: Path, tmp: Path, event: str, payload: Mapping[str, Any]) -> dict[str, str]:
    event_path = tmp / "event.json"
    event_path.write_text(json.dumps(payload))
    return dict(
        os.environ,
        GITHUB_EVENT_NAME=event,
        GITHUB_EVENT_PATH=str(event_path),
        GITHUB_OUTPUT=str(tmp / "output.txt"),
        GITHUB_STEP_SUMMARY=str(tmp / "summary.md"),
        GITHUB_SERVER_URL="https://github.com",
        GITHUB_REPOSITORY="acme/widget",
        GITHUB_SHA=rev(repo, "HEAD"),
        RUNNER_TEMP=str(tmp / "runner-temp"),
    )


def _opened_pull_request(
    repo: Path, tmp: Path, webhook_examples: list[dict[str, Any]], event: str
) -> tuple[str, str, dict[str, str]]:
    """An `opened` event from main to feature: (base, head, the runner's environment)."""
    base, head = rev(repo, "main"), rev(repo, "feature")
    payload = pull_request_payload(webhook_examples, "opened", base, head)
    return base, head, _actions_env(repo, tmp, event, payload)


def test_refs_writes_base_and_head_outputs(
    pull_request_repo: Path, tmp_path: Path, webhook_examples: list[dict[str, Any]]
) -> None:
    base, head, env = _opened_pull_request(pull_request_repo, tmp_path, webhook_examples, "pull_request")
    done = hookwright("github", "refs", cwd=pull_request_repo, env=env)
    assert done.returncode == 0, done.stderr
    assert read_outputs(tmp_path / "output.txt") == {"base": base, "head": head}


def test_run_publishes_annotations_summary_outputs_and_sarif(
    pull_request_repo: Path, tmp_path: Path, webhook_examples: list[dict[str, Any]]
) -> None:
    base, head, env = _opened_pull_request(pull_request_repo, tmp_path, webhook_examples, "pull_request")
    sarif = tmp_path / "out" / "hookwright.sarif"
    done = hookwright(
        "github", "run", f"--base={base}", f"--head={head}", "--skip=tests", f"--sarif={sarif}",
        cwd=pull_request_repo, env=env,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    commands = [line for line in done.stdout.splitlines() if re.match(r"::(error|warning|notice) ", line)]
    assert commands[0] == "::error file=pkg/bad.py,line=2,col=7,title=SyntaxError (syntax)::invalid syntax"
    assert sum(c.startswith("::warning ") for c in commands) == 10  # twelve TODOs, ten shown
    assert not any("untouched.py" in c for c in commands)
    outputs = read_outputs(tmp_path / "output.txt")
    assert outputs["status"] == "failed" and outputs["failed-checks"] == "syntax"
    record = json.loads(Path(outputs["record"]).read_text())
    assert record["target"]["head"] == head
    summary = (tmp_path / "summary.md").read_text()
    assert "## ❌ hookwright verify_commit: failed" in summary
    assert f"(https://github.com/acme/widget/blob/{head}/pkg/bad.py#L2)" in summary
    assert "2 more findings not annotated" in summary
    validate_sarif(json.loads(sarif.read_text()))


def validate_sarif(document: Any) -> None:
    from jsonschema.validators import validator_for

    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    validator_for(schema)(schema).validate(document)
    assert document["version"] == "2.1.0" and document["runs"][0]["results"]


def test_run_under_pull_request_target_runs_only_static_checks(
    pull_request_repo: Path, tmp_path: Path, webhook_examples: list[dict[str, Any]]
) -> None:
    base, head, env = _opened_pull_request(
        pull_request_repo, tmp_path, webhook_examples, "pull_request_target"
    )
    done = hookwright("github", "run", f"--base={base}", f"--head={head}", cwd=pull_request_repo, env=env)
    assert done.returncode == 1, done.stderr
    record = json.loads(Path(read_outputs(tmp_path / "output.txt")["record"]).read_text())
    assert {step["name"] for step in record["steps"]} <= set(STATIC_CHECKS)


def test_run_reports_what_stopped_verify(
    pull_request_repo: Path, tmp_path: Path, webhook_examples: list[dict[str, Any]]
) -> None:
    base, head, env = _opened_pull_request(pull_request_repo, tmp_path, webhook_examples, "pull_request")
    done = hookwright(
        "github", "run", f"--base={base}", f"--head={head}", "--checks=nosuch", cwd=pull_request_repo, env=env
    )
    assert done.returncode == 2
    assert "::error title=hookwright::hookwright: error: unknown check 'nosuch'" in done.stdout
    assert read_outputs(tmp_path / "output.txt")["status"] == "error"
    assert "could not verify" in (tmp_path / "summary.md").read_text()


@pytest.fixture
def record_file(pull_request_repo: Path, tmp_path: Path) -> Path:
    path = tmp_path / "record.json"
    hookwright(
        "verify",
        "--from-ref=main",
        "--to-ref=feature",
        "--skip=tests",
        "-f",
        "json",
        "-o",
        str(path),
        cwd=pull_request_repo,
    )
    return path


@pytest.mark.parametrize(
    ("args", "env_event", "needle"),
    [
        pytest.param(["github"], None, "required", id="no-tool"),
        pytest.param(["github", "refs"], None, "GITHUB_EVENT_NAME", id="refs-outside-actions"),
        pytest.param(
            ["github", "refs", "--base-ref=--upload-pack=touch x"],
            "pull_request",
            "base-ref",
            id="option-ref",
        ),
        pytest.param(["github", "publish", "--record=missing.json"], None, "no such file", id="no-record"),
        pytest.param(
            ["github", "publish", "--record=RECORD", "--max-annotations=51"], None, "between", id="too-many"
        ),
        pytest.param(
            ["github", "publish", "--record=PAYLOAD"], None, "not a hookwright record", id="not-a-record"
        ),
        pytest.param(
            ["github", "run", "--base=B", "--head=H", "--args=-v 'open"], None, "args:", id="bad-args"
        ),
        pytest.param(["github", "run", "--base=--upload-pack=x", "--head=H"], None, "base", id="option-base"),
        pytest.param(
            ["github", "run", "--base=B", "--head=H", "--allow-pr-code=maybe"],
            "pull_request_target",
            "allow-pr-code",
            id="bad-flag",
        ),
    ],
)
def test_bad_input(
    pull_request_repo: Path,
    tmp_path: Path,
    record_file: Path,
    webhook_examples: list[dict[str, Any]],
    args: list[str],
    env_event: str | None,
    needle: str,
) -> None:
    event = env_event or "pull_request"
    base, head, env = _opened_pull_request(pull_request_repo, tmp_path, webhook_examples, event)
    if env_event is None:
        for name in ("GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH"):
            env.pop(name)
    subs = {
        "RECORD": str(record_file),
        "PAYLOAD": str(tmp_path / "event.json"),
        "=B": f"={base}",
        "=H": f"={head}",
    }
    argv = list(args)
    for old, new in subs.items():
        argv = [arg.replace(old, new) for arg in argv]
    status = git(pull_request_repo, "status", "--porcelain")
    done = hookwright(*argv, cwd=pull_request_repo, env=env)
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("hookwright: error:"), done.stderr
    assert needle in lines[0]
    assert "Traceback" not in done.stdout + done.stderr
    assert not (tmp_path / "output.txt").exists()
    assert git(pull_request_repo, "status", "--porcelain") == status


PR_CODE = "import pathlib\n\npathlib.Path({marker!r}).write_text('the pull request ran')\n"


@pytest.mark.parametrize(
    "extra",
    [
        "--only tests",
        "--only=tests",
        "--onl tests",  # argparse takes a prefix of an option
        "--only coverage",
        "--skip todo --only syntax --only tests",
        "--jobs 2 -- --only tests",  # after `--` it is a file name
        "--config .hookwright.yaml --only my-command",
    ],
)
def test_args_cannot_run_the_pull_requests_code_under_pull_request_target(
    pull_request_repo: Path, tmp_path: Path, webhook_examples: list[dict[str, Any]], extra: str
) -> None:
    marker = tmp_path / "pr-code-ran"
    git(pull_request_repo, "checkout", "-q", "feature")
    write(pull_request_repo / "conftest.py", PR_CODE.format(marker=str(marker)))
    write(pull_request_repo / "tests" / "test_pr.py", PR_CODE.format(marker=str(marker)))
    git(pull_request_repo, "add", ".")
    git(pull_request_repo, "commit", "-q", "-m", "the pull request's code")
    git(pull_request_repo, "checkout", "-q", "main")  # pull_request_target checks out the base
    write(
        pull_request_repo / ".hookwright.yaml",
        f"checks:\n  coverage:\n    enabled: true\ncommands:\n  - name: my-command\n"
        f"    argv: [{sys.executable!r}, conftest.py]\n    pass_filenames: false\n",
    )
    git(pull_request_repo, "add", ".hookwright.yaml")  # the base's config: what the workflow trusts
    git(pull_request_repo, "commit", "-q", "-m", "config")
    base, head, env = _opened_pull_request(
        pull_request_repo, tmp_path, webhook_examples, "pull_request_target"
    )
    done = hookwright(
        "github", "run", f"--base={base}", f"--head={head}", f"--args={extra}", cwd=pull_request_repo, env=env
    )
    assert not marker.exists(), f"{extra!r} ran the pull request's code"
    status = read_outputs(tmp_path / "output.txt")["status"]
    if status == "error":  # refused: the code under review would run, or no such file after `--`
        assert "hookwright: error: " in done.stdout, done.stdout
    else:
        record = json.loads(Path(read_outputs(tmp_path / "output.txt")["record"]).read_text())
        assert {step["name"] for step in record["steps"]} <= set(STATIC_CHECKS), extra
