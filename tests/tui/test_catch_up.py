"""Coming back after missed days: the reader back-fills them and shows everything since the last visit."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import load_config, update_config
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.session.reader import Reader
from arxiv_tui.core.sources import arxiv
from arxiv_tui.tui.app import ArxivApp
from arxiv_tui.tui.widgets.paper_list import PaperList
from tests.arxiv_server import RSS_TYPE, FakeApi, serve_api
from tests.conftest import fixture_bytes
from tests.tui.conftest import SIZE, settle, wait_for

MON = dt.date(2025, 4, 28)  # the recorded quant-ph listing
LAST_VISIT = dt.date(2025, 4, 23)  # a Wednesday: Thursday's and Friday's listings were missed


@pytest.fixture(autouse=True)
def quick_api(monkeypatch):
    monkeypatch.setattr(arxiv, "MIN_INTERVAL_SECONDS", 0.01)


def reader(home, httpserver, last_visit=LAST_VISIT) -> ArxivApp:
    httpserver.expect_request("/rss/quant-ph").respond_with_data(
        fixture_bytes("rss-quant-ph-2025-04-28.xml"), content_type=RSS_TYPE
    )
    paths = Paths.under(home)
    update_config(
        paths.config_file,
        {
            ("categories",): ["quant-ph"],
            ("keywords", "include"): ["quantum", "learning"],
            ("source", "rss_url"): httpserver.url_for("/rss"),
            ("source", "api_url"): httpserver.url_for("/api/query"),
            ("feed", "retention_days"): 36500,  # the recorded listings are from 2025
        },
    )
    if last_visit:
        library = open_library(paths.library_file)
        library.set_last_seen(last_visit)
        library.close()
    config, _ = load_config(paths.config_file)
    return ArxivApp(Reader.open(paths, config))


async def test_missed_days_are_fetched_and_shown_with_their_dates(home, httpserver):
    api = serve_api(httpserver)
    app = reader(home, httpserver)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listing = app.reader.viewing.listing
        assert listing is not None and listing.is_combined
        assert {paper.listing_date for paper in listing.papers} == {
            dt.date(2025, 4, 24),
            dt.date(2025, 4, 25),
            MON,
        }
        status = app.screen.query_one("#status").text
        assert "New since your last visit: Thu 24 Apr – Mon 28 Apr 2025 (3 listings)" in status
        papers = app.screen.query_one(PaperList)
        rows = [papers.row_text(index).plain for index in range(len(papers.rows))]
        assert any("24 Apr" in row for row in rows) and any("28 Apr" in row for row in rows)
    assert len(api.windows) == 2
    library = open_library(Paths.under(home).library_file)
    assert library.listing_dates() == [dt.date(2025, 4, 24), dt.date(2025, 4, 25), MON]
    assert library.last_seen == MON
    library.close()


async def test_back_filled_papers_arrive_unread(home, httpserver):
    serve_api(httpserver)
    app = reader(home, httpserver)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        back_filled = [p for p in app.reader.viewing.listing.papers if p.listing_date != MON]
        assert back_filled
        assert (
            sum(app.reader.marking.is_read(paper.id) for paper in back_filled) <= 1
        )  # only the highlighted one


async def test_first_run_does_not_reach_back(home, httpserver):
    api = serve_api(httpserver)
    app = reader(home, httpserver, last_visit=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.reader.viewing.listing.is_combined
    assert api.windows == []


async def test_quitting_during_catch_up_keeps_what_was_fetched(home, httpserver):
    """The second day's answer hangs; quitting must not wait for it nor lose the first day."""
    release = threading.Event()
    slow = FakeApi()

    def handler(request):
        if slow.windows:  # one day already answered
            release.wait(10)
        return slow(request)

    httpserver.expect_request("/api/query").respond_with_handler(handler)
    app = reader(home, httpserver)
    async with app.run_test(size=SIZE) as pilot:
        # waits on the state the second day's request sets
        await wait_for(pilot, lambda: app.reader.refreshing.catching_up == (2, 2), "catching up on day 2")
        await pilot.pause()
        status = app.screen.query_one("#status").text
        assert "catching up: day 2 of 2" in status
        assert app.reader.viewing.listing is not None  # today's listing is readable meanwhile
        await pilot.press("j")
        started = time.monotonic()
        await pilot.press("q")
    release.set()
    assert time.monotonic() - started < 5
    library = open_library(Paths.under(home).library_file)
    assert dt.date(2025, 4, 24) in library.listing_dates()
    library.close()
