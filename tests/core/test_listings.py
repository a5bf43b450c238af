"""What is shown on a normal day, an empty day, a failed fetch, offline, and from --feed files."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from arxiv_tui.core.base import schedule
from arxiv_tui.core.base.schedule import latest_listing_date
from arxiv_tui.core.config import Config
from arxiv_tui.core.incoming import listings
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.library.upkeep import prune
from arxiv_tui.core.models import Listing
from arxiv_tui.core.sources.arxiv import ListingClient
from arxiv_tui.core.sources.parse import parse_feed
from tests.conftest import FIXTURES, fixture_bytes

RSS_TYPE = "application/rss+xml"


def setup(httpserver, tmp_path, body: bytes, status: int = 200):
    httpserver.expect_request("/rss/quant-ph").respond_with_data(body, status=status, content_type=RSS_TYPE)
    config = Config(categories=("quant-ph",), rss_url=httpserver.url_for("/rss"))
    return config, open_library(tmp_path / "library.sqlite3"), ListingClient(config.rss_url, 5)


def test_a_fresh_listing_is_shown_and_kept(httpserver, tmp_path):
    config, archive, client = setup(httpserver, tmp_path, fixture_bytes("rss-quant-ph-2025-04-28.xml"))
    result = listings.load(config, archive, client=client)
    assert result.status == listings.FRESH
    assert result.listing.date == dt.date(2025, 4, 28) and len(result.listing.papers) == 81
    assert archive.listing_dates() == []  # shown first; the Reader stores it next
    assert listings.keep(archive, result) == []
    assert archive.listing_dates() == [dt.date(2025, 4, 28)]
    assert archive.listing(dt.date(2025, 4, 28)).papers == result.listing.papers


def test_an_empty_day_keeps_the_last_listing_and_says_so(httpserver, tmp_path):
    config, archive, client = setup(
        httpserver, tmp_path, fixture_bytes("rss-physics-empty-holiday-2025-12-31.xml")
    )
    earlier = listings.listing_from(parse_feed(fixture_bytes("rss-quant-ph-2025-04-28.xml")), "earlier")
    archive.store_listing(earlier)
    result = listings.load(config, archive, client=client)
    assert result.status == listings.NO_ANNOUNCEMENT
    assert result.listing.date == dt.date(2025, 4, 28)  # never presented as new
    assert result.checked_on == dt.date(2025, 12, 31)
    assert "No announcement for Wed 31 Dec 2025" in result.messages[0]
    assert archive.listing_dates() == [dt.date(2025, 4, 28)]  # the empty day has no listing...
    assert dt.date(2025, 12, 31) in archive.listing_dates(with_papers=False)  # ...but is remembered


def test_a_failed_fetch_falls_back_to_the_library(httpserver, tmp_path):
    config, archive, client = setup(httpserver, tmp_path, b"", status=503)
    archive.store_listing(
        listings.listing_from(parse_feed(fixture_bytes("rss-quant-ph-2025-04-28.xml")), "x")
    )
    result = listings.load(config, archive, client=client)
    assert result.status == listings.FAILED
    assert result.listing.date == dt.date(2025, 4, 28)
    assert "HTTP 503" in result.messages[0]


def test_a_truncated_download_never_replaces_a_complete_listing(tmp_path):
    archive = open_library(tmp_path / "library.sqlite3")
    whole = listings.listing_from(parse_feed(fixture_bytes("atom-cs.AI-2025-08-20.xml")), "whole")
    cut = listings.listing_from(parse_feed(fixture_bytes("atom-cs.AI-2025-08-20-truncated.xml")), "cut")
    assert archive.store_listing(whole)
    assert not archive.store_listing(cut)
    kept = archive.listing(dt.date(2025, 8, 20))
    assert kept.complete and len(kept.papers) == 86


def test_feed_files_are_kept_under_their_listing_dates(tmp_path):
    archive = open_library(tmp_path / "library.sqlite3")
    files = [FIXTURES / "rss-quant-ph-2025-04-28.xml", FIXTURES / "atom-cs.AI-2025-08-20.xml"]
    result = listings.load(Config(), archive, feeds=files)
    assert result.status == listings.FRESH
    assert result.listing.date == dt.date(2025, 8, 20)  # the newest one is shown
    listings.keep(archive, result)
    assert archive.listing_dates() == [dt.date(2025, 4, 28), dt.date(2025, 8, 20)]


def test_offline_uses_only_the_library(tmp_path):
    archive = open_library(tmp_path / "library.sqlite3")
    assert listings.load(Config(), archive, offline=True).listing is None
    archive.store_listing(
        listings.listing_from(parse_feed(fixture_bytes("rss-quant-ph-2025-04-28.xml")), "x")
    )
    result = listings.load(Config(rss_url="http://127.0.0.1:9"), archive, offline=True)
    assert result.status == listings.OFFLINE and len(result.listing.papers) == 81


def test_retention_prunes_old_listings(tmp_path):
    archive = open_library(tmp_path / "library.sqlite3")
    for name in ("rss-quant-ph-2025-04-28.xml", "atom-cs.AI-2025-08-20.xml"):
        archive.store_listing(listings.listing_from(parse_feed(fixture_bytes(name)), name))
    assert prune(archive, 30, dt.date(2025, 9, 1)) == 1
    assert archive.listing_dates() == [dt.date(2025, 8, 20)]


def test_papers_under_a_date_that_cannot_be_read_are_a_listing_not_an_empty_day(httpserver, tmp_path):
    from tests.hostile import dated

    config, archive, client = setup(httpserver, tmp_path, dated("Someday, 99 Foo 20xx"))
    result = listings.load(config, archive, client=client)
    assert result.status == listings.FRESH and result.listing is not None
    assert len(result.listing.papers) == 81
    today = latest_listing_date(dt.datetime.now(dt.UTC))
    assert result.listing.date == today
    said = " ".join(result.messages)
    assert "date could not be read" in said and f"{today:%a %d %b %Y}" in said
    assert "No announcement" not in said


def test_the_feed_holds_a_listing_from_eastern_midnight_and_fridays_over_the_weekend():
    eastern = schedule.eastern()

    def at(day: int, hour: int) -> dt.datetime:  # December 2026: Monday the 7th
        return dt.datetime(2026, 12, day, hour, 30, tzinfo=eastern)

    assert schedule.feed_date(at(7, 21)) == dt.date(2026, 12, 7)  # announced at 20:00, not in the feed
    assert schedule.feed_date(at(8, 0)) == dt.date(2026, 12, 8)  # rebuilt at midnight
    assert schedule.feed_date(at(12, 12)) == dt.date(2026, 12, 11)  # Saturday: Friday's
    assert schedule.feed_date(at(14, 0)) == dt.date(2026, 12, 14)  # Monday's, after Sunday's announcement


def test_the_newest_listing_date_follows_arxivs_announcements():
    eastern = schedule.eastern()

    def at(day: int, hour: int) -> dt.datetime:  # December 2026: Sunday the 6th
        return dt.datetime(2026, 12, day, hour, 30, tzinfo=eastern)

    assert latest_listing_date(at(6, 21)) == dt.date(2026, 12, 7)  # Sunday evening: Monday's is out
    assert latest_listing_date(at(7, 10)) == dt.date(2026, 12, 7)  # Monday morning: Monday's
    assert latest_listing_date(at(7, 20)) == dt.date(2026, 12, 8)  # Monday 20:30: Tuesday's
    assert latest_listing_date(at(11, 21)) == dt.date(2026, 12, 11)  # Friday evening: none new
    assert latest_listing_date(at(12, 12)) == dt.date(2026, 12, 11)  # Saturday: Friday's
    assert latest_listing_date(at(13, 10)) == dt.date(2026, 12, 11)  # Sunday before 20:00: Friday's


def test_eastern_time_is_worked_out_without_the_tz_database_and_agrees_with_it_every_hour():
    """A start tells whether today's listing may be out from US Eastern's rules alone (loading the
    tz database costs it 4 ms): they must give the database's offset at every hour, the changes
    of summer time included, or a start at 23:00 in winter would fetch a listing not out yet."""
    eastern = schedule.eastern()
    if not hasattr(eastern, "key"):
        pytest.skip("no tz database here to compare with")
    moment = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    while moment.year < 2028:
        assert schedule.eastern_offset(moment).utcoffset(None) == moment.astimezone(eastern).utcoffset(), (
            moment
        )
        moment += dt.timedelta(minutes=30)


def test_a_listing_is_due_at_eastern_midnight_not_an_hour_before(tmp_path):
    """23:30 EST on Wednesday 2 December 2026: the feed still holds Wednesday's listing."""
    library = open_library(tmp_path / "library.sqlite3")
    wednesday = dt.date(2026, 12, 2)
    papers = parse_feed(fixture_bytes("rss-quant-ph-2025-04-28.xml")).papers
    library.store_listing(
        Listing(wednesday, tuple(dataclasses.replace(p, listing_date=wednesday) for p in papers)),
        ["quant-ph"],
    )
    before_midnight = dt.datetime(2026, 12, 3, 4, 30, tzinfo=dt.UTC)
    assert not listings.new_listing_due(library, ["quant-ph"], before_midnight)
    assert listings.new_listing_due(library, ["quant-ph"], before_midnight + dt.timedelta(hours=1))
    library.close()
