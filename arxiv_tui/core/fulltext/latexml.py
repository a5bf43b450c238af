"""The HTML arXiv builds with LaTeXML, read into a Document (document.py) with the standard
library's HTML parser: one pass, linear in the page, nothing executed or fetched.

What is read: the title, authors and abstract; each section's heading (its number kept);
paragraphs, list items, display equations with their numbers, tables cell by cell, figure and
table captions (with the picture's name); footnotes; the bibliography, with the arXiv id a
reference names; which references each block cites (by the anchor its citation links to).
Each `<math>` is read from its `alttext` (the TeX) through the TeX to Unicode conversion the
abstracts use; what it cannot convert stays TeX, between `$`. The page's head,
scripts, styles, navigation and footer are left out, as is MathML's own markup. Every piece of
text loses control and invisible characters, and sizes are bounded: the page (`MAX_BYTES`),
each block (`BLOCK_LIMIT`), the number of blocks, and how deep elements nest.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

from arxiv_tui.core.base.latex import tex_to_unicode
from arxiv_tui.core.base.text import collapse_whitespace, strip_control, truncate
from arxiv_tui.core.fulltext.document import (
    EQUATION,
    FIGURE,
    HEADING,
    ITEM,
    PARAGRAPH,
    TABLE,
    Block,
    Document,
    Reference,
)

MAX_BYTES = 20_000_000  # arXiv's largest HTML papers are a few MB; pictures are separate files
BLOCK_LIMIT = 20_000  # characters of one paragraph, caption or cell
MAX_BLOCKS = 20_000
MAX_DEPTH = 200  # elements open at once; deeper ones are read as text of their parent
SKIPPED = {"head", "script", "style", "nav", "footer", "annotation", "annotation-xml", "button", "svg"}
HEADING_LEVELS = {"ltx_title_section": 1, "ltx_title_appendix": 1, "ltx_title_subsection": 2,
                  "ltx_title_subsubsection": 3, "ltx_title_paragraph": 4}  # fmt: skip
_ARXIV_ID = re.compile(
    r"(?:ar[Xx]iv[:\s]{1,3}|arxiv\.org/(?:abs|pdf|html)/)([0-9]{4}\.[0-9]{4,5}|[a-z\-]{2,16}(?:\.[A-Z]{2})?/[0-9]{7})"
)
MAX_CITES = 200  # of one block
VOID = {"br", "img", "hr", "meta", "link", "input", "col", "wbr", "source"}


_SPACE_BEFORE_STOP = re.compile(r" ([.,;:!?)\]])")  # left by the spaces put around math


def text_of(raw: str, limit: int = BLOCK_LIMIT) -> str:
    text = _SPACE_BEFORE_STOP.sub(r"\1", collapse_whitespace(strip_control(raw)))
    return truncate(text if text.isascii() else unicodedata.normalize("NFC", text), limit)


class _Text:
    """Text being read for one block, bounded (a hostile page cannot grow it without end)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def add(self, text: str) -> None:
        if self.size < BLOCK_LIMIT * 2:
            self.parts.append(text)
            self.size += len(text)

    def __str__(self) -> str:
        return "".join(self.parts)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, set[str], str]] = []  # (tag, classes, id) of open elements
        self.skipping = 0  # depth inside an element left out
        self.title = ""
        self.authors: list[str] = []
        self.abstract = ""
        self.blocks: list[Block] = []
        self.footnotes: list[tuple[str, str]] = []
        self.references: list[Reference] = []
        self.buffer: _Text | None = None  # the text of the block being read
        self.capture = ""  # what the buffer is for
        self.capture_depth = 0
        self.table_rows: list[tuple[str, ...]] | None = None
        self.row: list[str] | None = None
        self.cell: _Text | None = None
        self.caption: _Text | None = None
        self.captions: list[_Text] = []  # of the figures open, innermost last
        self.image = ""
        self.note: _Text | None = None  # a footnote's text, read where it stands
        self.bib: str | None = None  # the anchor of the reference being read
        self.section = ""
        self.in_math = 0
        self.truncated = False
        self.cites: list[str] = []  # the references the block being read cites, by anchor

    # --- where text goes -----------------------------------------------------------------------

    def _write(self, text: str) -> None:
        for sink in (self.note, self.cell, self.caption, self.buffer):
            if sink is not None:
                sink.add(text)
                return

    def _block(self, kind: str, raw: _Text | None, **fields: object) -> None:
        text = text_of(str(raw or ""))
        cites, self.cites = tuple(dict.fromkeys(self.cites)), []
        if len(self.blocks) >= MAX_BLOCKS:
            self.truncated = True
        elif text or fields.get("rows"):
            self.blocks.append(Block(kind, text, cites=cites, **fields))  # type: ignore[arg-type]

    # --- the parser's callbacks ----------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        classes = set(values.get("class", "").split())
        if tag in VOID:
            if tag == "img" and self.caption is None and self._inside("ltx_figure"):
                self.image = values.get("src", "")[:500]
            elif tag == "br":
                self._write(" ")
            return
        if self.skipping or tag in SKIPPED or "ltx_page_footer" in classes or "ltx_TOC" in classes:
            self.skipping += 1
            return
        if len(self.stack) >= MAX_DEPTH:
            return
        self.stack.append((tag, classes, values.get("id", "")))
        if tag == "math":
            self.in_math += 1
            if self.in_math == 1:
                self._write(" " + self._math(values.get("alttext", "")) + " ")
            return
        if self.in_math:
            return
        if tag == "a" and self.capture != "bib" and len(self.cites) < MAX_CITES and self._inside("ltx_cite"):
            anchor = values.get("href", "").rpartition("#")[2]
            if anchor:
                self.cites.append(anchor[:100])
        if tag in ("section",) and values.get("id"):
            self.section = values["id"]
        if tag == "h1" and "ltx_title_document" in classes:
            self._start("title")
        elif tag.startswith("h") and classes & HEADING_LEVELS.keys():
            level = min(HEADING_LEVELS[name] for name in classes & HEADING_LEVELS.keys())
            self._start(f"heading:{level}")
        elif "ltx_personname" in classes:
            self._start("author")
        elif "ltx_abstract" in classes:
            self._start("abstract")
        elif "ltx_bibitem" in classes:
            self.bib = values.get("id", "")
            self._start("bib")
        elif "ltx_note_outer" in classes:
            self.note = _Text()
        elif "ltx_note_mark" in classes:
            if self.note is not None:  # the note repeats its mark: said once
                self._skip()
            else:
                self._write("[^")
        elif tag == "table" and classes & {"ltx_equation", "ltx_equationgroup"}:
            self._start("equation")
        elif tag == "figure" and ("ltx_table" in classes or "ltx_figure" in classes):
            self.table_rows = [] if "ltx_table" in classes else None
            self.image = ""
        elif tag == "figcaption":
            self.caption = _Text()
        elif tag == "tr" and self.table_rows is not None and self.capture != "equation":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = _Text()
        elif tag == "li" and "ltx_item" in classes and self.capture not in ("abstract", "bib"):
            if self.capture.startswith("item:"):
                self._finish("")  # the item a nested list starts in: what it said so far
            depth = sum(1 for t, _, _ in self.stack if t in ("ul", "ol"))
            self._start(f"item:{depth}")
        elif tag == "p" and "ltx_p" in classes and not self.capture:
            self._start("paragraph")
        elif "ltx_tag" in classes and ("ltx_tag_item" in classes or "ltx_tag_note" in classes):
            self._skip()  # a bullet or a footnote's own number: said another way

    def _skip(self) -> None:
        """Leave out the element just opened, and everything in it."""
        self.stack.pop()
        self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= 1
            return
        if tag in VOID or not self.stack:
            return
        index = next((i for i in range(len(self.stack) - 1, -1, -1) if self.stack[i][0] == tag), None)
        if index is None:
            return  # a stray end tag
        while len(self.stack) > index:
            self._close(*self.stack.pop())

    def _close(self, tag: str, classes: set[str], element_id: str) -> None:
        if tag == "math":
            self.in_math -= 1
            return
        if self.in_math:
            return
        if "ltx_note_mark" in classes:
            self._write("]")
        elif "ltx_note_outer" in classes and self.note is not None:
            self.footnotes.append((str(len(self.footnotes) + 1), text_of(str(self.note))))
            self.note = None
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(text_of(str(self.cell), 500))
            self.cell = None
        elif tag == "tr" and self.row is not None and self.table_rows is not None:
            if any(self.row):
                self.table_rows.append(tuple(self.row))
            self.row = None
        elif tag == "figcaption" and self.caption is not None:
            self.captions.append(self.caption)
            self.caption = None
        elif tag == "figure":
            caption = self.captions.pop() if self.captions else None
            if self.table_rows is not None:
                self._block(TABLE, caption, rows=tuple(self.table_rows), anchor=element_id)
                self.table_rows = None
            else:
                self._block(FIGURE, caption, anchor=element_id, image=self.image)
        elif self.capture and self.capture_depth == len(self.stack) + 1:
            self._finish(element_id)

    def handle_data(self, data: str) -> None:
        if not self.skipping and not self.in_math:
            self._write(data)

    # --- blocks -------------------------------------------------------------------------------

    def _start(self, capture: str) -> None:
        self._flush_paragraph()
        self.capture, self.capture_depth, self.buffer = capture, len(self.stack), _Text()

    def _flush_paragraph(self) -> None:
        if self.capture == "paragraph" and self.buffer is not None:
            self._block(PARAGRAPH, self.buffer)
            self.capture, self.buffer = "", None

    def _finish(self, element_id: str) -> None:
        raw, capture = self.buffer, self.capture
        self.capture, self.buffer = "", None
        if capture == "title":
            self.title = text_of(str(raw), 1_000)
        elif capture == "author":
            if name := text_of(str(raw), 200):
                self.authors.append(name)
        elif capture == "abstract":
            self.abstract = text_of(str(raw).replace("Abstract", "", 1), BLOCK_LIMIT)
        elif capture.startswith("heading:"):
            self._block(HEADING, raw, level=int(capture.split(":")[1]), anchor=self.section)
        elif capture.startswith("item:"):
            self._block(ITEM, raw, level=int(capture.split(":")[1]))
        elif capture == "equation":
            self._block(EQUATION, raw, anchor=element_id)
        elif capture == "paragraph":
            self._block(PARAGRAPH, raw)
        elif capture == "bib" and self.bib is not None:
            text = text_of(str(raw), 2_000)
            label, _, rest = text.partition("]")
            found = _ARXIV_ID.search(text)
            if rest and label.startswith("["):
                label, text = label + "]", rest.strip()
            else:
                label = ""
            self.references.append(Reference(self.bib, label, text, found.group(1) if found else ""))
            self.bib = None

    def _inside(self, name: str) -> bool:
        return any(name in classes for _, classes, _ in self.stack)

    @staticmethod
    def _math(tex: str) -> str:
        """Math as the abstracts show it: Unicode where the conversion is faithful, else the TeX
        between `$`."""
        return tex_to_unicode(f"${collapse_whitespace(strip_control(tex))[:2_000]}$")


def read_latexml(page: bytes | str) -> Document:
    """A LaTeXML page (as arXiv serves it) read; ValueError when it holds no paper."""
    raw = page if isinstance(page, bytes) else page.encode("utf-8", "replace")
    reader = _Reader()
    reader.feed(raw[:MAX_BYTES].decode("utf-8", "replace"))
    reader.close()
    if not reader.title and not reader.blocks:
        raise ValueError("not a LaTeXML paper: no title and no text")
    return Document(
        reader.title, tuple(reader.authors), reader.abstract, tuple(reader.blocks),
        tuple(reader.footnotes), tuple(reader.references), reader.truncated or len(raw) > MAX_BYTES,
    )  # fmt: skip
