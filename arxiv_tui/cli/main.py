"""`arxiv-tui`: the reader by default; `digest`, `search`, `library` and `locate` print and exit.
The UI is imported only when the reader starts, so the commands stay light and headless."""

from __future__ import annotations

import argparse
import contextlib
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from arxiv_tui.cli.arguments import build_parser
from arxiv_tui.cli.shell import EXIT_NOTHING, EXIT_OK, EXIT_USAGE
from arxiv_tui.cli.shell import error as _error
from arxiv_tui.core.base.errors import ArxivTuiError, ConfigError
from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.base.storage import atomic_write
from arxiv_tui.core.config import Config, default_text_with, load_config
from arxiv_tui.core.session.reader import Reader
from arxiv_tui.core.sources.demo import demo_listing_file

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
                from arxiv_tui.cli.digest import digest

                return digest(args, reader)
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
    reader.tell = lambda notice: _error(notice.text)  # a recovery, a save that failed, while it runs
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
