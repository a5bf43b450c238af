"""Bytes from arXiv (RSS, Atom listing, API Atom) to papers. See ARXIV-FACTS.md for the traps."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass, field
from typing import Any

from arxiv_tui.core.errors import ArxivErrorFeed, FeedError
from arxiv_tui.core.models import (
    ANNOUNCE_TYPES,
    CROSS,
    NEW,
    REPLACE,
    REPLACE_CROSS,
    Paper,
    dedupe,
)
from arxiv_tui.core.text import (
    ABSTRACT_LIMIT,
    TITLE_LIMIT,
    clean_text,
    collapse_whitespace,
    split_authors,
    strip_control,
)

RSS = "rss"
ATOM = "atom"
API = "api"

# arXiv ids: new style 2411.17728 / 0704.0001, old style hep-ph/0301050 or math.GT/0309136.
_ID = re.compile(r"((?:\d{4}\.\d{4,5})|(?:[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}))(?:v(\d+))?")
_DESCRIPTION = re.compile(
    r"^\s*arXiv:(?P<id>\S+?)\s+Announce\s+Type:\s*(?P<type>[\w-]+)\s*(?:Abstract:\s?)?(?P<abstract>.*)$",
    re.DOTALL,
)
MAX_BYTES = 50_000_000
MAX_ITEMS = 10_000  # arXiv sends at most 2,000 items a feed or API page


@dataclass
class ParsedFeed:
    """What one response or file held."""

    kind: str
    listing_date: dt.date | None
    papers: list[Paper]
    title: str = ""
    complete: bool = True
    total_results: int | None = None
    problems: list[str] = field(default_factory=list)
    dropped: int = 0  # API results left out for falling outside the asked date window


def split_id(raw: str) -> tuple[str, int]:
    """`http://arxiv.org/abs/2104.12255v1` or `oai:arXiv.org:hep-ph/0301050v2` -> (id, version)."""
    match = _ID.search(raw or "")
    if not match:
        raise ValueError(f"no arXiv id in {raw!r}")
    return match.group(1), int(match.group(2) or 1)


def _eastern_date(moment: dt.datetime) -> dt.date:
    """The US Eastern calendar date of a moment: arXiv dates its listings in New York time."""
    try:
        from zoneinfo import ZoneInfo

        return moment.astimezone(ZoneInfo("America/New_York")).date()
    except Exception:  # no tz database on this machine: EST is right except near midnight
        return (moment.astimezone(dt.UTC) - dt.timedelta(hours=5)).date()


def _date_from_rfc822(value: str) -> dt.date | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    # The channel pubDate is midnight Eastern in its own offset: its calendar date is the listing date.
    return parsed.date()


def _date_from_iso(value: str, eastern: bool) -> dt.date | None:
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    if parsed.tzinfo is None or not eastern:
        return parsed.date()
    return _eastern_date(parsed)


def _detect_kind(parsed: Any) -> str:
    feed = parsed.feed
    if "opensearch_totalresults" in feed or "/api/" in str(feed.get("id", "")):
        return API
    return ATOM if str(parsed.get("version", "")).startswith("atom") else RSS


def _check_error_feed(parsed: Any, kind: str) -> None:
    title = str(parsed.feed.get("title", ""))
    if title.startswith("Feed error for query"):
        message = collapse_whitespace(strip_control(str(parsed.feed.get("subtitle", "")))) or title
        raise ArxivErrorFeed(f"arXiv refused the listing request: {message[:500]}")
    if kind == API and len(parsed.entries) == 1:
        entry = parsed.entries[0]
        if entry.get("title") == "Error" and "/api/errors" in str(entry.get("id", "")):
            message = collapse_whitespace(strip_control(str(entry.get("summary", ""))))
            raise ArxivErrorFeed(f"arXiv API error: {message[:500]}")


def _listing_date(parsed: Any, kind: str) -> dt.date | None:
    feed = parsed.feed
    if kind == RSS:
        return _date_from_rfc822(str(feed.get("published", "")))
    if kind == ATOM:
        for entry in parsed.entries:
            found = _date_from_iso(str(entry.get("published", "")), eastern=False)
            if found:
                return found
    return _date_from_iso(str(feed.get("updated", "")), eastern=True)


def _categories(entry: Any) -> tuple[str, ...]:
    terms = [strip_control(str(tag.get("term") or "")).strip() for tag in entry.get("tags", [])]
    primary = entry.get("arxiv_primary_category")
    if isinstance(primary, dict) and primary.get("term"):
        terms.insert(0, strip_control(str(primary["term"])).strip())
    seen: dict[str, None] = {}
    for term in terms:
        if term and len(term) < 40:
            seen.setdefault(term, None)
    return tuple(seen)


def _authors(entry: Any, kind: str) -> tuple[str, ...]:
    names = [str(author.get("name") or "") for author in entry.get("authors", [])]
    if kind == API:
        return tuple(n for n in (clean_text(name, 300) for name in names) if n)
    # Listing feeds give ONE dc:creator string with all names, comma-joined.
    creator = clean_text(", ".join(names), 100_000)
    return tuple(name[:300] for name in split_authors(creator)[:2000])


def _entry_to_paper(entry: Any, kind: str, listing_date: dt.date | None) -> Paper:
    raw_id = str(entry.get("id") or entry.get("link") or "")
    summary = str(entry.get("summary") or "")
    announce = ""
    if kind in (RSS, ATOM):
        described = _DESCRIPTION.match(summary[: ABSTRACT_LIMIT * 4 + 200])
        if described:
            raw_id = described.group("id")
            summary = described.group("abstract")
            announce = described.group("type")
        announce = str(entry.get("arxiv_announce_type") or announce).strip().lower()
    paper_id, version = split_id(raw_id)
    if kind == API:
        announce = NEW if version == 1 else REPLACE
    if announce not in ANNOUNCE_TYPES:
        announce = NEW
    return Paper(
        id=paper_id,
        version=version,
        title=clean_text(str(entry.get("title") or ""), TITLE_LIMIT),
        authors=_authors(entry, kind),
        abstract=clean_text(summary, ABSTRACT_LIMIT),
        categories=_categories(entry),
        announce_type=announce,
        listing_date=listing_date,
        comments=clean_text(str(entry.get("arxiv_comment") or "")),
        journal_ref=clean_text(
            str(entry.get("arxiv_journal_ref") or entry.get("arxiv_journal_reference") or "")
        ),
        doi=clean_text(str(entry.get("arxiv_doi") or ""), 300, tex=False),
        published=clean_text(str(entry.get("published") or ""), 40, tex=False) if kind == API else "",
    )


def parse_feed(data: bytes, source: str = "response") -> ParsedFeed:
    """Parse one arXiv response. Raises FeedError for error feeds and unreadable bodies.

    A body cut off mid-way still yields the entries before the cut, with `complete=False`:
    callers must not let such a listing replace a complete one.
    """
    if len(data) > MAX_BYTES:
        raise FeedError(f"{source}: {len(data):,} bytes is more than any arXiv listing; not parsed")
    items = sum(data.count(tag) for tag in (b"<item>", b"<item ", b"<entry>", b"<entry "))
    if items > MAX_ITEMS:
        raise FeedError(f"{source}: {items:,} items is more than any arXiv listing; not parsed")
    import feedparser  # here, not at the top: it costs 20 ms of every start-up

    try:
        parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    except Exception as error:  # feedparser is meant not to raise; be sure
        raise FeedError(f"{source}: could not be parsed ({error})") from error
    kind = _detect_kind(parsed)
    _check_error_feed(parsed, kind)
    problems: list[str] = []
    broken = bool(parsed.get("bozo")) and not isinstance(
        parsed.get("bozo_exception"), feedparser.CharacterEncodingOverride
    )
    if broken:
        problems.append(f"{source}: malformed feed ({parsed.get('bozo_exception')})")
    is_feed = bool(parsed.get("version")) or bool(parsed.entries)
    if not is_feed:
        raise FeedError(f"{source}: not an RSS or Atom feed")
    listing_date = _listing_date(parsed, kind)
    papers: list[Paper] = []
    for entry in parsed.entries:
        try:
            papers.append(_entry_to_paper(entry, kind, listing_date if kind != API else None))
        except ValueError as error:
            problems.append(f"{source}: skipped an entry ({error})")
    total = parsed.feed.get("opensearch_totalresults")
    return ParsedFeed(
        kind=kind,
        listing_date=listing_date,
        papers=dedupe(papers),
        title=clean_text(str(parsed.feed.get("title", "")), 300),
        complete=not broken,
        total_results=int(total) if str(total or "").isdigit() else None,
        problems=problems,
    )


__all__ = ["API", "ATOM", "CROSS", "NEW", "REPLACE", "REPLACE_CROSS", "RSS", "ParsedFeed",
           "parse_feed", "split_id"]  # fmt: skip


# --- parsing in a child process ------------------------------------------------------------------
# feedparser is pure Python: 0.5 s of CPU for a day's listing. In a thread of the reader it holds
# the GIL and every keystroke waits (p95 `j` latency 108 ms during a refetch). In a child process
# the reader stays responsive, and feedparser's transient memory is not the reader's.


def parse_feed_isolated(data: bytes, source: str = "response", timeout: float = 120.0) -> ParsedFeed:
    """`parse_feed` run by a child Python process; same result, same errors."""
    import json
    import subprocess
    import sys

    try:
        done = subprocess.run(
            [sys.executable, "-m", "arxiv_tui.core.parse", source],
            input=data,
            capture_output=True,
            timeout=timeout,
        )
    except OSError:  # no interpreter to start (a frozen build): parse here rather than not at all
        return parse_feed(data, source)
    except subprocess.SubprocessError as error:  # it ran past `timeout`
        raise FeedError(f"{source}: the feed parser gave no answer ({error})") from error
    try:
        # One JSON document a line, so that decoding never holds the GIL for long: the reader's
        # keystrokes are served between lines.
        first, *lines = done.stdout.splitlines()
        payload = json.loads(first)
        if "error" not in payload:
            papers = [Paper.from_dict(json.loads(line)) for line in lines]
    except (ValueError, KeyError, TypeError) as error:
        problem = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [str(error)]
        raise FeedError(f"{source}: the feed parser failed ({problem[0][:300]})") from error
    if "error" in payload:
        error_type = ArxivErrorFeed if payload.get("arxiv") else FeedError
        raise error_type(str(payload["error"]))
    return ParsedFeed(
        kind=payload["kind"],
        listing_date=dt.date.fromisoformat(payload["listing_date"]) if payload["listing_date"] else None,
        papers=papers,
        title=payload["title"],
        complete=payload["complete"],
        total_results=payload["total_results"],
        problems=payload["problems"],
    )


def _parse_stdin_to_json() -> None:
    import json
    import sys

    source = sys.argv[1] if len(sys.argv) > 1 else "response"
    try:
        parsed = parse_feed(sys.stdin.buffer.read(), source)
    except FeedError as error:
        json.dump({"error": str(error), "arxiv": isinstance(error, ArxivErrorFeed)}, sys.stdout)
        return
    head = {
        "kind": parsed.kind,
        "listing_date": parsed.listing_date.isoformat() if parsed.listing_date else "",
        "title": parsed.title,
        "complete": parsed.complete,
        "total_results": parsed.total_results,
        "problems": parsed.problems,
    }
    sys.stdout.write(json.dumps(head) + "\n")
    for paper in parsed.papers:
        sys.stdout.write(json.dumps(paper.to_dict()) + "\n")


if __name__ == "__main__":
    _parse_stdin_to_json()
