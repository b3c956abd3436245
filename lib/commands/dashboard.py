"""``hookwright dashboard`` (one offline HTML report) and ``hookwright stats`` (the headline figures)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from hookwright import output, records
from hookwright.atomic import atomic_write
from hookwright.dashboard.metrics import Metrics, Options, aggregate
from hookwright.dashboard.options import add_common_arguments, parse_fix_minutes, parse_since, rule_families
from hookwright.dashboard.record_files import read_sources
from hookwright.dashboard.stats_text import stats_text
from hookwright.dashboard.verdicts import Verdicts
from hookwright.errors import BadInput


def _records_directory(explicit: str | None) -> tuple[Path, Path | None]:
    """The records folder, and where to remember verdicts: only in the repository's own state."""
    if explicit is not None:
        directory = Path(explicit)
        if directory.exists() and not directory.is_dir():
            raise BadInput(f"--records {explicit}: not a directory")
        return directory, None
    from hookwright.git.repo import Repo

    state = Repo.discover().state_dir
    return records.records_dir(state), state / "cache" / "dashboard-verdicts.json"


def collect(args: argparse.Namespace, *, latest: int | None) -> Metrics:
    directory, remembered = _records_directory(args.records)
    verdicts = Verdicts(remembered, directory)
    options = Options(
        since=parse_since(args.since) if args.since else None,
        latest=latest,
        validate_all=args.validate == "all",
        fix_minutes=parse_fix_minutes(args.fix_minutes),
        rule_families=rule_families(),
        schema_check=verdicts,
    )
    result = aggregate(read_sources(directory), options)
    verdicts.save()
    return result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common_arguments(parser)
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        default="hookwright-dashboard.html",
        help="where to write the report",
    )
    parser.add_argument("--full", action="store_true", help="list every run, not only the latest 200")
    parser.add_argument("--require-data", action="store_true", help="exit 2 when there is no record to show")
    parser.add_argument("--title", default="hookwright dashboard", help="the report's title")


def run_from_args(args: argparse.Namespace) -> int:
    from hookwright.dashboard import page as dashboard

    metrics = collect(args, latest=None if args.full else dashboard.LATEST_RUNS)
    if args.require_data and not metrics.headline["runs"] and metrics.headline["excluded"]:
        # "no records yet" would send the user to run verify when the records exist but are damaged
        raise BadInput(
            f"no record to report on: all {metrics.headline['excluded']} left out as truncated, invalid or "
            "written by a newer hookwright (`hookwright stats` counts each kind)"
        )
    if args.require_data and not metrics.headline["runs"]:
        raise BadInput(
            "no records to report on yet (run `hookwright verify` first, or point --records at them)"
        )
    html = dashboard.render(metrics, title=args.title)
    target = Path(args.output)
    if target.is_dir():
        raise BadInput(f"-o {args.output}: is a directory; give a file name")
    try:
        atomic_write(target, html)
    except OSError as exc:
        raise BadInput(f"-o {args.output}: cannot write: {exc.strerror}") from None
    output.write_line(f"wrote {target} ({metrics.headline['runs']} runs)")
    return 0


def add_stats_arguments(parser: argparse.ArgumentParser) -> None:
    add_common_arguments(parser)
    parser.add_argument("--format", "-f", choices=("text", "json"), default="text")


def run_stats(args: argparse.Namespace) -> int:
    metrics = collect(args, latest=0)
    if args.format == "json":
        data = metrics.to_dict()
        del data["runs"]
        output.write(json.dumps(data, indent=2, sort_keys=True) + "\n")
        return 0
    output.write(stats_text(metrics))
    return 0
