"""Write the README's generated parts: the key table from the command registry
(arxiv_tui/tui/commands.py), and the layout from each package's and module's docstring.

Run: python scripts/update_readme.py    (tests/test_readme.py fails until the README matches)
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from arxiv_tui.tui.commands import readme_table  # noqa: E402

README = ROOT / "README.md"
WIDTH = 30  # the column where a line's summary starts
SUMMARY = 76  # characters of a summary at most


def block(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- {name}:[^\n]*-->\n).*?(\n<!-- /{name} -->)", re.DOTALL)


def summary(path: Path) -> str:
    """The first sentence of a module's docstring, one line."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    text = " ".join(doc.split())
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    if len(first) <= SUMMARY:
        return first
    clause = max(first.rfind(mark, 0, SUMMARY) for mark in (": ", "; ", ", ", " ("))
    return (first[:clause] if clause > SUMMARY // 2 else first[: SUMMARY - 1].rstrip()) + "…"


def _line(depth: int, name: str, text: str) -> str:
    head = "  " * depth + name
    return f"{head:<{WIDTH}}{text}".rstrip() if len(head) < WIDTH else f"{head}  {text}"


def tree(folder: Path, depth: int = 0, modules: bool = True) -> list[str]:
    """A package and what it holds, one line each: subpackages after its modules."""
    lines = [_line(depth, folder.name + "/", summary(folder / "__init__.py"))]
    if modules:
        for path in sorted(folder.glob("*.py")):
            if path.name != "__init__.py":
                lines.append(_line(depth + 1, path.name, summary(path)))
    for sub in sorted(path for path in folder.iterdir() if (path / "__init__.py").exists()):
        lines += tree(sub, depth + 1, modules)
    return lines


def layout() -> str:
    lines = tree(ROOT / "arxiv_tui")
    for folder in ("tests", "benchmarks", "scripts"):
        lines.append(_line(0, folder + "/", summary(ROOT / folder / "__init__.py")))
    return "```\n" + "\n".join(lines) + "\n```"


def updated(text: str) -> str:
    for name, made in (("keys", readme_table()), ("layout", layout())):
        found = block(name).search(text)
        if found is None:
            raise SystemExit(f"README.md has no <!-- {name}: --> ... <!-- /{name} --> block")
        text = text[: found.start()] + found.group(1) + made + found.group(2) + text[found.end() :]
    return text


if __name__ == "__main__":
    README.write_text(updated(README.read_text(encoding="utf-8")), encoding="utf-8")
    print("README.md: key table and layout written")
