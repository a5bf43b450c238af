"""The command line's arguments: the reader's options, and `digest`, `search`, `read`, `library`,
`summarize`, `ask`, `locate` with theirs. Options like --home are accepted before and after a command."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

from arxiv_tui import __version__
from arxiv_tui.core.base.schedule import date_problem

if TYPE_CHECKING:  # imported where a parser is built: a start of the reader does without it
    import argparse

# formats.FORMATS (a test checks): the formats are imported only when used
FORMATS = ("markdown", "json", "bibtex", "ris", "csv")


def listing_date(text: str) -> dt.date:
    """A date on the command line: YYYY-MM-DD, within arXiv's lifetime."""
    import argparse

    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2024-11-28") from None
    problem = date_problem(day)
    if problem:
        raise argparse.ArgumentTypeError(f"{problem}: no listing has that date")
    return day


def positive(text: str) -> int:
    """A count of at least 1, as argparse's type."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def _common(parser: argparse.ArgumentParser, top_level: bool) -> None:
    """Options allowed before and after the command; only the top level sets defaults,
    so that `arxiv-tui --demo digest` and `arxiv-tui digest --demo` mean the same."""
    import argparse

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
    import argparse

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
        help="only the papers that entered the Inbox since the last --new-only run, each once (the "
        "rest of a cut-off listing comes in the next run): nothing (exit 3) when nothing is new, "
        "nothing (exit 4) when the fetch failed; with --all, --search or --date: a listing once",
    )
    digest.add_argument(
        "--inbox",
        action="store_true",
        help="every undecided paper of the Inbox (--group: by keyword and alert)",
    )
    digest.add_argument(
        "--output-dir",
        type=Path,
        metavar="DIR",
        help="write the digest to DIR/arxiv-YYYY-MM-DD.md (.json, .bib) instead of printing it; a "
        "different file of that name is not replaced (exit 5) without --force; a --new-only "
        "follow-up of the same day goes to DIR/arxiv-YYYY-MM-DD.2.md",
    )
    digest.add_argument("--force", action="store_true", help="with --output-dir: replace a different file")
    digest.add_argument(
        "--rank",
        action="store_true",
        help="order the papers by For you, learned from your keeps and skips (undecided first); each "
        "carries its chance of a keep and why (JSON: score, reason)",
    )
    digest.add_argument(
        "--limit", type=positive, metavar="N", help="only the first N papers (with --rank: the top N)"
    )
    digest.add_argument(
        "--tldr",
        action="store_true",
        help="each paper with your model's one-line TL;DR ([assistant]): kept ones, the rest asked for",
    )
    digest.add_argument(
        "--yes", action="store_true", help="with --tldr: send to a server elsewhere without asking"
    )
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
    library = commands.add_parser(
        "library", help="export or import your stars, notes, tags and read marks; reset For you's learning"
    )
    _common(library, top_level=False)
    actions = library.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="write everything you made to a JSON file")
    _common(export, top_level=False)
    export.add_argument("file", type=Path)
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    imported = actions.add_parser("import", help="merge an export into this library (nothing is replaced)")
    _common(imported, top_level=False)
    imported.add_argument("file", type=Path)
    forget = actions.add_parser(
        "forget-ranking",
        help="start For you's learning again: its weights go; your decisions, stars and marks stay",
    )
    _common(forget, top_level=False)
    read = commands.add_parser(
        "read", help="print a paper's full text (arXiv's HTML of it) as Markdown, to pipe anywhere"
    )
    _common(read, top_level=False)
    read.add_argument("paper", help="an arXiv id: 2501.11120 (the version the library knows), 2501.11120v1")
    read.add_argument("--plain", action="store_true", help="plain text instead of Markdown")
    summarize = commands.add_parser(
        "summarize", help="your model's summary of a paper's full text ([assistant] in config.toml)"
    )
    _common(summarize, top_level=False)
    summarize.add_argument("paper", help="an arXiv id, like 2501.11120")
    summarize.add_argument("--again", action="store_true", help="ask anew even when a summary is kept")
    summarize.add_argument("--yes", action="store_true", help="send to a server elsewhere without asking")
    ask = commands.add_parser(
        "ask", help="ask your model about a paper; without a question, print the conversation so far"
    )
    _common(ask, top_level=False)
    ask.add_argument("paper", help="an arXiv id, like 2501.11120")
    ask.add_argument("question", nargs="*", help='for example: "which datasets does it use?"')
    ask.add_argument("--yes", action="store_true", help="send to a server elsewhere without asking")
    locate = commands.add_parser("locate", help="print where config, library, backup and log live")
    _common(locate, top_level=False)
    return parser


_EXCLUDED_WORD = re.compile(r"-[^\W\d_].*|-\".*", re.DOTALL)  # -survey, -"neural network"


def _reader_options(words: list[str]) -> argparse.Namespace | None:
    """The reader's own options read without building the parser, or importing argparse (3 ms of
    every start), as it reads them; None for anything else (a command, help, an abbreviation, a
    mistake)."""
    args = SimpleNamespace(home=None, offline=False, feed=[], demo=False, command=None)
    position = 0
    while position < len(words):
        name, equals, value = words[position].partition("=")
        if not equals and name in ("--offline", "--demo"):
            setattr(args, name[2:], True)
        elif name in ("--home", "--feed"):
            if not equals:
                position += 1
                if position == len(words) or words[position].startswith("-"):
                    return None
                value = words[position]
            if name == "--home":
                args.home = value
            else:
                args.feed.append(Path(value))
        else:
            return None
        position += 1
    return cast("argparse.Namespace", args)  # the same attributes, without importing argparse


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line read; `search speech -survey` keeps -survey as a word of the query (the
    search's own language, not an option), in the order it was typed."""
    quick = _reader_options(list(argv if argv is not None else sys.argv[1:]))
    if quick is not None:
        return quick
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if args.command == "search" and unknown and all(not word.startswith("--") for word in unknown):
        typed = list(argv if argv is not None else sys.argv[1:])
        words = set(args.query) | set(unknown)
        args.query = [word for word in typed if word in words]  # as typed, options left out
    elif unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    return args
