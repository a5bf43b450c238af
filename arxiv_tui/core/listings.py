"""Getting the listing to show: from saved feed files, the network, or the archive.

Shared by the `digest` command and the TUI, so both behave the same on empty days and errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from arxiv_tui.core.archive import Archive
from arxiv_tui.core.arxiv import ListingClient
from arxiv_tui.core.config import Config
from arxiv_tui.core.errors import ArxivTuiError, FeedError
from arxiv_tui.core.models import Listing, combine
from arxiv_tui.core.parse import ParsedFeed, parse_feed

FRESH = "fresh"  # just fetched (or loaded from --feed): a new announcement
NO_ANNOUNCEMENT = "no-announcement"  # arXiv announced nothing today; showing the last listing
OFFLINE = "offline"  # --offline: the archive only
FAILED = "failed"  # the fetch failed; showing the archive


@dataclass
class LoadResult:
    listing: Listing | None
    status: str
    messages: list[str] = field(default_factory=list)
    checked_on: dt.date | None = None  # the date of an empty (no-announcement) feed


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def listing_from(parsed: ParsedFeed, source: str) -> Listing | None:
    """A Listing for a parsed feed; None for an empty (no-announcement) one."""
    if not parsed.papers or parsed.listing_date is None:
        return None
    papers = tuple(
        paper
        if paper.listing_date == parsed.listing_date
        else replace(paper, listing_date=parsed.listing_date)
        for paper in parsed.papers
    )
    return Listing(
        date=parsed.listing_date,
        papers=papers,
        source=source,
        fetched_at=now_iso(),
        complete=parsed.complete,
    )


def load_feed_files(
    files: Sequence[Path], archive: Archive, parser: Callable[[bytes, str], ParsedFeed] = parse_feed
) -> LoadResult:
    """`--feed FILE...`: each file is taken as the listing it is and kept in the archive."""
    messages: list[str] = []
    listings: list[Listing] = []
    empty_dates: list[dt.date] = []
    failed = False
    for path in files:
        try:
            parsed = parser(Path(path).read_bytes(), str(path))
        except OSError as error:
            messages.append(f"{path}: cannot be read ({error.strerror})")
            failed = True
            continue
        except FeedError as error:
            messages.append(str(error))
            failed = True
            continue
        messages += parsed.problems
        listing = listing_from(parsed, f"file:{Path(path).name}")
        if listing is None:
            if parsed.listing_date:
                empty_dates.append(parsed.listing_date)
            messages.append(f"{path}: no papers (an empty listing: no announcement that day)")
            continue
        listings.append(listing)
        _keep(archive, listing, messages)
    if not listings:
        fallback = archive.latest()
        status = NO_ANNOUNCEMENT if empty_dates and not failed else FAILED
        return LoadResult(fallback, status, messages, max(empty_dates, default=None))
    newest = max(listings, key=lambda item: item.date)
    return LoadResult(newest, FRESH, messages)


def _keep(archive: Archive, listing: Listing, messages: list[str]) -> None:
    try:
        if not archive.save(listing):
            messages.append(
                f"the download of {listing.date} was incomplete; the complete copy already archived was kept"
            )
    except ArxivTuiError as error:
        messages.append(str(error))


def fetch_latest(config: Config, archive: Archive, client: ListingClient) -> LoadResult:
    """One request for today's listing; on any failure, the newest archived listing."""
    try:
        parsed = client.fetch(config.categories)
    except ArxivTuiError as error:
        return LoadResult(archive.latest(), FAILED, [str(error)])
    messages = list(parsed.problems)
    listing = listing_from(parsed, client.url_for(config.categories))
    if listing is None:
        held = archive.latest()
        when = parsed.listing_date.strftime("%a %d %b %Y") if parsed.listing_date else "today"
        messages.append(f"No announcement for {when} (weekend or holiday)")
        return LoadResult(held, NO_ANNOUNCEMENT, messages, parsed.listing_date)
    if not listing.complete:
        held = archive.load(listing.date)
        if held is not None and held.complete:
            messages.append("the download was cut off; showing the complete archived copy")
            return LoadResult(held, FAILED, messages)
        messages.append("the download was cut off; showing the papers that arrived")
    _keep(archive, listing, messages)
    return LoadResult(listing, FRESH, messages)


def load_offline(archive: Archive, date: dt.date | None = None) -> LoadResult:
    listing = archive.load(date) if date else archive.latest()
    messages = list(archive.warnings)
    if listing is None:
        messages.append(
            f"no archived listing for {date}" if date else "the archive is empty; nothing to show"
        )
    return LoadResult(listing, OFFLINE, messages)


def load_since(archive: Archive, since: dt.date, latest: LoadResult) -> LoadResult:
    """Every archived listing dated `since` or later, as one listing (after `latest` was kept)."""
    found = [archive.load(day) for day in archive.dates() if day >= since]
    kept = [listing for listing in found if listing is not None]
    messages = list(archive.warnings)
    if not kept:
        messages.append(f"no listing since {since} in the archive")
        return LoadResult(None, latest.status, messages, latest.checked_on)
    return LoadResult(combine(kept), latest.status, messages, latest.checked_on)


def load(
    config: Config,
    archive: Archive,
    *,
    feeds: Sequence[Path] = (),
    offline: bool = False,
    client: ListingClient | None = None,
    parser: Callable[[bytes, str], ParsedFeed] = parse_feed,
) -> LoadResult:
    """The listing to show, by the rules of `--feed`, `--offline` and the network.

    `parser` parses what arrives; the reader passes `parse_feed_isolated` to keep it off its
    own process."""
    if feeds:
        return load_feed_files(feeds, archive, parser)
    if offline:
        return load_offline(archive)
    owned = client is None
    client = client or ListingClient(config.rss_url, config.timeout_seconds, parser=parser)
    try:
        return fetch_latest(config, archive, client)
    finally:
        if owned:
            client.close()
