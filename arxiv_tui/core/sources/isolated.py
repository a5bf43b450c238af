"""Parsing in a child process, and the line protocol its answers come back in.

Parsing a day's listing is pure Python (0.1 s with the fast reader, 0.5 s with feedparser): in
a thread of the reader it holds the interpreter and every keystroke waits. In a child process
the reader stays responsive, uses the second core, and the parser's memory is not the reader's.
(prefetch.py runs the first fetch of a start in a child too, at a lower priority.)

The child writes each result as JSON lines: a header, then its papers as arrays of rows, up to
ROWS_PER_LINE a line. The header may carry the keyword hits of its papers, matched in the child
(`hits`): the reader then need not match them again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, NamedTuple

from arxiv_tui.core.base.errors import ArxivErrorFeed, ArxivTuiError, FeedError, FetchError
from arxiv_tui.core.base.text import safe_message
from arxiv_tui.core.models import Paper, ParsedFeed

ERRORS: dict[str, type[ArxivTuiError]] = {
    "arxiv": ArxivErrorFeed,
    "feed": FeedError,
    "fetch": FetchError,
    "other": ArxivTuiError,
}  # fmt: skip  (most specific first)


# --- the line protocol -----------------------------------------------------------------------------


Hits = dict[str, list[str]]  # paper id -> the include terms it hits
PREVIEW = 200  # papers sent ahead of a listing, to paint while the rest is parsed
# Papers a line: each line is decoded in one call, which holds the interpreter throughout (a
# line of 1,500 papers, 15 ms: a keystroke in the reader waited for it); 250 take 2-3 ms.
ROWS_PER_LINE = 250


class Answer(NamedTuple):
    source: str
    outcome: ParsedFeed | ArxivTuiError
    hits: Hits | None = None  # the keyword hits of its papers, when the child matched them
    preview: bool = False  # the first papers of a listing only; the whole follows


def encode(
    source: str, outcome: ParsedFeed | ArxivTuiError, hits: Hits | None = None, preview: bool = False
) -> Iterator[str]:
    """An answer as pieces of text to write in order: a header line, then the papers' line."""
    if isinstance(outcome, ArxivTuiError):
        kind = (
            "arxiv"
            if isinstance(outcome, ArxivErrorFeed)
            else "feed"
            if isinstance(outcome, FeedError)
            else "fetch"
        )
        yield json.dumps({"source": source, "error": str(outcome), "error_type": kind}) + "\n"
        return
    head = {
        "source": source,
        "kind": outcome.kind,
        "listing_date": outcome.listing_date.isoformat() if outcome.listing_date else "",
        "title": outcome.title,
        "complete": outcome.complete,
        "total_results": outcome.total_results,
        "problems": outcome.problems,
        "count": len(outcome.papers),
    }
    if hits is not None:
        head["hits"] = hits
    if preview:
        head["preview"] = True
    yield json.dumps(head) + "\n"
    # The papers' lines, written a paper at a time: one json.dumps of 1,500 papers held 17 MB
    # for a 2 MB line in the child.
    papers = outcome.papers
    if not papers:
        yield "[]\n"
    for index, paper in enumerate(papers):
        opens = index % ROWS_PER_LINE == 0
        closes = index % ROWS_PER_LINE == ROWS_PER_LINE - 1 or index == len(papers) - 1
        row = json.dumps(_row(paper), ensure_ascii=False)
        yield ("[" if opens else ",") + row + ("]\n" if closes else "")


