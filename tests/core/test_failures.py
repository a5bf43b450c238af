"""Everything that goes wrong on the way from arXiv: each gives a clear message, and the last good
listing stays on screen and on disk. A real HTTP server on 127.0.0.1 plays each failure."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from werkzeug import Response

from arxiv_tui.core.base.errors import FeedError, FetchError
from arxiv_tui.core.base.text import TITLE_LIMIT
from arxiv_tui.core.config import Config
from arxiv_tui.core.incoming import listings
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.sources.arxiv import ApiClient, ListingClient
from arxiv_tui.core.sources.parse import parse_feed
from tests.arxiv_server import RSS_TYPE
from tests.conftest import fixture_bytes

GOOD = fixture_bytes("rss-quant-ph-2025-04-28.xml")
CONFIG = Config(categories=("quant-ph",))


@pytest.fixture
def archive(tmp_path) -> Library:
    """An archive holding the last good listing (Mon 28 Apr 2025)."""
    archive = open_library(tmp_path / "library.sqlite3")
    parsed = parse_feed(GOOD, "good")
    listing = listings.listing_from(parsed, "good")
    assert listing is not None and archive.store_listing(listing)
    return archive


def fetch(httpserver, archive, timeout=5.0, transport=None) -> listings.LoadResult:
    client = ListingClient(httpserver.url_for("/rss"), timeout=timeout, transport=transport)
    try:
        return listings.load(CONFIG, archive, client=client)
    finally:
        client.close()


def assert_kept_last_good(result: listings.LoadResult, archive: Library, *message_parts: str) -> None:
    assert result.status == listings.FAILED
    assert result.listing is not None and len(result.listing.papers) == 81
    text = " ".join(result.messages)
    for part in message_parts:
        assert part in text, text
    assert archive.listing_dates() == [result.listing.date]
    stored = archive.listing(result.listing.date)
    assert stored is not None and len(stored.papers) == 81


def serve(httpserver, *args, **kwargs) -> None:
    httpserver.expect_request("/rss/quant-ph").respond_with_data(*args, **kwargs)


# --- the transport -----------------------------------------------------------------------------


def test_a_server_that_does_not_answer_times_out(httpserver, archive):
    released = threading.Event()

    def silent(request):
        released.wait(10)  # until the test is over: the next test gets a free server
        return Response(GOOD, content_type=RSS_TYPE)

    httpserver.expect_request("/rss/quant-ph").respond_with_handler(silent)
    try:
        assert_kept_last_good(fetch(httpserver, archive, timeout=0.5), archive, "timed out after 0.5 s")
    finally:
        released.set()


def test_a_server_that_trickles_bytes_hits_the_overall_deadline(httpserver, archive):
    def trickle():
        for line in GOOD.splitlines(keepends=True):
            time.sleep(0.05)  # each chunk well inside the read timeout, the whole far beyond it
            yield line

    httpserver.expect_request("/rss/quant-ph").respond_with_response(
        Response(trickle(), content_type=RSS_TYPE, direct_passthrough=True)
    )
    started = time.monotonic()
    result = fetch(httpserver, archive, timeout=1.0)
    assert time.monotonic() - started < 3
    assert_kept_last_good(result, archive, "no complete answer within 1 s")


def test_connection_refused(archive):
    client = ListingClient("http://127.0.0.1:9/rss", timeout=2)
    result = listings.load(CONFIG, archive, client=client)
    assert_kept_last_good(result, archive, "ConnectError")


def test_dns_failure(httpserver, archive):
    def no_such_host(request: httpx.Request) -> httpx.Response:
        # What httpx raises when getaddrinfo fails; no resolver is asked, so no network is touched.
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)

    result = fetch(httpserver, archive, transport=httpx.MockTransport(no_such_host))
    assert_kept_last_good(result, archive, "Name or service not known")


@pytest.mark.parametrize("status", [403, 404, 500, 502, 503])
def test_http_errors(httpserver, archive, status):
    serve(httpserver, "<html>oops</html>", status=status, content_type="text/html")
    assert_kept_last_good(fetch(httpserver, archive), archive, f"HTTP {status}")


def test_arxivs_error_feed_for_a_bad_category_is_quoted(httpserver, archive):
    serve(
        httpserver, fixture_bytes("rss-error-bad-archive-2024-11-28.xml"), status=400, content_type=RSS_TYPE
    )
    assert_kept_last_good(fetch(httpserver, archive), archive, "arXiv refused the listing request")


def test_a_redirect_loop_is_cut_short(httpserver, archive):
    httpserver.expect_request("/rss/quant-ph").respond_with_response(
        Response(status=302, headers={"Location": httpserver.url_for("/rss/quant-ph")})
    )
    assert_kept_last_good(fetch(httpserver, archive), archive, "too many redirects")
    assert len(httpserver.log) <= 6


def test_too_many_requests_with_a_huge_retry_after_is_capped_and_said(httpserver):
    httpserver.expect_request("/api/query").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "86400"}
    )
    waits: list[float] = []
    client = ApiClient(
        httpserver.url_for("/api/query"), timeout=2, max_retries=1, max_retry_after=60, sleep=waits.append
    )
    with pytest.raises(FetchError, match="HTTP 429"):
        client.query("cat:cs.AI")
    assert 59 < max(waits) <= 60  # one capped wait, less the moment the request itself took
    assert client.notices == ["arXiv asked to wait 86400 s; waiting 60 s"]


# --- the body ----------------------------------------------------------------------------------


def test_a_web_page_instead_of_a_feed(httpserver, archive):
    page = b"<!DOCTYPE html><html><head><title>Captive portal</title></head><body>Log in</body></html>"
    serve(httpserver, page, content_type="text/html")
    assert_kept_last_good(fetch(httpserver, archive), archive, "not an RSS or Atom feed")


def test_a_wrong_content_type_does_not_matter_when_the_body_is_a_feed(httpserver, archive):
    serve(httpserver, GOOD, content_type="application/octet-stream")
    result = fetch(httpserver, archive)
    assert result.status == listings.FRESH and len(result.listing.papers) == 81


def test_invalid_utf8_is_read_without_crashing(httpserver, archive):
    broken = GOOD.replace(b"Self-Adjoint Time Operator", b"Self-Adjoint \xff\xfe Time Operator", 1)
    serve(httpserver, broken, content_type=RSS_TYPE)
    result = fetch(httpserver, archive)
    assert result.listing is not None and len(result.listing.papers) == 81
    title = result.listing.by_id["2504.17830"].title
    assert "Time Operator" in title and "\x00" not in title


def test_malformed_xml_keeps_the_complete_copy(httpserver, archive):
    serve(httpserver, GOOD.replace(b"</title>", b"</titel>", 3), content_type=RSS_TYPE)
    result = fetch(httpserver, archive)
    assert_kept_last_good(result, archive, "complete copy kept before")


def test_a_truncated_download_keeps_the_complete_copy(httpserver, archive):
    serve(httpserver, GOOD[: len(GOOD) // 2], content_type=RSS_TYPE)
    assert_kept_last_good(fetch(httpserver, archive), archive, "cut off")


def test_a_feed_of_100000_items_is_refused_quickly(httpserver, archive):
    head, _, _ = GOOD.partition(b"<item>")
    item = b"<item><title>x</title><link>https://arxiv.org/abs/2504.00001</link></item>\n"
    serve(httpserver, head + item * 100_000 + b"</channel></rss>", content_type=RSS_TYPE)
    started = time.monotonic()
    result = fetch(httpserver, archive)
    assert time.monotonic() - started < 5  # a guard against parsing it, not a benchmark
    assert_kept_last_good(result, archive, "more than 10,000 items, more than any arXiv listing")


def test_a_10_mb_title_is_cut_to_a_readable_length():
    head, sep, rest = GOOD.partition(b"<title>Self-Adjoint")
    huge = head + sep + b" very" * 2_000_000 + rest
    paper = parse_feed(huge, "huge").papers[0]
    assert len(paper.title) <= TITLE_LIMIT and paper.title.endswith("…")


def test_a_body_over_the_size_cap_is_not_downloaded_whole(httpserver, archive, monkeypatch):
    from arxiv_tui.core.sources import arxiv

    monkeypatch.setattr(arxiv, "MAX_BYTES", 100_000)
    serve(httpserver, GOOD, content_type=RSS_TYPE)
    assert_kept_last_good(fetch(httpserver, archive), archive, "larger than 100,000 bytes")


def test_parse_errors_are_the_projects_own_type():
    with pytest.raises(FeedError):
        parse_feed(b"\x00\x01binary garbage", "garbage")
