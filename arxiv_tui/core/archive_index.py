"""Search across every archived listing: tens of thousands of papers, each keystroke in milliseconds.

Per listing, the index keeps one folded string of every paper's title, authors, abstract and id,
and one plain string of what a list row shows, each with an array of offsets. A word is found
with `str.find` (C speed, no per-paper Python loop), and a query that extends the previous one
only re-checks the previous hits. No per-paper Python objects are kept: 45,000 papers take about
70 MB instead of the 300 MB their Paper objects would. A hit becomes a Paper (without abstract)
when it is shown; the reader loads the whole paper from its listing when it is opened.
"""

from __future__ import annotations

import datetime as dt
import sys
from array import array
from bisect import bisect_right
from collections.abc import Iterable

from arxiv_tui.core.archive import Archive
from arxiv_tui.core.match import fold
from arxiv_tui.core.models import Listing, Paper

MIN_QUERY = 2  # one letter is in every paper: not a search
_FIELD = "\x01"


def _joined(parts: list[str]) -> tuple[bytes, array]:
    """The parts as UTF-8 joined by NUL, and where each starts.

    Bytes, not str: one Greek letter makes a Python str 2 bytes a character (one emoji, 4),
    which doubled the index; UTF-8 stays near 1 byte a character for arXiv text.
    """
    encoded = [part.encode("utf-8", "replace") for part in parts]
    starts = array("I")
    offset = 0
    for part in encoded:
        starts.append(offset)
        offset += len(part) + 1
    return b"\x00".join(encoded), starts


def _row(paper: Paper) -> str:
    fields = (paper.id, str(paper.version), paper.announce_type, paper.primary_category, paper.title)
    return _FIELD.join((*fields, paper.first_author)).replace("\x00", " ")


def _search_text(paper: Paper) -> str:
    return fold(" ".join((paper.title, " ".join(paper.authors), paper.abstract, paper.id)))


class _Chunk:
    """One listing: its folded search text and its row text, with offsets."""

    __slots__ = ("date", "first", "row_starts", "rows", "starts", "text")

    def __init__(self, first: int, date: dt.date, text: bytes, starts: array, rows: bytes, row_starts: array):
        self.first = first  # index of its first paper in the whole index
        self.date = date
        self.text, self.starts, self.rows, self.row_starts = text, starts, rows, row_starts

    @classmethod
    def of(cls, first: int, listing: Listing) -> _Chunk:
        text, starts = _joined([_search_text(paper) for paper in listing.papers])
        rows, row_starts = _joined([_row(paper) for paper in listing.papers])
        return cls(first, listing.date, text, starts, rows, row_starts)

    def __len__(self) -> int:
        return len(self.starts)

    def end(self, local: int) -> int:
        return self.starts[local + 1] - 1 if local + 1 < len(self.starts) else len(self.text)

    def scan(self, word: bytes) -> list[int]:
        """Indexes of this chunk's papers containing `word`, in one pass over its text."""
        hits: list[int] = []
        text, starts = self.text, self.starts
        position = text.find(word)
        while position != -1:
            local = bisect_right(starts, position) - 1
            hits.append(self.first + local)
            position = text.find(word, self.end(local) + 1)
        return hits

    def contains(self, local: int, word: bytes) -> bool:
        return self.text.find(word, self.starts[local], self.end(local)) != -1

    def paper(self, local: int) -> Paper:
        start = self.row_starts[local]
        end = self.row_starts[local + 1] - 1 if local + 1 < len(self.row_starts) else len(self.rows)
        fields = self.rows[start:end].decode("utf-8").split(_FIELD)
        paper_id, version, kind, primary, title, author = fields
        return Paper(
            id=paper_id,
            version=int(version),
            title=title,
            authors=(author,) if author else (),
            abstract="",
            categories=(primary,) if primary else (),
            announce_type=kind,
            listing_date=self.date,
        )


