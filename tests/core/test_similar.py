"""More like this, on the real listing of every archive: offline, from the library alone."""

from __future__ import annotations

import functools

from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.library.similar import like, salient_terms
from arxiv_tui.core.models import Listing
from arxiv_tui.core.sources.parse import parse_feed
from tests.conftest import demo_listing_bytes


@functools.cache
def demo() -> tuple:
    parsed = parse_feed(demo_listing_bytes())
    return parsed.listing_date, tuple(parsed.papers)


def library_of_the_demo(tmp_path) -> Library:
    day, papers = demo()
    library = open_library(tmp_path / "library.sqlite3")
    library.store_listing(Listing(day, papers))
    return library


def test_papers_like_a_speech_recognition_paper_are_about_speech(tmp_path):
    library = library_of_the_demo(tmp_path)
    paper = next(p for p in demo()[1] if p.title.startswith("Disentangled-Transformer"))
    found = like(library.db.connection, paper)
    assert "speech" in found.terms and "asr" in found.terms
    assert paper.id not in {row.id for row in found.papers}  # never itself
    top = [library.paper(row.id) for row in found.papers[:8]]
    assert all(any(word in (p.title + p.abstract).lower() for word in ("speech", "asr")) for p in top)
    library.close()


def test_salient_words_are_rare_in_the_library_not_merely_frequent_in_the_paper(tmp_path):
    library = library_of_the_demo(tmp_path)
    paper = next(p for p in demo()[1] if "black hole" in p.title.lower())
    terms = salient_terms(library.db.connection, paper)
    assert any("hole" in term or "black" in term for term in terms)
    assert not {"paper", "results", "using", "model", "the"} & set(terms)
    library.close()


def test_a_paper_with_no_words_the_library_knows_finds_nothing(tmp_path):
    from dataclasses import replace

    library = library_of_the_demo(tmp_path)
    stranger = replace(demo()[1][0], id="9999.99999", title="Zzyzx qwxv", abstract="")
    found = like(library.db.connection, stranger)
    assert found.papers == [] and found.terms == ()
    library.close()
