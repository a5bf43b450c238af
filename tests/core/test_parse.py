"""The parser against every real recorded arXiv response (see tests/fixtures/SOURCES.md)."""

from __future__ import annotations

import collections
import datetime as dt
import pathlib
import sys

import pytest

from arxiv_tui.core.base.errors import FeedError
from arxiv_tui.core.sources.parse import API, ATOM, RSS, parse_feed, split_id
from tests.conftest import FIXTURES, demo_listing_bytes, fixture_bytes


@pytest.fixture(scope="module")
def big_listing():
    return parse_feed(demo_listing_bytes(), "rss-all-archives")


def by_id(parsed, paper_id):
    return next(paper for paper in parsed.papers if paper.id == paper_id)


def test_full_listing_has_every_paper_once_with_its_announce_type(big_listing):
    assert big_listing.kind == RSS
    assert big_listing.listing_date == dt.date(2024, 11, 28)
    assert len(big_listing.papers) == 1504
    assert len({paper.id for paper in big_listing.papers}) == 1504
    types = collections.Counter(paper.announce_type for paper in big_listing.papers)
    assert types == {"new": 926, "replace": 569, "cross": 9}
    assert big_listing.complete


def test_tex_accents_in_authors_become_unicode(big_listing):
    assert "Benjamin Rémy (LEMTA)" in by_id(big_listing, "2411.17748").authors
    assert "Przemysław Olbratowski" in by_id(big_listing, "2411.17709").authors


def test_authors_split_on_top_level_commas_only(big_listing):
    authors = by_id(big_listing, "2411.17748").authors
    assert authors[:3] == (
        "Mohammed Riadh Berramdane (IFPEN)",
        "Alexandre Battiston (IFPEN)",
        "Michele Bardi (IFPEN)",
    )
    nova = by_id(big_listing, "2403.07266")
    assert nova.authors[0] == "NOvA Collaboration"
    assert len(nova.authors) == 207


def test_mononym_double_space_is_one_author():
    parsed = parse_feed(fixture_bytes("rss-cs.CL-2026-04-27-excerpt.xml"))
    assert parsed.papers[0].authors == (
        "Anamta Khan",
        "Ratna Kandala",
        "Deepti",
        "Sheza Munir",
        "Joyojeet Pal",
    )
    assert parsed.listing_date == dt.date(2026, 4, 27)


def test_html_sanitiser_does_not_eat_math_in_abstracts(big_listing):
    abstract = by_id(big_listing, "2411.17730").abstract
    assert "1/3<s<1" in abstract
    assert "ℝ⁴" in abstract


def test_whitespace_collapsed_and_entities_decoded(big_listing):
    for paper in big_listing.papers:
        assert "\n" not in paper.abstract and "  " not in paper.abstract
        assert "&amp;" not in paper.title
    titles = [paper.title for paper in big_listing.papers]
    assert "Design & Optimization of the HV divider for JUNO 20-inch PMT" in titles


def test_replacements_keep_their_version_apart_from_the_id(big_listing):
    paper = by_id(big_listing, "1401.3665")
    assert (paper.version, paper.announce_type, paper.is_replacement) == (4, "replace", True)
    assert paper.pdf_url == "https://arxiv.org/pdf/1401.3665"


def test_doi_and_journal_reference(big_listing):
    paper = by_id(big_listing, "2411.17758")
    assert paper.doi == "10.1016/j.segan.2024.101477"
    assert paper.journal_ref.startswith("Sustainable Energy, Grids and Networks")


def test_all_four_announce_types_and_primary_first():
    parsed = parse_feed(fixture_bytes("rss-quant-ph-2025-04-28.xml"))
    types = collections.Counter(paper.announce_type for paper in parsed.papers)
    assert types == {"new": 40, "replace": 22, "cross": 10, "replace-cross": 9}
    cross = by_id(parsed, "2504.16299")
    assert cross.categories == ("cs.IT", "math.IT", "quant-ph")
    assert cross.primary_category == "cs.IT"


@pytest.mark.parametrize(
    "name", ["rss-test-archive-empty-2024-11-28.xml", "rss-physics-empty-holiday-2025-12-31.xml"]
)
def test_empty_channel_is_a_dated_listing_without_papers(name):
    parsed = parse_feed(fixture_bytes(name))
    assert parsed.papers == []
    assert parsed.listing_date is not None
    assert parsed.complete


