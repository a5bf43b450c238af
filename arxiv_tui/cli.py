"""Command line: argument parsing and output. Every flow is the Reader's (core/reader.py).

`arxiv-tui` starts the reader; `digest`, `search`, `library` and `locate` never do. The UI is
imported only when the reader starts, so the commands stay light and headless.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from arxiv_tui import __version__
from arxiv_tui.core.base.errors import ArxivTuiError, ConfigError
from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.base.schedule import date_problem
from arxiv_tui.core.base.storage import atomic_write
from arxiv_tui.core.config import Config, default_text_with, load_config
from arxiv_tui.core.session.reader import Reader
from arxiv_tui.core.sources.demo import demo_listing_file
from arxiv_tui.shell import EXIT_NOTHING, EXIT_OK, EXIT_USAGE
from arxiv_tui.shell import error as _error

# formats.FORMATS (a test checks): the formats are imported only when used
FORMATS = ("markdown", "json", "bibtex", "ris", "csv")


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


def _common(parser: argparse.ArgumentParser, top_level: bool) -> None:
    """Options allowed before and after the command; only the top level sets defaults,
    so that `arxiv-tui --demo digest` and `arxiv-tui digest --demo` mean the same."""

    def default(value: object) -> object:
        return value if top_level else argparse.SUPPRESS

    parser.add_argument(
        "--home", metavar="DIR", default=default(None), help="keep config and library under DIR"
    )
    parser.add_argument(
        "--offline", action="store_true", default=default(False), help="use only the library; no network"
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


def _output_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="markdown")
    parser.add_argument(
        "--abstracts",
        action="store_true",
        help="BibTeX: each entry with its abstract (the others always have it)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="arxiv-tui",
        description="Read each day's arXiv in the terminal. Without a command, the reader starts; "
        "the commands below print and exit, and never start it.",
    )
    parser.add_argument("--version", action="version", version=f"arxiv-tui {__version__}")
    _common(parser, top_level=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    digest = commands.add_parser("digest", help="print the day's matched papers")
    _common(digest, top_level=False)
    _output_format(digest)
    digest.add_argument("--group", action="store_true", help="one section per include keyword")
    digest.add_argument("--all", action="store_true", help="every paper, ignoring keywords")
    digest.add_argument("--starred", action="store_true", help="starred papers, newest star first")
    digest.add_argument("--tag", metavar="NAME", help="the papers you tagged NAME, newest tagging first")
    digest.add_argument(
        "--search", metavar="NAME", help="the listing's papers that match your saved search NAME (ctrl+s)"
    )
    digest.add_argument(
        "--date", type=listing_date, metavar="YYYY-MM-DD", help="a listing kept in the library"
    )
    digest.add_argument(
        "--since",
        type=listing_date,
        metavar="YYYY-MM-DD",
        help="every listing from this date on; missed days are fetched through the arXiv API",
    )
    digest.add_argument(
        "--new-only",
        action="store_true",
        help="only a listing not printed before by --new-only: nothing (exit 3) on a day without an "
        "announcement or when it was printed already, nothing (exit 4) when the fetch failed",
    )
    digest.add_argument(
        "--output-dir",
        type=Path,
        metavar="DIR",
        help="write the digest to DIR/arxiv-YYYY-MM-DD.md (.json, .bib) instead of printing it",
    )
    digest.add_argument("--force", action="store_true", help="with --output-dir: replace a different file")
    search = commands.add_parser(
        "search",
        help="search every paper in your library",
        description='Search the library: words, "phrases", prefix*, AND/OR/NOT or -word, (groups), '
        "and au: ti: abs: cat: co: note: tag: fields; an arXiv id finds that paper.",
    )
    _common(search, top_level=False)
    search.add_argument("query", nargs="*", help='for example: au:Harwath "speech synthesis" -survey')
    search.add_argument("--tag", metavar="NAME", help="only papers you tagged NAME (alone: all of them)")
    _output_format(search)
    search.add_argument("--rank", action="store_true", help="best matches first (bm25), not newest first")
    search.add_argument("--limit", type=int, default=50, metavar="N", help="at most N papers (default 50)")
    library = commands.add_parser("library", help="export or import your stars, notes, tags and read marks")
    _common(library, top_level=False)
    actions = library.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="write everything you made to a JSON file")
    export.add_argument("file", type=Path)
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    imported = actions.add_parser("import", help="merge an export into this library (nothing is replaced)")
    imported.add_argument("file", type=Path)
    locate = commands.add_parser("locate", help="print where config, library, backup and log live")
    _common(locate, top_level=False)
    return parser


def demo_home() -> Path:
    """A throwaway home with demo keywords (the bundled listing is read where it is installed)."""
    home = Path(tempfile.mkdtemp(prefix="arxiv-tui-demo-"))
    atomic_write(home / "config.toml", default_text_with(DEMO_KEYWORDS))
    return home


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    throwaway = contextlib.ExitStack()  # what --demo makes, gone when the command ends
    try:
        if args.demo:
            demo_dir = demo_home()
            throwaway.callback(shutil.rmtree, demo_dir, ignore_errors=True)
            args.home = str(demo_dir)
            args.feed = [*args.feed, throwaway.enter_context(demo_listing_file())]
        paths = Paths.resolve(args.home)
        if args.command == "locate":
            return locate(paths)
        # An empty home: the reader starts with the setup screen, not with someone else's keywords.
        first_run = args.command is None and not args.feed and not paths.config_file.exists()
        try:
            config, warnings = load_config(paths.config_file)
        except ConfigError as error:
            _error(str(error))
            return EXIT_USAGE
        if args.command is None:
            return run_reader(args, paths, config, warnings, first_run, on_hangup=throwaway.close)
        for warning in warnings:
            _error(warning)
        reader = open_reader(args, paths, config)
        try:
            if args.command == "digest":
                from arxiv_tui.digest_command import digest

                return digest(args, reader)
            if args.command == "search":
                return search(args, reader)
            return library_command(args, reader)
        finally:
            unsaved = reader.close()
            if unsaved:
                _error(f"your last changes could not be saved: {unsaved}")
    except ArxivTuiError as error:
        _error(str(error))
        return EXIT_NOTHING
    finally:
        throwaway.close()


def open_reader(args: argparse.Namespace, paths: Paths, config: Config, **options) -> Reader:
    """The Reader, with what opening did (a migration, a recovery) said on stderr."""

    def progress(done: int, total: int) -> None:
        if done == 1 or done == total or done % 25 == 0:
            _error(f"moving the earlier version's archive into the library: {done} of {total} listings")

    reader = Reader.open(paths, config, feeds=args.feed, offline=args.offline, progress=progress, **options)
    for notice in reader.library.notices:
        _error(notice)
    return reader


def locate(paths: Paths) -> int:
    print(f"config:  {paths.config_file}")
    print(f"library: {paths.library_file}")
    print(f"backup:  {paths.backup_file}")
    print(f"log:     {paths.log_file}")
    return EXIT_OK


def run_reader(
    args: argparse.Namespace,
    paths: Paths,
    config: Config,
    warnings: list[str],
    first_run: bool = False,
    on_hangup: Callable[[], object] = lambda: None,
) -> int:
    import gc

    from arxiv_tui.core.library import migrate

    # No cyclic collection until the first frame is drawn (the screen turns it back on): start-up
    # makes a great many objects that live on, and the collector walked them all, many times.
    gc.disable()
    if migrate.pending(paths):  # said here, in the plain terminal, before the screen is taken
        _error("this version keeps everything in one library file; moving your files into it…")
    from arxiv_tui.core.sources.isolated import parse_feed_isolated
    from arxiv_tui.core.sources.prefetch import Prefetch

    # Today's listing is fetched and parsed by a child process from now on, while the reader
    # imports Textual and paints what the library holds; its refreshes parse in a child too.
    prefetch = None if first_run else Prefetch.start(config, args.feed, args.offline)
    reader = open_reader(args, paths, config, parser=parse_feed_isolated, prefetch=prefetch)
    from arxiv_tui.tui.app import ArxivApp

    # The newest listing is read here, before Textual starts: in a worker it would compete with
    # Textual's own start for the interpreter and arrive several frames later.
    opened = reader.open_newest()
    app = ArxivApp(reader, warnings=warnings, opened=opened, first_run=first_run, on_hangup=on_hangup)
    try:
        app.run()
    finally:
        gc.enable()
    if app.unsaved_on_exit:
        _error(f"your last changes could not be saved: {app.unsaved_on_exit}")
        return EXIT_NOTHING
    return app.return_code or EXIT_OK


def search(args: argparse.Namespace, reader: Reader) -> int:
    from arxiv_tui.core.matching.query import QueryError
    from arxiv_tui.core.output.formats import render

    text = " ".join(args.query)
    if args.limit < 1:
        _error("--limit must be at least 1")
        return EXIT_USAGE
    if not text and not args.tag:
        _error("give a query, or --tag NAME")
        return EXIT_USAGE
    if args.tag and not text:
        tagged = reader.library.tagged(args.tag)
        papers, count, title = tagged[: args.limit], f"{len(tagged):,}", f"arXiv papers tagged {args.tag}"
    else:  # the query within the tag, if one is given: FTS5 restricts and ranks it itself
        try:
            found = reader.library.search(text, ranked=args.rank, limit=args.limit, tag=args.tag)
        except QueryError as error:
            _error(f"{text!r}: {error}")
            return EXIT_USAGE
        papers, count = found.papers, found.count_text
        title = f"arXiv search: {text}" + (f" (tag {args.tag})" if args.tag else "")
    heading = reader.heading(title, note=f"{count} papers in your library match.")
    print(render(args.format, heading, reader.items(papers), abstracts=args.abstracts), end="")
    if not papers:
        _error("nothing in your library matches")
        return EXIT_NOTHING
    return EXIT_OK


def library_command(args: argparse.Namespace, reader: Reader) -> int:
    from arxiv_tui.core.library.transfer import export_library, import_library

    path = args.file.expanduser()
    if args.action == "export":
        if path.exists() and not args.force:
            _error(f"{path} exists; choose another name, or add --force to replace it")
            return EXIT_USAGE
        print(export_library(reader.library, path).exported(path))
        return EXIT_OK
    print(import_library(reader.library, path).imported(path))
    return EXIT_OK
