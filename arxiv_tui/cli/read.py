"""`arxiv-tui read ID`: a paper's full text, as arXiv's HTML of it, printed as Markdown (or plain
text, `--plain`), so a paper can be piped into anything. The same reading of the page as the
reader's, and the same text kept in the library: a paper read once prints offline."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from arxiv_tui.cli.shell import EXIT_NOTHING, EXIT_OK, EXIT_USAGE
from arxiv_tui.cli.shell import error as _error
from arxiv_tui.core.models import ARXIV_ID

if TYPE_CHECKING:
    import argparse

    from arxiv_tui.core.session.reader import Reader

_WANTED = re.compile(rf"(?:arxiv:)?({ARXIV_ID})(?:v([0-9]{{1,3}}))?", re.IGNORECASE)


def paper_wanted(text: str) -> tuple[str, int] | None:
    """The arXiv id and version (0: not given) on the command line; None, said, for anything else."""
    wanted = _WANTED.fullmatch(text.strip())
    if wanted is None:
        _error(f"{text[:80]!r} is not an arXiv id (like 2501.11120 or 2501.11120v1)")
        return None
    return wanted.group(1), int(wanted.group(2) or 0)


def read(args: argparse.Namespace, reader: Reader) -> int:
    from arxiv_tui.core.fulltext.document import to_markdown, to_plain
    from arxiv_tui.core.sources.full_text import NoFullText, read_full_text

    wanted = paper_wanted(args.paper)
    if wanted is None:
        return EXIT_USAGE
    paper_id, version = wanted
    if not version:  # the version the library knows, else the newest arXiv has
        known = reader.library.paper(paper_id)
        version = known.version if known is not None else 0
    try:
        text = read_full_text(
            reader.config, reader.library.full_texts, paper_id, version, offline=args.offline
        )
    except NoFullText as error:
        _error(str(error))
        return EXIT_NOTHING
    if text.note:
        _error(text.note)
    print((to_plain if args.plain else to_markdown)(text.document), end="")
    return EXIT_OK
