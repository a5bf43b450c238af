"""Missed announcement days are back-filled through the API and kept under their own dates."""

from __future__ import annotations

import datetime as dt

import pytest

from arxiv_tui.core.base.schedule import (
    eastern,
    listing_days_between,
    next_announcement,
    submission_window,
)
from arxiv_tui.core.incoming.catchup import catch_up, category_query, days_to_fetch, missed_days
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.models import CROSS, NEW, Listing
from arxiv_tui.core.sources.arxiv import ApiClient
from arxiv_tui.core.sources.parse import parse_feed
from tests.arxiv_server import FakeApi, day_page, serve_api
from tests.core.test_arxiv_client import FakeClock

THU, FRI, MON = dt.date(2026, 11, 19), dt.date(2026, 11, 20), dt.date(2026, 11, 23)
WED = dt.date(2026, 11, 18)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


# --- the calendar -------------------------------------------------------------------------------


def test_monday_listing_holds_thursday_to_friday_afternoon_submissions():
    # Winter (EST, UTC-5): the 14:00 Eastern cut-off is 19:00 UTC.
    assert submission_window(MON) == (utc(2026, 11, 19, 19), utc(2026, 11, 20, 19))


def test_tuesday_listing_spans_the_weekend_and_summer_time_moves_the_cutoff():
    assert submission_window(dt.date(2026, 11, 24)) == (utc(2026, 11, 20, 19), utc(2026, 11, 23, 19))
    # Summer (EDT, UTC-4): 18:00 UTC.
    assert submission_window(dt.date(2026, 7, 13)) == (utc(2026, 7, 9, 18), utc(2026, 7, 10, 18))


def test_listing_days_skip_weekends():
    assert listing_days_between(WED, MON) == [THU, FRI]
    assert listing_days_between(FRI, MON) == []


@pytest.mark.parametrize(
    ("now_eastern", "expected"),
    [
        (dt.datetime(2026, 11, 19, 19, 59), dt.datetime(2026, 11, 19, 20, 0)),  # Thu before 20:00
        (dt.datetime(2026, 11, 19, 20, 1), dt.datetime(2026, 11, 22, 20, 0)),  # Thu after: Sunday
        (dt.datetime(2026, 11, 21, 9, 0), dt.datetime(2026, 11, 22, 20, 0)),  # Saturday
    ],
)
def test_next_announcement_is_sunday_to_thursday_at_eight_eastern(now_eastern, expected):
    now = now_eastern.replace(tzinfo=eastern())
    assert next_announcement(now) == expected.replace(tzinfo=eastern())


def test_missed_days_are_bounded_and_skip_what_is_archived():
    assert missed_days(dt.date(2026, 11, 16), MON, [WED], limit=7) == [dt.date(2026, 11, 17), THU, FRI]
    assert missed_days(dt.date(2026, 11, 2), MON, [], limit=2) == [THU, FRI]
    assert missed_days(None, MON, [], limit=7) == []  # first run: nothing was missed
    assert missed_days(WED, MON, [], limit=0) == []  # turned off


def test_whole_archives_are_asked_for_with_their_subcategories():
    assert category_query(["cs", "quant-ph"]) == "(cat:cs OR cat:cs.* OR cat:quant-ph)"


# --- back-filling against a loopback arXiv -------------------------------------------------------


def api_client(httpserver, interval=0.05) -> ApiClient:
    return ApiClient(httpserver.url_for("/api/query"), timeout=5, min_interval=interval)


