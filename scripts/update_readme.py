"""Write the README's key table from the command registry (arxiv_tui/tui/commands.py).

Run: python scripts/update_readme.py    (tests/test_readme.py fails until the README matches)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from arxiv_tui.tui.commands import readme_table

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"(<!-- keys:[^\n]*-->\n).*?(\n<!-- /keys -->)", re.DOTALL)


def updated(text: str) -> str:
    if not BLOCK.search(text):
        raise SystemExit("README.md has no <!-- keys: --> ... <!-- /keys --> block")
    return BLOCK.sub(lambda found: found.group(1) + readme_table() + found.group(2), text)


if __name__ == "__main__":
    README.write_text(updated(README.read_text(encoding="utf-8")), encoding="utf-8")
    print("README.md: key table written")
