"""RIS (Zotero, EndNote, Mendeley) and CSV (spreadsheets, scripts), beside digest.py's formats.

Both carry what the user made (note, tags, star time) with the paper. Text from the feed is
made safe for each: RIS is one line a field, so line breaks become spaces; a CSV cell that a
spreadsheet would run as a formula (=, +, -, @, tab, return at its start, after any spaces)
gets a leading "'".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from arxiv_tui.core.base.text import strip_control
from arxiv_tui.core.output.digest import Item, bare_name, type_label, year_of

CSV_COLUMNS = (
    "id", "version", "title", "authors", "primary_category", "categories", "listing_date", "type",
    "abs_url", "pdf_url", "doi", "journal_ref", "comments", "matched", "read", "starred",
    "starred_at", "note", "tags", "abstract",
)  # fmt: skip
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _one_line(text: str) -> str:
    return " ".join(strip_control(text).split())


def ris_name(name: str) -> str:
    """ "Yi-Jen Shih (MIT)" -> "Shih, Yi-Jen": RIS wants the family name first."""
    parts = _one_line(bare_name(name)).split()
    if len(parts) < 2 or "," in name:
        return " ".join(parts)
    return f"{parts[-1]}, {' '.join(parts[:-1])}"


def to_ris(items: Sequence[Item]) -> str:
    """One record a paper: a preprint (UNPB), or a journal article (JOUR) when it has a journal ref."""
    records = []
    for item in items:
        paper = item.paper
        fields = [("TY", "JOUR" if paper.journal_ref else "UNPB"), ("TI", paper.title)]
        fields += [("AU", ris_name(name)) for name in paper.authors]
        fields.append(("PY", year_of(paper)))
        if paper.listing_date:
            fields.append(("DA", f"{paper.listing_date:%Y/%m/%d}"))
        if paper.journal_ref:
            fields.append(("JO", paper.journal_ref))
        if paper.doi:
            fields.append(("DO", paper.doi))
        fields += [
            ("AN", f"arXiv:{paper.id}v{paper.version}"),
            ("DB", "arXiv"),
            ("UR", paper.abs_url),
            ("L1", paper.links.get("pdf", "")),
            ("AB", paper.abstract),
        ]
        fields += [("KW", tag) for tag in item.tags]
        if item.note:
            fields.append(("N1", item.note))
        if item.starred_at:
            fields.append(("N1", f"Starred in arxiv-tui on {item.starred_at}"))
        lines = [f"{tag}  - {value}" for tag, raw in fields if (value := _one_line(raw))]
        records.append("\n".join([*lines, "ER  - "]) + "\n")
    return "\n".join(records)


def _cell(value: object) -> str:
    text = strip_control(str(value))
    return "'" + text if text.lstrip(" ").startswith(FORMULA_START) else text


def to_csv(items: Sequence[Item]) -> str:
    """A header row, then one row a paper; lists (authors, tags) joined with "; "."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        paper = item.paper
        # The id as text: "2411.17900" would be the number 2411.179 in a spreadsheet.
        row = (
            f"arXiv:{paper.id}", paper.version, paper.title, "; ".join(paper.authors), paper.primary_category,
            " ".join(paper.categories), paper.listing_date.isoformat() if paper.listing_date else "",
            type_label(paper), paper.abs_url, paper.links.get("pdf", ""), paper.doi or "",
            paper.journal_ref or "", paper.comments or "", "; ".join(item.matched),
            "yes" if item.read else "no", "yes" if item.starred else "no", item.starred_at, item.note,
            "; ".join(item.tags), paper.abstract,
        )  # fmt: skip
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()
