"""`arxiv-tui digest`: the day's matched papers on stdout or in a dated file, for people and cron.

`--new-only` makes it a daily e-mail's replacement: it prints what entered the Inbox since its
last run (new_only.py), and nothing on a day with nothing new or when the fetch failed (each
with its own exit status, so a script can tell them apart); with --all, --search or --date it
prints a listing once. `--inbox` prints the whole undecided Inbox. `--output-dir` writes
DIR/arxiv-YYYY-MM-DD.<ext>, one file a day (a follow-up: arxiv-YYYY-MM-DD.2.<ext>), as the
digest repositories did, and never replaces a different file unless `--force`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

from arxiv_tui.cli.new_only import LAST_PRINTED, print_new
from arxiv_tui.cli.shell import (
    EXIT_EXISTS,
    EXIT_NOTHING,
    EXIT_NOTHING_NEW,
    EXIT_OK,
    EXIT_STALE,
    EXIT_USAGE,
    error,
    render,
    run_refresh,
)
from arxiv_tui.core.base.errors import ArxivTuiError
from arxiv_tui.core.base.storage import atomic_write
from arxiv_tui.core.incoming import listings
from arxiv_tui.core.output.formats import EXTENSIONS, for_a_file
from arxiv_tui.core.session.events import Fetched, RefreshDone
from arxiv_tui.core.session.reader import Reader
from arxiv_tui.core.sources.download import fit_bytes


def digest(args: argparse.Namespace, reader: Reader) -> int:
    saved_query = None
    if args.search:
        saved_query = reader.library.saved.query_of(args.search)
        if saved_query is None:
            known = ", ".join(name for name, _ in reader.library.saved.all()) or "none yet"
            error(f"no saved search is named {args.search!r} (yours: {known})")
            return EXIT_USAGE
    if args.starred:
        papers = [paper for paper, _ in reader.library.starred()]
        text = render(args, reader, reader.heading("Starred arXiv papers"), papers)
        return emit(args, text, f"starred-{dt.date.today().isoformat()}")
    if args.tag:
        papers = reader.library.tagged(args.tag)
        if not papers:
            known = ", ".join(tag for tag, _ in reader.library.marks.tag_counts()) or "none yet"
            error(f"no paper is tagged {args.tag!r} (your tags: {known})")
            return EXIT_NOTHING
        text = render(args, reader, reader.heading(f"arXiv papers tagged {args.tag}"), papers)
        slug = fit_bytes("-".join(re.findall(r"\w+", args.tag)), 80) or "tag"
        return emit(args, text, f"tag-{slug}-{dt.date.today().isoformat()}")
    if args.inbox:
        return print_inbox(args, reader)
    if args.new_only and not (args.all or args.search or args.date):
        run_refresh(reader, args)
        return print_new(args, reader, emit)
    if args.date:
        loaded = reader.find.listing(args.date)
        if loaded is None:
            error(f"no listing of {args.date} in the library")
            return EXIT_NOTHING
        reader.apply(Fetched(listings.LoadResult(loaded.listing, listings.OFFLINE), loaded))
        reader.apply(RefreshDone())
    else:
        run_refresh(reader, args)
    listing = reader.viewing.listing
    if args.new_only:
        refused = new_only_refusal(args, reader)
        if refused is not None:
            return refused
    if listing is None:
        if reader.refreshing.status == listings.NO_ANNOUNCEMENT:
            print("No announcement today, and no earlier listing in the library.")
            return EXIT_OK
        error("nothing to show: no listing could be fetched and the library is empty")
        return EXIT_NOTHING
    papers = list(listing.papers) if args.all else [row.paper for row in reader.viewing.filtered.matched]
    if saved_query is not None:
        hits = reader.library.matching(saved_query, [paper.id for paper in listing.papers])
        papers = [paper for paper in listing.papers if paper.id in hits]
    title = f"arXiv digest: {listing.date:%a %d %b %Y}"
    if listing.is_combined and listing.first_date:
        title = f"arXiv digest: {listing.first_date:%a %d %b} to {listing.date:%a %d %b %Y}"
    heading = reader.heading(title, len(listing.papers), status_note(reader, listing.date))
    if args.feed:
        heading = replace(heading, categories=())
    if args.all or saved_query is not None:
        heading = replace(heading, include=(), exclude=())
    if saved_query is not None:
        heading = replace(heading, title=f"{title}, saved search {args.search!r}: {saved_query}")
    status = emit(args, render(args, reader, heading, papers), listing.date.isoformat())
    if status == EXIT_OK and args.new_only:
        reader.library.set_meta(LAST_PRINTED, listing.date.isoformat())
    if not papers and args.format != "markdown":  # the Markdown says so itself
        error(f"no papers matched the {'saved search' if saved_query is not None else 'keywords'}")
    if not args.all and not saved_query and not reader.config.include and not reader.config.authors:
        error(f"no keywords set: add some to [keywords] include in {reader.paths.config_file}, or pass --all")
    return status


def new_only_refusal(args: argparse.Namespace, reader: Reader) -> int | None:
    """Why --new-only prints nothing today, said on stderr, as an exit status; None to print."""
    listing = reader.viewing.listing
    if reader.refreshing.status == listings.FAILED or (
        reader.refreshing.status == listings.OFFLINE and not args.date
    ):
        error("nothing new: the listing could not be fetched (what the library holds is not new)")
        return EXIT_STALE
    if reader.refreshing.status == listings.NO_ANNOUNCEMENT or listing is None:
        error("nothing new: arXiv announced nothing today (a weekend or a holiday)")
        return EXIT_NOTHING_NEW
    last = reader.library.meta(LAST_PRINTED)
    if last and listing.date.isoformat() <= last:
        error(f"nothing new: the listing of {listing.date:%a %d %b %Y} was printed already")
        return EXIT_NOTHING_NEW
    return None


def print_inbox(args: argparse.Namespace, reader: Reader) -> int:
    """`digest --inbox`: every undecided paper of the Inbox, newest day first (no fetch)."""
    found = reader.library.inbox.undecided()
    if not found:
        error("the Inbox is empty: every paper that reached you is decided")
    ids = [paper.id for paper, _ in found]
    stored = reader.library.papers(ids)
    papers = [stored[paper_id] for paper_id in ids if paper_id in stored]
    reader.marking.session.show_inbox(found)  # why each entered: in the items and their sections
    days = sorted({entry.day for _, entry in found})
    title = "arXiv Inbox: undecided papers"
    if days:
        title += (
            f", {days[0]:%a %d %b} to {days[-1]:%a %d %b %Y}" if len(days) > 1 else f", {days[0]:%a %d %b %Y}"
        )
    return emit(
        args, render(args, reader, reader.heading(title), papers), f"inbox-{dt.date.today().isoformat()}"
    )


def emit(args: argparse.Namespace, text: str, stamp: str, follow_up: bool = False) -> int:
    """Print the digest, or write it to DIR/arxiv-<stamp>.<ext> with --output-dir (a `follow_up`
    of a file there already: DIR/arxiv-<stamp>.2.<ext>, .3, ...)."""
    if args.output_dir is None:
        print(text, end="")
        return EXIT_OK
    folder, extension = Path(args.output_dir).expanduser(), EXTENSIONS[args.format]
    path = folder / f"arxiv-{stamp}.{extension}"
    text = for_a_file(args.format, text)
    if follow_up:  # never over the first part, --force or not
        number = 1
        while path.exists() and path.read_text(encoding="utf-8", errors="replace") != text:
            number += 1
            path = folder / f"arxiv-{stamp}.{number}.{extension}"
    try:
        if path.exists() and not args.force and path.read_text(encoding="utf-8", errors="replace") != text:
            error(f"{path} exists and is different; not replaced (--force replaces it)")
            return EXIT_EXISTS
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text)
    except (OSError, ArxivTuiError) as problem:
        error(f"{path}: cannot be written ({getattr(problem, 'strerror', None) or problem})")
        return EXIT_NOTHING
    error(f"wrote {path}")
    return EXIT_OK


def status_note(reader: Reader, shown: dt.date) -> str:
    if reader.refreshing.status == listings.NO_ANNOUNCEMENT:
        when = f"{reader.refreshing.checked_on:%a %d %b %Y}" if reader.refreshing.checked_on else "today"
        return f"No announcement for {when}; this is the latest listing, of {shown:%a %d %b %Y}."
    if reader.refreshing.status == listings.FAILED:
        return (
            f"Could not fetch a new listing; this is the listing of {shown:%a %d %b %Y} kept in the library."
        )
    if reader.refreshing.status == listings.OFFLINE:
        return f"Offline: the listing of {shown:%a %d %b %Y} kept in the library."
    return ""
