"""A paper's full text as the reader shows it: blocks in reading order (headings, paragraphs,
list items, display equations, tables, figure and table captions), the footnotes, the
references, and an outline of the sections. Plain text throughout: nothing in it is markup.

`to_markdown` writes it as Markdown for `arxiv-tui read` and for notes; every piece of text from
the paper is escaped there, so a paper cannot add structure of its own. `to_json`/`from_json`
keep it in the library (a stored text that does not read back is refused with ValueError, and
fetched again).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

HEADING, PARAGRAPH, ITEM, EQUATION, TABLE, FIGURE = (
    "heading",
    "paragraph",
    "item",
    "equation",
    "table",
    "figure",
)


class Block(NamedTuple):
    kind: str
    text: str  # a heading's title, a paragraph, an item, an equation, a caption
    level: int = 0  # a heading's depth (1: section); an item's nesting
    anchor: str = ""  # the id a link or the outline jumps to ("S2", "S2.T1")
    rows: tuple[tuple[str, ...], ...] = ()  # a table's cells, row by row (the header first)
    image: str = ""  # a figure's picture, as the page names it (relative to the page)
    cites: tuple[str, ...] = ()  # the anchors of the references it cites, in order


class Reference(NamedTuple):
    anchor: str  # "bib.bib3": what a citation links to
    label: str  # "[3]", as the paper numbers it
    text: str
    arxiv_id: str = ""  # when the reference names an arXiv paper: it opens in the reader


class Document(NamedTuple):
    title: str
    authors: tuple[str, ...]
    abstract: str
    blocks: tuple[Block, ...]
    footnotes: tuple[tuple[str, str], ...]  # (mark, text)
    references: tuple[Reference, ...]
    truncated: bool = False  # the page was larger than we read: the rest is left out, and said

    @property
    def outline(self) -> list[Block]:
        return [block for block in self.blocks if block.kind == HEADING]

    @property
    def body_text(self) -> str:
        """What `body:` searches: the text after the abstract (the title, authors and abstract
        are the paper's own row in the index), its tables, footnotes and references."""
        parts = [block.text for block in self.blocks]
        parts += [cell for block in self.blocks for row in block.rows for cell in row]
        parts += [note for _, note in self.footnotes] + [reference.text for reference in self.references]
        return "\n".join(parts)

    def cited(self, anchors: Iterable[str]) -> list[Reference]:
        """The references `anchors` cite, each once, in the order cited (an anchor that names
        no reference is left out)."""
        by_anchor = {reference.anchor: reference for reference in self.references}
        return [by_anchor[anchor] for anchor in dict.fromkeys(anchors) if anchor in by_anchor]


class StoredText(NamedTuple):
    """A full text as the library keeps it."""

    version: int  # the version of the paper it is the text of
    document: Document
    position: int  # the block the reader last had at the top


def to_json(document: Document) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def from_json(text: str) -> Document:
    """A Document as `to_json` wrote it; ValueError when it is not one (a damaged row)."""
    from arxiv_tui.core.base.text import json_value

    try:
        title, authors, abstract, blocks, footnotes, references, truncated = json_value(text, depth=6)
        return Document(
            str(title), tuple(map(str, authors)), str(abstract),
            tuple(Block(str(k), str(t), int(lv), str(a), tuple(tuple(map(str, r)) for r in rows), str(i),
                        tuple(map(str, c)))
                  for k, t, lv, a, rows, i, c in blocks),
            tuple((str(mark), str(note)) for mark, note in footnotes),
            tuple(Reference(*map(str, reference)) for reference in references),
            bool(truncated),
        )  # fmt: skip
    except (TypeError, ValueError) as error:
        raise ValueError(f"not a stored full text ({error})") from None


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#|!~$])")  # one class: linear


def escape(text: str) -> str:
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return re.sub(r"^([0-9]+)\. ", r"\1\\. ", re.sub(r"^([+=-])", r"\\\1", text))


def to_markdown(document: Document) -> str:
    return _written(document, plain=False)


def to_plain(document: Document) -> str:
    """The same as plain text: no escapes, no Markdown signs but list dashes; tables' cells
    between `|`, paragraphs one a line (for a pipe, a diff or a word count)."""
    return _written(document, plain=True)


def _written(document: Document, plain: bool) -> str:
    mark = (lambda text: text) if plain else escape

    def heading(level: int, text: str) -> list[str]:
        return [text if plain else f"{'#' * min(level, 6)} {escape(text)}", ""]

    lines = [*heading(1, document.title)]
    if document.authors:
        lines += [mark(", ".join(document.authors)), ""]
    if document.abstract:
        lines += [*heading(2, "Abstract"), mark(document.abstract), ""]
    for block in document.blocks:
        if block.kind != ITEM and lines[-1].startswith(("- ", "  ")):
            lines.append("")  # a list ends
        if block.kind == HEADING:
            lines += heading(block.level + 1, block.text)
        elif block.kind == ITEM:
            lines.append(f"{'  ' * max(block.level - 1, 0)}- {mark(block.text)}")
        elif block.kind == EQUATION:
            lines += ["", f"    {block.text}", ""]  # an indented block: shown as written
        elif block.kind == TABLE:
            lines += _table(block, mark, plain)
        elif block.kind == FIGURE:
            lines += [block.text if plain else f"*{escape(block.text)}*", ""]
        else:
            lines += [mark(block.text), ""]
    if document.footnotes:
        lines += heading(2, "Footnotes") + [
            f"{mark(number)}. {mark(text)}" for number, text in document.footnotes
        ]
        lines.append("")
    if document.references:
        lines += heading(2, "References")
        for reference in document.references:
            arxiv = f" (arXiv:{reference.arxiv_id})" if reference.arxiv_id else ""
            lines.append(f"- {mark(reference.label)} {mark(reference.text)}{arxiv}")
        lines.append("")
    if document.truncated:
        lines += ["(The page was longer than arxiv-tui reads; the rest is left out.)", ""]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).rstrip() + "\n"


def _table(block: Block, mark: Callable[[str], str], plain: bool) -> list[str]:
    lines = []
    if block.rows:
        width = max(len(row) for row in block.rows)
        rows = [[mark(cell) for cell in row] + [""] * (width - len(row)) for row in block.rows]
        lines += ["| " + " | ".join(rows[0]) + " |"] + ([] if plain else ["|" + "---|" * width])
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        lines.append("")
    if block.text:
        lines += [block.text if plain else f"*{escape(block.text)}*", ""]
    return lines
