"""The first fetch of a start, done by a child process while the reader starts: the same
answers, and the same errors, as fetching and parsing in the reader itself."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import threading
from pathlib import Path

import pytest
from werkzeug import Response

from arxiv_tui.core.base import schedule
from arxiv_tui.core.base.errors import ArxivErrorFeed, FetchError
from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import Config
from arxiv_tui.core.incoming import listings
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.matching.match import Matcher
from arxiv_tui.core.session.reader import Reader
from arxiv_tui.core.sources.isolated import decode, encode, parse_feed_isolated
from arxiv_tui.core.sources.parse import parse_feed, parse_first
from arxiv_tui.core.sources.prefetch import Prefetch, Spawned
from tests.arxiv_server import RSS_TYPE
from tests.conftest import FIXTURES, fixture_bytes

QUANT_PH = FIXTURES / "rss-quant-ph-2025-04-28.xml"


def config_for(httpserver) -> Config:
    return Config(categories=("quant-ph",), rss_url=httpserver.url_for("/rss"), timeout_seconds=5)


def test_the_line_protocol_gives_back_the_same_feed_and_the_same_errors():
    parsed = parse_feed(fixture_bytes("rss-quant-ph-2025-04-28.xml"), "quant-ph")
    written = "".join(encode("a", parsed))  # as the child writes it to the pipe
    written += "".join(encode("b", ArxivErrorFeed("arXiv refused it")))
    written += "".join(encode("c", FetchError("timed out")))
    lines = written.encode().splitlines()
    (a, again, *_), (b, refused, *_), (c, failed, *_) = decode(lines)
    assert (a, b, c) == ("a", "b", "c")
    assert again == parsed
    assert type(refused) is ArxivErrorFeed and str(refused) == "arXiv refused it"
    assert type(failed) is FetchError and str(failed) == "timed out"


def test_a_big_listing_comes_back_in_lines_each_decoded_quickly_and_a_cut_one_is_refused(demo_feed_file):
    parsed = parse_feed(demo_feed_file.read_bytes(), "demo")
    lines = "".join(encode("demo", parsed)).encode().splitlines()
    assert len(lines) == 1 + 7  # the header, then 1,504 papers in lines of at most 250
    assert [len(json.loads(line)) for line in lines[1:]] == [250] * 6 + [4]
    (answer,) = decode(lines)
    assert answer.outcome == parsed
    with pytest.raises(ValueError, match="the papers end after 1500 of 1504"):
        list(decode(lines[:-1]))


def test_a_prefetched_listing_is_the_one_the_reader_would_have_fetched(httpserver, tmp_path):
    httpserver.expect_request("/rss/quant-ph").respond_with_data(QUANT_PH.read_bytes(), content_type=RSS_TYPE)
    config = config_for(httpserver)
    prefetch = Prefetch.start(config, (), offline=False)
    assert prefetch is not None
    library = open_library(tmp_path / "library.sqlite3")
    result = listings.load(config, library, client=prefetch.client())
    assert result.status == listings.FRESH and result.listing.date == dt.date(2025, 4, 28)
    assert list(result.listing.papers) == parse_feed(QUANT_PH.read_bytes()).papers
    assert result.listing.source == httpserver.url_for("/rss/quant-ph")
    library.close()


@pytest.mark.parametrize(
    ("respond", "told"),
    [
        (
            lambda server: server.expect_request("/rss/quant-ph").respond_with_data("busy", status=503),
            "HTTP 503",
        ),
        (
            lambda server: server.expect_request("/rss/quant-ph").respond_with_data(
                fixture_bytes("rss-error-bad-archive-2024-11-28.xml"), status=400, content_type=RSS_TYPE
            ),
            "arXiv refused the listing request",
        ),
        (lambda server: None, "HTTP 500"),  # nothing expected: the test server answers 500
    ],
)
def test_a_prefetch_that_failed_fails_the_refresh_the_same_way(httpserver, tmp_path, respond, told):
    respond(httpserver)
    config = config_for(httpserver)
    prefetch = Prefetch.start(config, (), offline=False)
    library = open_library(tmp_path / "library.sqlite3")
    result = listings.load(config, library, client=prefetch.client())
    assert result.status == listings.FAILED and told in " ".join(result.messages)
    library.close()


def test_feed_files_are_parsed_by_the_child_and_a_bad_one_is_named(tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<html>a portal</html>")
    files = [QUANT_PH, FIXTURES / "atom-cs.AI-2025-08-20.xml", broken]
    prefetch = Prefetch.start(Config(), files, offline=False)
    library = open_library(tmp_path / "library.sqlite3")
    result = listings.load(Config(), library, feeds=files, parser=prefetch.parser(parse_feed))
    assert result.status == listings.FRESH and result.listing.date == dt.date(2025, 8, 20)
    assert [listing.date for listing in result.to_keep] == [dt.date(2025, 4, 28), dt.date(2025, 8, 20)]
    assert any("broken.xml: not an RSS or Atom feed" in message for message in result.messages)
    library.close()


def test_offline_without_feeds_prefetches_nothing():
    assert Prefetch.start(Config(), (), offline=True) is None


def test_a_file_the_child_could_not_read_is_read_by_the_reader_and_said(tmp_path):
    missing = tmp_path / "missing.xml"
    prefetch = Prefetch.start(Config(), [missing], offline=False)
    library = open_library(tmp_path / "library.sqlite3")
    result = listings.load(Config(), library, feeds=[Path(missing)], parser=prefetch.parser(parse_feed))
    assert result.status == listings.FAILED and "cannot be read" in " ".join(result.messages)
    library.close()


def test_the_child_sends_the_keyword_hits_the_reader_would_have_found(tmp_path):
    config = Config(include=("quantum", "error correction", "entangle*"))
    prefetch = Prefetch.start(config, [QUANT_PH], offline=False)
    parsed = prefetch.parser(parse_feed)(QUANT_PH.read_bytes(), str(QUANT_PH))
    matcher = Matcher(config.include, (), ())
    expected = {paper.id: list(terms) for paper in parsed.papers if (terms := matcher.matched_terms(paper))}
    assert parsed.keyword_hits == expected and len(expected) > 10
    assert parsed.matched_with == config.include
    library = open_library(tmp_path / "library.sqlite3")
    edited = dataclasses.replace(config, include=("other keywords",))  # edited since: matched again
    parser = prefetch.parser(parse_feed)
    assert listings.load(config, library, feeds=[QUANT_PH], parser=parser).hits == expected
    assert listings.load(edited, library, feeds=[QUANT_PH], parser=parser).hits is None
    library.close()
    prefetch.close()


def test_feed_files_parsed_by_a_refetch_child_come_with_its_hits(tmp_path):
    config = Config(include=("quantum", "entangle*"))
    library = open_library(tmp_path / "library.sqlite3")
    in_a_child = lambda data, source: parse_feed_isolated(data, source, config.include)  # noqa: E731
    result = listings.load(config, library, feeds=[QUANT_PH], parser=in_a_child)
    matcher = Matcher(config.include, (), ())
    papers = parse_feed(QUANT_PH.read_bytes(), "here").papers
    expected = {paper.id: list(terms) for paper in papers if (terms := matcher.matched_terms(paper))}
    assert result.hits == expected and len(expected) > 10
    library.close()


def test_a_reader_given_the_childs_hits_shows_what_matching_itself_would(tmp_path):
    config = Config(include=("quantum", "error correction"), exclude=("photonic",))
    prefetch = Prefetch.start(config, [QUANT_PH], offline=False)
    result = listings.load(config, open_library(tmp_path / "a.sqlite3"), feeds=[QUANT_PH],
                           parser=prefetch.parser(parse_feed))  # fmt: skip
    listing = result.listing
    reader = Reader(Paths.under(tmp_path / "home"), config, open_library(tmp_path / "b.sqlite3"))
    assert result.hits
    early = reader.prepare(listing, result.hits)
    matched = reader.prepare(listing)
    shown = [row.paper.id for row in early.filtered.matched]
    assert shown == [row.paper.id for row in matched.filtered.matched]
    assert early.filtered.matched and len(early.filtered.matched) < len(listing.papers)
    reader.close()
    prefetch.close()


def test_a_child_that_fails_says_so_and_the_refresh_goes_on(tmp_path):
    url = "http://127.0.0.1:9/rss"
    prefetch = Prefetch(Spawned(["fetch", url, "cs.CL", "not a number of seconds"], ()), url, 5)
    library = open_library(tmp_path / "library.sqlite3")
    result = listings.load(Config(categories=("cs.CL",)), library, client=prefetch.client())
    assert result.status == listings.FAILED
    assert "the first fetch gave no answer (R fetches again)" in " ".join(result.messages)
    library.close()


def test_the_prefetch_child_yields_the_machine_to_the_reader_drawing_its_first_frame(httpserver):
    asked, answer = threading.Event(), threading.Event()

    def hold(request):
        asked.set()
        answer.wait(10)
        return Response(QUANT_PH.read_bytes(), content_type=RSS_TYPE)

    httpserver.expect_request("/rss/quant-ph").respond_with_handler(hold)
    prefetch = Prefetch.start(config_for(httpserver), (), offline=False)
    try:
        assert asked.wait(10)  # the child is fetching: it lowered its priority as it started
        child = prefetch.process.process.pid
        assert os.getpriority(os.PRIO_PROCESS, child) >= min(os.getpriority(os.PRIO_PROCESS, 0) + 10, 19)
    finally:
        answer.set()
        prefetch.close()


def test_the_first_papers_read_alone_are_the_first_papers_of_the_whole_listing(demo_feed_file):
    data = demo_feed_file.read_bytes()
    whole, first = parse_feed(data, "demo"), parse_first(data, "demo", 200)
    assert first.papers == whole.papers[:200] and first.listing_date == whole.listing_date
    assert first.complete is False  # never to be stored as the listing
    assert (
        parse_first(data[: len(data) // 2] + b"<item", "cut", 5000) is None
    )  # cut: the whole parse says why


def test_a_big_listing_is_shown_by_its_first_papers_then_whole_and_only_the_whole_is_kept(
    demo_feed_file, tmp_path
):
    config = Config(include=("large language model*", "diffusion"))
    prefetch = Prefetch.start(config, [demo_feed_file], False)
    library = open_library(tmp_path / "library.sqlite3")
    reader = Reader(Paths.under(tmp_path), config, library, feeds=[demo_feed_file], prefetch=prefetch)
    shown: list[tuple[str, int, bool]] = []

    def report(event):
        reader.apply(event)
        if reader.viewing.listing is not None:
            shown.append((type(event).__name__, len(reader.viewing.papers), reader.refreshing.previewing))

    reader.refresh(report, visit=False)
    assert shown[0] == ("Previewed", 200, True)
    assert ("Fetched", 1504, False) in shown
    assert [row.paper.id for row in reader.viewing.filtered.matched[:5]] == [
        row.paper.id for row in reader.prepare(reader.viewing.listing).filtered.matched[:5]
    ]
    assert reader.library.listing(reader.viewing.listing.date).complete
    assert len(reader.library.listing(reader.viewing.listing.date).papers) == 1504
    reader.close()


def test_a_listing_is_due_until_the_newest_announcement_is_held_whole_for_these_categories(tmp_path):
    library = open_library(tmp_path / "library.sqlite3")
    listing = listings.listing_from(parse_feed(QUANT_PH.read_bytes()), "quant-ph")  # Mon 28 Apr 2025
    monday_noon = dt.datetime(2025, 4, 28, 16, tzinfo=dt.UTC)  # 12:00 in New York
    monday_evening = dt.datetime(2025, 4, 29, 0, 30, tzinfo=dt.UTC)  # 20:30: announced, not in the feed
    tuesday_night = dt.datetime(2025, 4, 29, 4, 30, tzinfo=dt.UTC)  # 00:30: the feed holds Tuesday's
    assert listings.new_listing_due(library, ["quant-ph"], monday_noon)  # nothing held yet
    library.store_listing(dataclasses.replace(listing, complete=False), ["quant-ph"])
    assert listings.new_listing_due(library, ["quant-ph"], monday_noon)  # cut off: the rest is due
    library.store_listing(listing, ["quant-ph"])
    assert not listings.new_listing_due(library, ["quant-ph"], monday_noon)
    assert listings.new_listing_due(library, ["quant-ph", "cs.CL"], monday_noon)  # categories changed
    assert not listings.new_listing_due(library, ["quant-ph"], monday_evening)
    assert listings.new_listing_due(library, ["quant-ph"], tuesday_night)
    library.close()


@pytest.mark.parametrize("held", [True, False])
def test_a_start_fetches_early_only_when_a_listing_may_be_out_or_files_are_to_be_read(tmp_path, held):
    paths = Paths.under(tmp_path)
    config = Config(categories=("quant-ph",))
    if held:  # the newest announcement's listing, held whole: nothing new can be out
        library = open_library(paths.library_file)
        moment = dt.datetime.now(dt.UTC)
        today = schedule.feed_date(moment, schedule.eastern_offset(moment))
        parsed = parse_feed(QUANT_PH.read_bytes())
        library.store_listing(
            listings.listing_from(dataclasses.replace(parsed, listing_date=today), "q"), ["quant-ph"]
        )
        library.close()
    asked = []
    reader = Reader.open(paths, config, fetch_early=lambda: asked.append("early"))
    reader.close()
    assert asked == ([] if held else ["early"])
    feeds = [QUANT_PH]  # --feed files are what the first frame shows: always read at once
    reader = Reader.open(paths, config, feeds=feeds, fetch_early=lambda: asked.append("files"))
    reader.close()
    assert asked[-1] == "files"


def test_a_refetch_parsed_in_a_child_is_matched_there_not_on_the_readers_interpreter(
    httpserver, tmp_path, monkeypatch
):
    from arxiv_tui.core.session.events import Fetched
    from arxiv_tui.core.sources.isolated import parse_feed_isolated

    httpserver.expect_request("/rss/quant-ph").respond_with_data(QUANT_PH.read_bytes(), content_type=RSS_TYPE)
    config = Config(categories=("quant-ph",), rss_url=httpserver.url_for("/rss"),
                    include=("quantum", "error correction", "entangle*"), exclude=("photonic",))  # fmt: skip
    library = open_library(tmp_path / "library.sqlite3")
    reader = Reader(Paths.under(tmp_path), config, library, parser=parse_feed_isolated)
    expected = reader.prepare(listings.listing_from(parse_feed(QUANT_PH.read_bytes(), "here"), "here"))
    matched_here: list[str] = []
    matched_terms = Matcher.matched_terms
    monkeypatch.setattr(Matcher, "matched_terms", lambda self, paper: matched_here.append(paper.id) or
                        matched_terms(self, paper))  # fmt: skip
    events: list = []
    reader.refresh(events.append, visit=False, alerts=False)
    (fetched,) = [event for event in events if isinstance(event, Fetched)]
    shown = [row.paper.id for row in fetched.loaded.filtered.matched]
    assert shown == [row.paper.id for row in expected.filtered.matched] and 10 < len(shown) < 81
    assert matched_here == []  # the child matched them
    reader.close()


def test_hits_a_child_matched_for_other_keywords_are_not_taken(tmp_path):
    hits = {"2504.17907": ["quantum"]}
    parsed = parse_feed(QUANT_PH.read_bytes(), "here")
    parsed = dataclasses.replace(parsed, keyword_hits=hits, matched_with=("quantum",))

    class Answered:
        def url_for(self, categories):
            return "here"

        def fetch(self, categories):
            return parsed

    library = open_library(tmp_path / "library.sqlite3")
    same = listings.fetch_latest(Config(categories=("quant-ph",), include=("quantum",)), library, Answered())
    edited = listings.fetch_latest(Config(categories=("quant-ph",), include=("qubit",)), library, Answered())
    assert same.hits == hits and edited.hits is None
    library.close()


def test_a_preview_carries_the_hits_the_child_found_for_its_papers(demo_feed_file):
    config = Config(include=("large language model*", "diffusion"))
    prefetch = Prefetch.start(config, [demo_feed_file], False)
    first = prefetch.take_preview()
    matcher = Matcher(config.include, (), ())
    expected = {paper.id: list(terms) for paper in first.papers if (terms := matcher.matched_terms(paper))}
    assert len(first.papers) == 200 and expected
    assert first.keyword_hits == expected and listings.child_hits(first, config.include) == expected
    assert listings.child_hits(first, ("other keywords",)) is None  # edited since: matched again
    prefetch.close()
