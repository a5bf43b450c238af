"""A paper's full text from the HTML arXiv builds with LaTeXML: our own LaTeX paper converted by
LaTeXML (tests/fixtures/fulltext/), the real arXiv page in ../shared, and hostile pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from arxiv_tui.core.fulltext.document import EQUATION, FIGURE, HEADING, ITEM, TABLE, to_markdown
from arxiv_tui.core.fulltext.latexml import BLOCK_LIMIT, read_latexml
from tests.conftest import FIXTURES

SAMPLE = FIXTURES / "fulltext" / "fulltext-sample.html"
REAL = (
    Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "fulltext" / "arxiv-html-2501.11120v1.html"
)


def sample():
    return read_latexml(SAMPLE.read_bytes())


def test_the_paper_is_read_in_order_with_its_outline_lists_and_math():
    paper = sample()
    assert paper.title == "Listening Slowly: A Small Test Paper for a Terminal Reader"
    assert paper.authors == ("Ada Example", "Bo Sample")
    assert paper.abstract == "We describe a tiny model of speech that converges in O(nlog n) steps."
    assert [(b.level, b.text, b.anchor) for b in paper.outline] == [
        (1, "1 Introduction", "S1"), (1, "2 Method", "S2"), (2, "2.1 Data", "S2.SS1"), (1, "3 Results", "S3"),
    ]  # fmt: skip
    first = next(b.text for b in paper.blocks if b.text.startswith("Speech synthesis"))
    assert "[1, 2]" in first  # the citations, as the paper numbers them
    assert "L=∑ᵢ₌₁ⁿ(yᵢ-ŷᵢ)²" in first and "α≤ 0.5.[^1]" in first  # math from alttext; the footnote
    items = [b.text for b in paper.blocks if b.kind == ITEM]
    assert items == [
        "the model is small;", "it is fast, see Section 3;", "it is honest.",
        "First, the loss falls below 10⁻³.", "Second, nothing else happens.",
    ]  # fmt: skip
    (equation,) = [b for b in paper.blocks if b.kind == EQUATION]
    assert equation.text == "wₜ₊₁=wₜ-η∇_wL(wₜ). (1)" and equation.anchor == "S2.E1"


def test_tables_figures_footnotes_and_references_keep_what_a_reader_needs():
    paper = sample()
    (table,) = [b for b in paper.blocks if b.kind == TABLE]
    assert table.rows == (("Split", "Hours", "Speakers"), ("train", "10.5", "40"), ("test", "1.2", "8"))
    assert table.text == "Table 1: The data, by split."
    (figure,) = [b for b in paper.blocks if b.kind == FIGURE]
    assert figure.text == "Figure 1: The training loss over 10⁴ steps." and figure.image == "curve.png"
    assert paper.footnotes == (("1", "A footnote with a reason: the rate must stay small."),)
    assert [(r.anchor, r.label, r.arxiv_id) for r in paper.references] == [
        ("bib.bib1", "[1]", "1706.03762"), ("bib.bib2", "[2]", ""), ("bib.bib3", "[3]", "1412.6980"),
    ]  # fmt: skip
    assert paper.references[1].text.startswith("G. Hinton et al. Deep neural networks")


def test_each_citation_resolves_to_the_reference_it_links_to():
    paper = sample()
    first = next(b for b in paper.blocks if b.text.startswith("Speech synthesis"))
    assert [r.label for r in paper.cited(first.cites)] == ["[1]", "[2]"]
    cited = [anchor for block in paper.blocks for anchor in block.cites]
    assert sorted(set(cited)) == [r.anchor for r in paper.references]  # each cited, each resolved
    assert paper.cited(["bib.bib3", "nowhere", "bib.bib3"]) == [paper.references[2]]


def test_the_markdown_has_the_papers_structure_and_nothing_else():
    markdown = to_markdown(sample())
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [
        "Listening Slowly: A Small Test Paper for a Terminal Reader", "Abstract", "1 Introduction",
        "2 Method", "2.1 Data", "3 Results", "Footnotes", "References",
    ]  # fmt: skip
    assert sum(1 for t in tokens if t.type == "table_open") == 1
    items = sum(1 for t in tokens if t.type == "list_item_open")
    assert items == 5 + 1 + 3  # the paper's items, the footnote, the references
    assert "    wₜ₊₁=wₜ-η∇_wL(wₜ). (1)" in markdown.splitlines()


def test_the_real_arxiv_page_is_read_whole():
    if not REAL.exists():
        pytest.skip("../shared/fixtures is not here")
    paper = read_latexml(REAL.read_bytes())
    assert paper.title == "Tell me about yourself: LLMs are aware of their learned behaviors"
    sections = [b.text for b in paper.outline if b.level == 1]
    assert sections[:3] == ["1 Introduction", "2 Out-of-context reasoning", "3 Awareness of behaviors"]
    assert len(paper.references) == 48 and len(paper.footnotes) == 6
    assert sum(1 for r in paper.references if r.arxiv_id) >= 30  # "arXiv:ID" and arxiv.org/abs/ID links
    cited = [anchor for block in paper.blocks for anchor in block.cites]
    assert len(cited) >= 80 and len(paper.cited(cited)) == 48  # every citation finds its reference
    assert sum(1 for b in paper.blocks if b.kind == FIGURE) >= 30
    assert sum(1 for b in paper.blocks if b.kind == TABLE) >= 10
    text = " ".join(b.text for b in paper.blocks)
    assert "Generated" not in text and "by LaTeXML" not in text  # the page's footer, not the paper
    assert all(ch.isprintable() for ch in text)


def test_a_hostile_page_stays_text_and_bounded():
    """50,000 nested elements, a paragraph five times the limit: read in one linear pass (the
    suite's 60 s timeout is the bound; no timing is asserted)."""
    nested = "<div>" * 50_000 + "deep" + "</div>" * 50_000
    page = (
        "<html><head><script>alert(1)</script><style>p{}</style></head><body>"
        '<article class="ltx_document"><h1 class="ltx_title ltx_title_document">T\u202eitle\x07</h1>'
        '<section id="S1" class="ltx_section"><h2 class="ltx_title ltx_title_section"># Not a heading</h2>'
        '<p class="ltx_p">[click](javascript:alert(1)) <b>bold</b> '
        '<math alttext="\\evil{" display="inline"><mi>x</mi></math> ' + "A" * (BLOCK_LIMIT * 5) + "</p>"
        f"{nested}<nav>Table of contents</nav></section></article></body></html>"
    )
    paper = read_latexml(page.encode())
    assert paper.title == "Title"  # the bidi override and the bell are gone
    paragraph = next(b.text for b in paper.blocks if b.text.startswith("[click]"))
    assert len(paragraph) <= BLOCK_LIMIT and "$\\evil{$" in paragraph  # unconvertible TeX stays TeX
    assert "alert(1)" not in paragraph.replace("javascript:alert(1)", "")  # the script's text is not read
    assert not any("Table of contents" in b.text for b in paper.blocks)
    markdown = to_markdown(paper)
    tokens = MarkdownIt("commonmark").parse(markdown)
    assert [t.type for t in tokens if t.type in ("link_open", "html_inline", "html_block")] == []
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == ["Title", "\\# Not a heading"]  # the page's "#" is text, not a heading of its own


def test_a_page_that_is_not_a_paper_is_said_to_be_one():
    with pytest.raises(ValueError, match="not a LaTeXML paper"):
        read_latexml(b"<html><body><h1>Not Found</h1></body></html>")


def test_outline_blocks_are_headings_in_order():
    paper = sample()
    assert all(block.kind == HEADING for block in paper.outline)
    positions = [paper.blocks.index(block) for block in paper.outline]
    assert positions == sorted(positions)
