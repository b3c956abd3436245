"""Make docs/dashboard.png: the report over 600 deterministic fixture records, as chromium draws it.

python benchmarks/dashboard/screenshot.py [OUT.png]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from test_dashboard import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from test_metrics import make_records, write_records  # noqa: E402

from hookwright.dashboard import metrics  # noqa: E402
from hookwright.dashboard import page as dashboard  # noqa: E402
from hookwright.dashboard.options import rule_families  # noqa: E402
from hookwright.dashboard.record_files import read_sources  # noqa: E402


def main() -> int:
    from playwright.sync_api import sync_playwright

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "dashboard.png"
    with tempfile.TemporaryDirectory() as tmp:
        directory = write_records(Path(tmp) / "records", make_records(600, seed=1))
        result = metrics.aggregate(read_sources(directory), metrics.Options(rule_families=rule_families()))
        page_file = Path(tmp) / "report.html"
        page_file.write_text(dashboard.render(result), encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 1500})
            page.goto(page_file.as_uri())
            page.screenshot(path=str(out))
            browser.close()
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
