"""Command line: the reader by default, `digest` for a printed digest, `locate` for the files.

The UI is imported only when the reader starts, so `digest` stays light and headless.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import shutil
import sys
import tempfile
from importlib import resources
from pathlib import Path

from arxiv_tui import __version__
from arxiv_tui.core import listings
from arxiv_tui.core.archive import Archive
from arxiv_tui.core.arxiv import ApiClient
from arxiv_tui.core.catchup import catch_up, days_to_fetch
from arxiv_tui.core.config import Config, load_config, update_config
from arxiv_tui.core.digest import FORMATS, Heading, Item, render, select
from arxiv_tui.core.errors import ArxivTuiError, ConfigError
from arxiv_tui.core.match import Matcher, too_slow_message
from arxiv_tui.core.paths import Paths
from arxiv_tui.core.schedule import date_problem
from arxiv_tui.core.state import State

EXIT_OK, EXIT_NOTHING, EXIT_USAGE = 0, 1, 2

DEMO_LISTING = "demo-listing-2024-11-28.xml.gz"
DEMO_KEYWORDS = {
    ("categories",): ["cs", "math", "physics", "quant-ph", "astro-ph", "stat", "eess", "q-bio"],
    ("keywords", "include"): [
        "large language model*",
        "LLM",
        "diffusion",
        "quantum error correction",
        "black hole",
        "graph neural network*",
        "speech",
    ],
    ("keywords", "exclude"): ["survey"],
}


def _common(parser: argparse.ArgumentParser, top_level: bool) -> None:
    """Options allowed before and after the command; only the top level sets defaults,
    so that `arxiv-tui --demo digest` and `arxiv-tui digest --demo` mean the same."""

    def default(value: object) -> object:
        return value if top_level else argparse.SUPPRESS

    parser.add_argument(
        "--home", metavar="DIR", default=default(None), help="keep config, state and archive under DIR"
    )
    parser.add_argument(
        "--offline", action="store_true", default=default(False), help="use only the local archive"
    )
    parser.add_argument(
        "--feed",
        metavar="FILE",
        action="append",
        type=Path,
        default=default([]),
        help="load a saved RSS/Atom/API file instead of the network (repeatable)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        default=default(False),
        help="a bundled real listing in a throwaway home (offline)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="arxiv-tui", description="Read each day's arXiv in the terminal.")
    parser.add_argument("--version", action="version", version=f"arxiv-tui {__version__}")
    _common(parser, top_level=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    digest = commands.add_parser("digest", help="print the day's matched papers")
    _common(digest, top_level=False)
    digest.add_argument("--format", choices=FORMATS, default="markdown")
    digest.add_argument("--group", action="store_true", help="one section per include keyword")
    digest.add_argument("--all", action="store_true", help="every paper, ignoring keywords")
    digest.add_argument("--starred", action="store_true", help="starred papers, newest star first")
    digest.add_argument(
        "--date", type=listing_date, metavar="YYYY-MM-DD", help="an archived listing (offline)"
    )
    digest.add_argument(
        "--since",
        type=listing_date,
        metavar="YYYY-MM-DD",
        help="every listing from this date on; missed days are fetched through the arXiv API",
    )
    locate = commands.add_parser("locate", help="print where config, state and archive live")
    _common(locate, top_level=False)
    return parser


def listing_date(text: str) -> dt.date:
    """A date on the command line: YYYY-MM-DD, within arXiv's lifetime."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2024-11-28") from None
    problem = date_problem(day)
    if problem:
        raise argparse.ArgumentTypeError(f"{problem}: no listing has that date")
    return day


def demo_home() -> tuple[Path, Path]:
    """A throwaway home with demo keywords, and the bundled listing unpacked into it."""
    home = Path(tempfile.mkdtemp(prefix="arxiv-tui-demo-"))
    listing = home / "demo-listing.xml"
    packed = resources.files("arxiv_tui") / "data" / DEMO_LISTING
    with packed.open("rb") as source, gzip.open(source) as unpacked, listing.open("wb") as out:
        shutil.copyfileobj(unpacked, out)
    update_config(home / "config.toml", DEMO_KEYWORDS)
    return home, listing


