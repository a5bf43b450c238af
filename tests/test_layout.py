"""The shape a newcomer reads the architecture from stays readable: small modules, small folders,
and every package saying what it holds and what it may import."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "arxiv_tui"
MOST_LINES = 400
MOST_MODULES = 15


def test_no_module_is_over_400_lines():
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MOST_LINES
    }
    assert long == {}, "split these along their seams"


def test_no_folder_holds_more_than_15_modules():
    folders = {path.parent for path in PACKAGE.rglob("*.py")}
    crowded = {
        str(folder.relative_to(PACKAGE.parent)): count
        for folder in folders
        if (count := sum(1 for path in folder.glob("*.py") if path.name != "__init__.py")) > MOST_MODULES
    }
    assert len(folders) > 10 and crowded == {}


def test_every_package_and_module_says_what_it_is_for():
    silent = [
        str(path.relative_to(PACKAGE.parent))
        for path in PACKAGE.rglob("*.py")
        if not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert silent == []
