"""Bytes from arXiv (RSS, Atom listing, API Atom) to papers. See ARXIV-FACTS.md for the traps."""

from __future__ import annotations

import datetime as dt
import email.utils
import re

from arxiv_tui.core.base.errors import ArxivErrorFeed, FeedError
from arxiv_tui.core.base.schedule import date_problem
from arxiv_tui.core.base.text import (
    ABSTRACT_LIMIT,
    TITLE_LIMIT,
    clean_text,
    safe_message,
    split_authors,
    strip_control,
)
from arxiv_tui.core.models import (
    ANNOUNCE_TYPES,
    CROSS,
    NEW,
    REPLACE,
    REPLACE_CROSS,
    Paper,
    ParsedFeed,
    dedupe,
    is_arxiv_id,
)
from arxiv_tui.core.sources import feedxml
from arxiv_tui.core.sources.feedxml import RawEntry, RawFeed

RSS = "rss"
ATOM = "atom"
API = "api"

# arXiv ids: new style 2411.17728 / 0704.0001, old style hep-ph/0301050 or math.GT/0309136, in
# ASCII digits with no digit of any script beside them (models.ARXIV_ID says what an id is).
# Linear: an old-style archive name only starts where no letter or hyphen precedes, and is read
# possessively, so a 30 KB run of letters is scanned once, not once per starting letter.
_ID = re.compile(
    r"((?<!\d)[0-9]{4}\.[0-9]{4,5}(?!\d)|(?<![a-z\-])[a-z][a-z\-]*+(?:\.[A-Z]{2})?/[0-9]{7}(?!\d))"
    r"(?:v([0-9]{1,4}))?"
)
ID_TEXT_LIMIT = 300  # an id field longer than this is cut before any pattern sees it
_DESCRIPTION = re.compile(
    r"^\s*arXiv:(?P<id>\S{1,80}?)\s+Announce\s+Type:\s*(?P<type>[\w-]{1,30})\s*(?:Abstract:\s?)?(?P<abstract>.*)$",
    re.DOTALL,
)
MAX_BYTES = 50_000_000
MAX_ITEMS = 10_000  # arXiv sends at most 2,000 items a feed or API page


def split_id(raw: str) -> tuple[str, int]:
    """`http://arxiv.org/abs/2104.12255v1` or `oai:arXiv.org:hep-ph/0301050v2` -> (id, version)."""
    match = _ID.search((raw or "")[:ID_TEXT_LIMIT])
    if not match or not is_arxiv_id(match.group(1)):  # ASCII digits, next to no other digit, bounded
        raise ValueError(f"no arXiv id in {safe_message(raw, 80)!r}")
    return match.group(1), int(match.group(2) or 1)


def ascii_int(text: object, limit: int = 12) -> int | None:
    """A whole number written in ASCII digits, or None: `str.isdigit` accepts "²", which `int` refuses."""
    value = str(text or "").strip()
    if 0 < len(value) <= limit and value.isascii() and value.isdigit():
        return int(value)
    return None


def _eastern_date(moment: dt.datetime) -> dt.date:
    """The US Eastern calendar date of a moment: arXiv dates its listings in New York time."""
    try:
        from zoneinfo import ZoneInfo

        return moment.astimezone(ZoneInfo("America/New_York")).date()
    except (OverflowError, ValueError):  # the last day of year 9999, and the like
        return moment.date()
    except Exception:  # no tz database on this machine: EST is right except near midnight
        return (moment.astimezone(dt.UTC) - dt.timedelta(hours=5)).date()


def _date_from_rfc822(value: str) -> dt.date | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value[:100])
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    # The channel pubDate is midnight Eastern in its own offset: its calendar date is the listing date.
    return parsed.date()