def test_error_feed_raises_with_arxivs_message():
    with pytest.raises(FeedError, match="Bad archive 'astroph'"):
        parse_feed(fixture_bytes("rss-error-bad-archive-2024-11-28.xml"))


def test_api_error_entry_raises():
    with pytest.raises(FeedError, match="incorrect id format for abc"):
        parse_feed(fixture_bytes("api-error-http400-idlist-abc-2026-04-12.xml"))


def test_truncated_atom_keeps_entries_but_is_marked_incomplete():
    parsed = parse_feed(fixture_bytes("atom-cs.AI-2025-08-20-truncated.xml"))
    assert parsed.kind == ATOM
    assert not parsed.complete
    assert len(parsed.papers) == 87
    whole = parse_feed(fixture_bytes("atom-cs.AI-2025-08-20.xml"))
    assert whole.complete and len(whole.papers) == 86
    assert whole.listing_date == dt.date(2025, 8, 20)
    assert collections.Counter(p.announce_type for p in whole.papers) == {"new": 41, "cross": 45}
    assert whole.papers[0].id == "2508.13167"


def test_api_response_old_style_ids_unicode_authors_and_comments():
    parsed = parse_feed(fixture_bytes("api-query-all-testing-start0-max100-2026-04-12.xml"))
    assert parsed.kind == API
    assert parsed.total_results == 214881
    assert len(parsed.papers) == 100
    ids = {(paper.id, paper.version) for paper in parsed.papers}
    assert {("cs/0503050", 1), ("hep-ph/0301050", 2), ("gr-qc/0103067", 1)} <= ids
    first = parsed.papers[0]
    assert first.id == "2202.12139"
    assert first.authors == ("Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker")
    assert first.published == "2022-02-24T15:05:19Z"
    assert first.comments == "Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022"
    assert first.doi == "10.1109/ICSTW55395.2022.00035"
    assert any("Aurora Ramírez" in paper.authors for paper in parsed.papers)


def test_api_legacy_wrapped_titles_are_unwrapped():
    parsed = parse_feed(fixture_bytes("api-legacy-format-cat-cs.RO-AND-neural-max2-2025-10-17.xml"))
    paper = parsed.papers[0]
    assert paper.title == (
        "RDD: Retrieval-Based Demonstration Decomposer for Planner Alignment in Long-Horizon Tasks"
    )
    assert paper.comments.startswith(
        "39th Conference on Neural Information Processing Systems (NeurIPS 2025);"
    )
    assert paper.categories[0] == "cs.RO"
    assert paper.abstract.startswith("To tackle long-horizon tasks")


def test_a_paper_titled_zero_keeps_its_title():
    paper = parse_feed(fixture_bytes("api-idlist-2104.12255v1-2026-04-12.xml")).papers[0]
    assert paper.title == "0"
    assert (paper.id, paper.version) == ("2104.12255", 1)


def test_api_zero_results_and_one_missing():
    assert parse_feed(fixture_bytes("api-idlist-0000.0000-zero-results-2026-04-12.xml")).papers == []
    one = parse_feed(fixture_bytes("api-idlist-0808.05394+1707.08567-one-missing-2026-04-12.xml"))
    assert one.total_results == 1 and len(one.papers) == 1


def test_old_style_id_with_journal_ref():
    paper = parse_feed(fixture_bytes("api-idlist-astro-ph-0601001-2026-05-11.xml")).papers[0]
    assert (paper.id, paper.version) == ("astro-ph/0601001", 1)
    assert paper.abstract.startswith("We derive the frequencies of hot Jupiter")
    assert paper.journal_ref == "ActaAstron.56:1-50,2006"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("http://arxiv.org/abs/2104.12255v1", ("2104.12255", 1)),
        ("oai:arXiv.org:hep-ph/0301050v2", ("hep-ph/0301050", 2)),
        ("2411.17728", ("2411.17728", 1)),
        ("math.GT/0309136v3", ("math.GT/0309136", 3)),
    ],
)
def test_split_id(raw, expected):
    assert split_id(raw) == expected


@pytest.mark.parametrize("body", [b"", b"not xml at all", b"<html><body>502 Bad Gateway</body></html>"])
def test_garbage_is_a_feed_error(body):
    with pytest.raises(FeedError):
        parse_feed(body)