def _error(message: str) -> None:
    print(f"arxiv-tui: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    demo_dir: Path | None = None
    try:
        if args.demo:
            demo_dir, listing = demo_home()
            args.home = str(demo_dir)
            args.feed = [*args.feed, listing]
        paths = Paths.resolve(args.home)
        if args.command == "locate":
            return locate(paths)
        try:
            config, warnings = load_config(paths.config_file)
        except ConfigError as error:
            _error(str(error))
            return EXIT_USAGE
        for warning in warnings:
            _error(warning)
        if args.command == "digest":
            return digest(args, paths, config)
        return run_reader(args, paths, config)
    except ArxivTuiError as error:
        _error(str(error))
        return EXIT_NOTHING
    finally:
        if demo_dir is not None:
            shutil.rmtree(demo_dir, ignore_errors=True)


def locate(paths: Paths) -> int:
    print(f"config:  {paths.config_file}")
    print(f"state:   {paths.state_file}")
    print(f"archive: {paths.archive_dir}")
    return EXIT_OK


def run_reader(args: argparse.Namespace, paths: Paths, config: Config) -> int:
    from arxiv_tui.tui.app import ArxivApp

    app = ArxivApp(paths=paths, config=config, feeds=args.feed, offline=args.offline)
    app.run()
    if app.unsaved_on_exit:
        _error(f"your last changes could not be saved: {app.unsaved_on_exit}")
        return EXIT_NOTHING
    return app.return_code or EXIT_OK


def digest(args: argparse.Namespace, paths: Paths, config: Config) -> int:
    matcher = Matcher(config.include, config.exclude, config.authors)
    archive = Archive(paths.archive_dir)
    state = State(paths.state_file)
    for warning in state.warnings:
        _error(warning)
    if args.starred:
        stars = state.stars
        items = [
            Item(s.paper, matcher.matched_terms(s.paper), state.is_read(s.paper.id), True) for s in stars
        ]
        heading = Heading("Starred arXiv papers", include=config.include, exclude=config.exclude)
        print(_render(args, heading, items, config), end="")
        return EXIT_OK
    if args.date:
        result = listings.load_offline(archive, args.date)
    else:
        result = listings.load(config, archive, feeds=args.feed, offline=args.offline)
    for message in result.messages:
        _error(message)
    if args.since:
        if not args.feed and not args.offline:
            _catch_up_since(args.since, result, config, archive)
        result = listings.load_since(archive, args.since, result)
    listing = result.listing
    if listing is None:
        if result.status == listings.NO_ANNOUNCEMENT:
            print("No announcement today, and no earlier listing in the archive.")
            return EXIT_OK
        _error("nothing to show: no listing could be fetched and the archive is empty")
        return EXIT_NOTHING
    if result.status == listings.FRESH and not args.feed:
        archive.prune(config.retention_days, dt.date.today())
    chosen = select(
        listing.papers, matcher, include_replacements=config.include_replacements, everything=args.all
    )
    for term in matcher.too_slow:
        _error(too_slow_message(term))
    items = [
        Item(paper, found.terms, state.is_read(paper.id), state.is_starred(paper.id), found.authors)
        for paper, found in chosen
    ]
    title = f"arXiv digest: {listing.date:%a %d %b %Y}"
    if listing.is_combined and listing.first_date:
        title = f"arXiv digest: {listing.first_date:%a %d %b} to {listing.date:%a %d %b %Y}"
    heading = Heading(
        title=title,
        categories=config.categories if not args.feed else (),
        include=() if args.all else config.include,
        exclude=() if args.all else config.exclude,
        announced=len(listing.papers),
        note=_status_note(result, listing.date),
    )
    output = _render(args, heading, items, config)
    print(output, end="")
    if not items and args.format != "markdown":  # the Markdown says so itself
        _error("no papers matched the keywords")
    return EXIT_OK


MAX_SINCE_LISTINGS = 60  # about three months of listings, 3 s apart: a few minutes at most


def _catch_up_since(since: dt.date, result: listings.LoadResult, config: Config, archive: Archive) -> None:
    """Fetch the listings from `since` on that the archive lacks, telling stderr how it goes."""
    if result.status not in (listings.FRESH, listings.NO_ANNOUNCEMENT):
        return  # no network: print what the archive has
    newest = result.listing.date if result.status == listings.FRESH and result.listing else None
    newest = newest or result.checked_on or dt.date.today()
    days = days_to_fetch(archive, since - dt.timedelta(days=1), newest, MAX_SINCE_LISTINGS)
    if not days:
        return
    client = ApiClient(config.api_url, config.timeout_seconds)
    try:
        caught = catch_up(
            client,
            archive,
            config.categories,
            days,
            progress=lambda index, total, day: _error(f"catching up: day {index} of {total} ({day})"),
        )
    finally:
        client.close()
    for message in caught.messages:
        _error(message)


def _status_note(result: listings.LoadResult, shown: dt.date) -> str:
    if result.status == listings.NO_ANNOUNCEMENT:
        when = f"{result.checked_on:%a %d %b %Y}" if result.checked_on else "today"
        return f"No announcement for {when}; this is the latest listing, of {shown:%a %d %b %Y}."
    if result.status == listings.FAILED:
        return f"Could not fetch a new listing; this is the archived listing of {shown:%a %d %b %Y}."
    if result.status == listings.OFFLINE:
        return f"Offline: the archived listing of {shown:%a %d %b %Y}."
    return ""


def _render(args: argparse.Namespace, heading: Heading, items: list[Item], config: Config) -> str:
    groups = list(config.include) if args.group and not args.all else None
    return render(args.format, heading, items, groups)
