"""arxiv_tui.core must never import textual or rich: checked in a clean interpreter."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import arxiv_tui.core


def test_core_modules_import_neither_textual_nor_rich():
    found = pkgutil.walk_packages(arxiv_tui.core.__path__, "arxiv_tui.core.")
    modules = [module.name for module in found]
    assert len(modules) >= 40 and "arxiv_tui.core.session.reader" in modules  # subpackages too
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "import arxiv_tui.cli.main\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
