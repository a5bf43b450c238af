"""The library's full-text index (FTS5) kept in step with papers, notes and tags, and searched.

The index is contentless: it holds only the index, and each row is written from the paper's
row, its note, its tags and the questions asked of it (the assistant). Removing or changing a
row in a contentless index means telling FTS5 the old values, so every change goes through
`reindexed` (old values read, change made, new values written, in the caller's transaction),
and the values always come from one function, `_values`, so what is removed is exactly what
was added. Kept full texts have an index of their own (`full_text_search`, for `body:`
words), written from the stored text the same way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from arxiv_tui.core.models import NEW, REPLACE, Paper

if TYPE_CHECKING:  # a start does not search
    from arxiv_tui.core.fulltext.document import Document
    from arxiv_tui.core.matching.query import Query

COLUMNS = ("title", "authors", "abstract", "comments", "ids", "categories", "notes", "tags")
# bm25 weights, in COLUMNS order: a hit in the title or the id counts most.
WEIGHTS = (10.0, 4.0, 1.0, 1.0, 10.0, 1.0, 4.0, 4.0)
COUNT_LIMIT = 10_000  # "10,000+" is as precise as a count needs to be
_SOURCE = (
    "SELECT p.rowid, p.id, p.title, p.authors, p.abstract, p.categories, p.comments, p.journal_ref, p.doi, "
    "(SELECT note FROM notes WHERE paper_id = p.id), "
    "(SELECT group_concat(tag, ' ; ') FROM tags WHERE paper_id = p.id), "
    "(SELECT group_concat(content, ' ') FROM assistant_chats WHERE paper_id = p.id) FROM papers p"
)
_HOLES = ", ".join("?" * len(COLUMNS))
_INSERT = f"INSERT INTO search (rowid, {', '.join(COLUMNS)}) VALUES (?, {_HOLES})"
_DELETE = f"INSERT INTO search (search, rowid, {', '.join(COLUMNS)}) VALUES ('delete', ?, {_HOLES})"


def _values(row: Sequence) -> tuple:
    from arxiv_tui.core.matching.query import category_text, id_text  # imported when first indexing

    rowid, paper_id, title, authors, abstract, categories, comments, journal, doi, note, tags, chat = row
    text = zlib.decompress(abstract).decode("utf-8", "replace") if isinstance(abstract, bytes) else abstract
    return (
        rowid,
        title,
        " ; ".join(json.loads(authors)),
        text,
        " ".join(part for part in (comments, journal, doi) if part),
        id_text(paper_id),
        " ".join(category_text(category) for category in categories.split()),
        "\n\n".join(part for part in (note, chat) if part),  # questions asked of it are found as notes are
        tags or "",
    )


def _current(connection: sqlite3.Connection, rowids: Sequence[int]) -> list[tuple]:
    rows: list[tuple] = []
    for start in range(0, len(rowids), 500):
        chunk = list(rowids[start : start + 500])
        where = f" WHERE p.rowid IN ({','.join('?' * len(chunk))})"
        rows += [_values(row) for row in connection.execute(_SOURCE + where, chunk)]
    return rows


def add(connection: sqlite3.Connection, rowids: Sequence[int]) -> None:
    connection.executemany(_INSERT, _current(connection, rowids))


def remove(connection: sqlite3.Connection, rowids: Sequence[int]) -> None:
    connection.executemany(_DELETE, _current(connection, rowids))


@contextlib.contextmanager
def reindexed(connection: sqlite3.Connection, rowid: int | None) -> Iterator[None]:
    """Around a change to a paper, its note or its tags: the index row follows the change."""
    if rowid is None:
        yield
        return
    before = _current(connection, [rowid])
    yield
    after = _current(connection, [rowid])
    if before != after:
        connection.executemany(_DELETE, before)
        connection.executemany(_INSERT, after)


# --- full texts: `full_text_search`, one row a kept full text, under its paper's rowid ----------------

_BODY_INSERT = "INSERT INTO full_text_search (rowid, body) VALUES (?, ?)"
_BODY_DELETE = "INSERT INTO full_text_search (full_text_search, rowid, body) VALUES ('delete', ?, ?)"


def stored_document(blob: bytes) -> Document | None:
    """A kept full text (papers.FullTexts) read back; None when it no longer reads back. The
    reader and the index read it the same way, so what is indexed is what can be shown."""
    from arxiv_tui.core.fulltext.document import from_json

    try:
        return from_json(zlib.decompress(blob).decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError):
        return None


def _body(blob: bytes) -> str | None:
    document = stored_document(blob)
    return document.body_text if document is not None else None


def add_body(connection: sqlite3.Connection, rowid: int, blob: bytes) -> None:
    text = _body(blob)
    if text is not None:
        connection.execute(_BODY_INSERT, (rowid, text))


def remove_body(connection: sqlite3.Connection, rowid: int, blob: bytes) -> None:
    """Take a full text out of the index. One that no longer reads back cannot be told to FTS5,
    so the index is written again from the others."""
    text = _body(blob)
    if text is not None:
        connection.execute(_BODY_DELETE, (rowid, text))
    else:
        reindex_bodies(connection, leaving_out=rowid)


def reindex_bodies(connection: sqlite3.Connection, leaving_out: int | None = None) -> None:
    connection.execute("INSERT INTO full_text_search (full_text_search) VALUES ('delete-all')")
    rows = connection.execute("SELECT p.rowid, f.body FROM full_texts f JOIN papers p ON p.id = f.paper_id")
    for rowid, blob in rows.fetchall():
        if rowid != leaving_out:
            add_body(connection, rowid, blob)


def paper_rowid(connection: sqlite3.Connection, paper_id: str) -> int | None:
    row = connection.execute("SELECT rowid FROM papers WHERE id = ?", (paper_id,)).fetchone()
    return row[0] if row else None


# --- searching ---------------------------------------------------------------------------------------


@dataclass
class SearchResult:
    """The papers a query found, as list rows (`partial` papers: first author, no abstract)."""

    query: Query
    papers: list[Paper]
    total: int  # how many match, counted up to COUNT_LIMIT
    more: bool  # more than COUNT_LIMIT match
    complete: bool = True  # False: the first rows of an answer whose rest follows (`run`'s `first`)

    @property
    def count_text(self) -> str:
        return f"{self.total:,}+" if self.more else f"{self.total:,}"


LIGHT_COLUMNS = (  # what a list row shows, from `papers p`
    "p.rowid, p.id, p.version, p.title, json_extract(p.authors, '$[0]'), p.categories, p.first_listed"
)


class _LightRows:
    """List rows built from LIGHT_COLUMNS. Papers share their categories and dates: 50,000 starred
    papers hold a few hundred distinct ones, and a tuple or date each would cost 9 MB more."""

    def __init__(self, dates: Mapping[int, dt.date] | None = None) -> None:
        self.dates = dates or {}
        self.categories: dict[str, tuple[str, ...]] = {}
        self.listed: dict[str, dt.date] = {}

    def paper(self, row: tuple) -> Paper:
        rowid, paper_id, version, title, first_author, categories, listed = row
        shared = self.categories.get(categories)
        if shared is None:
            shared = self.categories[categories] = tuple(categories.split())
        day = self.dates.get(rowid)
        if day is None and listed:
            day = self.listed.get(listed)
            if day is None:
                day = self.listed[listed] = dt.date.fromisoformat(listed)
        return Paper(
            id=paper_id,
            version=version,
            title=title,
            authors=(first_author,) if first_author else (),
            abstract="",
            categories=shared,
            announce_type=NEW if version == 1 else REPLACE,
            listing_date=day,
            partial=True,
        )


def light_papers(
    connection: sqlite3.Connection, rowids: Sequence[int], dates: Mapping[int, dt.date] | None = None
) -> list[Paper]:
    """List rows for `rowids`, in that order: what a row shows, without the abstract; dated by
    `dates` where it has the rowid (the Inbox: the day a paper entered), else first listed."""
    build = _LightRows(dates)
    found: dict[int, Paper] = {}
    for start in range(0, len(rowids), 500):
        chunk = list(rowids[start : start + 500])
        rows = connection.execute(
            f"SELECT {LIGHT_COLUMNS} FROM papers p WHERE rowid IN ({','.join('?' * len(chunk))})", chunk
        )
        for row in rows:
            found[row[0]] = build.paper(row)
    return [found[rowid] for rowid in rowids if rowid in found]


def selected_papers(connection: sqlite3.Connection, sql: str, parameters: tuple = ()) -> list[Paper]:
    """List rows for what `sql` selects (LIGHT_COLUMNS), in its order: in one query, five times
    faster than by rowids for 50,000 stars."""
    build = _LightRows()
    return [build.paper(row) for row in connection.execute(sql, parameters)]


def run(
    connection: sqlite3.Connection,
    query: Query,
    *,
    ranked: bool = False,
    limit: int = 500,
    tag: str | None = None,
    first: int | None = None,
) -> Iterator[SearchResult]:
    """Papers matching `query`: newest first (rowids carry the listing date), or by bm25;
    with `tag`, only the papers carrying exactly that tag. One result; with `first`, two when
    more than `first` match: the first rows alone (a screenful is shown sooner: a row costs
    about 8 µs to build and its marks 3 µs to read), then all of them."""
    table, expression = _source(query)
    weights = ", ".join(str(weight) for weight in WEIGHTS) if table == "search" else "1.0"
    order = f"bm25({table}, {weights})" if ranked else "rowid DESC"
    within, extra = _within(query, tag, "rowid")
    # One scan gives the rows and the count (newest first is the index's own order, so this
    # costs little more than the rows alone; a second scan to count cost as much again). Ranked,
    # every match is scored anyway: the count is a scan of its own.
    found = [
        row[0]
        for row in connection.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ?{within} ORDER BY {order} LIMIT ?",
            (expression, *extra, limit if ranked else max(limit, COUNT_LIMIT + 1)),
        )
    ]
    total = len(found)
    if ranked:
        (total,) = connection.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH ?{within} LIMIT ?)",
            (expression, *extra, COUNT_LIMIT + 1),
        ).fetchone()
    found, counted, more = found[:limit], min(total, COUNT_LIMIT), total > COUNT_LIMIT
    papers: list[Paper] = []
    if first is not None and len(found) > first:
        papers = light_papers(connection, found[:first])
        yield SearchResult(query, papers, counted, more, complete=False)
    yield SearchResult(query, papers + light_papers(connection, found[len(papers) :]), counted, more)


BODIES = "full_text_search"


def _source(query: Query) -> tuple[str, str]:
    """The index a search MATCHes and its expression: `search`, or the full texts' alone when
    the query has only `body:` words."""
    return ("search", query.expression) if query.expression else (BODIES, query.body)


def _within(query: Query, tag: str | None, rowid: str) -> tuple[str, tuple[str, ...]]:
    """The conditions a search adds after its MATCH, on the column `rowid`: the `body:` words
    when there are others, and the tag; with their parameters."""
    within, extra = "", ()  # type: tuple[str, tuple[str, ...]]
    if query.expression and query.body:
        within += f" AND {rowid} IN (SELECT rowid FROM {BODIES} WHERE {BODIES} MATCH ?)"
        extra += (query.body,)
    if tag is not None:
        within += (
            f" AND {rowid} IN (SELECT p.rowid FROM tags t JOIN papers p ON p.id = t.paper_id WHERE t.tag = ?)"
        )
        extra += (tag,)
    return within, extra


def ids_matching(connection: sqlite3.Connection, query: Query, paper_ids: Iterable[str]) -> set[str]:
    """Which of `paper_ids` match `query` (a search within the listing on screen)."""
    table, expression = _source(query)
    within, extra = _within(query, None, f"{table}.rowid")
    wanted = list(paper_ids)
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = connection.execute(
            f"SELECT p.id FROM {table} JOIN papers p ON p.rowid = {table}.rowid WHERE {table} MATCH ?"
            f"{within} AND p.id IN ({','.join('?' * len(chunk))})",
            (expression, *extra, *chunk),
        )
        found.update(row[0] for row in rows)
    return found
