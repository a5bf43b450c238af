"""Getting the listing to show: from saved feed files, the network, or the library.

The Reader (and through it the TUI and `digest`) uses these, so every front end behaves the
same on empty days and errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from arxiv_tui.core.base.clock import now_in_seconds
from arxiv_tui.core.base.errors import ArxivTuiError
from arxiv_tui.core.base.schedule import eastern_offset, feed_date, latest_listing_date
from arxiv_tui.core.base.text import counted, safe_message
from arxiv_tui.core.config import Config
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.models import Listing, combine

if TYPE_CHECKING:  # the fetch and parse modules are imported when a listing is fetched
    from arxiv_tui.core.models import ParsedFeed

FRESH = "fresh"  # just fetched (or loaded from --feed): a new announcement
NO_ANNOUNCEMENT = "no-announcement"  # arXiv announced nothing today; showing the last listing
OFFLINE = "offline"  # --offline: the library only
FAILED = "failed"  # the fetch failed; showing the library's newest listing

Parser = Callable[[bytes, str], "ParsedFeed"]


class MatchingParser(Protocol):
    """A parser that also finds which of the keywords `include` each paper hits, where it parses
    (isolated.py: a child process), and gives them with the feed (ParsedFeed.keyword_hits)."""

    def __call__(self, data: bytes, source: str, include: Sequence[str] = ()) -> ParsedFeed: ...


class Fetcher(Protocol):
    """What fetches the day's listing: a ListingClient, or the answer of a prefetch."""

    def url_for(self, categories: Sequence[str]) -> str: ...

    def fetch(self, categories: Sequence[str]) -> ParsedFeed: ...


@dataclass
class LoadResult:
    listing: Listing | None
    status: str
    messages: list[str] = field(default_factory=list)
    checked_on: dt.date | None = None  # the date of an empty (no-announcement) feed
    to_keep: list[Listing] = field(default_factory=list)  # what arrived, for `keep` to store
    categories: tuple[str, ...] = ()
    hits: dict[str, list[str]] | None = None  # the listing's keyword hits, if found where it was parsed


def keep(library: Library, result: LoadResult) -> list[str]:
    """Store what a load brought (after it is shown: a day's 1,500 papers take 0.2-0.3 s)."""
    messages: list[str] = []
    for listing in result.to_keep:
        _keep(library, listing, result.categories, messages)
    return messages


def new_listing_due(library: Library, categories: Sequence[str], now: dt.datetime | None = None) -> bool:
    """Whether the feed may hold a listing the library lacks: the newest one it can hold now
    (schedule.feed_date) is not here whole for these categories (holidays aside)."""
    moment = now or dt.datetime.now(dt.UTC)
    newest = feed_date(moment, eastern_offset(moment))
    return not library.holds_whole(newest, categories)


def undated(parsed: ParsedFeed, source: str, now: dt.datetime | None = None) -> ParsedFeed:
    """Papers under a date that could not be read are no empty day: they are given the date of
    the newest announcement when they were asked for, and that is said."""
    if not parsed.papers or parsed.listing_date is not None:
        return parsed
    day = latest_listing_date(now or dt.datetime.now(dt.UTC))
    said = (
        f"{source}: the listing's date could not be read; its {counted(len(parsed.papers), 'paper')} "
        f"are taken as the listing of {day:%a %d %b %Y}, the newest announced when they were asked for"
    )
    return replace(parsed, listing_date=day, problems=[*parsed.problems, said])


def listing_from(parsed: ParsedFeed, source: str) -> Listing | None:
    """A Listing for a parsed feed; None for an empty (no-announcement) one. Papers under a date
    that could not be read are a listing (`undated`), never an empty day."""
    parsed = undated(parsed, source)
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
        fetched_at=now_in_seconds(),
        complete=parsed.complete,
    )


def newest(library: Library) -> Listing | None:
    return library.newest_listing()


def _keep(library: Library, listing: Listing, categories: Sequence[str], messages: list[str]) -> None:
    try:
        if not library.store_listing(listing, categories):
            messages.append(
                f"the download of {listing.date} was incomplete; the complete copy already kept was kept"
            )
    except ArxivTuiError as error:
        messages.append(str(error))


