"""``hookwright dashboard`` (one offline HTML report) and ``hookwright stats`` (the headline figures)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from hookwright import __version__, bounded_read, output, records
from hookwright.atomic import atomic_write
from hookwright.dashboard.metrics import DEFAULT_FIX_MINUTES, FIX_FAMILIES, Metrics, Options, aggregate
from hookwright.dashboard.record_checks import Source, schema_problem
from hookwright.errors import BadInput

MAX_RECORD_BYTES = 16 * 1024 * 1024


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


def read_source(path: Path) -> Source:
    """One record file; a broken one becomes a Source that says why, never an exception."""
    name = path.name
    try:
        raw = bounded_read.read_file(path, MAX_RECORD_BYTES, name)
    except BadInput as exc:
        return Source(name, kind="invalid", message=str(exc).removeprefix(f"{name}: "))
    if path.suffix != ".json":
        try:
            return Source(name, records.load(path))
        except BadInput as exc:
            return Source(name, kind="invalid", message=str(exc).removeprefix(f"{path}:"))
    # Records are hookwright's own output (json.dumps), so the plain parser is enough: the strict
    # loader's second, YAML pass for error positions costs ~1 ms a record, 10 s for 10,000.
    try:
        text = raw.decode("utf-8")
        return Source(name, json.loads(text, parse_constant=_reject_constant))
    except UnicodeDecodeError:
        return Source(name, kind="invalid", message="not UTF-8")
    except json.JSONDecodeError as exc:
        # json.dumps ends every record with its closing brace: one without it was cut short (a full
        # disk, a writer killed before the atomic rename existed); anything else is corrupt.
        stripped = text.strip()
        if stripped.startswith("{") and not stripped.endswith("}"):
            return Source(name, kind="truncated", message=f"ends early: {exc.msg}")
        return Source(name, kind="invalid", message=f"line {exc.lineno} column {exc.colno}: {exc.msg}")
    except (ValueError, RecursionError) as exc:
        return Source(name, kind="invalid", message=str(exc))


def read_sources(directory: Path) -> Iterator[Source]:
    for path in records.iter_paths(directory):
        yield read_source(path)


class Verdicts:
    """Full-schema verdicts remembered per record file: a record is never rewritten once written, so
    its file name, size and mtime identify its content; a change to any schema forgets them all."""

    def __init__(self, path: Path | None, directory: Path | None) -> None:
        self.path = path
        self.directory = directory
        self.known: dict[str, list[Any]] = {}
        self.changed = False
        self.fingerprint = _schemas_fingerprint()
        if path is None:
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("schemas") == self.fingerprint and isinstance(data.get("verdicts"), dict):
                self.known = data["verdicts"]
        except (OSError, ValueError, AttributeError):
            pass

    def __call__(self, name: str, record: Mapping[str, Any]) -> str | None:
        stamp: list[Any] | None = None
        if self.directory is not None:
            try:
                info = (self.directory / name).stat()
                stamp = [info.st_size, info.st_mtime_ns]
            except OSError:
                stamp = None
        remembered = self.known.get(name)
        if stamp is not None and isinstance(remembered, list) and remembered[:2] == stamp:
            return remembered[2]  # type: ignore[no-any-return]
        issue = schema_problem(record)
        if stamp is not None:
            self.known[name] = [*stamp, issue]
            self.changed = True
        return issue

    def save(self) -> None:
        if self.path is None or not self.changed:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            verdicts = json.dumps({"schemas": self.fingerprint, "verdicts": self.known})
            atomic_write(self.path, verdicts, durable=False)
        except OSError:
            pass  # a read-only records folder: remember nothing


def _schemas_fingerprint() -> str:
    import hashlib
    from importlib import resources

    digest = hashlib.sha256(__version__.encode())
    for resource in sorted(resources.files("hookwright.schemas").iterdir(), key=lambda r: r.name):
        if resource.name.endswith(".json"):
            digest.update(resource.name.encode() + resource.read_bytes())
    return digest.hexdigest()[:16]


def rule_families() -> dict[str, str]:
    """Rule id -> fix family from the built-in registry, for self_heal records that name only the rule."""
    from importlib import resources

    resource = resources.files("hookwright.schemas") / "builtin-fix-rules.json"
    try:
        data = json.loads(resource.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    rules = data.get("rules", data) if isinstance(data, dict) else data
    if not isinstance(rules, list):
        return {}
    return {
        str(rule["id"]): str(rule.get("family", "other"))
        for rule in rules
        if isinstance(rule, dict) and "id" in rule
    }


def parse_since(text: str) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(f"--since {text!r} is not a date; give YYYY-MM-DD or an ISO 8601 time") from None
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def parse_fix_minutes(pairs: list[str]) -> dict[str, float]:
    minutes = dict(DEFAULT_FIX_MINUTES)
    for pair in pairs:
        family, _, value = pair.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if family not in FIX_FAMILIES or not 0 <= number <= 1440:
            raise BadInput(
                f"--fix-minutes {pair!r}: give FAMILY=MINUTES with FAMILY one of "
                f"{', '.join(FIX_FAMILIES)} and MINUTES between 0 and 1440"
            )
        minutes[family] = number
    return minutes


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


def _common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--records", metavar="DIR", help="the records folder (default: the repository's, under its git dir)"
    )
    parser.add_argument(
        "--since", metavar="DATE", help="only runs that started on or after DATE (YYYY-MM-DD)"
    )
    parser.add_argument(
        "--fix-minutes",
        metavar="FAMILY=MIN",
        action="append",
        default=[],
        help="minutes one self_heal fix of FAMILY would take by hand, for the time-saved ESTIMATE "
        f"(defaults: {', '.join(f'{k}={v:g}' for k, v in DEFAULT_FIX_MINUTES.items())})",
    )
    parser.add_argument(
        "--validate",
        choices=("shown", "all"),
        default="shown",
        help="check against the full schema the runs listed one by one (default) or every record "
        "(~1.4 ms each); every record is always checked on the fields the figures use",
    )


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
    _common_arguments(parser)
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
    _common_arguments(parser)
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


def _pct(rate: Mapping[str, object]) -> str:
    if rate["value"] is None:
        return "n/a"
    return f"{rate['value']:.1%} (95% CI {rate['low']:.1%}-{rate['high']:.1%}, n={rate['total']})"


def _seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}s"


def stats_text(metrics: Metrics) -> str:
    head, saved, problems = metrics.headline, metrics.time_saved, metrics.problems
    if not head["runs"] and not head["excluded"]:
        return "no data yet: no records found\n"
    lines = [
        f"runs            {head['runs']}"
        + (f" ({head['first'][:10]} .. {head['last'][:10]})" if head["first"] else ""),
        f"success         {_pct(head['success'])}",
        f"duration        p50 {_seconds(head['p50_s'])}  p95 {_seconds(head['p95_s'])}",
        f"cache hits      {_pct(head['cache_hits'])}",
        f"time saved      parallelism {saved['parallel_s']:.0f}s (measured)  cache {saved['cache_s']:.0f}s "
        f"(measured)  self_heal {saved['self_heal_estimate_s']:.0f}s (ESTIMATE, {saved['fixes']} fixes)",
    ]
    for label, key in (("top by runs", "by_runs"), ("top by failures", "by_failures")):
        value = "runs" if key == "by_runs" else "failures"
        top = ", ".join(f"{row['pattern']} {row[value]}" for row in metrics.top[key][:3]) or "-"
        lines.append(f"{label:<16}{top}")
    slow = ", ".join(f"{row['check']} p95 {row['p95_s']:.2f}s" for row in metrics.top["slowest_checks"][:3])
    lines.append(f"slowest checks  {slow or '-'}")
    common = ", ".join(f"{row['code']} x{row['count']}" for row in metrics.codes[:3])
    lines.append(f"top findings    {common or '-'}")
    excluded = f"{problems['truncated']} truncated, {problems['invalid']} invalid, {problems['newer']} newer"
    lines.append(f"excluded        {head['excluded']} ({excluded})")
    if problems["schema_warnings"]:
        lines.append(
            f"schema warnings {problems['schema_warnings']} of {problems['validated']} fully validated"
        )
    return "\n".join(lines) + "\n"
