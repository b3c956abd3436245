"""Metrics over records: every aggregate checked against a separate, plain computation on fixture records.

``make_records`` builds deterministic records of every pattern, valid against their schemas; the
dashboard tests and benchmarks/dashboard use it too.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import hookwright

from hookwright import schema_registry
from hookwright.dashboard import metrics
from hookwright.dashboard.options import rule_families
from hookwright.dashboard.record_checks import PATTERNS, Source, parse_time, read_problem, schema_problem
from hookwright.dashboard.record_files import read_source, read_sources

CHECKS = ("syntax", "lint", "tests", "coverage", "git_state", "todo")
CODES = ("F401", "E501", "F821", "SyntaxError", "todo")
START = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.timezone.utc)
RULES = rule_families()  # the built-in registry: self_heal records name the rule, not its family


def _base(pattern: str, index: int, when: dt.datetime, rng: random.Random) -> dict[str, Any]:
    return {
        "schema_version": "1",
        "record_id": f"{when.strftime('%Y%m%dT%H%M%S%fZ')}-{pattern}-{index % 0xFFFFFF:06x}",
        "pattern": pattern,
        "instance_id": None,
        "tool": {"name": "hookwright", "version": "0.1.0"},
        "started_at": when.isoformat().replace("+00:00", "Z"),
        "duration_s": round(rng.uniform(0.05, 2.0), 6),
        "outcome": "passed",
        "steps": [],
        "files": {"created": [], "modified": [], "deleted": []},
        "findings": [],
    }


def _steps(record: dict[str, Any], rng: random.Random, names: tuple[str, ...], parallel: bool) -> None:
    for name in names:
        cached = parallel and rng.random() < 0.35
        status = rng.choices(
            ("passed", "failed", "error", "skipped", "warning"), (86, 6, 1, 0 if cached else 5, 2)
        )[0]
        took = round(rng.uniform(0.01, 2.5), 6)
        step: dict[str, Any] = {
            "name": name,
            "status": status,
            "duration_s": 0.0004 if cached else took,
            "cached": cached,
            "files": rng.randint(0, 9),
            "findings": 0,
        }
        if cached:
            step["saved_s"] = took
        if status in ("failed", "warning"):
            for k in range(rng.randint(1, 3)):
                code = rng.choice(CODES)
                record["findings"].append(
                    {
                        "step": name,
                        "path": f"pkg/mod{k}.py",
                        "line": k + 1,
                        "column": 1,
                        "code": code,
                        "message": f"{code} in mod{k}",
                        "severity": "error" if status == "failed" else "warning",
                    }
                )
                step["findings"] += 1
        record["steps"].append(step)
    failing = [s["name"] for s in record["steps"] if s["status"] in ("failed", "error")]
    record["outcome"] = "failed" if failing else "passed"
    if parallel and record["steps"]:
        longest = max(s["duration_s"] for s in record["steps"])
        record["duration_s"] = round(longest + rng.uniform(0.02, 0.4), 6)
    else:
        record["duration_s"] = round(sum(s["duration_s"] for s in record["steps"]) + 0.05, 6)


def _verify_commit(record: dict[str, Any], rng: random.Random) -> None:
    _steps(record, rng, CHECKS, parallel=True)
    hits = sum(1 for s in record["steps"] if s["cached"])
    record.update(
        target={
            "mode": "staged",
            "tree": f"{rng.getrandbits(160):040x}",
            "head": None,
            "branch": "main",
            "files": [],
        },
        decision={
            "fail_on": ["failed", "error"],
            "failed_steps": [s["name"] for s in record["steps"] if s["status"] in ("failed", "error")],
        },
        cache={"enabled": True, "hits": hits, "misses": len(record["steps"]) - hits},
        jobs=2,
    )


def _self_heal(record: dict[str, Any], rng: random.Random) -> None:
    files = [f"pkg/mod{i}.py" for i in range(rng.randint(1, 3))]
    _steps(record, rng, tuple(f"heal {path}" for path in files), parallel=False)  # one step per file
    attempts = []
    for rule in rng.sample(sorted(RULES), rng.randint(0, 3)):
        result = rng.choice(("fixed", "fixed", "rejected"))
        attempts.append(
            {
                "round": 1,
                "rule": rule,
                "action": "edit",
                "path": rng.choice(files),
                "line": 3,
                "error_type": "F821",
                "message": f"undefined name {rule}",
                "result": result,
                "reason": "",
                "duration_s": 0.01,
            }
        )
    # A fix the text took but the file did not (it overlapped unstaged edits): attempted, not kept.
    refused = rng.random() < 0.2
    fixed = (
        []
        if refused
        else [
            {k: a[k] for k in ("path", "line", "error_type", "message")} | {"column": 1, "tool": "ruff"}
            for a in attempts
            if a["result"] == "fixed"
        ]
    )
    record.update(
        mode="files",
        dry_run=False,
        max_attempts=3,
        rounds=1,
        rules={"count": len(RULES), "disabled": []},
        diagnostics=[],
        attempts=attempts,
        fixed=fixed,
        remaining=[],
    )


def _other(record: dict[str, Any], rng: random.Random) -> None:
    pattern = record["pattern"]
    names = {"worktree_lifecycle": ("create", "verify"), "atomic_create": ("render", "check", "write")}
    _steps(record, rng, names.get(pattern, ("render", "validate", "write")), parallel=False)
    plan = [{"path": "pkg/new.py", "source": "pack/new.py.j2", "action": "create", "bytes": 120}]
    extra: dict[str, Any] = {
        "worktree_lifecycle": {"operation": "create", "dry_run": False},
        "atomic_create": {
            "target": "pkg/new.py",
            "source": "pack/new.py.j2",
            "action": "create",
            "dry_run": False,
            "bytes": 120,
            "sha256": "0" * 64,
        },
        "batch_create": {"dry_run": False, "items": 1, "plan": plan},
        "module_creation": {
            "module": "pkg.new",
            "dry_run": False,
            "plan": plan,
            "tests": {"ran": True, "passed": 1, "failed": 0},
            "rolled_back": False,
        },
    }[pattern]
    record.update(extra)


BUILDERS = {"verify_commit": _verify_commit, "self_heal": _self_heal}
MIX = ("verify_commit",) * 12 + (
    "self_heal",
    "self_heal",
    "worktree_lifecycle",
    "atomic_create",
    "batch_create",
    "module_creation",
)


def make_records(count: int, seed: int = 0, start: dt.datetime = START) -> list[dict[str, Any]]:
    """``count`` records of every pattern, a few minutes apart, the same for the same seed."""
    rng = random.Random(seed)
    records = []
    when = start
    for index in range(count):
        when += dt.timedelta(seconds=rng.randint(60, 1800))
        pattern = MIX[rng.randrange(len(MIX))]
        record = _base(pattern, index, when, rng)
        BUILDERS.get(pattern, _other)(record, rng)
        records.append(record)
    return records


def write_records(directory: Path, records: list[dict[str, Any]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for record in records:
        (directory / f"{record['record_id']}.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
    return directory


def sources(records: list[dict[str, Any]]) -> list[Source]:
    return [Source(f"{r['record_id']}.json", r) for r in records]


@pytest.fixture(scope="module")
def fixture_records() -> list[dict[str, Any]]:
    return make_records(400, seed=7)


@pytest.fixture(scope="module")
def computed(fixture_records: list[dict[str, Any]]) -> metrics.Metrics:
    return metrics.aggregate(sources(fixture_records), metrics.Options(rule_families=RULES))


def test_fixture_records_are_valid_against_their_schemas(fixture_records: list[dict[str, Any]]) -> None:
    assert {r["pattern"] for r in fixture_records} >= {"verify_commit", "self_heal", "batch_create"}
    for record in fixture_records[:60]:
        assert schema_problem(record) is None, record["record_id"]
        assert read_problem(record) is None


def test_runs_and_success_per_pattern(
    fixture_records: list[dict[str, Any]], computed: metrics.Metrics
) -> None:
    by_pattern = Counter(r["pattern"] for r in fixture_records)
    passed = Counter(r["pattern"] for r in fixture_records if r["outcome"] == "passed")
    assert computed.headline["runs"] == len(fixture_records)
    assert {p["pattern"]: p["runs"] for p in computed.patterns} == dict(by_pattern)
    for row in computed.patterns:
        assert row["success"]["successes"] == passed[row["pattern"]]
        assert row["success"]["value"] == pytest.approx(passed[row["pattern"]] / by_pattern[row["pattern"]])
    assert [p["pattern"] for p in computed.top["by_runs"]] == [
        p for p, _n in sorted(by_pattern.items(), key=lambda i: (-i[1], i[0]))
    ]


def test_checks_failures_and_findings(
    fixture_records: list[dict[str, Any]], computed: metrics.Metrics
) -> None:
    failures: Counter[tuple[str, str]] = Counter()
    ran: Counter[tuple[str, str]] = Counter()
    durations: dict[tuple[str, str], list[float]] = {}
    worst = ("skipped", "warning", "passed", "failed", "error")
    for record in fixture_records:
        checks: dict[str, list[dict[str, Any]]] = {}
        for step in record["steps"]:  # self_heal's "heal <file>" steps are one run of "heal"
            checks.setdefault(step["name"].split(" ")[0], []).append(step)
        for name, steps in checks.items():
            key = (record["pattern"], name)
            status = max((s["status"] for s in steps), key=worst.index)
            if status != "skipped":
                ran[key] += 1
                failures[key] += status in ("failed", "error")
                if not all(s["cached"] for s in steps):
                    durations.setdefault(key, []).append(sum(s["duration_s"] for s in steps))
    assert {row["check"] for row in computed.checks if row["pattern"] == "self_heal"} == {"heal"}
    for row in computed.checks:
        key = (row["pattern"], row["check"])
        assert (row["runs"], row["failures"]) == (ran[key], failures[key])
        cuts = statistics.quantiles(durations[key], n=100, method="inclusive")
        assert row["p50_s"] == pytest.approx(cuts[49])
        assert row["p95_s"] == pytest.approx(cuts[94])
    codes = Counter(f["code"] for r in fixture_records for f in r["findings"])
    assert {c["code"]: c["count"] for c in computed.codes} == dict(codes)
    assert [c["count"] for c in computed.codes] == sorted(codes.values(), reverse=True)
    slowest = [row["p95_s"] for row in computed.top["slowest_checks"]]
    assert slowest == sorted(slowest, reverse=True)


def test_time_saved_is_three_separate_parts(
    fixture_records: list[dict[str, Any]], computed: metrics.Metrics
) -> None:
    parallel = sum(
        max(0.0, sum(s["duration_s"] for s in r["steps"]) - r["duration_s"])
        for r in fixture_records
        if len(r["steps"]) > 1
    )
    cache = sum(s.get("saved_s", 0.0) for r in fixture_records for s in r["steps"] if s["cached"])
    fixes = Counter(
        RULES[a["rule"]]
        for r in fixture_records
        if r["pattern"] == "self_heal" and r["fixed"]  # a refused write keeps none of its fixes
        for a in r["attempts"]
        if a["result"] == "fixed"
    )
    assert (
        0
        < sum(fixes.values())
        < sum(
            a["result"] == "fixed"
            for r in fixture_records
            if r["pattern"] == "self_heal"
            for a in r["attempts"]
        )
    )
    saved = computed.time_saved
    assert saved["parallel_s"] == pytest.approx(parallel)
    assert saved["cache_s"] == pytest.approx(cache)
    estimate = sum(n * metrics.DEFAULT_FIX_MINUTES[f] * 60 for f, n in fixes.items())
    assert saved["self_heal_estimate_s"] == pytest.approx(estimate)
    assert {f["family"]: f["fixes"] for f in computed.fixes if f["fixes"]} == dict(fixes)
    hits = sum(r["cache"]["hits"] for r in fixture_records if r["pattern"] == "verify_commit")
    misses = sum(r["cache"]["misses"] for r in fixture_records if r["pattern"] == "verify_commit")
    assert computed.headline["cache_hits"]["value"] == pytest.approx(hits / (hits + misses))


def test_fix_minutes_change_only_the_estimate(
    fixture_records: list[dict[str, Any]], computed: metrics.Metrics
) -> None:
    doubled = {k: v * 2 for k, v in metrics.DEFAULT_FIX_MINUTES.items()}
    again = metrics.aggregate(
        sources(fixture_records), metrics.Options(fix_minutes=doubled, rule_families=RULES)
    )
    assert again.time_saved["self_heal_estimate_s"] == pytest.approx(
        2 * computed.time_saved["self_heal_estimate_s"]
    )
    assert again.time_saved["cache_s"] == computed.time_saved["cache_s"]


def test_a_family_in_the_record_wins_over_the_registry() -> None:
    record = make_records(40, seed=2)
    heal = next(r for r in record if r["pattern"] == "self_heal" and r["attempts"])
    heal["attempts"] = [dict(heal["attempts"][0], result="fixed", rule="my-own-rule", family="syntax")]
    heal["fixed"] = [
        {k: heal["attempts"][0][k] for k in ("path", "line", "error_type", "message")}
        | {"column": 1, "tool": "ruff"}
    ]
    result = metrics.aggregate([Source("x.json", heal)], metrics.Options(rule_families=RULES))
    assert {f["family"]: f["fixes"] for f in result.fixes}["syntax"] == 1


def test_trends_per_day(fixture_records: list[dict[str, Any]], computed: metrics.Metrics) -> None:
    days = Counter(r["started_at"][:10] for r in fixture_records)
    assert [(d["date"], d["runs"]) for d in computed.days] == sorted(days.items())


def test_wilson_interval_keeps_three_runs_from_reading_as_certain() -> None:
    three = metrics.wilson(3, 3)
    assert three.value == 1.0
    assert three.low == pytest.approx(0.43850, abs=1e-5)
    assert three.high == 1.0
    # Newcombe (1998), example: 81 of 263 -> 0.2553 to 0.3662.
    assert metrics.wilson(81, 263).low == pytest.approx(0.2553, abs=1e-4)
    assert metrics.wilson(81, 263).high == pytest.approx(0.3662, abs=1e-4)
    assert metrics.wilson(0, 0).value is None


@pytest.mark.parametrize("data", [[1.0], [3.0, 1.0], [0.5, 9.0, 2.0, 2.0, 7.5]])
def test_percentiles_match_statistics(data: list[float]) -> None:
    ordered = sorted(data)
    expected = statistics.quantiles(data, n=100, method="inclusive") if len(data) > 1 else [data[0]] * 99
    assert metrics.percentile(ordered, 0.5) == pytest.approx(expected[49])
    assert metrics.percentile(ordered, 0.95) == pytest.approx(expected[94])


def _broken(tmp_path: Path, good: list[dict[str, Any]]) -> Path:
    directory = write_records(tmp_path / "records", good)
    text = json.dumps(good[0])
    (directory / "20260101T000000000000Z-verify_commit-aaaaaa.json").write_text(text[: len(text) // 2])
    newer = dict(good[1], schema_version="2", record_id="20260101T000000000001Z-verify_commit-bbbbbb")
    (directory / f"{newer['record_id']}.json").write_text(json.dumps(newer))
    wrong = dict(good[2], duration_s="slow", record_id="20260101T000000000002Z-verify_commit-cccccc")
    (directory / f"{wrong['record_id']}.json").write_text(json.dumps(wrong))
    (directory / "20260101T000000000003Z-verify_commit-dddddd.json").write_text("[1, 2]")
    (directory / "20260101T000000000004Z-verify_commit-eeeeee.json").write_text('{"a": NaN}')
    extra = dict(good[3], surprise=True, record_id="20990101T000000000000Z-verify_commit-ffffff")
    extra["started_at"] = "2099-01-01T00:00:00Z"
    (directory / f"{extra['record_id']}.json").write_text(json.dumps(extra))
    return directory


def test_bad_records_are_counted_never_fatal(tmp_path: Path) -> None:
    good = [r for r in make_records(30, seed=3) if r["pattern"] == "verify_commit"]
    directory = _broken(tmp_path, good)
    result = metrics.aggregate(read_sources(directory))
    problems = result.problems
    assert (problems["truncated"], problems["newer"], problems["invalid"]) == (1, 1, 3)
    messages = {p["name"][:22]: p["message"] for p in problems["list"]}
    assert "duration_s" in messages["20260101T000000000002Z"]
    # Sound where the figures read it, but breaking its schema elsewhere: counted, and said so.
    assert result.headline["runs"] == len(good) + 1
    assert problems["schema_warnings"] == 1
    assert "surprise" in problems["warnings_list"][0]["message"]
    assert result.runs[0]["schema"].startswith("/")


def test_yaml_record_counts_only_without_a_json_twin(tmp_path: Path) -> None:
    import yaml

    first, second = make_records(2, seed=5)
    directory = write_records(tmp_path / "records", [first])
    (directory / f"{first['record_id']}.yaml").write_text(yaml.safe_dump(first))
    (directory / f"{second['record_id']}.yaml").write_text(yaml.safe_dump(second))
    result = metrics.aggregate(read_sources(directory))
    assert result.headline["runs"] == 2
    assert read_source(directory / f"{second['record_id']}.yaml").data == second


def test_since_and_latest(fixture_records: list[dict[str, Any]]) -> None:
    cut = fixture_records[len(fixture_records) // 2]["started_at"]
    since = parse_time(cut)
    result = metrics.aggregate(sources(fixture_records), metrics.Options(since=since, latest=5))
    expected = [r for r in fixture_records if r["started_at"] >= cut]
    assert result.headline["runs"] == len(expected)
    assert [r["record_id"] for r in result.runs] == [r["record_id"] for r in expected[::-1][:5]]
    assert result.problems["validated"] == 5


def test_validate_all_checks_every_record(fixture_records: list[dict[str, Any]]) -> None:
    result = metrics.aggregate(sources(fixture_records[:40]), metrics.Options(validate_all=True))
    assert result.problems["validated"] == 40
    assert result.problems["schema_warnings"] == 0


def test_no_records_at_all() -> None:
    result = metrics.aggregate([])
    assert result.headline["runs"] == 0
    assert result.headline["success"]["value"] is None
    assert all(math.isfinite(v) for v in result.time_saved.values())


def test_stats_cli_text_and_json(tmp_path: Path) -> None:
    directory = write_records(tmp_path / "records", make_records(60, seed=11))
    text = hookwright("stats", "--records", str(directory), cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    assert "runs            60" in text.stdout
    assert "(ESTIMATE" in text.stdout and "(measured)" in text.stdout
    as_json = hookwright("stats", "--records", str(directory), "--format", "json", cwd=tmp_path)
    data = json.loads(as_json.stdout)
    assert data["headline"]["runs"] == 60
    assert set(data["time_saved"]) >= {"parallel_s", "cache_s", "self_heal_estimate_s"}


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("stats", "--since", "last tuesday"), id="since-not-a-date"),
        pytest.param(("stats", "--fix-minutes", "typing=3"), id="unknown-family"),
        pytest.param(("stats", "--fix-minutes", "import=-1"), id="negative-minutes"),
        pytest.param(("stats", "--records", "file.txt"), id="records-is-a-file"),
        pytest.param(("dashboard", "--records", "empty", "--require-data"), id="require-data"),
        pytest.param(("dashboard", "--records", "empty", "-o", "empty"), id="output-is-a-directory"),
        pytest.param(("stats", "--format", "xml"), id="unknown-format"),
        pytest.param(("stats",), id="not-a-repository"),
    ],
)
def test_bad_input(tmp_path: Path, args: tuple[str, ...]) -> None:
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "empty").mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    result = hookwright(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("hookwright: error:")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_schema_names_cover_the_patterns_read() -> None:
    # A pattern whose schema has not landed yet is checked against the common report.
    assert "common" in schema_registry.schema_names()
    assert {"verify_commit", "self_heal"} <= set(PATTERNS)


def test_real_self_heal_runs_count_each_kept_fix_once_and_heal_as_one_check(in_git_dir: Path) -> None:
    """A fix refused at write time (it overlapped unstaged edits) and made on the next run is one fix."""
    from conftest import git, write

    write(in_git_dir / "a.py", "def f(x)\n    return x\n")
    write(in_git_dir / "b.py", "def g():\n    return os.sep\n")
    git(in_git_dir, "add", ".")
    write(in_git_dir / "a.py", "def f(x, y)\n    return x\n")  # unstaged, on the line the fix needs
    hook = [sys.executable, "-m", "hookwright.hooks.self_heal", "a.py", "b.py"]
    first = subprocess.run(hook, cwd=in_git_dir, capture_output=True, text=True, check=False)
    assert first.returncode == 1 and "overlaps unstaged changes" in first.stdout
    git(in_git_dir, "add", "a.py", "b.py")  # the edit, and b.py's fix from the first run
    second = subprocess.run(hook, cwd=in_git_dir, capture_output=True, text=True, check=False)
    assert second.returncode == 1 and "fixed SyntaxError" in second.stdout
    assert (in_git_dir / "a.py").read_text() == "def f(x, y):\n    return x\n"
    stats = json.loads(hookwright("stats", "--format", "json", cwd=in_git_dir).stdout)
    assert {f["family"]: f["fixes"] for f in stats["fixes"] if f["fixes"]} == {"syntax": 1, "import": 1}
    assert stats["time_saved"]["fixes"] == 2  # the colon once (not twice), the import of os once
    heal = [(c["check"], c["runs"]) for c in stats["checks"] if c["pattern"] == "self_heal"]
    assert heal == [("heal", 2)]  # one check, run twice; not a check per file
