"""What the keyword editor says of an entry, without a terminal: usable or why not, and its count."""

from __future__ import annotations

from arxiv_tui.core.matching.match import Matcher
from arxiv_tui.core.session.keyword_lists import AUTHOR, CATEGORY, EXCLUDE, INCLUDE, EntryCounter, problem
from arxiv_tui.core.sources.demo import demo_listing_bytes
from arxiv_tui.core.sources.parse import parse_feed

PAPERS = parse_feed(demo_listing_bytes()).papers


def test_an_entry_that_cannot_work_is_said_why_and_a_good_one_is_not():
    assert problem(CATEGORY, "cs.CL") is None and "not an arXiv category" in (
        problem(CATEGORY, "cs CL") or ""
    )
    assert problem(INCLUDE, "speech*") is None and problem(INCLUDE, "/(/")
    assert problem(AUTHOR, "Harwath") is None and problem(EXCLUDE, "   ") is None


def test_an_include_count_applies_the_excludes_and_leaves_out_replacements_unless_asked():
    counter = EntryCounter(PAPERS, Matcher(()), include_replacements=False)
    everything = EntryCounter(PAPERS, Matcher(()), include_replacements=True)
    plain = counter.count(INCLUDE, "language")
    assert 0 < plain < everything.count(INCLUDE, "language")  # replacements counted only when asked
    assert counter.count(INCLUDE, "language", excludes=["large language model*"]) < plain
    assert counter.count(EXCLUDE, "language") == everything.count(EXCLUDE, "language")


def test_an_archive_counts_its_categories_and_a_category_counts_only_itself():
    counter = EntryCounter(PAPERS, Matcher(()), include_replacements=True)
    assert counter.count(CATEGORY, "cs") >= counter.count(CATEGORY, "cs.CL") > 0
    assert counter.count(CATEGORY, "cs.C") == 0  # not a prefix match of "cs.CL"
    assert counter.text(INCLUDE, "speech").endswith(" papers")


def test_every_entry_counted_at_once_says_what_each_counted_alone_says():
    counter = EntryCounter(PAPERS, Matcher(()), include_replacements=False)
    excludes = ["survey", "large language model*"]
    entries = [
        (INCLUDE, "language"), (INCLUDE, "speech*"), (INCLUDE, "black holes"),
        (INCLUDE, "graph neural network"), (INCLUDE, "/(a+)+$/"), (EXCLUDE, "survey"),
        (EXCLUDE, "large language model*"), (AUTHOR, "Harwath"), (CATEGORY, "cs"),
        (INCLUDE, "nothing-matches-this-at-all"),
    ]  # fmt: skip
    together = counter.texts(entries, excludes)
    assert together == {entry: counter.text(*entry, excludes) for entry in entries}
    assert together[(INCLUDE, "language")] != "0 papers"
