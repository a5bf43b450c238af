"""What the commands share: exit codes, messages on stderr, and running a refresh to its end."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from arxiv_tui.core.session.events import Event
    from arxiv_tui.core.session.reader import Reader

EXIT_OK, EXIT_NOTHING, EXIT_USAGE = 0, 1, 2
EXIT_NOTHING_NEW, EXIT_STALE = 3, 4  # digest --new-only: nothing new; the fetch failed
EXIT_EXISTS = 5  # digest --output-dir: a different file of that name is there (not replaced)
EXIT_INTERRUPTED = 130  # ctrl+c, as a shell reports it (128 + SIGINT)


def printable_output() -> None:
    """Output a terminal or a pipe can take whatever its locale: in a Latin-1 (or ASCII) locale
    a CJK title prints with '?' for what the encoding lacks, instead of ending the command."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def error(message: str) -> None:
    print(f"arxiv-tui: {message}", file=sys.stderr)


def run_refresh(reader: Reader, args: argparse.Namespace) -> None:
    """Run the Reader's refresh here, applying its events as they come, progress on stderr."""
    from arxiv_tui.core.session.events import CatchingUp, CheckingAlerts

    def report(event: Event) -> None:
        if isinstance(event, CatchingUp):
            error(f"catching up: day {event.day} of {event.days} ({event.date})")
        if isinstance(event, CheckingAlerts):
            error("checking alerts (followed authors, stars' new versions, citations)")
        for notice in reader.apply(event):
            error(notice.text)

    reader.refreshing.start()
    alerts = bool(getattr(args, "new_only", False) or getattr(args, "inbox", False))  # what follows the Inbox
    reader.refresh(report, since=args.since, visit=False, alerts=alerts)


def render(args: argparse.Namespace, reader: Reader, heading, papers) -> str:
    """`papers` in the format asked for; with --rank, ordered by For you (the undecided first),
    each with its chance and reasons, with --limit, the first N, and with --tldr each with its
    TL;DR."""
    from arxiv_tui.core.output import formats

    groups = list(reader.config.include) if getattr(args, "group", False) and not args.all else None
    abstracts = getattr(args, "abstracts", False)
    items = reader.items(papers)
    if getattr(args, "rank", False):
        ranks = reader.find.ranks([item.paper for item in items])
        items = sorted(
            (
                replace(item, score=ranks[item.paper.id].chance, reason=ranks[item.paper.id].reason())
                for item in items
            ),
            key=lambda item: (item.read, -(item.score or 0.0)),
        )
    if getattr(args, "limit", None) is not None:
        items = items[: args.limit]
    if getattr(args, "add_tldrs", None) is not None:  # digest --tldr (main.py sets it: assist.py)
        items = args.add_tldrs(items)
    return formats.render(args.format, heading, items, groups, abstracts)
