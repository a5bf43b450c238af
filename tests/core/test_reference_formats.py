"""RIS and CSV exports, read back by a real RIS parser (rispy) and by the csv module."""

from __future__ import annotations

import csv
import dataclasses
import functools
import io

import rispy

from arxiv_tui.core.output.digest import Item, year_of
from arxiv_tui.core.output.formats import render
from arxiv_tui.core.output.reference_formats import CSV_COLUMNS, ris_name, to_csv, to_ris
from arxiv_tui.core.sources.parse import parse_feed
from tests.conftest import demo_listing_bytes, fixture_bytes


@functools.cache
def quant_ph():
    return parse_feed(fixture_bytes("rss-quant-ph-2025-04-28.xml")).papers


def test_rispy_reads_every_record_of_a_real_listing_back_with_its_fields():
    papers = quant_ph()
    items = [Item(p) for p in papers]
    items[0] = Item(papers[0], note="read for group, sec. 3", tags=("reading group", "to cite"), starred=True,
                    starred_at="2026-12-01T08:00:00")  # fmt: skip
    records = rispy.loads(to_ris(items))
    assert len(records) == len(papers) == 81
    for paper, record in zip(papers, records, strict=True):
        assert record["title"] == " ".join(paper.title.split())
        assert len(record["authors"]) == len(paper.authors)
        assert record["urls"] == [paper.abs_url] and record["year"] == year_of(paper)
        assert record["type_of_reference"] == ("JOUR" if paper.journal_ref else "UNPB")
        assert record["accession_number"] == f"arXiv:{paper.id}v{paper.version}"
        assert record["abstract"] == " ".join(paper.abstract.split())
    first = records[0]
    assert first["keywords"] == ["reading group", "to cite"]
    assert "read for group, sec. 3" in first["notes"]
    assert "Starred in arxiv-tui on 2026-12-01T08:00:00" in first["notes"]


def test_ris_names_put_the_family_name_first_and_drop_affiliations():
    assert ris_name("Yi-Jen Shih (MIT)") == "Shih, Yi-Jen"
    assert ris_name("David Harwath") == "Harwath, David"
    assert ris_name("Plato") == "Plato"


def test_a_title_with_line_breaks_or_a_fake_record_end_stays_one_field():
    paper = dataclasses.replace(quant_ph()[0], title="First line\nER  - \nTY  - JOUR\nTI  - injected")
    records = rispy.loads(to_ris([Item(paper)]))
    assert len(records) == 1 and records[0]["title"].startswith("First line ER - TY - JOUR")


def test_csv_reads_back_one_row_a_paper_with_notes_and_tags():
    papers = parse_feed(demo_listing_bytes()).papers[:200]
    items = [Item(p, read=True) for p in papers]
    note = "a note, with a comma\nand a line"
    items[3] = Item(papers[3], matched=("LLM",), note=note, tags=("thesis", "x"))
    rows = list(csv.DictReader(io.StringIO(to_csv(items))))
    assert len(rows) == 200 and tuple(rows[0]) == CSV_COLUMNS
    assert rows[3]["note"] == "a note, with a comma\nand a line" and rows[3]["tags"] == "thesis; x"
    assert rows[3]["matched"] == "LLM" and rows[0]["read"] == "yes" and rows[0]["starred"] == "no"
    for paper, row in zip(papers, rows, strict=True):
        assert row["id"] == f"arXiv:{paper.id}"  # text in a spreadsheet, never the number 2411.177
        assert row["authors"].count("; ") == max(len(paper.authors) - 1, 0)


def test_a_csv_cell_a_spreadsheet_would_run_as_a_formula_is_kept_as_text():
    hostile = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"]
    papers = [dataclasses.replace(quant_ph()[0], title=title) for title in hostile]
    rows = list(csv.DictReader(io.StringIO(to_csv([Item(p) for p in papers]))))
    assert all(row["title"].startswith("'") for row in rows)
    assert not any(row["title"].lstrip().startswith(("=", "+", "-", "@")) for row in rows)


def test_render_knows_ris_and_csv():
    items = [Item(p) for p in quant_ph()[:3]]
    assert render("ris", None, items).startswith("TY  - ")
    assert render("csv", None, items).startswith("id,version,title")
