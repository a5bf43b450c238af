"""`arxiv-tui search` and `arxiv-tui library export|import|forget-ranking`: the library from the
command line."""

from __future__ import annotations

import argparse

from arxiv_tui.cli.shell import EXIT_NOTHING, EXIT_OK, EXIT_USAGE
from arxiv_tui.cli.shell import error as _error
from arxiv_tui.core.session.reader import Reader


def search(args: argparse.Namespace, reader: Reader) -> int:
    """`search QUERY`: the library's papers matching a query (or a tag), printed."""
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
        papers, total, title = tagged[: args.limit], f"{len(tagged):,}", f"arXiv papers tagged {args.tag}"
    else:  # the query within the tag, if one is given: FTS5 restricts and ranks it itself
        try:
            found = reader.library.search(text, ranked=args.rank, limit=args.limit, tag=args.tag)
        except QueryError as error:
            _error(f"{text!r}: {error}")
            return EXIT_USAGE
        papers, total = found.papers, found.count_text
        title = f"arXiv search: {text}" + (f" (tag {args.tag})" if args.tag else "")
    matching = f"{total} paper{'' if total == '1' else 's'}"
    heading = reader.heading(title, note=f"{matching} in your library match{'es' if total == '1' else ''}.")
    print(render(args.format, heading, reader.items(papers), abstracts=args.abstracts), end="")
    if papers and total != f"{len(papers):,}":  # cut at --limit: said, never silent
        _error(f"{len(papers):,} of {matching} shown (--limit N shows more)")
    if not papers:
        _error("nothing in your library matches")
        return EXIT_NOTHING
    return EXIT_OK


def library(args: argparse.Namespace, reader: Reader) -> int:
    """`library export FILE`, `library import FILE`, `library forget-ranking`."""
    from arxiv_tui.core.library.transfer import export_library, import_library

    if args.action == "forget-ranking":
        reader.find.ranker.forget()
        print(
            f"For you starts learning again in {reader.paths.library_file}: what it had learned is gone; "
            "your decisions, stars and read marks are kept, and it learns from the ones you make from now on."
        )
        return EXIT_OK
    path = args.file.expanduser()
    if args.action == "export":
        if path.exists() and not args.force:
            _error(f"{path} exists; choose another name, or add --force to replace it")
            return EXIT_USAGE
        print(export_library(reader.library, path).exported(path))
        return EXIT_OK
    print(import_library(reader.library, path).imported(path))
    return EXIT_OK
