"""The dashboard HTML: self-contained, deterministic, and right in a real browser (Debian's chromium).

Browser tests use Playwright from PyPI with the system chromium (no downloaded browser build). Each
page is opened from disk or from a loopback server; the figures in the DOM are compared with plain
computations over the fixture records, not with lib/dashboard/metrics.py.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import os
import re
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import hookwright
from test_metrics import make_records, write_records

from hookwright.dashboard import metrics
from hookwright.dashboard import page as dashboard
from hookwright.dashboard.options import rule_families
from hookwright.dashboard.record_files import read_sources
from hookwright.dashboard.verdicts import Verdicts

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Jenkins' policy for files it serves (archived artifacts, workspaces): "No JavaScript allowed at all",
# "No inline CSS". The older default, then today's, from
# https://jenkins.io/doc/book/security/configuring-content-security-policy/
JENKINS_CSP = (
    "sandbox; default-src 'none'; img-src 'self'; style-src 'self';",
    "sandbox allow-same-origin; default-src 'none'; img-src 'self'; style-src 'self';",
)
HOSTILE = {
    "script": "<script>alert('step')</script>",
    "img": '<img src=x onerror="alert(1)">',
    "url": "javascript:alert(document.domain)",
    "bidi": "ok\u202e)(lave\u2066 x",
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("dashboard")
    records = make_records(260, seed=21)
    directory = write_records(base / "records", records)
    page = base / "report.html"
    result = hookwright("dashboard", "--records", str(directory), "-o", str(page), cwd=base)
    assert result.returncode == 0, result.stderr
    return {"records": records, "page": page, "directory": directory}


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    records = [r for r in make_records(30, seed=4) if r["pattern"] == "verify_commit"][:4]
    for record in records:
        for step in record["steps"]:
            step["name"] = HOSTILE["script"] + step["name"]
        record["findings"] = [
            {
                "step": record["steps"][0]["name"],
                "path": HOSTILE["url"],
                "line": 1,
                "column": 1,
                "code": HOSTILE["img"],
                "message": value,
                "severity": "error",
            }
            for value in HOSTILE.values()
        ]
        record["instance_id"] = HOSTILE["bidi"]
    directory = write_records(base / "records", records)
    (directory / f"2026{HOSTILE['bidi']}{HOSTILE['img']}.json".replace("/", "")).write_text("{")
    page = base / "hostile.html"
    dashboard_html = dashboard.render(metrics.aggregate(read_sources(directory)), title=HOSTILE["script"])
    page.write_text(dashboard_html, encoding="utf-8")
    return page


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_one_self_contained_deterministic_file(report: dict[str, Any]) -> None:
    html = report["page"].read_text(encoding="utf-8")
    options = metrics.Options(rule_families=rule_families())
    again = dashboard.render(metrics.aggregate(read_sources(report["directory"]), options))
    assert again == html
    # Nothing is fetched: the only URL is the SVG namespace, which names and loads nothing.
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) == {"http://www.w3.org/2000/svg"}
    assert not re.search(r"<(link|img|iframe|object|embed)\b|\bsrc=", html)
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)  # type: ignore[union-attr]
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)  # type: ignore[union-attr]
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert f"style-src {_csp_hash(style)}" in policy.replace("&#39;", "'")
    assert f"script-src {_csp_hash(script)}" in policy.replace("&#39;", "'")
    assert "Latest 200 of 260 runs" in html


def test_full_embeds_every_run_and_since_filters(report: dict[str, Any], tmp_path: Path) -> None:
    page = tmp_path / "full.html"
    result = hookwright(
        "dashboard", "--records", str(report["directory"]), "-o", str(page), "--full", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "All 260 runs" in page.read_text(encoding="utf-8")
    day = report["records"][-1]["started_at"][:10]
    expected = sum(1 for r in report["records"] if r["started_at"][:10] >= day)
    result = hookwright(
        "dashboard", "--records", str(report["directory"]), "-o", str(page), "--since", day, cwd=tmp_path
    )
    assert f"All {expected} runs" in page.read_text(encoding="utf-8")


def test_no_data_yet(tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()
    page = tmp_path / "empty.html"
    result = hookwright("dashboard", "--records", str(tmp_path / "records"), "-o", str(page), cwd=tmp_path)
    assert result.returncode == 0
    html = page.read_text(encoding="utf-8")
    assert "No data yet" in html and "<svg" not in html


def test_default_records_folder_is_the_repositorys(committed_repo: Path) -> None:
    records = [r for r in make_records(20, seed=9) if r["pattern"] != "self_heal"]
    write_records(committed_repo / ".git" / "hookwright" / "records", records)
    result = hookwright("stats", cwd=committed_repo)
    assert result.returncode == 0, result.stderr
    assert f"runs            {len(records)} " in result.stdout
    pages = []
    for name in ("first.html", "second.html"):
        result = hookwright("dashboard", "-o", str(committed_repo.parent / name), cwd=committed_repo)
        assert result.returncode == 0, result.stderr
        pages.append((committed_repo.parent / name).read_text(encoding="utf-8"))
    # The second run reads the verdicts the first remembered, and shows the same thing.
    assert (committed_repo / ".git" / "hookwright" / "cache" / "dashboard-verdicts.json").is_file()
    assert pages[0] == pages[1]


def test_verdicts_are_remembered_per_record_file(tmp_path: Path) -> None:
    record = dict(make_records(1, seed=9)[0], surprise=True)
    directory = write_records(tmp_path / "records", [record])
    name = f"{record['record_id']}.json"
    store = tmp_path / "verdicts.json"
    first = Verdicts(store, directory)
    assert "surprise" in (first(name, record) or "")
    first.save()
    # Remembered: the second look does not validate (it would say the record is fine now).
    assert "surprise" in (Verdicts(store, directory)(name, {}) or "")
    os.utime(directory / name, ns=(1, 1))
    assert Verdicts(store, directory)(name, make_records(1, seed=9)[0]) is None


# -- in a real browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    # On CI (.ci/run installs both) a missing browser is a failure, not a quiet skip.
    missing = pytest.fail if os.environ.get("CI") == "true" else pytest.skip
    if not os.path.exists(CHROMIUM):
        missing("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    try:
        from playwright import sync_api
    except ImportError:
        missing("playwright is not installed (pip install playwright)")
    home = tmp_path_factory.mktemp("browser-home")
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home), "XDG_CACHE_HOME": str(home)}
    with sync_api.sync_playwright() as playwright:
        # launch() gives the browser a fresh temporary profile (user-data-dir) of its own.
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)
        yield instance
        instance.close()


class Watched:
    """A page with every request, console error, page error and dialog it caused."""

    def __init__(self, browser: Any, *, javascript: bool = True) -> None:
        self.context = browser.new_context(
            java_script_enabled=javascript, viewport={"width": 1100, "height": 900}
        )
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, url: str) -> Any:
        self.page.goto(url, wait_until="load")
        return self.page

    def metric(self, name: str) -> str:
        return self.page.locator(f'[data-m="{name}"]').first.inner_text().strip()

    def close(self) -> None:
        self.context.close()


def _checks(record: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """A record's steps by check: self_heal's one step per file ("heal pkg/a.py") is one check, heal."""
    checks: dict[str, list[dict[str, Any]]] = {}
    for step in record["steps"]:
        name = step["name"].split(" ")[0] if record["pattern"] == "self_heal" else step["name"]
        checks.setdefault(name, []).append(step)
    return checks


def expected_figures(records: list[dict[str, Any]]) -> dict[str, str]:
    """The figures the page must show, computed here from the records alone."""
    runs = Counter(r["pattern"] for r in records)
    passed = Counter(r["pattern"] for r in records if r["outcome"] == "passed")
    failed = Counter(r["pattern"] for r in records if r["outcome"] == "failed")
    codes = Counter(f["code"] for r in records for f in r["findings"])
    check_failures = Counter(
        f"{r['pattern']}:{name}"
        for r in records
        for name, steps in _checks(r).items()
        if any(s["status"] in ("failed", "error") for s in steps)
    )
    parallel = sum(
        max(0.0, sum(s["duration_s"] for s in r["steps"]) - r["duration_s"])
        for r in records
        if len(_checks(r)) > 1
    )
    cache = sum(s.get("saved_s", 0.0) for r in records for s in r["steps"])
    figures = {
        "runs": str(len(records)),
        "success": f"{sum(passed.values()) / len(records):.1%}",
        "parallel_s": f"{parallel:.2f}",
        "cache_s": f"{cache:.2f}",
        "excluded": "0",
    }
    for pattern, count in runs.items():
        figures[f"{pattern}:runs"] = str(count)
        figures[f"{pattern}:failed"] = str(failed[pattern])
        figures[f"{pattern}:success"] = f"{passed[pattern] / count:.1%}"
    for code, count in codes.items():
        figures[f"code:{code}"] = str(count)
    for check, count in check_failures.items():
        figures[f"check:{check}:failures"] = str(count)
    for day, count in Counter(r["started_at"][:10] for r in records).items():
        figures[f"day:{day}:runs"] = str(count)
    return figures


def _artifacts(tmp_path: Path) -> Path:
    directory = Path(os.environ.get("HOOKWRIGHT_ARTIFACTS") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def test_from_disk_no_network_no_errors_right_numbers(
    browser: Any, report: dict[str, Any], tmp_path: Path
) -> None:
    watched = Watched(browser)
    url = report["page"].as_uri()
    page = watched.open(url)
    assert watched.requests == [url]
    assert watched.errors == []
    for name, value in expected_figures(report["records"]).items():
        assert watched.metric(name) == value, name
    assert page.locator("svg").count() >= 10
    marks = page.locator("svg [aria-label]")
    assert marks.count() > 100
    assert page.locator("svg [aria-label]:not(:has(title))").count() == 0
    # The optional script: a header sorts its table.
    header = page.locator("#patterns table thead th").nth(1)
    header.click()
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    first_runs = page.locator("#patterns table tbody tr").first.locator("td").nth(1).inner_text()
    assert int(first_runs) == max(Counter(r["pattern"] for r in report["records"]).values())
    page.screenshot(path=str(_artifacts(tmp_path) / "dashboard.png"), full_page=True)
    watched.close()


def test_without_javascript_the_same_charts_and_numbers(browser: Any, report: dict[str, Any]) -> None:
    on, off = Watched(browser), Watched(browser, javascript=False)
    with_js, without_js = on.open(report["page"].as_uri()), off.open(report["page"].as_uri())
    for selector in ("svg", "svg [aria-label]", "table", "td"):
        assert with_js.locator(selector).count() == without_js.locator(selector).count(), selector
    for name, value in expected_figures(report["records"]).items():
        assert off.metric(name) == value, name
    assert without_js.locator("th[aria-sort]").count() == 0  # the script did not run, and nothing needed it
    assert off.errors == []
    on.close()
    off.close()


@functools.cache
def _handler(policy: str, root: str) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=root, **kwargs)

        def end_headers(self) -> None:
            self.send_header("Content-Security-Policy", policy)
            super().end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.mark.parametrize("policy", JENKINS_CSP, ids=("sandbox", "sandbox-allow-same-origin"))
def test_readable_under_jenkins_csp(browser: Any, report: dict[str, Any], policy: str) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(policy, str(report["page"].parent)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    watched = Watched(browser)
    try:
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        page = watched.open(f"{origin}/{report['page'].name}")
        assert all(url.startswith(origin) for url in watched.requests)
        assert page.locator("h1").inner_text() == "hookwright dashboard"
        for name, value in expected_figures(report["records"]).items():
            assert watched.metric(name) == value, name
        # No CSS and no script ran, yet every chart keeps its size and colours (SVG attributes).
        assert page.locator("th[aria-sort]").count() == 0
        box = page.locator("#summary svg").first.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
        bar = page.locator("#patterns svg rect[aria-label]").first
        assert bar.evaluate("e => getComputedStyle(e).fill") not in ("", "none", "rgb(0, 0, 0)")
    finally:
        watched.close()
        server.shutdown()
        server.server_close()


def test_hostile_record_fields_execute_nothing(browser: Any, hostile_page: Path) -> None:
    watched = Watched(browser)
    page = watched.open(hostile_page.as_uri())
    page.wait_for_timeout(200)
    assert watched.dialogs == []
    assert watched.errors == []
    assert watched.requests == [hostile_page.as_uri()]
    assert page.locator("script").count() == 1
    assert page.locator("img, iframe, object, embed").count() == 0
    on_attributes = page.evaluate(
        "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))"
        ".filter(n => n.startsWith('on'))"
    )
    assert on_attributes == []
    assert page.locator("a[href^='javascript:' i]").count() == 0
    text = page.locator("body").inner_text()
    assert HOSTILE["script"] in text  # shown as text, not run
    assert "\u202e" not in text and "\u2066" not in text
    assert "[U+202E]" in text and "[U+2066]" in text
    assert page.title() == HOSTILE["script"]
    assert page.locator("[data-m='truncated']").inner_text() == "1"
    watched.close()
