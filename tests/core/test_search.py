"""Searching every archived listing: the same answers as reading each paper, newest first."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from arxiv_tui.core.archive import Archive
from arxiv_tui.core.archive_index import ArchiveIndex
from arxiv_tui.core.listings import listing_from
from arxiv_tui.core.match import fold
from arxiv_tui.core.parse import parse_feed
from tests.conftest import fixture_bytes

QUANT_PH = listing_from(parse_feed(fixture_bytes("rss-quant-ph-2025-04-28.xml")), "test")
CS_CL = listing_from(parse_feed(fixture_bytes("rss-cs.CL-2026-04-27-excerpt.xml")), "test")
INDEX = ArchiveIndex.from_listings([QUANT_PH, CS_CL])  # oldest first
EVERY = [*QUANT_PH.papers, *CS_CL.papers]


def brute_force(query: str) -> list[str]:
    """What a search must find: papers whose folded text holds every word, newest first."""
    words = fold(query).split()
    found = [
        paper.id
        for paper in EVERY
        if all(
            word in fold(" ".join((paper.title, " ".join(paper.authors), paper.abstract, paper.id)))
            for word in words
        )
    ]
    return found[::-1]


def ids(query: str) -> list[str]:
    return [INDEX.paper(position).id for position in INDEX.search(query)]


def test_every_word_must_be_found_in_title_authors_or_abstract():
    assert ids("entanglement witness") == brute_force("entanglement witness")
    assert ids("entanglement witness")  # the fixture has such papers
    assert ids("Youssef Kora") == ["2504.17837"]  # by author


def test_newest_listing_first_with_its_date():
    hits = INDEX.search("language")
    papers = [INDEX.paper(position) for position in hits]
    dates = [paper.listing_date for paper in papers]
    assert dates == sorted(dates, reverse=True) and dates[0] == CS_CL.date


def test_case_and_accents_fold_like_the_keywords():
    assert ids("SCHRÖDINGER") == brute_force("schrödinger")


def test_a_row_paper_has_what_the_list_shows():
    paper = INDEX.paper(INDEX.search("2504.17837")[0])
    whole = QUANT_PH.by_id["2504.17837"]
    assert (paper.title, paper.first_author, paper.primary_category, paper.version) == (
        whole.title,
        whole.first_author,
        whole.primary_category,
        whole.version,
    )
    assert paper.listing_date == QUANT_PH.date and paper.abstract == ""


def test_one_letter_is_not_a_search():
    assert INDEX.search("q") == [] and INDEX.search("  ") == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(["qu", "quant", "quantum", "ent", "entangle", "lang", "model", "x", " "]), max_size=6
    )
)
def test_typing_character_by_character_agrees_with_a_fresh_search(keystrokes):
    typed = ""
    for piece in keystrokes:
        typed += piece
        incremental = ids(typed)
        assert incremental == brute_force(typed) or len("".join(fold(typed).split())) < 2


def test_built_from_the_archive_one_listing_at_a_time(tmp_path):
    archive = Archive(tmp_path)
    archive.save(QUANT_PH)
    later = dataclasses.replace(CS_CL, date=dt.date(2026, 4, 27))
    archive.save(later)
    index = ArchiveIndex.build(archive)
    assert len(index) == len(EVERY) and index.dates == [QUANT_PH.date, later.date]


def test_the_index_built_by_a_child_process_is_the_same(tmp_path):
    archive = Archive(tmp_path)
    archive.save(QUANT_PH)
    archive.save(dataclasses.replace(CS_CL, date=dt.date(2026, 4, 27)))
    here, there = ArchiveIndex.build(archive), ArchiveIndex.build_isolated(archive)
    assert len(there) == len(here) and there.dates == here.dates
    for query in ("quantum", "entanglement witness", "language model", "2504.17837"):
        assert [there.paper(i) for i in there.search(query)] == [here.paper(i) for i in here.search(query)]
