"""Every output format by name: what `digest` and `search` print and `e` in the reader saves."""

from __future__ import annotations

from collections.abc import Sequence

from arxiv_tui.core.output.digest import Heading, Item, to_bibtex, to_grouped_bibtex, to_json, to_markdown
from arxiv_tui.core.output.reference_formats import to_csv, to_ris

FORMATS = ("markdown", "json", "bibtex", "ris", "csv")
EXTENSIONS = {"markdown": "md", "json": "json", "bibtex": "bib", "ris": "ris", "csv": "csv"}


def for_a_file(fmt: str, text: str) -> str:
    """What a file of `fmt` holds: a CSV file starts with the UTF-8 byte order mark, without which
    Excel reads its accents as Latin-1 (printed to a pipe, it has none)."""
    return "\ufeff" + text if fmt == "csv" else text


def render(
    fmt: str,
    heading: Heading,
    items: Sequence[Item],
    groups: Sequence[str] | None = None,
    abstracts: bool = False,
) -> str:
    """`items` in one of FORMATS; `groups` (include terms) make sections in Markdown, JSON and
    BibTeX. RIS and CSV have no sections: each record carries its keywords (CSV: `matched`).
    `abstracts`: BibTeX entries carry the abstract too (the other formats always do)."""
    if fmt == "json":
        return to_json(items, groups)
    if fmt == "bibtex":
        said = "".join(f"% {' '.join(line.split())}\n" for line in heading.note.splitlines())
        entries = (
            to_bibtex(items, abstracts) if groups is None else to_grouped_bibtex(items, groups, abstracts)
        )
        return f"{said}\n{entries}" if said else entries
    if fmt == "ris":
        return to_ris(items)
    if fmt == "csv":
        return to_csv(items)
    return to_markdown(heading, items, groups)
