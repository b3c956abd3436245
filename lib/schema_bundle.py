"""The self-contained copies of the top-level schemas that ship in ``schemas/bundled/``.

``python -m hookwright.schema_bundle`` writes them again after a schema changes (``--check`` only says
whether they are current); hookwright.schema_inlining makes each copy.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from hookwright import schema_registry
from hookwright.schema_inlining import bundle, top_level

BUNDLED = "bundled"


def render(name: str) -> str:
    return json.dumps(bundle(name), indent=2) + "\n"


def expected() -> dict[str, str]:
    """File name -> text of every bundled copy that should ship."""
    names = [n for n in schema_registry.schema_names() if top_level(n)]
    return {f"{n}{schema_registry.SCHEMA_SUFFIX}": render(n) for n in names}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hookwright.schema_bundle", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report bundled copies that are stale")
    parser.add_argument("--out", type=Path, help="folder to write (default: schemas/bundled/)")
    args = parser.parse_args(argv)
    from importlib import resources

    out = args.out or Path(str(resources.files("hookwright.schemas"))) / BUNDLED
    stale = []
    for file, text in expected().items():
        path = out / file
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(file)
            if not args.check:
                out.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    for file in stale:
        print(f"{'stale' if args.check else 'wrote'}: {out / file}", file=sys.stderr)
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    raise SystemExit(main())
