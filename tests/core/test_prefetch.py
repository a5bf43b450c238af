"""The first fetch of a start, done by a child process while the reader starts: the same
answers, and the same errors, as fetching and parsing in the reader itself."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from arxiv_tui.core import listings
from arxiv_tui.core.config import Config
from arxiv_tui.core.errors import ArxivErrorFeed, FetchError
from arxiv_tui.core.isolated import Prefetch, decode, encode
from arxiv_tui.core.library import Library
from arxiv_tui.core.parse import parse_feed
from tests.arxiv_server import RSS_TYPE
from tests.conftest import FIXTURES, fixture_bytes

QUANT_PH = FIXTURES / "rss-quant-ph-2025-04-28.xml"


def config_for(httpserver) -> Config:
    return Config(categories=("quant-ph",), rss_url=httpserver.url_for("/rss"), timeout_seconds=5)


def test_the_line_protocol_gives_back_the_same_feed_and_the_same_errors():
    parsed = parse_feed(fixture_bytes("rss-quant-ph-2025-04-28.xml"), "quant-ph")
    lines = [line.encode() for line in encode("a", parsed)]
    lines += [line.encode() for line in encode("b", ArxivErrorFeed("arXiv refused it"))]
    lines += [line.encode() for line in encode("c", FetchError("timed out"))]
    (a, again), (b, refused), (c, failed) = decode(lines)
    assert (a, b, c) == ("a", "b", "c")
    assert again == parsed
    assert type(refused) is ArxivErrorFeed and str(refused) == "arXiv refused it"
    assert type(failed) is FetchError and str(failed) == "timed out"


def test_a_prefetched_listing_is_the_one_the_reader_would_have_fetched(httpserver, tmp_path):
    httpserver.expect_request("/rss/quant-ph").respond_with_data(QUANT_PH.read_bytes(), content_type=RSS_TYPE)
    config = config_for(httpserver)
    prefetch = Prefetch.start(config, (), offline=False)
    assert prefetch is not None
    library = Library.open(tmp_path / "library.sqlite3")
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
    library = Library.open(tmp_path / "library.sqlite3")
    result = listings.load(config, library, client=prefetch.client())
    assert result.status == listings.FAILED and told in " ".join(result.messages)
    library.close()


def test_feed_files_are_parsed_by_the_child_and_a_bad_one_is_named(tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<html>a portal</html>")
    files = [QUANT_PH, FIXTURES / "atom-cs.AI-2025-08-20.xml", broken]
    prefetch = Prefetch.start(Config(), files, offline=False)
    library = Library.open(tmp_path / "library.sqlite3")
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
    library = Library.open(tmp_path / "library.sqlite3")
    result = listings.load(Config(), library, feeds=[Path(missing)], parser=prefetch.parser(parse_feed))
    assert result.status == listings.FAILED and "cannot be read" in " ".join(result.messages)
    library.close()
