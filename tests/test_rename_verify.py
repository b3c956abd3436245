"""`hookwright refactor rename`: what proves a rename, what the summary counts, why a site is unsure."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import files_of, git, run_cli, write

PROJECT = {
    "shop/__init__.py": "",
    "shop/cart.py": (
        "class Cart:\n"
        "    def total(self):\n"
        "        return 1\n"
        "\n"
        "    def twice(self):\n"
        "        return self.total() + self.total()\n"
        "\n"
        "\n"
        "class Receipt:\n"
        "    total = 0\n"
    ),
    "shop/use.py": (
        "from shop.cart import Cart\n"
        "\n"
        "\n"
        "def bill(cart, table: dict):\n"
        "    return Cart().total(), cart.total(), table.get('sum')\n"
    ),
}
TEST = "from shop.use import bill\n\n\ndef test_bill():\n    assert bill(__import__('shop.cart').cart.Cart(), {})[0] == 1\n"


@pytest.fixture
def shop(committed_repo: Path) -> Path:
    for path, text in PROJECT.items():
        write(committed_repo / path, text)
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "shop")
    return committed_repo


def test_a_rename_nothing_verified_is_kept_but_fails_as_not_verified(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ran = run_cli(capsys, "refactor", "rename", "shop.cart.Cart.total", "grand_total")
    assert ran.returncode == 1
    assert "renamed (NOT verified) shop.cart.Cart.total -> grand_total" in ran.stdout
    assert "no --verify-cmd and no tests found" in ran.stdout
    assert "def grand_total(self):" in (shop / "shop" / "cart.py").read_text()


def test_no_verify_accepts_it_and_the_summary_counts_sites_and_lines(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ran = run_cli(capsys, "refactor", "rename", "--dry-run", "shop.cart.Cart.total", "grand_total")
    assert ran.returncode == 0, ran.stdout
    # definition, two self.total(), Cart().total(): 4 sites on 3 lines; cart.total() stays unsure
    assert "would rename shop.cart.Cart.total -> grand_total: 4 sites on 3 lines in 2 files" in ran.stdout
    assert "1 unsure sites left alone" in ran.stdout
    assert "shop/use.py:5:33: unsure-attribute cart.total: cart is a parameter without a type" in ran.stdout
    loose = run_cli(
        capsys, "refactor", "rename", "--no-verify", "--include-unsure", "shop.cart.Cart.total", "t"
    )
    assert "5 sites, 1 unsure included on 3 lines in 2 files (no verifier run: --no-verify)" in loose.stdout


def test_the_projects_tests_verify_a_rename_and_undo_one_they_reject(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(shop / "tests" / "test_shop.py", TEST.replace("[0] == 1", "[1] == 1"))
    git(shop, "add", ".")
    git(shop, "commit", "-qm", "tests")
    before = files_of(shop)
    ran = run_cli(capsys, "refactor", "rename", "shop.cart.Cart.total", "grand_total")
    assert ran.returncode == 1, ran.stdout
    assert "rolled back shop.cart.Cart.total" in ran.stdout  # cart.total() was unsure: the test fails
    assert files_of(shop) == before
    ran = run_cli(capsys, "refactor", "rename", "--include-unsure", "shop.cart.Cart.total", "grand_total")
    assert ran.returncode == 0, ran.stdout
    assert "table.get('sum')" in (shop / "shop" / "use.py").read_text(), "a dict's get is not ours"


def test_tests_that_fail_anyway_prove_nothing(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(shop / "tests" / "test_shop.py", "def test_broken():\n    assert False\n")
    before = files_of(shop)
    ran = run_cli(capsys, "refactor", "rename", "shop.cart.Cart.twice", "double")
    assert ran.returncode == 1
    assert "fails without the rename too" in ran.stdout
    assert files_of(shop) == before


PLUGGY_LIKE = {
    "pluggy/__init__.py": "from pluggy.manager import PluginManager\n",
    "pluggy/manager.py": (
        "class PluginManager:\n    def add_hookspecs(self, module):\n        return module\n\n"
        "    def count_specs(self):\n        return 0\n\n    def get(self, name):\n        return name\n"
    ),
    "conftest.py": "",
    "tests/test_manager.py": (
        "from pluggy import PluginManager\n\n\ndef test_add():\n"
        "    assert PluginManager().add_hookspecs(1) == 1\n    assert PluginManager().count_specs() == 0\n"
    ),
}


@pytest.fixture
def pluggy_like(committed_repo: Path) -> Path:
    """A repository whose package is one that the installed pytest itself imports and calls."""
    for path, text in PLUGGY_LIKE.items():
        write(committed_repo / path, text)
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "pluggy-like")
    return committed_repo


def test_a_name_pytest_itself_calls_is_refused_before_anything_is_written(
    pluggy_like: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = files_of(pluggy_like)
    ran = run_cli(capsys, "refactor", "rename", "pluggy.manager.PluginManager.add_hookspecs", "add_specs")
    assert ran.returncode == 2
    assert "pytest, which would run the tests that verify this rename, calls add_hookspecs" in ran.stderr
    assert "_pytest/" in ran.stderr, "the places in pytest's source are named"
    assert files_of(pluggy_like) == before


@pytest.mark.parametrize(
    ("old", "args", "warned"),
    [
        pytest.param(
            "pluggy.manager.PluginManager.add_hookspecs", ("--no-verify",), True, id="no-verify-warns"
        ),
        pytest.param("pluggy.manager.PluginManager.get", ("--no-verify",), True, id="a-dict-name-only-warns"),
        pytest.param("pluggy.manager.PluginManager.count_specs", (), False, id="a-name-pytest-never-calls"),
    ],
)
def test_a_name_pytest_may_call_is_reported_up_front_otherwise(
    pluggy_like: Path, capsys: pytest.CaptureFixture[str], old: str, args: tuple[str, ...], warned: bool
) -> None:
    ran = run_cli(capsys, "refactor", "rename", "--dry-run", *args, old, "renamed_one")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ("unverifiable" in ran.stdout) is warned, ran.stdout


def test_a_finding_the_file_had_before_is_not_new_under_the_new_name(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # jmespath/__init__.py re-exports Options with an import ruff calls unused (F401); renamed, the
    # same finding names SearchOptions, and it was rolled back as a new problem
    write(shop / "shop" / "__init__.py", "from shop.cart import Receipt\n")
    git(shop, "commit", "-qam", "re-export")
    ran = run_cli(capsys, "refactor", "rename", "--no-verify", "shop.cart.Receipt", "Slip")
    assert ran.returncode == 0, ran.stdout
    assert "renamed shop.cart.Receipt -> Slip" in ran.stdout
    assert (shop / "shop" / "__init__.py").read_text() == "from shop.cart import Slip\n"


def test_a_finding_counts_once_under_either_name() -> None:
    from hookwright.refactor.edit_checks import _new
    from hookwright.reporting import Finding

    def f401(name: str) -> Finding:
        return Finding("a.py", 1, 1, "F401", f"`{name}` imported but unused")

    renamed = ("Receipt", "Slip")
    # the one finding before, carried over by the rename, and one more naming Slip: that one is new
    assert _new([f401("a.Slip"), f401("b.Slip")], [f401("a.Receipt")], renamed) == [f401("b.Slip")]
    # an unrelated Receipt the rename left alone is still the finding it was
    assert _new([f401("x.Receipt")], [f401("x.Receipt")], renamed) == []
    # a longer name that only contains Receipt is another name
    assert _new([f401("a.Slip")], [f401("a.OldReceipt")], renamed) == [f401("a.Slip")]
