"""The benchmark workload, built from the real 1,504-item listing of Thu 28 Nov 2024.

What it is (issue 5): 30 archived listings of 1,500 papers each (45,000 papers) plus today's
listing of 1,504; 10 include and 2 exclude keywords that match about 300 of today's papers;
2,000 starred papers and 40,000 read ids in the state file.

How it is made: every paper is a real record from the bundled listing. Archived days reuse
the records in a rotated order with new ids (YYMM.NNNNN of the listing's month) and the
listing date shifted to that day. Today's listing is the real feed itself with its date moved
to today, so a refetch from the loopback server returns exactly the same papers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import re
from importlib import resources
from pathlib import Path

from arxiv_tui.cli import DEMO_KEYWORDS, DEMO_LISTING
from arxiv_tui.core.archive import Archive
from arxiv_tui.core.config import update_config
from arxiv_tui.core.listings import listing_from
from arxiv_tui.core.models import Listing
from arxiv_tui.core.parse import parse_feed
from arxiv_tui.core.paths import Paths
from arxiv_tui.core.schedule import is_listing_day, previous_weekday
from arxiv_tui.core.state import State

ARCHIVED_DAYS = 30
PAPERS_PER_DAY = 1_500
STARS = 2_000
READ_IDS = 40_000
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


def demo_listing_bytes() -> bytes:
    return gzip.decompress((resources.files("arxiv_tui") / "data" / DEMO_LISTING).read_bytes())


def today_listing_date(today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    return today if is_listing_day(today) else previous_weekday(today)


def todays_feed(listing_date: dt.date) -> bytes:
    """The real RSS listing with its channel date moved to `listing_date`."""
    stamp = f"{listing_date:%a, %d %b %Y} 00:00:00 -0500".encode()
    return re.sub(rb"<pubDate>[^<]*</pubDate>", b"<pubDate>" + stamp + b"</pubDate>", demo_listing_bytes())


def build(home: Path, rss_url: str = "http://127.0.0.1:9/rss") -> dict[str, object]:
    """Write config, archive and state for the workload under `home`; returns its facts."""
    paths = Paths.under(home)
    today = today_listing_date()
    update_config(
        paths.config_file,
        {
            ("categories",): DEMO_KEYWORDS[("categories",)],
            ("keywords", "include"): INCLUDE,
            ("keywords", "exclude"): EXCLUDE,
            ("feed", "retention_days"): 90,
            ("feed", "catch_up_listings"): 0,
            ("source", "rss_url"): rss_url,
        },
    )
    archive = Archive(paths.archive_dir)
    todays = listing_from(parse_feed(todays_feed(today), "workload"), "workload")
    assert todays is not None
    records = list(todays.papers)
    days = []
    day = today
    for _ in range(ARCHIVED_DAYS):
        day = previous_weekday(day)
        days.append(day)
    counters: dict[str, int] = {}
    archived_ids: list[str] = []
    starred = []
    for index, day in enumerate(reversed(days)):
        shift = index * 50 % len(records)
        chosen = (records[shift:] + records[:shift])[:PAPERS_PER_DAY]
        month = f"{day:%y%m}"
        papers = []
        for paper in chosen:
            counters[month] = counters.get(month, 0) + 1
            new_id = f"{month}.{counters[month]:05d}"
            papers.append(dataclasses.replace(paper, id=new_id, listing_date=day))
            archived_ids.append(new_id)
        archive.save(Listing(day, tuple(papers), source="benchmark workload"))
        starred += papers[: STARS // ARCHIVED_DAYS + 1]
    archive.save(todays)
    state = State(paths.state_file, on_change=lambda: None)
    state.set_read_many(archived_ids[:READ_IDS])
    for paper in starred[:STARS]:
        state.set_starred(paper)
    state.set_last_seen(today)
    state.save()
    return {
        "home": home,
        "today": today,
        "archived_papers": len(archived_ids),
        "todays_papers": len(todays.papers),
        "stars": len(state.stars),
        "read_ids": len(state.read_ids),
        "state_bytes": paths.state_file.stat().st_size,
    }