def test_each_missed_day_is_kept_under_its_listing_date(httpserver, tmp_path):
    api = serve_api(httpserver)
    archive = open_library(tmp_path / "library.sqlite3")
    progress = []
    result = catch_up(
        api_client(httpserver),
        archive,
        ["cs.AI", "cs.LG"],
        [THU, FRI],
        progress=lambda index, total, day: progress.append((index, total, day)),
    )
    assert result.saved == [THU, FRI]
    assert progress == [(1, 2, THU), (2, 2, FRI)]
    assert api.windows == [submission_window(THU), submission_window(FRI)]
    for day in (THU, FRI):
        listing = archive.listing(day)
        assert listing is not None and listing.complete
        assert len(listing.papers) == 50
        assert {paper.listing_date for paper in listing.papers} == {day}
        kinds = {paper.primary_category: paper.announce_type for paper in listing.papers}
        assert kinds["cs.AI"] == NEW and kinds["cs.LG"] == NEW and kinds["cs.CV"] == CROSS
    assert not set(archive.listing(THU).by_id) & set(archive.listing(FRI).by_id)


def test_requests_keep_arxivs_three_seconds_apart(httpserver, tmp_path):
    serve_api(httpserver)
    clock = FakeClock()
    client = ApiClient(httpserver.url_for("/api/query"), timeout=5, clock=clock, sleep=clock.sleep)
    catch_up(client, open_library(tmp_path / "library.sqlite3"), ["cs.AI"], [WED, THU, FRI])
    assert clock.sleeps == [3.0, 3.0]  # the default interval, before the 2nd and 3rd request


def test_results_outside_the_asked_window_are_dropped(httpserver, tmp_path):
    serve_api(httpserver, FakeApi(stale_days={THU.replace(day=18)}))  # Thursday's window ends Wed 18
    archive = open_library(tmp_path / "library.sqlite3")
    result = catch_up(api_client(httpserver), archive, ["cs.AI"], [THU, FRI])
    assert result.saved == [FRI]
    assert archive.listing(THU) is None
    assert any("outside the asked dates" in message for message in result.messages)


def test_a_holiday_window_with_no_papers_is_not_kept(httpserver, tmp_path):
    serve_api(httpserver, FakeApi(empty_days={dt.date(2026, 11, 19)}))  # Friday's window ends Thu 19
    result = catch_up(
        api_client(httpserver), open_library(tmp_path / "library.sqlite3"), ["cs.AI"], [THU, FRI]
    )
    assert result.saved == [THU]
    assert result.empty == [FRI]


def test_stopping_keeps_the_days_already_fetched(httpserver, tmp_path):
    serve_api(httpserver)
    archive = open_library(tmp_path / "library.sqlite3")
    stop_after_first = []
    result = catch_up(
        api_client(httpserver),
        archive,
        ["cs.AI"],
        [WED, THU, FRI],
        progress=lambda index, total, day: stop_after_first.append(day),
        should_stop=lambda: len(stop_after_first) >= 1 and archive.listing(WED) is not None,
    )
    assert result.stopped
    assert archive.listing_dates() == [WED]


def test_a_failing_api_is_reported_and_nothing_is_half_written(httpserver, tmp_path):
    serve_api(httpserver, FakeApi(failing=True))
    client = ApiClient(
        httpserver.url_for("/api/query"), timeout=5, min_interval=0.01, max_retries=1, sleep=lambda s: None
    )
    archive = open_library(tmp_path / "library.sqlite3")
    result = catch_up(client, archive, ["cs.AI"], [THU, FRI])
    assert result.saved == []
    assert archive.listing_dates() == []
    assert "HTTP 503" in result.messages[0]


def test_a_day_cut_short_is_fetched_again_next_time(tmp_path):
    archive = open_library(tmp_path / "library.sqlite3")
    listing = catchup_listing(THU, complete=False)
    archive.store_listing(listing)
    archive.store_listing(catchup_listing(FRI, complete=True))
    assert days_to_fetch(archive, WED, MON, limit=7) == [THU]


def catchup_listing(day: dt.date, complete: bool) -> Listing:
    papers = parse_feed(day_page(utc(day.year, day.month, day.day, 18)), "test").papers
    return Listing(day, tuple(papers), source="arxiv-api catch-up", complete=complete)
