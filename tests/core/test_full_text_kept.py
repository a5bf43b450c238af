"""Full texts kept in the library: with their version and the reader's place, read offline,
replaced by a newer version, searched with `body:`, and a damaged one fetched again."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from arxiv_tui.core.config import Config
from arxiv_tui.core.fulltext.latexml import read_latexml
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.upkeep import prune
from arxiv_tui.core.matching.query import QueryError, parse_query
from arxiv_tui.core.sources.full_text import NoFullText, read_full_text
from tests.conftest import FIXTURES
from tests.core.conftest import first_listed

SAMPLE = read_latexml((FIXTURES / "fulltext" / "fulltext-sample.html").read_bytes())


@pytest.fixture
def library(demo_library: Library) -> Library:
    return demo_library


def found(library: Library, text: str) -> list[str]:
    return [paper.id for paper in library.search(text).papers]


def test_a_kept_text_reads_back_with_its_version_and_place(library):
    paper = first_listed(library)
    assert library.full_texts.keep(paper.id, 1, SAMPLE)
    library.full_texts.set_position(paper.id, 7)
    kept = library.full_texts.load(paper.id)
    assert kept is not None and kept.document == SAMPLE and (kept.version, kept.position) == (1, 7)
    assert not library.full_texts.keep("9912.99999", 1, SAMPLE)  # not in the library: not kept


def test_body_words_find_what_only_the_full_text_says(library):
    paper = first_listed(library)
    assert found(library, "body:converges") == []
    library.full_texts.keep(paper.id, 1, SAMPLE)
    assert found(library, "body:hinton") == [paper.id]  # a reference's words
    assert found(library, 'body:"training loss"') == [paper.id]  # a figure caption's phrase
    first_word = paper.title.split()[0]
    assert paper.id in found(library, f"{first_word} body:speakers")  # with AND, and a table's cell
    assert found(library, "qqqzzz body:speakers") == []
    assert paper.id in library.matching(parse_query("body:speakers"), [paper.id])  # within a view
    with pytest.raises(QueryError, match="only be added to a search with AND"):
        parse_query("speech OR body:speakers")


def test_a_newer_version_replaces_the_text_and_its_index_and_starts_at_the_top(library):
    paper = first_listed(library)
    library.full_texts.keep(paper.id, 1, SAMPLE)
    library.full_texts.set_position(paper.id, 5)
    library.full_texts.keep(paper.id, 1, SAMPLE)  # the same version again: the place is kept
    assert library.full_texts.load(paper.id).position == 5
    second = SAMPLE._replace(blocks=(SAMPLE.blocks[0]._replace(text="Now about zebrafish only."),))
    library.full_texts.keep(paper.id, 2, second)
    kept = library.full_texts.load(paper.id)
    assert kept is not None and (kept.version, kept.position) == (2, 0)
    assert found(library, "body:zebrafish") == [paper.id] and found(library, "body:speakers") == []


def test_a_damaged_kept_text_is_fetched_again_and_the_index_stays_whole(library):
    papers = library.newest_listing().papers
    library.full_texts.keep(papers[0].id, 1, SAMPLE)
    library.full_texts.keep(papers[1].id, 1, SAMPLE)
    with library.db.transaction() as connection:
        connection.execute("UPDATE full_texts SET body = x'00ff' WHERE paper_id = ?", (papers[0].id,))
    assert library.full_texts.load(papers[0].id) is None  # does not read back: fetched again
    library.full_texts.keep(papers[0].id, 1, SAMPLE)  # the index cannot be told the old words
    assert sorted(found(library, "body:speakers")) == sorted([papers[0].id, papers[1].id])
    assert library.db.read("INSERT INTO full_text_search (full_text_search) VALUES ('integrity-check')") == []


def test_a_paper_read_in_full_outlives_its_listing(library):
    paper = first_listed(library)
    library.full_texts.keep(paper.id, 1, SAMPLE)
    listing = library.newest_listing()
    assert listing is not None
    later = dataclasses.replace(
        listing, date=listing.date + dt.timedelta(days=400), papers=listing.papers[-1:]
    )
    library.store_listing(later)
    assert prune(library, 30, later.date) == 1
    assert library.paper(paper.id) is not None and library.full_texts.load(paper.id) is not None


class Unreachable:
    """A config whose HTML address nothing answers: a test fails if it is asked."""

    html_url = "http://127.0.0.1:9/html"
    pdf_url = "http://127.0.0.1:9/pdf"
    timeout_seconds = 0.5


def test_the_kept_text_is_read_without_asking_arxiv_and_offline(library):
    paper = first_listed(library)
    config = Unreachable()
    with pytest.raises(NoFullText, match="not kept here, and --offline"):
        read_full_text(config, library.full_texts, paper.id, 1, offline=True)
    library.full_texts.keep(paper.id, 1, SAMPLE)
    text = read_full_text(config, library.full_texts, paper.id, 1)
    assert text.document == SAMPLE and text.note == ""
    older = read_full_text(config, library.full_texts, paper.id, 2, offline=True)
    assert older.version == 1 and older.note == "the text of v1; v2 is out (read it online to fetch it)"


def test_a_newer_version_is_fetched_and_kept(library, httpserver):
    paper = first_listed(library)
    library.full_texts.keep(paper.id, 1, SAMPLE._replace(title="The old one"))
    page = (FIXTURES / "fulltext" / "fulltext-sample.html").read_bytes()
    httpserver.expect_request(f"/html/{paper.id}v2").respond_with_data(page, content_type="text/html")
    config = Config(html_url=httpserver.url_for("/html"))
    text = read_full_text(config, library.full_texts, paper.id, 2)
    assert text.document.title == SAMPLE.title and text.version == 2
    assert library.full_texts.load(paper.id).version == 2
