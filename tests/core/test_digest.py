"""The three renderings, on real papers and on hostile ones."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from arxiv_tui.core.matching.match import Matcher, MatchResult
from arxiv_tui.core.matching.views import filter_listing
from arxiv_tui.core.models import Listing, Paper
from arxiv_tui.core.output.digest import (
    Heading,
    Item,
    escape_markdown,
    to_bibtex,
    to_json,
    to_markdown,
)
from arxiv_tui.core.sources.parse import parse_feed
from tests.conftest import fixture_bytes


@functools.cache
def quant_ph():
    return parse_feed(fixture_bytes("rss-quant-ph-2025-04-28.xml")).papers


def select(papers, matcher: Matcher, include_replacements: bool = False) -> list[tuple[Paper, MatchResult]]:
    """The matched papers and why, as the reader and `digest` choose them."""
    listing = Listing(dt.date(2025, 4, 28), tuple(papers))
    return [(row.paper, row.match) for row in filter_listing(listing, matcher, include_replacements).matched]


def test_matching_hides_replacements_unless_asked():
    papers = quant_ph()
    assert len(papers) == 81
    matcher = Matcher(["entanglement"])
    matched = select(papers, matcher)
    assert matched and all(not paper.is_replacement for paper, _ in matched)
    with_replacements = select(papers, matcher, include_replacements=True)
    assert len(with_replacements) > len(matched)
    assert any(paper.is_replacement for paper, _ in with_replacements)


def test_markdown_digest_has_heading_keywords_and_each_paper():
    papers = quant_ph()
    items = [Item(p, r.terms) for p, r in select(papers, Matcher(["entanglement"], ["photonic"]))]
    text = to_markdown(
        Heading("arXiv digest: Mon 28 Apr 2025", ["quant-ph"], ["entanglement"], ["photonic"], 81), items
    )
    assert text.startswith("# arXiv digest: Mon 28 Apr 2025\n")
    assert "- **Keywords:** `entanglement`" in text and "- **Excluded:** `photonic`" in text
    assert f"- **Papers:** {len(items)} of 81 announced" in text
    assert text.count("\n### ") == len(items)
    first = items[0].paper
    assert f"[pdf](https://arxiv.org/pdf/{first.id})" in text
    assert "**Matched:** `entanglement`" in text


def test_grouped_markdown_has_one_section_per_keyword():
    papers = quant_ph()
    matcher = Matcher(["entanglement", "qubit", "nothing-matches-this"])
    items = [Item(p, r.terms) for p, r in select(papers, matcher)]
    text = to_markdown(Heading("x", include=matcher_terms(matcher)), items, groups=matcher_terms(matcher))
    sections = re.findall(r"^## (.+) \((\d+)\)$", text, re.MULTILINE)
    assert [name for name, _ in sections] == ["entanglement", "qubit"]  # no empty section
    assert text.rstrip().endswith("No papers matched `nothing-matches-this` this time.")


def matcher_terms(matcher):
    return [term.text for term in matcher.include]


def test_hostile_text_cannot_become_markdown_structure():
    papers = parse_feed(fixture_bytes("hostile-rss-synthetic.xml")).papers
    text = to_markdown(Heading("x"), [Item(p) for p in papers])
    assert r"\[bold red\]x\[/\]" in text
    assert "<script>" not in text and r"\<script\>" in text
    assert escape_markdown("*a* _b_ `c` # | ~ &amp;") == r"\*a\* \_b\_ \`c\` \# \| \~ \&amp;"


def test_json_has_every_documented_field_and_stays_valid_on_hostile_text():
    papers = parse_feed(fixture_bytes("hostile-rss-synthetic.xml")).papers + quant_ph()[:3]
    data = json.loads(to_json([Item(p, ("x",), read=True, starred=False) for p in papers]))
    expected = {
        "id", "version", "title", "authors", "abstract", "categories", "primary_category",
        "announce_type", "listing_date", "comments", "journal_ref", "doi", "matched", "links",
        "read", "starred",
    }  # fmt: skip
    assert all(expected <= set(entry) for entry in data)
    assert data[0]["title"] == "[bold red]x[/] and [link=file:///etc/passwd]click[/link]"
    assert data[2]["links"]["pdf"] == f"https://arxiv.org/pdf/{data[2]['id']}"
    assert data[2]["listing_date"] == "2025-04-28" and data[2]["read"] is True


def test_bibtex_entries_are_arxiv_style_and_escaped():
    papers = parse_feed(fixture_bytes("hostile-rss-synthetic.xml")).papers + quant_ph()[:2]
    text = to_bibtex([Item(p) for p in papers])
    assert text.count("@misc{") == 4
    assert "archivePrefix = {arXiv}" in text and "eprint        = {2504.17830}" in text
    assert "primaryClass  = {quant-ph}" in text and "year          = {2025}" in text
    for entry in text.split("@misc")[1:]:  # braces balance in every entry (unescaped ones)
        bare = re.sub(r"\\[{}]", "", entry)
        assert bare.count("{") == bare.count("}")


def parse_bibtex(text: str) -> list[dict[str, str]]:
    import bibtexparser
    from bibtexparser.bparser import BibTexParser

    parser = BibTexParser(common_strings=False, ignore_nonstandard_types=False)
    return bibtexparser.loads(text, parser=parser).entries


def test_a_bibtex_parser_reads_every_entry_of_a_real_listing_back():
    papers = quant_ph()
    entries = parse_bibtex(to_bibtex([Item(p) for p in papers]))
    assert len(entries) == len(papers) == 81
    by_key = {entry["ID"]: entry for entry in entries}
    for paper in papers:
        entry = by_key[f"arXiv:{paper.id}"]
        assert entry["ENTRYTYPE"] == "misc" and entry["eprint"] == paper.id
        assert entry["author"].count(" and ") == len(paper.authors) - 1
        assert {"title", "year", "archiveprefix", "primaryclass", "url"} <= set(entry)


@settings(deadline=None, max_examples=80)
@given(st.text(max_size=200), st.lists(st.text(max_size=40), min_size=1, max_size=4))
def test_any_title_and_authors_stay_inside_their_bibtex_fields(title, authors):
    from arxiv_tui.core.models import Paper

    paper = Paper(
        id="2401.00001", version=1, title=title, authors=tuple(authors), abstract="", categories=("cs.CL",)
    )
    entries = parse_bibtex(to_bibtex([Item(paper), Item(quant_ph()[0])]))
    assert [entry["ID"] for entry in entries] == ["arXiv:2401.00001", f"arXiv:{quant_ph()[0].id}"]
    assert set(entries[0]) == {
        "ID",
        "ENTRYTYPE",
        "title",
        "author",
        "year",
        "eprint",
        "archiveprefix",
        "primaryclass",
        "url",
    }


def test_bibtex_carries_doi_journal_and_on_request_the_abstract():
    api = parse_feed(fixture_bytes("api-query-all-testing-start0-max100-2026-04-12.xml")).papers
    papers = [p for p in api if p.doi and p.journal_ref][:3]
    assert len(papers) == 3
    plain = parse_bibtex(to_bibtex([Item(p) for p in papers]))
    assert all("abstract" not in entry for entry in plain)
    full = parse_bibtex(to_bibtex([Item(p) for p in papers], abstracts=True))
    for paper, entry in zip(papers, full, strict=True):
        assert " ".join(entry["abstract"].split())[:40] == " ".join(paper.abstract.split())[:40]
        assert entry["doi"] == paper.doi and entry["journal"]
