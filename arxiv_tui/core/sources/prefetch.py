"""The first fetch of a start, in a child process started as the library is opened, when the
feed may hold a listing the library lacks (Reader.open; otherwise the first refresh fetches).

The child fetches today's listing (or reads the --feed files), parses it and matches it against
the keywords while the reader imports Textual and paints what the library holds; the first
refresh then finds the answer ready, and already decoded. The child is a new interpreter
(`python -m arxiv_tui.core.sources.isolated`, started with vfork) that lowers its own priority,
so the first frame shares the machine with it as little as can be. It is not forked from the
reader: that spares it an interpreter's start, but until the child ends, each page of memory
the reader's start writes is copied first (Textual's import took 12 ms longer).
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

from arxiv_tui.core.base.errors import ArxivTuiError, FeedError
from arxiv_tui.core.sources.isolated import (
    Answer,
    child_environment,
    command,
    decode,
    decoded,
    papers_lines,
)

if TYPE_CHECKING:
    from arxiv_tui.core.config import Config
    from arxiv_tui.core.models import ParsedFeed

GRACE = 30.0  # seconds past the fetch's own deadline before a silent child is killed


class Spawned:
    """The child: a new interpreter."""

    def __init__(self, arguments: list[str], keywords: Sequence[str]) -> None:
        self.process = subprocess.Popen(
            command(*arguments), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=child_environment(),
        )  # fmt: skip
        assert self.process.stdin is not None and self.process.stdout is not None
        with contextlib.suppress(OSError):
            self.process.stdin.write(json.dumps(list(keywords)).encode())
            self.process.stdin.close()
        self.stdout: IO[bytes] = self.process.stdout

    def ended(self) -> bytes:
        """Wait for the child's end; what it said on stderr."""
        try:
            _, stderr = self.process.communicate()
        except (OSError, ValueError):  # closed under it (close() after a quit)
            return b""
        return stderr or b""

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()


class Prefetch:
    """Today's listing (or the --feed files) fetched, parsed and matched by a child started at once."""

    def __init__(self, process: Spawned, url: str, timeout: float, include: Sequence[str] = ()) -> None:
        self.process = process
        self.include = tuple(include)  # the keywords the child matched
        self.url = url
        self.timeout = timeout
        self._lines: list[bytes] = []  # the answers, decoded when asked for
        self._results: dict[str, ParsedFeed | ArxivTuiError] | None = None
        self._stderr = b""
        self._preview: Answer | None = None
        self._previewed = threading.Event()  # set once a preview, or the whole answer, is in
        # Read the answer as it comes (a child that finds the pipe full waits), and decode a
        # preview at once; the whole listing (2 MB of JSON, 30 ms) is decoded when it is asked
        # for, after the preview is drawn, so the two never share the interpreter.
        self._drained = threading.Thread(target=self._drain, name="prefetch-reader", daemon=True)
        self._drained.start()

    def _drain(self) -> None:
        deadline = threading.Timer(self.timeout + GRACE, self.process.kill)
        deadline.daemon = True
        deadline.start()
        preview_lines = 0  # the lines of a preview, once its header is in
        try:
            for line in self.process.stdout:
                self._lines.append(line)
                if len(self._lines) == 1 and b'"preview": true' in line:
                    preview_lines = 1 + papers_lines(_count(line))
                if len(self._lines) == preview_lines and self._preview is None:
                    self._take_preview(preview_lines)
        except (OSError, ValueError):  # closed under it (close() after a quit)
            pass
        finally:
            deadline.cancel()
            self._stderr = self.process.ended()
            self._previewed.set()

    def _take_preview(self, lines: int) -> None:
        try:
            answer = next(decode(self._lines), None)
        except (ValueError, KeyError, TypeError, StopIteration):
            answer = None
        if answer is not None and answer.preview:
            self._preview = answer
            del self._lines[:lines]
        self._previewed.set()

    def take_preview(self, wait: bool = True) -> ParsedFeed | None:
        """The first papers of today's listing, with their keyword hits, as soon as the child has
        sent them; once (None when it sent none: the whole answer is then in; or, without
        `wait`, when they are not in yet)."""
        if not wait and not self._previewed.is_set():
            return None
        self._previewed.wait()
        answer, self._preview = self._preview, None
        outcome = self._with_hits(answer) if answer is not None else None
        return None if isinstance(outcome, ArxivTuiError) else outcome

    @classmethod
    def start(cls, config: Config, feeds: Sequence[Path], offline: bool) -> Prefetch | None:
        if (offline or not config.categories) and not feeds:
            return None
        if feeds:
            arguments = ["files", *(str(path) for path in feeds)]
            url = ""
        else:
            url = f"{config.rss_url.rstrip('/')}/{'+'.join(config.categories)}"
            arguments = ["fetch", config.rss_url, ",".join(config.categories), str(config.timeout_seconds)]
        include = list(config.include)
        try:
            process = Spawned(arguments, include)
        except OSError:
            return None
        return cls(process, url, config.timeout_seconds, include)

    def results(self) -> dict[str, ParsedFeed | ArxivTuiError]:
        """What the child found, by source (waits for it, at most the fetch's own deadline)."""
        self._drained.join()
        if self._results is None:
            try:
                answers = decoded(self._lines, self._stderr, self.url or "the feed files")
            except FeedError as error:
                answers = [Answer("", error)]
            self._results = {answer.source: self._with_hits(answer) for answer in answers}
            self._lines = []
        return self._results

    def _with_hits(self, answer: Answer) -> ParsedFeed | ArxivTuiError:
        """A feed carries the keyword hits the child found, as the refetch's child gives them."""
        if answer.hits is None or isinstance(answer.outcome, ArxivTuiError):
            return answer.outcome
        return replace(answer.outcome, keyword_hits=answer.hits, matched_with=self.include)

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
        self.process.kill()
        self._drained.join()  # it ends as the child does


def _count(header: bytes) -> int:
    """The number of papers an answer's header announces (0 if it cannot be read)."""
    try:
        return int(json.loads(header).get("count", 0))
    except (ValueError, TypeError, AttributeError):
        return 0


class PrefetchedListing:
    """A ListingClient whose one answer is the prefetch's."""

    def __init__(self, prefetch: Prefetch) -> None:
        self.prefetch = prefetch

    def url_for(self, categories: Sequence[str]) -> str:
        return self.prefetch.url

    def fetch(self, categories: Sequence[str]) -> ParsedFeed:
        results = self.prefetch.results()
        outcome = results.get(self.prefetch.url) or next(iter(results.values()), None)
        if outcome is None:
            raise FeedError(f"{self.prefetch.url}: the first fetch gave no answer (R fetches again)")
        if isinstance(outcome, ArxivTuiError):
            raise outcome
        return outcome

    def close(self) -> None:
        self.prefetch.close()
