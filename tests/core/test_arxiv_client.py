"""The clients against a real HTTP server on 127.0.0.1 serving recorded arXiv responses."""

from __future__ import annotations

import datetime as dt
import itertools
import time

import pytest
from werkzeug import Response

from arxiv_tui.core.base.errors import FeedError, FetchError
from arxiv_tui.core.sources.arxiv import USER_AGENT, ApiClient, ListingClient, retry_after_seconds
from tests.conftest import fixture_bytes

RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"


class FakeClock:
    """Time that only moves when the client sleeps: proves spacing without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def listing_client(httpserver, timeout=5.0) -> ListingClient:
    return ListingClient(httpserver.url_for("/rss"), timeout=timeout)


def test_one_request_for_all_categories_with_a_clear_user_agent(httpserver):
    httpserver.expect_request("/rss/quant-ph+cs.CL").respond_with_data(
        fixture_bytes("rss-quant-ph-2025-04-28.xml"), content_type=RSS_TYPE
    )
    parsed = listing_client(httpserver).fetch(["quant-ph", "cs.CL"])
    assert len(parsed.papers) == 81
    assert len(httpserver.log) == 1
    request, _ = httpserver.log[0]
    assert request.headers["User-Agent"] == USER_AGENT


def test_redirects_are_followed(httpserver):
    httpserver.expect_request("/rss/quant-ph").respond_with_response(
        Response(status=301, headers={"Location": httpserver.url_for("/moved/quant-ph")})
    )
    httpserver.expect_request("/moved/quant-ph").respond_with_data(
        fixture_bytes("rss-quant-ph-2025-04-28.xml"), content_type=RSS_TYPE
    )
    assert len(listing_client(httpserver).fetch(["quant-ph"]).papers) == 81


def test_empty_weekend_feed_is_not_an_error(httpserver):
    httpserver.expect_request("/rss/physics").respond_with_data(
        fixture_bytes("rss-physics-empty-holiday-2025-12-31.xml"), content_type=RSS_TYPE
    )
    parsed = listing_client(httpserver).fetch(["physics"])
    assert parsed.papers == [] and parsed.listing_date == dt.date(2025, 12, 31)


def test_400_error_feed_gives_arxivs_message(httpserver):
    httpserver.expect_request("/rss/astroph").respond_with_data(
        fixture_bytes("rss-error-bad-archive-2024-11-28.xml"), status=400, content_type=RSS_TYPE
    )
    with pytest.raises(FeedError, match="Bad archive 'astroph'"):
        listing_client(httpserver).fetch(["astroph"])


def test_5xx_is_a_fetch_error(httpserver):
    httpserver.expect_request("/rss/cs.CL").respond_with_data("oops", status=503)
    with pytest.raises(FetchError, match="HTTP 503"):
        listing_client(httpserver).fetch(["cs.CL"])


def test_timeout_is_a_fetch_error(httpserver):
    def slow(request):
        time.sleep(1.5)
        return Response(fixture_bytes("rss-quant-ph-2025-04-28.xml"))

    httpserver.expect_request("/rss/cs.CL").respond_with_handler(slow)
    with pytest.raises(FetchError, match="timed out"):
        listing_client(httpserver, timeout=0.3).fetch(["cs.CL"])


def test_truncated_body_is_parsed_but_marked_incomplete(httpserver):
    httpserver.expect_request("/atom/cs.AI").respond_with_data(
        fixture_bytes("atom-cs.AI-2025-08-20-truncated.xml"), content_type=ATOM_TYPE
    )
    client = ListingClient(httpserver.url_for("/atom"))
    parsed = client.fetch(["cs.AI"])
    assert not parsed.complete and len(parsed.papers) == 87


def test_connection_refused_is_a_fetch_error():
    client = ListingClient("http://127.0.0.1:9/rss", timeout=2)
    with pytest.raises(FetchError):
        client.fetch(["cs.CL"])


# --- the API client ---------------------------------------------------------------------------


def api_client(httpserver, clock: FakeClock, **options) -> ApiClient:
    return ApiClient(httpserver.url_for("/api/query"), timeout=5, clock=clock, sleep=clock.sleep, **options)


def recording(clock: FakeClock, arrivals: list[float], responses: list[Response]):
    """A handler that notes the (fake) time each request arrives and plays `responses` in order."""

    def handler(request):
        arrivals.append(clock.now)
        return responses.pop(0)

    return handler


def test_api_requests_are_at_least_three_seconds_apart(httpserver):
    clock, arrivals = FakeClock(), []
    body = fixture_bytes("api-query-all-testing-start10-max10-2026-04-12.xml")
    httpserver.expect_request("/api/query").respond_with_handler(
        recording(clock, arrivals, [Response(body, content_type=ATOM_TYPE) for _ in range(3)])
    )
    client = api_client(httpserver, clock)
    for start in (10, 20, 30):
        client.query("all:testing", start=start, max_results=10)
    assert len(arrivals) == 3
    assert all(later - earlier >= 3.0 for earlier, later in itertools.pairwise(arrivals))
    request, _ = httpserver.log[0]
    assert request.args["search_query"] == "all:testing" and request.args["start"] == "10"


def test_api_honours_retry_after_on_429_then_succeeds(httpserver):
    clock, arrivals = FakeClock(), []
    body = fixture_bytes("api-query-all-testing-start10-max10-2026-04-12.xml")
    httpserver.expect_request("/api/query").respond_with_handler(
        recording(
            clock,
            arrivals,
            [Response("slow down", status=429, headers={"Retry-After": "17"}), Response(body)],
        )
    )
    page = api_client(httpserver, clock).query("all:testing")
    assert len(page.papers) == 10
    assert arrivals[1] - arrivals[0] >= 17


def test_api_caps_a_huge_retry_after_and_says_so(httpserver):
    clock, arrivals = FakeClock(), []
    body = fixture_bytes("api-query-all-testing-start10-max10-2026-04-12.xml")
    httpserver.expect_request("/api/query").respond_with_handler(
        recording(
            clock, arrivals, [Response("", status=503, headers={"Retry-After": "86400"}), Response(body)]
        )
    )
    client = api_client(httpserver, clock, max_retry_after=60)
    client.query("all:testing")
    assert 60 <= arrivals[1] - arrivals[0] < 61
    assert "86400" in client.notices[0]


def test_api_retries_503_with_backoff_then_gives_up(httpserver):
    clock, arrivals = FakeClock(), []
    httpserver.expect_request("/api/query").respond_with_handler(
        recording(clock, arrivals, [Response("", status=503) for _ in range(3)])
    )
    with pytest.raises(FetchError, match="gave up after 3 tries"):
        api_client(httpserver, clock, max_retries=2).query("all:x")
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert gaps[0] >= 3 and gaps[1] > gaps[0]


def test_api_retries_an_empty_page_that_claims_results(httpserver):
    clock, arrivals = FakeClock(), []
    empty = (
        b"<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom' "
        b"xmlns:opensearch='http://a9.com/-/spec/opensearch/1.1/'><id>https://arxiv.org/api/x</id>"
        b"<title>arXiv Query</title><opensearch:totalResults>214881</opensearch:totalResults></feed>"
    )
    full = fixture_bytes("api-query-all-testing-start10-max10-2026-04-12.xml")
    httpserver.expect_request("/api/query").respond_with_handler(
        recording(clock, arrivals, [Response(empty), Response(full)])
    )
    assert len(api_client(httpserver, clock).query("all:testing").papers) == 10
    assert len(arrivals) == 2


def test_api_drops_entries_outside_the_asked_window(httpserver):
    clock, arrivals = FakeClock(), []
    body = fixture_bytes("api-query-all-testing-start0-max100-2026-04-12.xml")
    httpserver.expect_request("/api/query").respond_with_handler(recording(clock, arrivals, [Response(body)]))
    window = (dt.datetime(2022, 1, 1, tzinfo=dt.UTC), dt.datetime(2022, 12, 31, tzinfo=dt.UTC))
    page = api_client(httpserver, clock).query("all:testing", window=window)
    assert page.papers, "the fixture has 2022 papers"
    assert all(paper.published.startswith("2022-") for paper in page.papers)
    assert len(page.papers) < 100


def test_api_error_feed_is_a_feed_error(httpserver):
    httpserver.expect_request("/api/query").respond_with_data(
        fixture_bytes("api-error-http400-idlist-abc-2026-04-12.xml"), status=400
    )
    with pytest.raises(FeedError, match="incorrect id format for abc"):
        api_client(httpserver, FakeClock()).query(id_list=["abc"])


def test_retry_after_as_http_date():
    now = dt.datetime(2026, 1, 1, 12, 0, 0, tzinfo=dt.UTC)
    assert retry_after_seconds("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("soon") is None
