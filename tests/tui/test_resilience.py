"""The reader when arXiv is down, comes back, or has nothing to announce."""

from __future__ import annotations

from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import load_config, update_config
from arxiv_tui.core.session.reader import Reader
from arxiv_tui.tui.app import ArxivApp
from tests.arxiv_server import RSS_TYPE
from tests.conftest import fixture_bytes
from tests.tui.conftest import SIZE, make_app, settle


def status(app) -> str:
    return app.screen.query_one("#status").text


def online_reader(home, httpserver) -> ArxivApp:
    paths = Paths.under(home)
    update_config(
        paths.config_file,
        {
            ("categories",): ["quant-ph"],
            ("keywords", "include"): ["qubit*"],
            ("source", "rss_url"): httpserver.url_for("/rss"),
            ("source", "api_url"): httpserver.url_for("/api/query"),  # never arXiv's own
            ("feed", "retention_days"): 36500,
            ("feed", "catch_up_listings"): 0,  # these tests are of the day's listing, not of catch-up
        },
    )
    config, _ = load_config(paths.config_file)
    return ArxivApp(Reader.open(paths, config))


async def test_down_then_back_r_refetches(home, httpserver):
    # A first visit fills the archive; then arXiv goes down.
    async with make_app(home).run_test(size=SIZE) as pilot:
        await settle(pilot)
    app = online_reader(home, httpserver)
    httpserver.expect_oneshot_request("/rss/quant-ph").respond_with_data("down", status=503)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "fetch failed: showing the library" in status(app)
        assert len(app.reader.viewing.listing.papers) == 81  # still readable
        await pilot.press("s")  # and usable
        assert app.reader.marking.session.star_count == 1
        httpserver.expect_request("/rss/quant-ph").respond_with_data(
            fixture_bytes("rss-quant-ph-2025-04-28.xml"), content_type=RSS_TYPE
        )
        await pilot.press("R")
        await settle(pilot)
        assert "fetch failed" not in status(app)
        # The same listing as on the first visit: shown, and not called new.
        assert "Listing of Mon 28 Apr 2025 (seen)" in status(app) and "New listings" not in status(app)


async def test_an_empty_day_says_so_and_when_the_next_announcement_is(home, httpserver):
    async with make_app(home).run_test(size=SIZE) as pilot:
        await settle(pilot)
    httpserver.expect_request("/rss/quant-ph").respond_with_data(
        fixture_bytes("rss-physics-empty-holiday-2025-12-31.xml"), content_type=RSS_TYPE
    )
    app = online_reader(home, httpserver)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = status(app)
        assert "Latest listing: Mon 28 Apr 2025" in shown  # not presented as new
        assert "New listings" not in shown
        assert "no announcement Wed 31 Dec (weekend or holiday); next " in shown


async def test_offline_start_works_from_the_library(home):
    async with make_app(home).run_test(size=SIZE) as pilot:
        await settle(pilot)
    app = make_app(home, feeds=(), offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "offline" in status(app)
        assert len(app.reader.viewing.filtered.matched) > 0
        await pilot.press("slash", *"qubit")
        await settle(pilot)
        await pilot.press("enter", "s")
        assert app.reader.viewing.view_query is not None and app.reader.marking.session.star_count == 1
