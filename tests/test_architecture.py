"""The layers of ARCHITECTURE.md, held by the imports themselves.

commands -> hooks -> capability packages -> core, never upward; a capability imports another only
where ARCHITECTURE.md's table allows it (a lower one: testing, templates, checks); a hook never imports
another hook. Lazy imports inside functions and TYPE_CHECKING blocks count the same.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CAPABILITIES = {
    "checks",
    "clones",
    "dashboard",
    "github",
    "heal",
    "refactor",
    "templates",
    "testing",
    "worktrees",
}
# Capability -> the lower capabilities it may use (ARCHITECTURE.md, "Layers").
LOWER = {
    "checks": {"testing"},
    "heal": {"testing"},
    "refactor": {"testing"},
    "clones": {"templates"},
    "worktrees": {"checks"},
}
CORE_PACKAGES = {"git"}  # a package of the core layer: everything may use it


def unit_of(module: str) -> str:
    """``hookwright.clones.index`` -> ``clones``; a top-level core module -> ``core``."""
    parts = module.split(".")
    if len(parts) < 2:
        return "core"
    head = parts[1]
    if head in ("hooks", "commands") or head in CAPABILITIES:
        return head
    return "core"


def module_name(path: Path) -> str:
    relative = path.relative_to(ROOT)
    if relative.parts[0] == "hooks":
        return "hookwright.hooks." + path.stem
    inner = relative.relative_to("lib").with_suffix("").parts
    inner = inner[:-1] if inner[-1] == "__init__" else inner
    return ".".join(("hookwright", *inner))


def imported(source: str, package_dirs: set[str]) -> set[str]:
    """Every ``hookwright...`` module a source imports, ``from hookwright import x`` resolved to x."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("hookwright."))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "hookwright":
                found.update(f"hookwright.{a.name}" for a in node.names)
            elif node.module.startswith("hookwright."):
                found.add(node.module)
                if node.module.removeprefix("hookwright.") in package_dirs:
                    found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def allowed(source: str, target: str) -> bool:
    if target == "core" or target in CORE_PACKAGES or source == target:
        return target != "hooks" or source == "commands"
    if source == "commands":
        return True
    if source == "hooks":
        return target in CAPABILITIES
    if source in CAPABILITIES:
        return target in LOWER.get(source, set())
    return False  # core imports nothing above it


def violations() -> list[str]:
    package_dirs = {"hooks", "checks", "commands", *CAPABILITIES, *CORE_PACKAGES}
    found = []
    files = [*(ROOT / "lib").rglob("*.py"), *(ROOT / "hooks").glob("*.py")]
    for path in sorted(files):
        if "pytest_plugin" in path.parts or path.name == "__main__.py":
            continue  # runs inside the user's pytest / is the entry point itself
        name = module_name(path)
        source_unit = unit_of(name)
        for target in imported(path.read_text(encoding="utf-8"), package_dirs):
            target_unit = unit_of(target)
            if source_unit == "hooks" and target_unit == "hooks" and target != name:
                if target != "hookwright.hooks":
                    found.append(f"{name} -> {target} (a hook imports another hook)")
                continue
            if not allowed(source_unit, target_unit):
                found.append(f"{name} -> {target} ({source_unit} may not import {target_unit})")
    return found


def test_every_import_follows_the_layers() -> None:
    assert violations() == []


@pytest.mark.parametrize(
    ("source", "target", "ok"),
    [
        ("commands", "hooks", True),
        ("hooks", "commands", False),
        ("hooks", "heal", True),
        ("heal", "hooks", False),
        ("core", "heal", False),
        ("heal", "refactor", False),
        ("clones", "templates", True),
        ("templates", "clones", False),
        ("checks", "testing", True),
        ("testing", "checks", False),
        ("worktrees", "checks", True),
        ("checks", "worktrees", False),
        ("core", "core", True),
    ],
)
def test_the_rule_itself(source: str, target: str, ok: bool) -> None:
    # The checker must be able to fail: a forbidden edge is refused, an allowed one is not.
    assert allowed(source, target) is ok


def test_lazy_and_type_checking_imports_count() -> None:
    source = "def f():\n    from hookwright.clones import index\nif TYPE_CHECKING:\n    import hookwright.heal.engine\n"
    assert imported(source, {"clones"}) == {
        "hookwright.clones",
        "hookwright.clones.index",
        "hookwright.heal.engine",
    }


def test_every_core_module_is_type_checked_strictly() -> None:
    # setup.cfg lists the core modules mypy checks strictly; a new one must not slip in unchecked.
    import configparser

    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    strict = next(s for s in parser.sections() if s.startswith("mypy-hookwright.") and "hooks.*" in s)
    listed = set(strict.removeprefix("mypy-").split(","))
    assert parser.getboolean(strict, "disallow_untyped_defs")
    core = {
        f"hookwright.{p.stem}" for p in (ROOT / "lib").glob("*.py") if p.stem not in ("__init__", "__main__")
    }
    assert core - listed == set()
