"""The Reader's refresh: today's listing, then any missed days through the API, then everything
since the user's last visit, each step reported as an event the moment it is done.

`refresh` runs in a worker thread and only computes and stores; `RefreshState.apply` takes
each event on the front end's own thread, keeps what the refresh is doing (the status line
reads it) and says which listing to show and what to tell the user. Quitting stops a refresh
between requests: `should_stop` is checked before each, and `sleep` (the API's 3 s spacing) is
the worker's cancel event.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from arxiv_tui.core.base.errors import ArxivTuiError
from arxiv_tui.core.config import Config
from arxiv_tui.core.incoming import listings
from arxiv_tui.core.incoming.catchup import CatchUpResult, catch_up, days_to_fetch
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.models import Listing, combine
from arxiv_tui.core.session.arrivals import Arrivals
from arxiv_tui.core.session.events import (
    WARNING,
    AlertsChecked,
    CatchingUp,
    CaughtUp,
    CheckingAlerts,
    Event,
    Fetched,
    Loaded,
    Notice,
    Previewed,
    RefreshDone,
    SinceVisit,
    Stored,
)

if TYPE_CHECKING:
    from arxiv_tui.core.matching.match import Matcher
    from arxiv_tui.core.models import ParsedFeed
    from arxiv_tui.core.sources.prefetch import Prefetch

MAX_SINCE_LISTINGS = 60
DRAW_WAIT = 2.0  # seconds a refresh waits for the front end to draw a fetched listing before storing it


class Refreshing(Protocol):
    """What a refresh reads of the Reader (and `take_prefetch` hands over the early fetch once)."""

    library: Library
    feeds: list[Path]
    offline: bool
    previous_visit: dt.date | None
    arrivals: Arrivals  # the Inbox, which a listing's matched papers enter

    @property
    def config(self) -> Config: ...

    @property
    def parse(self) -> Callable[[bytes, str], ParsedFeed]: ...

    @property
    def matcher(self) -> Matcher: ...

    def prepare(self, listing: Listing, hits: dict[str, list[str]] | None = None) -> Loaded: ...

    def remember_hits(self, listing: Listing) -> None: ...

    def take_prefetch(self) -> Prefetch | None: ...


def refresh(
    reader: Refreshing,
    report: Callable[[Event], object],
    should_stop: Callable[[], bool],
    sleep: Callable[[float], object] | None,
    *,
    since: dt.date | None,
    visit: bool,
    drawn: threading.Event | None = None,
    shown_date: dt.date | None = None,
    alerts: bool | None = None,
) -> None:
    """`since`: every listing from that date on (`digest --since`), missed days fetched;
    `visit=False`: today's listing alone, nothing back-filled (a plain `digest`); `drawn` is
    set by a front end once it has drawn a fetched listing, which is then stored; `shown_date`:
    the listing on screen (an early preview must be newer); `alerts`: ask the alerts that are
    due (alerts.py; by default on a visit), online only."""
    prefetch = reader.take_prefetch()  # the first refresh's answer, if it was fetched early
    if prefetch is not None and _preview(reader, prefetch, report, shown_date) and drawn is not None:
        drawn.wait(DRAW_WAIT)  # the whole listing is decoded once its first papers are on screen
        drawn.clear()
    parser = prefetch.parser(reader.parse) if prefetch is not None and reader.feeds else reader.parse
    client = prefetch.client() if prefetch is not None and not reader.feeds else None
    try:
        result = listings.load(
            reader.config,
            reader.library,
            feeds=reader.feeds,
            offline=reader.offline,
            parser=parser,
            client=client,
        )
    except ArxivTuiError as error:
        result = listings.LoadResult(reader.library.newest_listing(), listings.FAILED, [str(error)])
    if should_stop():
        return
    loaded = None
    if result.listing is not None:
        loaded = reader.prepare(result.listing, result.hits)
    report(Fetched(result, loaded))
    if drawn is not None and result.to_keep:
        drawn.wait(DRAW_WAIT)  # storing 1,500 papers is 0.2 s of Python: not while the frame is drawn
    problems = listings.keep(reader.library, result)
    if problems:
        report(Stored(tuple(Notice(text, WARNING) for text in problems)))
    if result.to_keep and result.listing is not None:
        reader.remember_hits(result.listing)
    entered = 0
    for kept in result.to_keep:  # what a keyword or a followed author found enters the Inbox
        entered += reader.arrivals.let_in(
            loaded if loaded is not None and kept is result.listing else reader.prepare(kept),
            versions=reader.config.alert_versions,
        )
    if entered:  # shown now, not after the catch-up and the alerts
        report(reader.arrivals.grew(entered))
        entered = 0
    online = (
        result.status in (listings.FRESH, listings.NO_ANNOUNCEMENT)
        and not reader.feeds
        and not reader.offline
    )
    if online and (visit or since is not None):
        caught = _catch_up(reader, result, report, should_stop, sleep, since)
        if caught is not None:
            report(CaughtUp(caught))
            for day in caught.saved:  # each missed day's papers enter the Inbox too
                if (missed := reader.library.listing(day)) is not None:
                    entered += reader.arrivals.let_in(reader.prepare(missed), reader.config.alert_versions)
    if online and (visit if alerts is None else alerts) and not should_stop():
        entered += _check_alerts(reader, report, should_stop, sleep)
    combined = _since(reader, since) if since is not None else _since_visit(reader) if visit else None
    if combined is not None and not should_stop():
        report(SinceVisit(reader.prepare(combined)))
    if entered:
        report(reader.arrivals.grew(entered))
    report(RefreshDone())


def _preview(
    reader: Refreshing, prefetch: Prefetch, report: Callable[[Event], object], shown_date: dt.date | None
) -> bool:
    """The first papers of a listing newer than the one shown, while the child parses the rest;
    whether they were reported."""
    loaded = preview(reader, prefetch, after=shown_date)
    if loaded is None:
        return False
    report(Previewed(loaded))
    return True


def preview(
    reader: Refreshing, prefetch: Prefetch, wait: bool = True, after: dt.date | None = None
) -> Loaded | None:
    """The prefetch's first papers, matched (None when it sent none, when they are not in yet
    and `wait` is False, or when their listing is not newer than `after`)."""
    taken = prefetch.take_preview(wait)
    listing = listings.listing_from(taken, "preview") if taken is not None else None
    if taken is None or listing is None or (after is not None and listing.date <= after):
        return None
    return reader.prepare(listing, listings.child_hits(taken, reader.config.include))


def _catch_up(
    reader: Refreshing,
    result: listings.LoadResult,
    report: Callable[[Event], object],
    should_stop: Callable[[], bool],
    sleep: Callable[[float], object] | None,
    since: dt.date | None,
) -> CatchUpResult | None:
    from arxiv_tui.core.sources.arxiv import ApiClient

    newest = result.listing.date if result.status == listings.FRESH and result.listing else None
    newest = newest or result.checked_on or dt.date.today()
    if since is not None:
        days = days_to_fetch(reader.library, since - dt.timedelta(days=1), newest, MAX_SINCE_LISTINGS)
    else:
        days = days_to_fetch(reader.library, reader.previous_visit, newest, reader.config.catch_up_listings)
    if not days:
        return None
    client = ApiClient(
        reader.config.api_url, reader.config.timeout_seconds, parser=reader.parse, sleep=sleep or time.sleep
    )
    try:
        return catch_up(
            client,
            reader.library,
            reader.config.categories,
            days,
            progress=lambda index, total, day: report(CatchingUp(index, total, day)),
            should_stop=should_stop,
        )
    finally:
        client.close()


def _check_alerts(
    reader: Refreshing,
    report: Callable[[Event], object],
    should_stop: Callable[[], bool],
    sleep: Callable[[float], object] | None,
) -> int:
    """Ask the alerts that are on and due (alerts.py); how many papers entered the Inbox."""
    from arxiv_tui.core.incoming import alerts
    from arxiv_tui.core.sources.arxiv import ApiClient, HttpClient
    from arxiv_tui.core.sources.scholar import Scholar

    config = reader.config
    wait = sleep or time.sleep
    if not alerts.any_due(reader.library, config, reader.matcher):
        return 0
    report(CheckingAlerts())
    connections: list[HttpClient] = []

    def api() -> ApiClient:
        return ApiClient(config.api_url, config.timeout_seconds, parser=reader.parse, sleep=wait)

    def scholar() -> Scholar:
        connections.append(HttpClient(config.timeout_seconds))
        request = connections[-1].request
        return Scholar(config.s2_url, reader.library.db, request, config.s2_api_key, sleep=wait)

    try:
        run = alerts.check(reader.library, config, reader.matcher, api, scholar, should_stop=should_stop)
    finally:
        for connection in connections:
            connection.close()
    report(AlertsChecked(len(run.entered), tuple(Notice(text, WARNING) for text in run.messages)))
    return len(run.entered)


def _since(reader: Refreshing, first: dt.date) -> Listing | None:
    """Every listing dated `first` or later, as one."""
    days = [day for day in reader.library.listing_dates() if day >= first]
    loaded = [listing for day in days if (listing := reader.library.listing(day)) is not None]
    return combine(loaded) if loaded else None


def _since_visit(reader: Refreshing) -> Listing | None:
    """Every listing after the previous visit, as one; None when there are fewer than two."""
    if reader.previous_visit is None:
        return None
    days = [day for day in reader.library.listing_dates() if day > reader.previous_visit]
    loaded = [listing for day in days if (listing := reader.library.listing(day)) is not None]
    return combine(loaded) if len(loaded) > 1 else None