def load_feed_files(
    files: Sequence[Path], library: Library, parser: Parser | None = None, include: Sequence[str] = ()
) -> LoadResult:
    """`--feed FILE...`: each file is taken as the listing it is and kept in the library; the
    newest one's keyword hits come with it when a child matched them for `include`."""
    if parser is None:
        from arxiv_tui.core.sources.parse import parse_feed

        parser = parse_feed
    messages: list[str] = []
    found: list[tuple[Listing, dict[str, list[str]] | None]] = []
    empty_dates: list[dt.date] = []
    failed = False
    for path in files:
        try:
            parsed = parser(Path(path).read_bytes(), str(path))
        except OSError as error:
            messages.append(f"{path}: cannot be read ({error.strerror})")
            failed = True
            continue
        except ArxivTuiError as error:
            messages.append(str(error))
            failed = True
            continue
        parsed = undated(parsed, str(path))
        messages += parsed.problems
        listing = listing_from(parsed, f"file:{safe_message(Path(path).name, 200)}")
        if listing is None:
            if parsed.listing_date:
                empty_dates.append(parsed.listing_date)
            messages.append(f"{path}: no papers (an empty listing: no announcement that day)")
            continue
        found.append((listing, child_hits(parsed, include)))
    if not found:
        status = NO_ANNOUNCEMENT if empty_dates and not failed else FAILED
        return LoadResult(newest(library), status, messages, max(empty_dates, default=None))
    shown, hits = max(found, key=lambda item: item[0].date)
    return LoadResult(shown, FRESH, messages, to_keep=[listing for listing, _ in found], hits=hits)


NO_CATEGORIES = (
    "No categories to read yet: choose them with K in the reader (or categories = [...] in config.toml)"
)


def fetch_latest(config: Config, library: Library, client: Fetcher) -> LoadResult:
    """One request for today's listing; on any failure, the newest listing in the library."""
    if not config.categories:
        return LoadResult(newest(library), FAILED, [NO_CATEGORIES])
    try:
        parsed = client.fetch(config.categories)
    except ArxivTuiError as error:
        return LoadResult(newest(library), FAILED, [str(error)])
    parsed = undated(parsed, client.url_for(config.categories))
    messages = list(parsed.problems)
    listing = listing_from(parsed, client.url_for(config.categories))
    if listing is None:
        when = parsed.listing_date.strftime("%a %d %b %Y") if parsed.listing_date else "today"
        messages.append(f"No announcement for {when} (weekend or holiday)")
        if parsed.listing_date is not None:
            try:
                library.note_no_announcement(parsed.listing_date, config.categories)
            except ArxivTuiError as error:
                messages.append(str(error))
        return LoadResult(newest(library), NO_ANNOUNCEMENT, messages, parsed.listing_date)
    if not listing.complete:
        held = library.listing(listing.date)
        if held is not None and held.complete:
            messages.append("the download was cut off; showing the complete copy kept before")
            return LoadResult(held, FAILED, messages)
        messages.append("the download was cut off; showing the papers that arrived")
    hits = child_hits(parsed, config.include)
    return LoadResult(listing, FRESH, messages, to_keep=[listing], categories=config.categories, hits=hits)


def child_hits(parsed: ParsedFeed, include: Sequence[str]) -> dict[str, list[str]] | None:
    """The keyword hits a child found for the feed's papers, if it matched today's keywords (not
    when they were edited since)."""
    return parsed.keyword_hits if parsed.matched_with == tuple(include) else None


def load_offline(library: Library, day: dt.date | None = None) -> LoadResult:
    listing = library.listing(day) if day else newest(library)
    messages = []
    if listing is None:
        messages.append(
            f"no listing of {day} in the library" if day else "the library is empty; nothing to show"
        )
    return LoadResult(listing, OFFLINE, messages)


def since(library: Library, first: dt.date, latest: LoadResult) -> LoadResult:
    """Every listing dated `first` or later, read as one (after `latest` was kept)."""
    kept = [listing for day in library.listing_dates() if day >= first if (listing := library.listing(day))]
    if not kept:
        return LoadResult(
            None, latest.status, [f"no listing since {first} in the library"], latest.checked_on
        )
    return LoadResult(combine(kept), latest.status, [], latest.checked_on)


def load(
    config: Config,
    library: Library,
    *,
    feeds: Sequence[Path] = (),
    offline: bool = False,
    client: Fetcher | None = None,
    parser: Parser | None = None,
) -> LoadResult:
    """The listing to show, by the rules of `--feed`, `--offline` and the network.

    `parser` parses what arrives; the reader passes `parse_feed_isolated` to keep it off its
    own process."""
    if feeds:
        return load_feed_files(feeds, library, parser, config.include)
    if offline:
        return load_offline(library)
    if client is not None:
        return fetch_latest(config, library, client)
    from arxiv_tui.core.sources.arxiv import ListingClient
    from arxiv_tui.core.sources.parse import parse_feed

    owned = ListingClient(config.rss_url, config.timeout_seconds, parser=parser or parse_feed)
    try:
        return fetch_latest(config, library, owned)
    finally:
        owned.close()
