"""``hookwright github refs|run|publish``: the steps of the GitHub Action, usable in any workflow.

Every value arrives as an argument or from the runner's environment, never through a shell: the action
passes its inputs in ``env:`` and quotes them. ``run`` and ``publish`` are commands.github_publish.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from hookwright import output
from hookwright.arguments import parse_args
from hookwright.commands.github_publish import publish_tool, run_tool
from hookwright.errors import EXIT_PASSED, BadInput, entry_point
from hookwright.git.repo import Repo
from hookwright.github.annotations import ANNOTATIONS_PER_LEVEL
from hookwright.github.events import check_ref, refs_from_event
from hookwright.github.history import ensure_commits
from hookwright.github.runner import load_payload, write_outputs

DESCRIPTION = "The GitHub Action's steps: refs, run, publish."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    tools = parser.add_subparsers(dest="tool", required=True, metavar="TOOL")
    refs = tools.add_parser(
        "refs", help="the commits the event asks to verify, fetched when missing, written to $GITHUB_OUTPUT"
    )
    refs.add_argument("--base-ref", default="", help="compare against this branch or commit instead")
    refs.add_argument("--remote", default="origin", help="where missing commits are fetched from")
    run = tools.add_parser("run", help="verify BASE..HEAD with `hookwright verify`, then publish the verdict")
    run.add_argument("--base", required=True, help="commit to compare against (from `github refs`)")
    run.add_argument("--head", required=True, help="commit to verify (from `github refs`)")
    run.add_argument("--config", default="", help="config file (default: .hookwright.yaml or pyproject.toml)")
    run.add_argument("--checks", default="", help="run only these checks (comma-separated)")
    run.add_argument("--skip", default="", help="do not run these checks (comma-separated)")
    run.add_argument("--fail-on", default="", help="statuses that fail the run (comma-separated)")
    run.add_argument(
        "--args", dest="extra_args", default="", help="more `hookwright verify` arguments, split like a shell"
    )
    run.add_argument(
        "--allow-pr-code",
        default="false",
        help="under pull_request_target, also run checks that execute the pull request's code (true/false)",
    )
    run.add_argument(
        "--record", default="", help="where the record goes (default: a new file in RUNNER_TEMP)"
    )
    _publish_options(run)
    publish = tools.add_parser("publish", help="annotations, job summary, outputs and SARIF from a record")
    publish.add_argument("--record", required=True, help="a verification record (JSON)")
    publish.add_argument("--head", default="", help="commit the links point at (default: the record's)")
    _publish_options(publish)


def _publish_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sarif", default="", help="also write the findings as SARIF 2.1.0 here")
    parser.add_argument(
        "--max-annotations",
        type=int,
        default=ANNOTATIONS_PER_LEVEL,
        help=f"annotations per level (default and GitHub's per-step limit: {ANNOTATIONS_PER_LEVEL})",
    )


def refs_tool(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    event, path = env.get("GITHUB_EVENT_NAME", ""), env.get("GITHUB_EVENT_PATH", "")
    if not event or not path:
        raise BadInput(
            "GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set: run this in a GitHub Actions job"
        )
    refs = refs_from_event(
        event, load_payload(Path(path)), base_override=args.base_ref.strip(), sha=env.get("GITHUB_SHA", "")
    )
    remote = check_ref(args.remote, "remote")
    base, head = ensure_commits(Repo.discover(), refs, remote)
    write_outputs(env, {"base": base, "head": head})
    output.write_line(f"hookwright: {event}: verifying {base[:12]}..{head[:12]}")
    return EXIT_PASSED


_TOOLS: dict[str, Callable[[argparse.Namespace, Mapping[str, str]], int]] = {
    "refs": refs_tool,
    "run": run_tool,
    "publish": publish_tool,
}


def run_from_args(args: argparse.Namespace) -> int:
    return _TOOLS[args.tool](args, os.environ)


@entry_point
def main(argv: Sequence[str] | None = None) -> int:
    return run_from_args(parse_args("hookwright github", DESCRIPTION, add_arguments, argv))


if __name__ == "__main__":
    raise SystemExit(main())
