"""The layers import one way (docs/architecture.md): a rule broken here is a design mistake
that no browser test would notice until the layers could no longer be changed apart."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUITE = ("domain", "pages", "flows", "fixtures", "e2e", "tests", "scripts")

#: For each folder, the suite's packages its modules may import (besides themselves).
ALLOWED = {
    "app": set(),
    "domain": set(),
    "pages": set(),
    "flows": {"domain", "pages"},
    "fixtures": {"domain", "pages", "flows"},
}
#: What a folder may not import even from outside the suite.
FORBIDDEN_THIRD_PARTY = {"domain": {"playwright"}, "pages": {"fixtures", "allure"}}


def imported_roots(path: Path) -> set[str]:
    """The top-level names of every module `path` imports, at any depth of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def modules_of(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("folder", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_beneath_it(folder: str) -> None:
    own = {folder}
    forbidden = (set(SUITE) - ALLOWED[folder] - own) | FORBIDDEN_THIRD_PARTY.get(folder, set())
    if folder == "app":
        forbidden |= {"playwright"}
    breaches = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & forbidden)
        for path in modules_of(folder)
        if imported_roots(path) & forbidden
    }
    assert not breaches, f"{folder}/ imports what its layer may not: {breaches}"


def test_the_import_reader_sees_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "sample.py"
    module.write_text(
        "import os\nfrom flows.jobs import create_job\n"
        "def later():\n    from fixtures.api import PlatformApi\n    import pages.base\n",
        encoding="utf-8",
    )

    assert imported_roots(module) == {"os", "flows", "fixtures", "pages"}
