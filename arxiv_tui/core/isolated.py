"""Parsing, and the first fetch of a start, in a child process.

Parsing a day's listing is pure Python (0.2 s with the fast reader, 0.5 s with feedparser): in
a thread of the reader it holds the interpreter and every keystroke waits. In a child process
the reader stays responsive, uses the second core, and the parser's memory is not the reader's.

`Prefetch` goes further for the first refresh of a start: the child is started the moment the
command line has read config.toml, and fetches today's listing (or reads the --feed files) and
parses it while the reader imports Textual and paints what the library holds. The first refresh
then finds the answer ready.

The child writes each result as JSON lines: a header, then one line a paper, so that decoding
never holds the interpreter for long (keystrokes are served between lines).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
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
    for paper in outcome.papers:
        yield json.dumps(paper.to_dict()) + "\n"


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
        papers = [Paper.from_dict(json.loads(next(stream))) for _ in range(int(head["count"]))]
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
            try:
                stdout, stderr = self.process.communicate(timeout=self.timeout + 30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                stdout, stderr = self.process.communicate()
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
            self.process.communicate()


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