def test_parsing_in_a_child_process_gives_the_same_papers_and_errors():
    from arxiv_tui.core.base.errors import ArxivErrorFeed
    from arxiv_tui.core.sources.isolated import parse_feed_isolated

    for name in ("rss-quant-ph-2025-04-28.xml", "api-query-cat-cs.AI-OR-cs.LG-max50-2026-07-13.xml"):
        here, there = parse_feed(fixture_bytes(name), name), parse_feed_isolated(fixture_bytes(name), name)
        assert there.papers == here.papers and there.listing_date == here.listing_date
        for field in ("kind", "complete", "total_results", "problems"):
            assert getattr(there, field) == getattr(here, field)
    with pytest.raises(ArxivErrorFeed, match="arXiv refused the listing request"):
        parse_feed_isolated(fixture_bytes("rss-error-bad-archive-2024-11-28.xml"))
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        parse_feed_isolated(b"<html>a portal</html>")


def test_a_parse_child_given_keywords_sends_the_hits_the_reader_would_find():
    from arxiv_tui.core.matching.match import Matcher
    from arxiv_tui.core.sources.isolated import parse_feed_isolated

    include = ("quantum", "error correction", "entangle*")
    data = fixture_bytes("rss-quant-ph-2025-04-28.xml")
    parsed = parse_feed_isolated(data, "x", include)
    matcher = Matcher(include, (), ())
    expected = {paper.id: list(terms) for paper in parsed.papers if (terms := matcher.matched_terms(paper))}
    assert parsed.keyword_hits == expected and len(expected) > 10 and parsed.matched_with == include
    assert parse_feed_isolated(data, "x").keyword_hits is None  # no keywords: nothing matched there


def test_a_parser_process_that_cannot_start_falls_back_to_parsing_here(monkeypatch):
    import subprocess

    from arxiv_tui.core.sources.isolated import parse_feed_isolated

    def no_interpreter(*args, **kwargs):
        raise FileNotFoundError("python")

    monkeypatch.setattr(subprocess, "run", no_interpreter)
    parsed = parse_feed_isolated(fixture_bytes("rss-quant-ph-2025-04-28.xml"), "x")
    assert len(parsed.papers) == 81


def _outcome(data: bytes, tolerant_only: bool):
    try:
        parsed = parse_feed(data, "fixture", tolerant_only=tolerant_only)
    except FeedError as error:
        return type(error).__name__, str(error)
    return (
        parsed.kind,
        parsed.listing_date,
        parsed.papers,
        parsed.title,
        parsed.complete,
        parsed.total_results,
    )


@pytest.mark.parametrize("name", sorted(path.name for path in FIXTURES.glob("*.xml")))
def test_the_fast_reader_and_feedparser_agree_on_every_fixture(name):
    data = (FIXTURES / name).read_bytes()
    assert _outcome(data, tolerant_only=False) == _outcome(data, tolerant_only=True)


def test_the_fast_reader_and_feedparser_agree_on_the_demo_listing():
    data = demo_listing_bytes()
    fast, tolerant = _outcome(data, False), _outcome(data, True)
    assert fast == tolerant and len(fast[2]) == 1504


@pytest.mark.skipif(sys.platform != "linux", reason="elsewhere the reader ends its children as it closes")
def test_a_parse_child_ends_with_the_reader_however_the_reader_ends():
    """The reader is killed with SIGKILL while its child waits for the feed (on a pipe the test
    holds open): the child goes too; one started for a reader already gone leaves at once."""
    import os
    import signal
    import subprocess
    import time

    from arxiv_tui.core.sources.isolated import PARENT, command

    reader = subprocess.Popen(
        [sys.executable, "-c", "import subprocess, time\n"
         "from arxiv_tui.core.sources.isolated import child_environment, command\n"
         "child = subprocess.Popen(command('parse', 'x'), env=child_environment())\n"
         "print(child.pid, flush=True)\n"
         "time.sleep(600)\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )  # fmt: skip
    child_pid = int(reader.stdout.readline())
    reader.send_signal(signal.SIGKILL)
    reader.wait()
    deadline = time.monotonic() + 30
    while _state(child_pid) != "Z":  # gone, or a zombie waiting for its reaper
        assert time.monotonic() < deadline, "the parse child outlived the reader"
        time.sleep(0.05)

    orphan = subprocess.run(command("parse", "x"), input=b"", capture_output=True, timeout=60,
                            env={**os.environ, PARENT: "1"})  # fmt: skip
    assert orphan.returncode == 1 and orphan.stdout == b""  # its reader was gone: it left at once


def _state(pid: int) -> str:
    try:
        return pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"
