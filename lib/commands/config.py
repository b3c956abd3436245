"""``hookwright config``: the effective configuration, after defaults and the user's file."""

from __future__ import annotations

import argparse
import json

from hookwright import config, output
from hookwright.git.repo import Repo


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", "-c", help="config file (default: .hookwright.yaml or pyproject.toml)")
    parser.add_argument("--format", "-f", choices=("yaml", "json"), default="yaml")


def run_from_args(args: argparse.Namespace) -> int:
    repo = Repo.discover()
    cfg = config.load(repo.root, args.config, repo.state_dir / "cache")
    # What is printed is itself a valid config (check-jsonschema and editors accept it as one); where
    # it came from is a YAML comment, which JSON cannot carry.
    if args.format == "json":
        output.write(json.dumps(cfg.data, indent=2) + "\n")
    else:
        import yaml

        output.write(f"# source: {cfg.source}\n" + yaml.safe_dump(dict(cfg.data), sort_keys=False))
    return 0
