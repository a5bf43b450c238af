"""The benchmark workloads: libraries of a month and of a year, made from the real 1,504-paper
listing of Thu 28 Nov 2024 (bundled for --demo).

Every paper is a real record. Each earlier weekday reuses the records in a rotated order with
new ids (YYMM.NNNNN of its month) and that day's date. Today's listing is the real feed with
its date moved to today, served by a loopback "rss.arxiv.org", so a start fetches real bytes.

    month: 22 listings (33,000 papers), 2,000 stars, 40,000 read marks
    year:  250 listings (375,000 papers), 2,000 stars, 40,000 read marks
    year+10k stars, year+50k stars, year+400k reads: the year library with more marks
    year+5k undecided: the year library, and the matched papers of its newest 31 days (5,000)
        waiting in the Inbox, where the reader opens
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from pathlib import Path

from arxiv_tui.cli.main import DEMO_KEYWORDS
from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.base.schedule import feed_date, previous_weekday
from arxiv_tui.core.config import update_config
from arxiv_tui.core.incoming.listings import listing_from
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.matching.match import Matcher
from arxiv_tui.core.matching.views import filter_listing
from arxiv_tui.core.models import Listing, Paper
from arxiv_tui.core.sources.demo import demo_listing_bytes
from arxiv_tui.core.sources.parse import parse_feed

PAPERS_PER_DAY = 1_500
INCLUDE = [
    "large language model*",
    "LLM",
    "diffusion",
    "quantum error correction",
    "black hole",
    "neural network*",
    "speech",
    "transformer*",
    "/reinforcement\\s+learning/",
    "benchmark*",
]
EXCLUDE = ["survey", "review"]


@dataclasses.dataclass(frozen=True)
class Workload:
    name: str
    days: int
    stars: int
    reads: int
    undecided: int = 0  # papers waiting in the Inbox


WORKLOADS = (
    Workload("month", 22, 2_000, 40_000),
    Workload("year", 250, 2_000, 40_000),
    Workload("year, 10k stars", 250, 10_000, 40_000),
    Workload("year, 50k stars", 250, 50_000, 40_000),
    Workload("year, 400k reads", 250, 2_000, 400_000),
    Workload("year, 5k undecided", 250, 2_000, 40_000, 5_000),
    Workload("3 years", 750, 2_000, 40_000),
)


CATEGORIES = list(DEMO_KEYWORDS[("categories",)])


def today_listing_date() -> dt.date:
    """The newest listing the feed can hold now: the library's newest, as after a morning's fetch
    (an earlier or later date would make a start fetch at once, or find nothing due)."""
    return feed_date(dt.datetime.now(dt.UTC))


def todays_feed(listing_date: dt.date, variant: int = 0) -> bytes:
    """The real RSS listing dated `listing_date`; `variant` > 0 changes one paper's version, so a
    refetch brings a new announcement (stored and matched again), not the same one."""
    stamp = f"{listing_date:%a, %d %b %Y} 00:00:00 -0500".encode()
    body = re.sub(rb"<pubDate>[^<]*</pubDate>", b"<pubDate>" + stamp + b"</pubDate>", demo_listing_bytes())
    if variant:
        body = body.replace(
            b"oai:arXiv.org:2411.17712v1", f"oai:arXiv.org:2411.17712v{variant + 1}".encode(), 1
        )
        body = body.replace(b"arXiv:2411.17712v1 ", f"arXiv:2411.17712v{variant + 1} ".encode(), 1)
    return body


def configure(home: Path, rss_url: str) -> None:
    update_config(
        Paths.under(home).config_file,
        {
            ("categories",): CATEGORIES,
            ("keywords", "include"): INCLUDE,
            ("keywords", "exclude"): EXCLUDE,
            ("feed", "retention_days"): 0,
            ("feed", "catch_up_listings"): 0,
            ("source", "rss_url"): rss_url,
            # Alerts ask arXiv's API and Semantic Scholar, which this machine cannot reach: their
            # retries ran on past the 4 s a `j` session gives the start's refresh, and R, refused
            # ("Already fetching"), refetched nothing while the keys "during a refetch" were timed.
            ("alerts", "followed_authors"): False,
            ("alerts", "new_versions"): False,
            ("alerts", "citations"): False,
        },
    )


def earlier_days(today: dt.date, count: int) -> list[dt.date]:
    days, day = [], today
    for _ in range(count):
        day = previous_weekday(day)
        days.append(day)
    return days[::-1]


def build_listings(home: Path, days: int, today: dt.date) -> tuple[list[str], Listing]:
    """`days` earlier listings and today's in the library; the ids of the earlier papers."""
    library = open_library(Paths.under(home).library_file)
    library.db.connection.execute("PRAGMA synchronous=OFF")  # building only; measured writes use FULL
    todays = listing_from(parse_feed(todays_feed(today), "workload"), "workload")
    assert todays is not None
    records = list(todays.papers)
    ids: list[str] = []
    counters: dict[str, int] = {}
    for index, day in enumerate(earlier_days(today, days)):
        shift = index * 50 % len(records)
        chosen = (records[shift:] + records[:shift])[:PAPERS_PER_DAY]
        month = f"{day:%y%m}"
        papers = []
        for paper in chosen:
            counters[month] = counters.get(month, 0) + 1
            papers.append(dataclasses.replace(paper, id=f"{month}.{counters[month]:05d}", listing_date=day))
        ids += [paper.id for paper in papers]
        library.store_listing(Listing(day, tuple(papers), source="benchmark workload"), CATEGORIES)
    library.store_listing(todays, CATEGORIES)  # as the reader stores a fetched listing
    # The keyword hits of the newest listing, as the reader keeps them once it has shown it.
    hits = filter_listing(todays, Matcher(INCLUDE, EXCLUDE, ()), False).terms_hit()
    library.cache_hits(todays.date, "\n".join(INCLUDE), hits, todays.content_key)
    library.set_last_seen(today)
    library.db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    library.close()
    return ids, todays