def _date_from_iso(value: str, eastern: bool) -> dt.date | None:
    try:
        parsed = dt.datetime.fromisoformat(value[:60].strip().replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    if parsed.tzinfo is None or not eastern:
        return parsed.date()
    return _eastern_date(parsed)


def _kind(raw: RawFeed) -> str:
    if raw.total_results.strip() or "/api/" in raw.feed_id:
        return API
    return ATOM if raw.is_atom else RSS


def _check_error_feed(raw: RawFeed, kind: str) -> None:
    title = raw.title.strip()
    if title.startswith("Feed error for query"):
        message = safe_message(raw.subtitle) or safe_message(title)
        raise ArxivErrorFeed(f"arXiv refused the listing request: {message}")
    if kind == API and len(raw.entries) == 1:
        entry = raw.entries[0]
        if entry.title.strip() == "Error" and "/api/errors" in entry.id[:ID_TEXT_LIMIT]:
            raise ArxivErrorFeed(f"arXiv API error: {safe_message(entry.summary)}")


def _listing_date(raw: RawFeed, kind: str) -> dt.date | None:
    if kind == RSS:
        return _date_from_rfc822(raw.published)
    if kind == ATOM:
        for entry in raw.entries:
            found = _date_from_iso(entry.published, eastern=False)
            if found:
                return found
    return _date_from_iso(raw.updated, eastern=True)


def _categories(entry: RawEntry) -> tuple[str, ...]:
    terms = [strip_control(term[:60]).strip() for term in entry.categories[:100]]
    if entry.primary:
        terms.insert(0, strip_control(entry.primary[:60]).strip())
    seen: dict[str, None] = {}
    for term in terms:
        if term and len(term) < 40:
            seen.setdefault(term, None)
    return tuple(seen)


def _authors(entry: RawEntry, kind: str) -> tuple[str, ...]:
    names = entry.authors[:3000]
    if kind == API:
        return tuple(n for n in (clean_text(name, 300) for name in names) if n)
    # Listing feeds give ONE dc:creator string with all names, comma-joined.
    creator = clean_text(", ".join(names), 100_000)
    return tuple(name[:300] for name in split_authors(creator)[:2000])


def _entry_to_paper(entry: RawEntry, kind: str, listing_date: dt.date | None) -> Paper:
    raw_id = (entry.id or entry.link)[:ID_TEXT_LIMIT]
    summary = entry.summary
    announce = ""
    if kind in (RSS, ATOM):
        described = _DESCRIPTION.match(summary[: ABSTRACT_LIMIT * 4 + 200])
        if described:
            raw_id = described.group("id")
            summary = described.group("abstract")
            announce = described.group("type")
        announce = (entry.announce_type[:30] or announce).strip().lower()
    paper_id, version = split_id(raw_id)
    if kind == API:
        announce = NEW if version == 1 else REPLACE
    if announce not in ANNOUNCE_TYPES:
        announce = NEW
    return Paper(
        id=paper_id,
        version=version,
        title=clean_text(entry.title, TITLE_LIMIT),
        authors=_authors(entry, kind),
        abstract=clean_text(summary, ABSTRACT_LIMIT),
        categories=_categories(entry),
        announce_type=announce,
        listing_date=listing_date,
        comments=clean_text(entry.comment),
        journal_ref=clean_text(entry.journal_ref),
        doi=clean_text(entry.doi, 300, tex=False),
        published=clean_text(entry.published, 40, tex=False) if kind == API else "",
    )


def _read_tolerantly(data: bytes, source: str) -> RawFeed:
    """feedparser, for what is not well-formed XML: it reads what it can, and says what broke."""
    if sum(data.count(tag) for tag in (b"<item", b"<entry")) > 2 * MAX_ITEMS:
        raise FeedError(f"{source}: far more items than any arXiv listing; not read")
    import feedparser  # here, not at the top: it costs 20 ms of every start-up

    try:
        parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    except Exception as error:  # feedparser is meant not to raise; be sure
        raise FeedError(f"{source}: could not be parsed ({safe_message(error, 200)})") from error
    if not parsed.get("version") and not parsed.entries:
        raise FeedError(f"{source}: not an RSS or Atom feed")
    feed = parsed.feed
    get = dict.get  # not FeedParserDict's own get, which maps "updated" to "published" (and warns)
    raw = RawFeed(
        is_atom=str(parsed.get("version", "")).startswith("atom"),
        title=str(get(feed, "title", "")),
        subtitle=str(get(feed, "subtitle", "")),
        feed_id=str(get(feed, "id", "")),
        published=str(get(feed, "published", "")),
        updated=str(get(feed, "updated", "")),
        total_results=str(get(feed, "opensearch_totalresults", "") or ""),
    )
    exception = parsed.get("bozo_exception")
    if parsed.get("bozo") and not isinstance(exception, feedparser.CharacterEncodingOverride):
        raw.complete = False
        raw.problem = safe_message(exception, 200)
    for item in parsed.entries:
        primary = get(item, "arxiv_primary_category")
        raw.entries.append(
            RawEntry(
                id=str(get(item, "id") or ""),
                link=str(get(item, "link") or ""),
                title=str(get(item, "title") or ""),
                summary=str(get(item, "summary") or ""),
                authors=[str(author.get("name") or "") for author in get(item, "authors", [])],
                categories=[str(tag.get("term") or "") for tag in get(item, "tags", [])],
                primary=str(primary.get("term") or "") if isinstance(primary, dict) else "",
                announce_type=str(get(item, "arxiv_announce_type") or ""),
                doi=str(get(item, "arxiv_doi") or ""),
                journal_ref=str(get(item, "arxiv_journal_ref") or get(item, "arxiv_journal_reference") or ""),
                comment=str(get(item, "arxiv_comment") or ""),
                published=str(get(item, "published") or ""),
            )
        )
    return raw


def read_raw(data: bytes, source: str = "response", tolerant_only: bool = False) -> RawFeed:
    """The document's feed and entries: the fast reader for well-formed XML, else feedparser."""
    if len(data) > MAX_BYTES:
        raise FeedError(f"{source}: {len(data):,} bytes is more than any arXiv listing; not parsed")
    try:
        if not tolerant_only:
            return feedxml.read(data, MAX_ITEMS)
        feedxml.refuse_declarations(data)
    except FeedError as error:
        raise FeedError(f"{source}: {error}") from None
    except feedxml.NotWellFormed:
        pass
    return _read_tolerantly(data, source)


def parse_feed(data: bytes, source: str = "response", tolerant_only: bool = False) -> ParsedFeed:
    """Parse one arXiv response. Raises FeedError for error feeds and unreadable bodies.

    A body cut off mid-way still yields the entries before the cut, with `complete=False`:
    callers must not let such a listing replace a complete one. `tolerant_only` skips the
    fast reader (the tests use it to compare the two).
    """
    source = safe_message(source, 300)
    raw = read_raw(data, source, tolerant_only)
    try:
        return _build(raw, source)
    except FeedError:
        raise
    except Exception as error:  # a document no test has shown yet: an error, never a crash
        problem = f"{type(error).__name__}: {safe_message(error, 200)}"
        raise FeedError(f"{source}: could not be read ({problem})") from error


def parse_first(data: bytes, source: str, count: int) -> ParsedFeed | None:
    """The first `count` papers of a listing, to show while the rest is parsed; None when they
    cannot be read fast (not well-formed XML, an error feed): the whole parse then says why."""
    try:
        if len(data) > MAX_BYTES:
            return None
        raw = feedxml.read(data, MAX_ITEMS, first=count)
        return _build(raw, safe_message(source, 300))
    except Exception:  # anything: a preview is never more than a head start
        return None


def _build(raw: RawFeed, source: str) -> ParsedFeed:
    kind = _kind(raw)
    _check_error_feed(raw, kind)
    if len(raw.entries) > MAX_ITEMS:
        raise FeedError(f"{source}: {len(raw.entries):,} items is more than any arXiv listing; not parsed")
    problems: list[str] = []
    if not raw.complete:
        problems.append(f"{source}: malformed feed ({raw.problem})")
    listing_date = _listing_date(raw, kind)
    if listing_date is not None:
        problem = date_problem(listing_date)
        if problem:
            raise FeedError(f"{source}: dated {problem}; not a real listing, not used")
    papers: list[Paper] = []
    skipped = 0
    for entry in raw.entries:
        try:
            papers.append(_entry_to_paper(entry, kind, listing_date if kind != API else None))
        except ValueError as error:
            skipped += 1
            if skipped <= 3:
                problems.append(f"{source}: skipped an entry ({error})")
    if skipped > 3:
        problems.append(f"{source}: skipped {skipped - 3} more entries without an arXiv id")
    return ParsedFeed(
        kind=kind,
        listing_date=listing_date,
        papers=dedupe(papers),
        title=clean_text(raw.title, 300),
        complete=raw.complete,
        total_results=ascii_int(raw.total_results),
        problems=problems,
    )


__all__ = ["API", "ATOM", "CROSS", "NEW", "REPLACE", "REPLACE_CROSS", "RSS", "ParsedFeed",
           "parse_feed", "split_id"]  # fmt: skip
