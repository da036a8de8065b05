"""Where the tests look for the optional reference material, and what a skip names."""

from __future__ import annotations

from pathlib import Path

from reference import find_reference


def test_missing_material_is_named_beside_the_checkout(tmp_path: Path) -> None:
    checkout = tmp_path / "main"
    checkout.mkdir()
    assert find_reference(checkout.parent) == tmp_path / "shared" / "reference"


def test_material_is_found_beside_the_checkout_or_above(tmp_path: Path) -> None:
    (tmp_path / "shared" / "reference").mkdir(parents=True)
    worktree = tmp_path / "worktrees" / "issue-12"
    worktree.mkdir(parents=True)
    assert find_reference(worktree.parent) == tmp_path / "shared" / "reference"
