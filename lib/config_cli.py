"""``hookwright config``: the effective configuration, after defaults and the user's file."""

from __future__ import annotations

import argparse
import json

from hookwright import config, output
from hookwright.git import Repo


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", "-c", help="config file (default: .hookwright.yaml or pyproject.toml)")
    parser.add_argument("--format", "-f", choices=("yaml", "json"), default="yaml")


def run_from_args(args: argparse.Namespace) -> int:
    repo = Repo.discover()
    cfg = config.load(repo.root, args.config, repo.state_dir / "cache")
    data = {"source": cfg.source, **cfg.data}
    if args.format == "json":
        output.write(json.dumps(data, indent=2) + "\n")
    else:
        import yaml

        output.write(yaml.safe_dump(data, sort_keys=False))
    return 0
