"""`arxiv-tui`: the reader by default; `digest`, `search`, `library` and `locate` print and exit.
The UI is imported only when the reader starts, so the commands stay light and headless."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from arxiv_tui.cli.arguments import parse_arguments
from arxiv_tui.cli.shell import EXIT_INTERRUPTED, EXIT_NOTHING, EXIT_OK, EXIT_USAGE, printable_output
from arxiv_tui.cli.shell import error as _error
from arxiv_tui.core.base.errors import ArxivTuiError, ConfigError
from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.base.storage import atomic_write
from arxiv_tui.core.config import Config, default_text_with, load_config
from arxiv_tui.core.session.reader import Reader

if TYPE_CHECKING:  # argparse itself is imported only when a command needs its parser
    import argparse

    from arxiv_tui.core.models import ParsedFeed
    from arxiv_tui.core.sources.prefetch import Prefetch

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


def demo_home() -> Path:
    """A throwaway home with demo keywords (the bundled listing is read where it is installed)."""
    home = Path(tempfile.mkdtemp(prefix="arxiv-tui-demo-"))
    kept_inside: dict[tuple[str, ...], list[str] | str] = {
        ("download", "folder"): str(home / "downloads"),  # a demo touches none of your folders
        ("download", "export_folder"): str(home),
    }
    atomic_write(home / "config.toml", default_text_with({**DEMO_KEYWORDS, **kept_inside}))
    return home


def main(argv: list[str] | None = None) -> int:
    printable_output()
    args = parse_arguments(argv)
    throwaway = contextlib.ExitStack()  # what --demo makes, gone when the command ends
    try:
        if args.demo:
            from arxiv_tui.core.sources.demo import demo_listing_file

            demo_dir = demo_home()
            throwaway.callback(shutil.rmtree, demo_dir, ignore_errors=True)
            args.home = str(demo_dir)
            args.feed = [*args.feed, throwaway.enter_context(demo_listing_file())]
        paths = Paths.resolve(args.home)
        if args.command == "locate":
            return locate(paths)
        try:
            config, warnings = load_config(paths.config_file)
        except ConfigError as error:
            _error(str(error))
            return EXIT_USAGE
        # No categories (an empty home, or a setup skipped): the reader starts with the setup
        # screen, not with someone else's categories and keywords.
        first_run = args.command is None and not args.feed and not config.categories
        if args.command is None:
            if not terminal_can_show_the_reader():
                return EXIT_USAGE
            return run_reader(args, paths, config, warnings, first_run, on_hangup=throwaway.close)
        for warning in warnings:
            _error(warning)
        reader = open_reader(args, paths, config)
        try:
            if args.command == "digest":
                from arxiv_tui.cli.digest import digest

                if args.tldr:
                    from arxiv_tui.cli.assist import with_tldrs

                    args.add_tldrs = lambda items: with_tldrs(args, reader, items)

                return digest(args, reader)
            if args.command == "read":
                from arxiv_tui.cli.read import read

                return read(args, reader)
            if args.command in ("summarize", "ask"):
                from arxiv_tui.cli import assist

                return (
                    assist.summarize(args, reader)
                    if args.command == "summarize"
                    else assist.ask(args, reader)
                )
            from arxiv_tui.cli import library_commands

            if args.command == "search":
                return library_commands.search(args, reader)
            return library_commands.library(args, reader)
        finally:
            unsaved = reader.close()
            if unsaved:
                _error(f"your last changes could not be saved: {unsaved}")
    except ArxivTuiError as error:
        _error(str(error))
        return EXIT_NOTHING
    except KeyboardInterrupt:  # what was being written is rolled back whole (one transaction)
        _error("interrupted; nothing half-done was kept")
        return EXIT_INTERRUPTED
    finally:
        throwaway.close()


def terminal_can_show_the_reader() -> bool:
    """The reader draws a screen: it needs a terminal that can show one (NO_COLOR is kept: the
    screen is drawn in shades of grey). Otherwise it says so and what to use instead."""
    if os.environ.get("TERM", "") == "dumb":
        _error("this terminal (TERM=dumb) cannot show the reader; `arxiv-tui digest` prints the day's papers")
        return False
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        _error("the reader needs a terminal; `arxiv-tui digest` prints the day's papers to a pipe or a file")
        return False
    return True


def open_reader(args: argparse.Namespace, paths: Paths, config: Config, **options) -> Reader:
    """The Reader, with what opening did (a migration, a recovery) said on stderr."""

    def progress(done: int, total: int) -> None:
        if done == 1 or done == total or done % 25 == 0:
            _error(f"moving the earlier version's archive into the library: {done} of {total:,} listings")

    reader = Reader.open(paths, config, feeds=args.feed, offline=args.offline, progress=progress, **options)
    for notice in reader.library.notices:
        _error(notice)
    reader.tell = lambda notice: _error(notice.text)  # a recovery, a save that failed, while it runs
    return reader


def parse_in_a_child(data: bytes, source: str, include: Sequence[str]) -> ParsedFeed:
    """A fetched feed parsed by a child process (`parse_feed_isolated`), imported when the first
    feed arrives."""
    from arxiv_tui.core.sources.isolated import parse_feed_isolated

    return parse_feed_isolated(data, source, include)


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

    from arxiv_tui.core.base.memory import one_heap
    from arxiv_tui.core.library import migrate

    one_heap()  # before the Reader and Textual start their threads

    # No cyclic collection until the first frame is drawn (the screen turns it back on): start-up
    # makes a great many objects that live on, and the collector walked them all, many times.
    gc.disable()
    # Textual draws what changed on a timer of 1/TEXTUAL_FPS (60: a key's answer waited 8 ms on
    # average, up to 17, for its frame). A search's answer comes a few ms after the frame that
    # echoed its key, and waited for the next tick: at 240 a search key's median is 4 ms less
    # than at 120. Only frames with changes are drawn, and no more than one per tick.
    os.environ.setdefault("TEXTUAL_FPS", "240")
    if migrate.pending(paths):  # said here, in the plain terminal, before the screen is taken
        _error("this version keeps everything in one library file; moving your files into it…")

    # When arXiv may have announced a listing the library lacks (or --feed files are to be read),
    # a child process fetches and parses it from now on, while the reader imports Textual and
    # paints what the library holds. Otherwise nothing new is due: the first refresh checks,
    # after the first frame, and the start does not share the machine with it (nor import the
    # child's modules).
    def fetch_early() -> Prefetch | None:
        if first_run:
            return None
        from arxiv_tui.core.sources.prefetch import Prefetch

        return Prefetch.start(config, args.feed, args.offline)

    reader = open_reader(args, paths, config, parser=parse_in_a_child, fetch_early=fetch_early)
    from arxiv_tui.tui.app import ArxivApp

    # What the first frame shows is read here, before Textual starts: in a worker it would
    # compete with Textual's own start for the interpreter and arrive several frames later. Of
    # the Inbox, as many rows as the terminal has lines (no more can show; 200 were 2-3 ms of a
    # start); the rest, and the listing, after the first frame if they can wait.
    opened = reader.open_newest(inbox_first=shutil.get_terminal_size().lines)
    app = ArxivApp(reader, warnings=warnings, opened=opened, first_run=first_run, on_hangup=on_hangup)
    try:
        app.run()
    finally:
        gc.enable()
    if app.unsaved_on_exit:
        _error(f"your last changes could not be saved: {app.unsaved_on_exit}")
        return EXIT_NOTHING
    code = app.return_code or EXIT_OK
    if any(not thread.daemon for thread in threading.enumerate() if thread is not threading.main_thread()):
        # A worker still waits on the network (a fetch's deadline is up to a minute away). What
        # the user did is saved (the App closed the Reader); the end is not put off for it.
        on_hangup()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code