class ArchiveIndex:
    def __init__(self) -> None:
        self._chunks: list[_Chunk] = []
        self._firsts: list[int] = []
        self._size = 0
        self._last: tuple[list[bytes], list[int]] | None = None

    def add(self, listing: Listing) -> None:
        """Index one listing (listings are added oldest first)."""
        self._add(_Chunk.of(self._size, listing))

    def _add(self, chunk: _Chunk) -> None:
        self._chunks.append(chunk)
        self._firsts.append(self._size)
        self._size += len(chunk)
        self._last = None

    @classmethod
    def from_listings(cls, listings: Iterable[Listing]) -> ArchiveIndex:
        index = cls()
        for listing in listings:
            index.add(listing)
        return index

    @classmethod
    def build(cls, archive: Archive) -> ArchiveIndex:
        """Every readable archived listing, loaded one at a time."""
        index = cls()
        for date in archive.dates():
            listing = archive.load(date)
            if listing is not None:
                index.add(listing)
        return index

    @classmethod
    def build_isolated(cls, archive: Archive) -> ArchiveIndex:
        """`build`, with the reading and folding done by a child process that streams each
        listing's index back: the 30 listings' JSON and Paper objects never occupy this
        process's memory (the reader's peak stays under 200 MB) nor its GIL."""
        import json
        import subprocess
        import sys

        index = cls()
        command = [sys.executable, "-m", "arxiv_tui.core.archive_index", str(archive.folder)]
        with subprocess.Popen(command, stdout=subprocess.PIPE) as child:
            assert child.stdout is not None
            for header in iter(child.stdout.readline, b""):
                meta = json.loads(header)
                text, starts, rows, row_starts = (child.stdout.read(size) for size in meta["sizes"])
                index._add(
                    _Chunk(
                        index._size,
                        dt.date.fromisoformat(meta["date"]),
                        text,
                        array("I", starts),
                        rows,
                        array("I", row_starts),
                    )
                )
        if child.returncode != 0:
            return cls.build(archive)  # the child failed: do it here rather than not at all
        return index

    def __len__(self) -> int:
        return self._size

    @property
    def dates(self) -> list[dt.date]:
        return [chunk.date for chunk in self._chunks]

    def _chunk(self, index: int) -> _Chunk:
        return self._chunks[bisect_right(self._firsts, index) - 1]

    def paper(self, index: int) -> Paper:
        """The paper at `index` as a list row shows it (no abstract; first author only)."""
        chunk = self._chunk(index)
        return chunk.paper(index - chunk.first)

    def search(self, query: str) -> list[int]:
        """Indexes of the papers holding every word of `query`, newest listing first."""
        words = [word.encode("utf-8") for word in fold(query).split()]
        if not words or len(b"".join(words)) < MIN_QUERY:
            self._last = None
            return []
        previous = self._last
        if previous is not None and _narrows(previous[0], words):
            hits = [i for i in previous[1] if all(self._contains(i, word) for word in words)]
        else:
            longest = max(words, key=len)
            rest = [word for word in words if word is not longest]
            hits = [
                i
                for chunk in self._chunks
                for i in chunk.scan(longest)
                if all(chunk.contains(i - chunk.first, word) for word in rest)
            ]
        self._last = (words, hits)
        return hits[::-1]

    def _contains(self, index: int, word: bytes) -> bool:
        chunk = self._chunk(index)
        return chunk.contains(index - chunk.first, word)


def _narrows(before: list[bytes], after: list[bytes]) -> bool:
    """Whether every paper matching `after` also matches `before` (typing more never widens)."""
    return all(any(old in new for new in after) for old in before)


def _stream_index(folder: str) -> None:
    """The child side of `build_isolated`: each listing's chunk as a JSON header and raw bytes."""
    import json
    import sys
    from pathlib import Path

    out = sys.stdout.buffer
    archive = Archive(Path(folder))
    for date in archive.dates():
        listing = archive.load(date)
        if listing is None:
            continue
        chunk = _Chunk.of(0, listing)
        parts = (chunk.text, chunk.starts.tobytes(), chunk.rows, chunk.row_starts.tobytes())
        out.write(json.dumps({"date": date.isoformat(), "sizes": [len(part) for part in parts]}).encode())
        out.write(b"\n")
        for part in parts:
            out.write(part)
    out.flush()


if __name__ == "__main__":
    _stream_index(sys.argv[1])