def papers_lines(count: int) -> int:
    """How many lines carry an answer's `count` papers (one, for none)."""
    return max(1, -(-count // ROWS_PER_LINE))


def _row(paper: Paper) -> list:
    """A paper as a list in `Paper`'s field order: a listing is one JSON array, decoded in one
    call (15 ms for 1,500 papers; a dict a paper took 20-30)."""
    listed = paper.listing_date.isoformat() if paper.listing_date else ""
    head = [paper.id, paper.version, paper.title, paper.authors, paper.abstract, paper.categories]
    return [*head, paper.announce_type, listed, paper.comments, paper.journal_ref, paper.doi, paper.published]


def _paper(row: list) -> Paper:
    paper_id, version, title, authors, abstract, categories, kind, listed, *rest = row
    comments, journal_ref, doi, published = (str(value) for value in rest)
    return Paper(
        str(paper_id), int(version), str(title), tuple(authors), str(abstract), tuple(categories),
        str(kind), dt.date.fromisoformat(listed) if listed else None, comments, journal_ref, doi, published,
    )  # fmt: skip


def decode(lines: Iterable[bytes]) -> Iterator[Answer]:
    """(source, parsed feed or the error it was, keyword hits if sent) for each result the child wrote."""
    stream = iter(lines)
    for first in stream:
        head = json.loads(first)
        source = str(head.get("source", "response"))
        if "error" in head:
            yield Answer(source, ERRORS.get(head.get("error_type"), FeedError)(str(head["error"])))
            continue
        count = int(head["count"])
        papers: list[Paper] = []
        for _ in range(papers_lines(count)):
            line = next(stream, None)
            if line is None:
                raise ValueError(f"the papers end after {len(papers)} of {count}")
            papers += [_paper(row) for row in json.loads(line)]
        if len(papers) != count:
            raise ValueError(f"{len(papers)} papers of {count}")
        listing_date = dt.date.fromisoformat(head["listing_date"]) if head["listing_date"] else None
        hits = head.get("hits")
        if hits is not None and not (
            isinstance(hits, dict) and all(isinstance(terms, list) for terms in hits.values())
        ):
            raise ValueError("keyword hits that are not a map of lists")
        yield Answer(
            source,
            ParsedFeed(
                kind=head["kind"],
                listing_date=listing_date,
                papers=papers,
                title=head["title"],
                complete=head["complete"],
                total_results=head["total_results"],
                problems=head["problems"],
            ),
            hits,
            head.get("preview") is True,
        )


def decoded(lines: Iterable[bytes], stderr: bytes, source: str) -> list[Answer]:
    """Every answer of a child's output, or one FeedError naming what went wrong."""
    try:
        return list(decode(lines))
    except (ValueError, KeyError, TypeError, StopIteration) as error:
        problem = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [str(error)]
        raise FeedError(f"{source}: the feed parser failed ({safe_message(problem[0], 300)})") from error


def command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "arxiv_tui.core.sources.isolated", *arguments]


# --- one parse -------------------------------------------------------------------------------------


PARENT = "ARXIV_TUI_PARENT"  # a child's environment: the reader's process id (die_with_parent)


def child_environment() -> dict[str, str]:
    """The environment a child interpreter starts with: the reader's, and the reader's id."""
    return {**os.environ, PARENT: str(os.getpid())}


def die_with_parent(parent: str | None = None) -> None:
    """In a child (Linux): be killed when the reader ends, however it ends (kill -9 included),
    so no child of ours outlives it. Elsewhere the reader kills its children as it closes.

    A new interpreter calls this itself, first thing, with the reader's id from its environment,
    and leaves if the reader ended before then. Run by subprocess as `preexec_fn`, it forced a
    fork of the whole reader (2-3 ms holding its interpreter; then, until the child ran Python
    anew, each page the reader wrote was copied first), just as the first `j` after R is drawn.
    Without one, subprocess starts the child with vfork."""
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if parent is not None and str(os.getppid()) != parent:
        os._exit(1)  # the reader had already ended: nothing to answer


def parse_feed_isolated(
    data: bytes, source: str = "response", include: Sequence[str] = (), timeout: float = 120.0
) -> ParsedFeed:
    """`parse_feed` run by a child Python process; same result, same errors. With `include`, the
    child matches those keywords too (40-50 ms of a refetch's Python, taken off the reader's
    interpreter) and the feed carries their hits (`keyword_hits`, `matched_with`)."""
    from dataclasses import replace

    from arxiv_tui.core.sources.parse import parse_feed

    try:
        # The feed goes in as a file, not through `input=`: subprocess writes that 512 bytes a
        # turn, 6,000 turns for a day's listing, each taking the interpreter back from the UI.
        with tempfile.TemporaryFile() as feed:
            feed.write(data)
            feed.seek(0)
            done = subprocess.run(
                command("parse", source, json.dumps(list(include))),
                stdin=feed,
                capture_output=True,
                timeout=timeout,
                env=child_environment(),
            )
    except OSError:  # no interpreter to start (a frozen build): parse here rather than not at all
        return parse_feed(data, source)
    except subprocess.SubprocessError as error:  # it ran past `timeout`
        raise FeedError(f"{source}: the feed parser gave no answer ({safe_message(error, 200)})") from error
    results = decoded(done.stdout.splitlines(), done.stderr, source)
    if not results:
        raise FeedError(f"{source}: the feed parser gave no answer")
    _, outcome, hits, _ = results[0]
    if isinstance(outcome, ArxivTuiError):
        raise outcome
    return outcome if hits is None else replace(outcome, keyword_hits=hits, matched_with=tuple(include))


# --- the child -------------------------------------------------------------------------------------


def keyword_hits(parsed: ParsedFeed, include: Sequence[str]) -> Hits | None:
    """The include terms each paper hits, as the reader's matching finds them (None when a
    /regex/ keyword ran out of time: the reader then matches, and says so)."""
    from arxiv_tui.core.matching.match import Matcher

    try:
        matcher = Matcher(include, (), ())
    except ArxivTuiError:
        return None
    hits = {paper.id: list(terms) for paper in parsed.papers if (terms := matcher.matched_terms(paper))}
    return None if matcher.too_slow else hits


def _answer(
    stdout: IO[str], source: str, outcome: ParsedFeed | ArxivTuiError, include, preview: bool = False
) -> None:
    hits = None
    if include and not isinstance(outcome, ArxivTuiError):
        hits = keyword_hits(outcome, include)
    stdout.writelines(encode(source, outcome, hits, preview))
    stdout.flush()


def _previewing(stdout: IO[str], include: Sequence[str]) -> Callable[[bytes, str], ParsedFeed]:
    """A parser that first sends the listing's first papers (prefetch.py paints them at once)."""
    from arxiv_tui.core.sources.parse import parse_feed, parse_first

    def parse(data: bytes, source: str) -> ParsedFeed:
        first = parse_first(data, source, PREVIEW)
        if first is not None and first.papers and first.listing_date is not None:
            _answer(stdout, source, first, include, preview=True)
        return parse_feed(data, source)

    return parse


def child(arguments: list[str], stdin: IO[bytes], stdout: IO[str], include: Sequence[str] = ()) -> None:
    """What a child does: `parse SOURCE [KEYWORDS]` (the feed on stdin), `files PATH...`, or
    `fetch RSS_URL CATEGORIES TIMEOUT`; `include`: the keywords whose hits it sends with each feed."""
    from arxiv_tui.core.sources.parse import parse_feed

    what, rest = arguments[0], arguments[1:]
    if what == "parse":  # `parse SOURCE [KEYWORDS]`: the keywords as a JSON list
        source = rest[0] if rest else "response"
        include = [str(term) for term in json.loads(rest[1])] if len(rest) > 1 else include
        try:
            outcome: ParsedFeed | ArxivTuiError = parse_feed(stdin.read(), source)
        except ArxivTuiError as error:
            outcome = error
        _answer(stdout, source, outcome, include)
    elif what == "files":
        parse = _previewing(stdout, include) if len(rest) == 1 else parse_feed
        for name in rest:
            try:
                outcome = parse(Path(name).read_bytes(), name)
            except OSError:
                continue  # the reader reads the file too, and says why it cannot
            except ArxivTuiError as error:
                outcome = error
            _answer(stdout, name, outcome, include)
    elif what == "fetch":
        from arxiv_tui.core.sources.arxiv import ListingClient

        rss_url, categories, timeout = rest[0], rest[1].split(","), float(rest[2])
        client = ListingClient(rss_url, timeout, parser=_previewing(stdout, include))
        url = client.url_for(categories)
        try:
            outcome = client.fetch(categories)
        except ArxivTuiError as error:
            outcome = error
        finally:
            client.close()
        _answer(stdout, url, outcome, include)


if __name__ == "__main__":
    die_with_parent(os.environ.get(PARENT))
    arguments = sys.argv[1:]
    prefetch = arguments[:1] != ["parse"]  # `files` or `fetch`: a start's first fetch (prefetch.py)
    if prefetch:  # the reader draws its first frame meanwhile
        with contextlib.suppress(OSError, AttributeError):
            os.nice(10)
    # `files` and `fetch` are given the keywords to match on stdin, as a JSON list
    keywords = json.loads(sys.stdin.buffer.read() or b"[]") if prefetch else []
    child(arguments, sys.stdin.buffer, sys.stdout, [str(term) for term in keywords])
