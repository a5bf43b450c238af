"""Parsing, and the first fetch of a start, in a child process.

Parsing a day's listing is pure Python (0.2 s with the fast reader, 0.5 s with feedparser): in
a thread of the reader it holds the interpreter and every keystroke waits. In a child process
the reader stays responsive, uses the second core, and the parser's memory is not the reader's.

`Prefetch` goes further for the first refresh of a start: the child is started the moment the
command line has read config.toml, and fetches today's listing (or reads the --feed files) and
parses it while the reader imports Textual and paints what the library holds. The first refresh
then finds the answer ready.

The child writes each result as two JSON lines: a header, then its papers as one array of rows.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from arxiv_tui.core.errors import ArxivErrorFeed, ArxivTuiError, FeedError, FetchError
from arxiv_tui.core.models import Paper
from arxiv_tui.core.text import safe_message

if TYPE_CHECKING:
    from arxiv_tui.core.config import Config
    from arxiv_tui.core.parse import ParsedFeed

ERRORS: dict[str, type[ArxivTuiError]] = {
    "arxiv": ArxivErrorFeed,
    "feed": FeedError,
    "fetch": FetchError,
    "other": ArxivTuiError,
}  # fmt: skip  (most specific first)


# --- the line protocol -----------------------------------------------------------------------------


def encode(source: str, outcome: ParsedFeed | ArxivTuiError) -> Iterator[str]:
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
    yield json.dumps(head) + "\n"
    yield json.dumps([_row(paper) for paper in outcome.papers], ensure_ascii=False) + "\n"


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


def decode(lines: Iterable[bytes]) -> Iterator[tuple[str, ParsedFeed | ArxivTuiError]]:
    """(source, parsed feed or the error it was) for each result the child wrote."""
    from arxiv_tui.core.parse import ParsedFeed

    stream = iter(lines)
    for first in stream:
        head = json.loads(first)
        source = str(head.get("source", "response"))
        if "error" in head:
            yield source, ERRORS.get(head.get("error_type"), FeedError)(str(head["error"]))
            continue
        papers = [_paper(row) for row in json.loads(next(stream))]
        if len(papers) != int(head["count"]):
            raise ValueError(f"{len(papers)} papers of {head['count']}")
        listing_date = dt.date.fromisoformat(head["listing_date"]) if head["listing_date"] else None
        yield (
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
        )


def _decoded(stdout: bytes, stderr: bytes, source: str) -> list[tuple[str, ParsedFeed | ArxivTuiError]]:
    try:
        return list(decode(stdout.splitlines()))
    except (ValueError, KeyError, TypeError, StopIteration) as error:
        problem = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [str(error)]
        raise FeedError(f"{source}: the feed parser failed ({safe_message(problem[0], 300)})") from error


def _command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "arxiv_tui.core.isolated", *arguments]


# --- one parse -------------------------------------------------------------------------------------


def parse_feed_isolated(data: bytes, source: str = "response", timeout: float = 120.0) -> ParsedFeed:
    """`parse_feed` run by a child Python process; same result, same errors."""
    from arxiv_tui.core.parse import parse_feed

    try:
        done = subprocess.run(_command("parse", source), input=data, capture_output=True, timeout=timeout)
    except OSError:  # no interpreter to start (a frozen build): parse here rather than not at all
        return parse_feed(data, source)
    except subprocess.SubprocessError as error:  # it ran past `timeout`
        raise FeedError(f"{source}: the feed parser gave no answer ({safe_message(error, 200)})") from error
    results = _decoded(done.stdout, done.stderr, source)
    if not results:
        raise FeedError(f"{source}: the feed parser gave no answer")
    outcome = results[0][1]
    if isinstance(outcome, ArxivTuiError):
        raise outcome
    return outcome


# --- the first fetch of a start --------------------------------------------------------------------


class Prefetch:
    """Today's listing (or the --feed files) fetched and parsed by a child started at once."""

    def __init__(self, process: subprocess.Popen[bytes], url: str, timeout: float) -> None:
        self.process = process
        self.url = url
        self.timeout = timeout
        self._results: dict[str, ParsedFeed | ArxivTuiError] | None = None
        self._output: tuple[bytes, bytes] = (b"", b"")
        # Read the child's answer as it comes: a listing is 2 MB of JSON, and a child that
        # finds the pipe full waits until the reader asks (it did, 100-150 ms of every first run).
        self._drained = threading.Thread(target=self._drain, name="prefetch-reader", daemon=True)
        self._drained.start()

    def _drain(self) -> None:
        try:
            self._output = self.process.communicate(timeout=self.timeout + 30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self._output = self.process.communicate()
        except (OSError, ValueError):  # closed under it (close() after a quit)
            pass

    @classmethod
    def start(cls, config: Config, feeds: Sequence[Path], offline: bool) -> Prefetch | None:
        if offline and not feeds:
            return None
        if feeds:
            arguments = ["files", *(str(path) for path in feeds)]
            url = ""
        else:
            url = f"{config.rss_url.rstrip('/')}/{'+'.join(config.categories)}"
            arguments = ["fetch", config.rss_url, ",".join(config.categories), str(config.timeout_seconds)]
        try:
            process = subprocess.Popen(_command(*arguments), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError:
            return None
        return cls(process, url, config.timeout_seconds)

    def results(self) -> dict[str, ParsedFeed | ArxivTuiError]:
        """What the child found, by source (waits for it, at most the fetch's own deadline)."""
        if self._results is None:
            self._drained.join()
            stdout, stderr = self._output
            try:
                self._results = dict(_decoded(stdout, stderr, self.url or "the feed files"))
            except FeedError as error:
                self._results = {"": error}
        return self._results

    def client(self) -> PrefetchedListing:
        return PrefetchedListing(self)

    def parser(self, fallback):
        """A parser for `load_feed_files` that answers with what the child parsed."""

        def parse(data: bytes, source: str) -> ParsedFeed:
            outcome = self.results().get(source)
            if outcome is None:
                return fallback(data, source)
            if isinstance(outcome, ArxivTuiError):
                raise outcome
            return outcome

        return parse

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self._drained.join()  # it ends as the child does


class PrefetchedListing:
    """A ListingClient whose one answer is the prefetch's."""

    def __init__(self, prefetch: Prefetch) -> None:
        self.prefetch = prefetch

    def url_for(self, categories: Sequence[str]) -> str:
        return self.prefetch.url

    def fetch(self, categories: Sequence[str]) -> ParsedFeed:
        outcome = self.prefetch.results().get(self.prefetch.url) or next(
            iter(self.prefetch.results().values())
        )
        if isinstance(outcome, ArxivTuiError):
            raise outcome
        return outcome

    def close(self) -> None:
        self.prefetch.close()


# --- the child -------------------------------------------------------------------------------------


def _child(arguments: list[str], stdin: IO[bytes], stdout: IO[str]) -> None:
    from arxiv_tui.core.parse import parse_feed

    what, rest = arguments[0], arguments[1:]
    if what == "parse":
        source = rest[0] if rest else "response"
        try:
            outcome: ParsedFeed | ArxivTuiError = parse_feed(stdin.read(), source)
        except ArxivTuiError as error:
            outcome = error
        stdout.writelines(encode(source, outcome))
    elif what == "files":
        for name in rest:
            try:
                outcome = parse_feed(Path(name).read_bytes(), name)
            except OSError:
                continue  # the reader reads the file too, and says why it cannot
            except ArxivTuiError as error:
                outcome = error
            stdout.writelines(encode(name, outcome))
    elif what == "fetch":
        from arxiv_tui.core.arxiv import ListingClient

        rss_url, categories, timeout = rest[0], rest[1].split(","), float(rest[2])
        client = ListingClient(rss_url, timeout)
        url = client.url_for(categories)
        try:
            outcome = client.fetch(categories)
        except ArxivTuiError as error:
            outcome = error
        finally:
            client.close()
        stdout.writelines(encode(url, outcome))


if __name__ == "__main__":
    _child(sys.argv[1:], sys.stdin.buffer, sys.stdout)
