"""`digest --new-only` follows the Inbox, not the listing: it prints the papers that entered the
Inbox since the last --new-only run, each exactly once, whatever listing, day or alert brought
them (the library remembers, paper by paper, what was printed).

So a listing cut off in transit prints what arrived and says so in the digest itself; when the
rest arrives, the next run prints exactly the rest, as a follow-up (with --output-dir, a second
dated file: arxiv-2026-12-02.2.md). A new listing that matched nothing is printed once too, as
before (a day's mail that says so). Nothing new: exit 3; the fetch failed: exit 4, and what is
waiting stays for the next run.
"""

from __future__ import annotations

import argparse
import datetime as dt

from arxiv_tui.cli.shell import EXIT_NOTHING_NEW, EXIT_OK, EXIT_STALE, error, render
from arxiv_tui.core.base.text import counted
from arxiv_tui.core.incoming import listings
from arxiv_tui.core.library.inbox import Entry
from arxiv_tui.core.models import Listing, Paper
from arxiv_tui.core.session.reader import Reader

LAST_PRINTED = "digest.new_only.last_listing"  # library meta key: the newest listing --new-only printed
FOLLOWS_INBOX = "digest.new_only.follows_inbox"  # set once the Inbox's entries are what is printed


def print_new(args: argparse.Namespace, reader: Reader, emit) -> int:
    """After a refresh: print what entered the Inbox since the last run; the exit status.
    `emit(args, text, stamp, follow_up)` prints or writes the text (digest.py)."""
    status = reader.refreshing.status
    if status == listings.FAILED or status == listings.OFFLINE:
        error("nothing new: the listing could not be fetched (what the library holds is not new)")
        return EXIT_STALE
    library = reader.library
    listing = reader.viewing.listing
    last = library.meta(LAST_PRINTED) or ""
    _adopt(reader, last)
    entries = library.inbox.unmailed()
    new_listing = listing is not None and status == listings.FRESH and listing.date.isoformat() > last
    if not entries and not new_listing:
        if status == listings.NO_ANNOUNCEMENT or listing is None:
            error("nothing new: arXiv announced nothing today (a weekend or a holiday)")
        else:
            error(
                f"nothing new: every paper of the listing of {listing.date:%a %d %b %Y} was printed already"
            )
        return EXIT_NOTHING_NEW
    papers = _papers(reader, entries)
    day = listing.date if listing is not None else max(entry.day for entry in entries)
    follow_up = not new_listing
    heading = reader.heading(
        _title(entries, day, follow_up),
        len(listing.papers) if listing is not None and listing.date == day else None,
        _note(listing, entries, follow_up),
    )
    result = emit(args, render(args, reader, heading, papers), day.isoformat(), follow_up)
    if result == EXIT_OK:
        library.inbox.mark_mailed([entry.paper_id for entry in entries])
        if new_listing and listing is not None:
            library.set_meta(LAST_PRINTED, listing.date.isoformat())
        if listing is not None and not listing.complete:
            error(f"the listing of {listing.date} was cut off: the rest is printed by the next run")
    return result


def _adopt(reader: Reader, last: str) -> None:
    """The first run that follows the Inbox: what entered with a listing the old --new-only had
    printed already is not printed again."""
    library = reader.library
    if library.meta(FOLLOWS_INBOX) is None:
        if last:
            printed = [entry.paper_id for entry in library.inbox.unmailed() if entry.day.isoformat() <= last]
            library.inbox.mark_mailed(printed)
        library.set_meta(FOLLOWS_INBOX, "1")


def _papers(reader: Reader, entries: list[Entry]) -> list[Paper]:
    """The entries' papers in full, oldest day first; the listing's own copy where it has one."""
    listing = reader.viewing.listing
    shown = listing.by_id if listing is not None else {}
    stored = reader.library.papers([entry.paper_id for entry in entries if entry.paper_id not in shown])
    found = [shown.get(entry.paper_id) or stored.get(entry.paper_id) for entry in entries]
    return [paper for paper in found if paper is not None]


def _title(entries: list[Entry], day: dt.date, follow_up: bool) -> str:
    first = min((entry.day for entry in entries), default=day)
    if first < day:
        title = f"arXiv digest: {first:%a %d %b} to {day:%a %d %b %Y}"
    else:
        title = f"arXiv digest: {day:%a %d %b %Y}"
    return f"{title}, continued" if follow_up else title


def _note(listing: Listing | None, entries: list[Entry], follow_up: bool) -> str:
    said = []
    if follow_up:
        said.append(f"{counted(len(entries), 'paper')} that arrived since the last digest.")
    if listing is not None and not listing.complete:
        said.append(
            f"Incomplete: {len(listing.papers)} of the listing's papers arrived (the download was cut "
            "off); the rest will follow in the next digest."
        )
    return " ".join(said)
