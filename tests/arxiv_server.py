"""arXiv played by a real HTTP server on 127.0.0.1 (pytest-httpserver), from recorded responses.

The API side answers `submittedDate:[A TO B]` searches with the real recorded page
`api-query-cat-cs.AI-OR-cs.LG-max50-2026-07-13.xml` (50 papers submitted on Fri 10 Jul 2026,
13:48-17:59 UTC), its dates moved to the day the window ends and its ids given a per-day
digit so that each day's papers are distinct. Everything else in the records is as arXiv sent it.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field

from werkzeug import Request, Response

from tests.conftest import fixture_bytes

API_PAGE = "api-query-cat-cs.AI-OR-cs.LG-max50-2026-07-13.xml"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
RSS_TYPE = "application/rss+xml; charset=utf-8"
_WINDOW = re.compile(r"submittedDate:\[(\d{12}) TO (\d{12})\]")


def day_page(window_end: dt.datetime) -> bytes:
    """The recorded API page as if its papers were submitted on the day `window_end` falls on."""
    text = fixture_bytes(API_PAGE).decode("utf-8")
    digit = str(window_end.toordinal() % 9 + 1)
    text = text.replace("2026-07-10T", f"{window_end:%Y-%m-%d}T")
    text = text.replace("arxiv.org/abs/2607.0", f"arxiv.org/abs/2607.{digit}")
    return text.replace("<opensearch:totalResults>386601<", "<opensearch:totalResults>50<").encode()


def window_of(request: Request) -> tuple[dt.datetime, dt.datetime] | None:
    found = _WINDOW.search(request.args.get("search_query", ""))
    if not found:
        return None
    start, end = (
        dt.datetime.strptime(value, "%Y%m%d%H%M").replace(tzinfo=dt.UTC) for value in found.groups()
    )
    return start, end


@dataclass
class FakeApi:
    """Answers each windowed search with that day's papers; records when each request came."""

    empty_days: set[dt.date] = field(default_factory=set)  # holidays: windows with no papers
    stale_days: set[dt.date] = field(default_factory=set)  # days the API answers with 2005 papers
    failing: bool = False
    windows: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    authors_asked: list[str] = field(default_factory=list)  # followed-author alerts: yesterday's page

    def __call__(self, request: Request) -> Response:
        self.times.append(time.monotonic())
        window = window_of(request)
        if self.failing:
            return Response("busy", status=503)
        if request.args.get("search_query", "").startswith("au:"):
            self.authors_asked.append(request.args["search_query"])
            yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
            return Response(day_page(yesterday), content_type=ATOM_TYPE)
        if window is None:
            return Response(fixture_bytes("api-error-http400-idlist-abc-2026-04-12.xml"), status=400)
        self.windows.append(window)
        day = window[1].date()
        if int(request.args.get("start", "0")) > 0 or day in self.empty_days:
            body = fixture_bytes("api-idlist-0000.0000-zero-results-2026-04-12.xml")
        elif day in self.stale_days:
            body = fixture_bytes("api-query-all-testing-start0-max100-2026-04-12.xml")
        else:
            body = day_page(window[1])
        return Response(body, content_type=ATOM_TYPE)


def serve_api(httpserver, api: FakeApi | None = None) -> FakeApi:
    api = api or FakeApi()
    httpserver.expect_request("/api/query").respond_with_handler(api)
    return api