def add_marks(home: Path, ids: list[str], stars: int, reads: int) -> None:
    library = open_library(Paths.under(home).library_file)
    library.db.connection.execute("PRAGMA synchronous=OFF")
    step = max(1, len(ids) // max(stars, 1))
    starred = ids[::step][:stars]
    with library.db.transaction() as connection:
        connection.executemany(
            "INSERT OR IGNORE INTO stars (paper_id, starred_at) VALUES (?, ?)",
            [
                (paper_id, f"2026-01-01T00:00:{n % 60:02d}.{n:06d}+00:00")
                for n, paper_id in enumerate(starred)
            ],
        )
        read_ids = (
            ids[:reads] if reads <= len(ids) else ids + [f"9{n:03d}.{n:05d}" for n in range(reads - len(ids))]
        )
        connection.executemany(
            "INSERT OR IGNORE INTO reads (paper_id, read_at) VALUES (?, '2026-01-01')",
            [(p,) for p in read_ids],
        )
    library.db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    library.close()


def fill_inbox(home: Path, undecided: int) -> None:
    """The matched papers of the newest days enter the Inbox, undecided, `undecided` of them."""
    from arxiv_tui.core.library.inbox import Entry

    library = open_library(Paths.under(home).library_file)
    library.db.connection.execute("PRAGMA synchronous=OFF")
    matcher = Matcher(INCLUDE, EXCLUDE, ())
    entries: list[Entry] = []
    for day in reversed(library.listing_dates()):
        for row in filter_listing(library.listing(day), matcher, False).matched:
            entries.append(Entry(row.paper.id, day, tuple(f"keyword:{t}" for t in row.match.terms)))
        if len(entries) >= undecided:
            break
    chosen = entries[:undecided]
    with library.db.transaction() as connection:  # undecided: unread
        connection.executemany("DELETE FROM reads WHERE paper_id = ?", [(e.paper_id,) for e in chosen])
    library.inbox.add(chosen)
    library.set_meta("inbox.seeded", "1")
    library.db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    library.close()


def build_all(root: Path, rss_url: str, names: set[str] | None = None) -> dict[str, Path]:
    """Every workload under `root` (the year's listings built once, copied for its variants)."""
    today = today_listing_date()
    homes: dict[str, Path] = {}
    built: dict[int, tuple[Path, list[str]]] = {}
    for workload in WORKLOADS:
        if names and workload.name not in names:
            continue
        home = root / workload.name.replace(" ", "_").replace(",", "")
        home.mkdir(parents=True)
        configure(home, rss_url)
        if workload.days not in built:
            ids, _ = build_listings(home, workload.days, today)
            built[workload.days] = (home, ids)
        else:
            source, ids = built[workload.days]
            shutil.copy(Paths.under(source).library_file, Paths.under(home).library_file)
        add_marks(home, built[workload.days][1], workload.stars, workload.reads)
        if workload.undecided:
            fill_inbox(home, workload.undecided)
        homes[workload.name] = home
    return homes


def first_matched_title(home: Path) -> str:
    """The title the app shows first on a start: today's first matched paper."""
    from arxiv_tui.core.config import load_config
    from arxiv_tui.core.session.reader import Reader

    paths = Paths.under(home)
    config, _ = load_config(paths.config_file)
    reader = Reader.open(paths, config, offline=True)
    try:
        opened = reader.open_newest()
        if opened.inbox:  # where the reader opens: the Inbox's first paper
            return opened.inbox[0][0].title
        assert opened.loaded is not None
        return opened.loaded.filtered.matched[0].paper.title
    finally:
        reader.close()


def fresh_papers(day: dt.date, count: int = PAPERS_PER_DAY) -> Listing:
    """A day's listing of `count` papers the library has not seen (for the write benchmark)."""
    listing = listing_from(parse_feed(todays_feed(day), "fresh"), "fresh")
    assert listing is not None
    records = list(listing.papers)
    papers = [
        dataclasses.replace(paper, id=f"9{n // 100000:03d}.{n % 100000:05d}")
        for n, paper in enumerate(records)
    ]
    return Listing(day, tuple(papers[:count]), source="benchmark")


def any_paper(home: Path) -> Paper:
    library = open_library(Paths.under(home).library_file)
    try:
        day = library.newest_date()
        assert day is not None
        listing = library.listing(day)
        assert listing is not None
        return listing.papers[7]
    finally:
        library.close()
