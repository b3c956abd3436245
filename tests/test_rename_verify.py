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
    assert "5 sites, 1 unsure included on 3 lines in 2 files" in loose.stdout


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
