"""Papers as rows of the library: read back, merged with a newer copy, stored (in the caller's
transaction), the search index kept in step. Abstracts are kept compressed. Full texts read
from arXiv, kept with their version and the reader's place in them (FullTexts); where each
PDF was downloaded (Downloads).

Rowids are chosen by the day a paper was first listed (ROWID_SHIFT), so a day's papers
sit together on disk and the newest papers have the highest rowids.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from arxiv_tui.core.base.clock import now
from arxiv_tui.core.base.schedule import utc_today
from arxiv_tui.core.library import search as index
from arxiv_tui.core.library.db import Database
from arxiv_tui.core.models import NEW, Paper

if TYPE_CHECKING:  # a start reads no full text
    from arxiv_tui.core.fulltext.document import Document, StoredText

# Paper rowids carry their first listing date: (date ordinal << 20) + n. FTS5 walks rowids in
# order for free, so "newest first" costs nothing at a year's scale.
ROWID_SHIFT = 20


def rowid_base(ordinal: int) -> int:
    return ordinal << ROWID_SHIFT


PAPER_COLUMNS = (
    "rowid, id, version, title, authors, abstract, categories, comments, journal_ref, doi, published, "
    "first_listed"
)
JOINED_COLUMNS = ", ".join("p." + column.strip() for column in PAPER_COLUMNS.split(","))


def _compress(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 6)


def _decompress(blob: bytes | str) -> str:
    if isinstance(blob, str):
        return blob
    try:
        return zlib.decompress(blob).decode("utf-8", "replace")
    except zlib.error:
        return ""


def paper_from_row(
    row: Sequence, kind: str = NEW, version: int | None = None, date: dt.date | None = None
) -> Paper:
    """A Paper from a `PAPER_COLUMNS` row; `kind`, `version` and `date` as a listing announced it."""
    (
        _,
        paper_id,
        stored_version,
        title,
        authors,
        abstract,
        categories,
        comments,
        journal,
        doi,
        published,
        first,
    ) = row
    listed = date if date is not None else (dt.date.fromisoformat(first) if first else None)
    return Paper(
        id=paper_id,
        version=version if version is not None else stored_version,
        title=title,
        authors=tuple(json.loads(authors)),
        abstract=_decompress(abstract),
        categories=tuple(categories.split()),
        announce_type=kind,
        listing_date=listed,
        comments=comments,
        journal_ref=journal,
        doi=doi,
        published=published,
    )


def _row_values(paper: Paper) -> tuple:
    return (
        paper.id,
        paper.version,
        paper.title,
        json.dumps(list(paper.authors), ensure_ascii=False),
        _compress(paper.abstract),
        " ".join(paper.categories),
        paper.comments,
        paper.journal_ref,
        paper.doi,
        paper.published,
    )


def _merged(stored: Paper, new: Paper) -> Paper:
    """What to keep of a paper seen again: the newer version's metadata; for the same version,
    fields the new copy lacks (RSS has no comments) are kept from the stored one."""
    if new.version < stored.version:
        return stored
    if new.version > stored.version:
        return new
    return Paper(
        id=stored.id,
        version=new.version,
        title=new.title or stored.title,
        authors=new.authors or stored.authors,
        abstract=new.abstract or stored.abstract,
        categories=new.categories or stored.categories,
        comments=new.comments or stored.comments,
        journal_ref=new.journal_ref or stored.journal_ref,
        doi=new.doi or stored.doi,
        published=new.published or stored.published,
    )


def _unchanged_by(paper: Paper, row: Sequence) -> bool:
    """Whether storing `paper` over its `PAPER_COLUMNS` row keeps the row as it is (the same
    version, and each field equal or left empty: _merged keeps the stored one), told without
    reading the row back into a Paper: a listing stored again holds mostly papers held as they
    are (the rest of a listing that was cut short, a listing fetched again), and reading each
    back (its abstract decompressed, its authors decoded) was most of its store's Python."""
    if row[2] != paper.version:
        return False
    plain = ((paper.title, row[3]), (" ".join(paper.categories), row[6]), (paper.comments, row[7]),
             (paper.journal_ref, row[8]), (paper.doi, row[9]), (paper.published, row[10]))  # fmt: skip
    if any(new and new != stored for new, stored in plain):
        return False
    if paper.authors and json.loads(row[4]) != list(paper.authors):
        return False
    return not paper.abstract or _decompress(row[5]) == paper.abstract


def _metadata(paper: Paper) -> tuple:
    return (paper.version, paper.title, paper.authors, paper.abstract, paper.categories, paper.comments,
            paper.journal_ref, paper.doi, paper.published)  # fmt: skip


def existing(connection: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple]:
    found: dict[str, tuple] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for row in connection.execute(f"SELECT {PAPER_COLUMNS} FROM papers WHERE id IN ({marks})", chunk):
            found[row[1]] = row
    return found


def _next_rowid(connection: sqlite3.Connection, day: dt.date) -> int:
    base = rowid_base(day.toordinal())
    (highest,) = connection.execute(
        "SELECT max(rowid) FROM papers WHERE rowid >= ? AND rowid < ?", (base, base + (1 << ROWID_SHIFT))
    ).fetchone()
    return base if highest is None else highest + 1


def store(
    connection: sqlite3.Connection, papers: Sequence[Paper], day: dt.date | None = None
) -> dict[str, int]:
    """Insert or update `papers` (one transaction is the caller's); their rowids by id."""
    papers = list({paper.id: paper for paper in papers}.values())
    held = existing(connection, [paper.id for paper in papers])
    rowids: dict[str, int] = {}
    fresh: list[tuple] = []
    next_rowids: dict[dt.date, int] = {}  # the next free rowid of each first-listed date
    for paper in papers:
        row = held.get(paper.id)
        if row is not None and _unchanged_by(paper, row):
            rowid = row[0]
        elif row is not None:
            rowid = row[0]
            stored = paper_from_row(row)
            merged = _merged(stored, paper)
            if _metadata(stored) != _metadata(merged):
                with index.reindexed(connection, rowid):
                    connection.execute(
                        "UPDATE papers SET version=?, title=?, authors=?, abstract=?, categories=?, "
                        "comments=?, journal_ref=?, doi=?, published=? WHERE rowid=?",
                        (*_row_values(merged)[1:], rowid),
                    )
        else:
            listed = day or paper.listing_date or _published_date(paper) or utc_today()
            rowid = next_rowids.get(listed) or _next_rowid(connection, listed)
            next_rowids[listed] = rowid + 1
            fresh.append((rowid, *_row_values(paper), day.isoformat() if day else None))
        rowids[paper.id] = rowid
    if fresh:
        connection.executemany(f"INSERT INTO papers ({PAPER_COLUMNS}) VALUES ({','.join('?' * 12)})", fresh)
        index.add(connection, [row[0] for row in fresh])
    versions = [(rowids[paper.id], paper.version, day.isoformat() if day else None) for paper in papers]
    connection.executemany(
        "INSERT OR IGNORE INTO versions (paper, version, listed) VALUES (?, ?, ?)", versions
    )
    return rowids


def _published_date(paper: Paper) -> dt.date | None:
    try:
        return dt.date.fromisoformat(paper.published[:10]) if paper.published else None
    except ValueError:
        return None


# --- full texts --------------------------------------------------------------------------------


class FullTexts:
    """Full texts read from arXiv (core/fulltext), kept to read offline with the version they are
    of and where the reader was, and indexed for `body:` searches under their paper's rowid."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def load(self, paper_id: str) -> StoredText | None:
        """The kept text of the paper; None when there is none, or it no longer reads back."""
        from arxiv_tui.core.fulltext.document import StoredText

        rows = self.db.read("SELECT version, body, position FROM full_texts WHERE paper_id = ?", (paper_id,))
        if not rows:
            return None
        version, body, position = rows[0]
        document = index.stored_document(body)
        if document is None:
            return None  # damaged: the next read fetches it again and replaces it
        return StoredText(version, document, position)

    def version_of(self, paper_id: str) -> int | None:
        """The version of the kept text, without reading the text; None when none is kept."""
        rows = self.db.read("SELECT version FROM full_texts WHERE paper_id = ?", (paper_id,))
        return rows[0][0] if rows else None

    def keep(self, paper_id: str, version: int, document: Document) -> bool:
        """Keep a paper's text in place of any earlier one (the position is kept when it is the
        same version); False when the paper is not in the library."""
        from arxiv_tui.core.fulltext.document import to_json

        body = _compress(to_json(document))
        with self.db.transaction("full text") as connection:
            rowid = index.paper_rowid(connection, paper_id)
            if rowid is None:
                return False
            old = connection.execute(
                "SELECT version, body, position FROM full_texts WHERE paper_id = ?", (paper_id,)
            ).fetchone()
            if old is not None:
                index.remove_body(connection, rowid, old[1])
            position = old[2] if old is not None and old[0] == version else 0
            connection.execute(
                "INSERT OR REPLACE INTO full_texts (paper_id, version, fetched_at, body, position) "
                "VALUES (?, ?, ?, ?, ?)",
                (paper_id, version, now(), body, position),
            )
            index.add_body(connection, rowid, body)
        return True

    def set_position(self, paper_id: str, position: int) -> None:
        with self.db.transaction("reading position") as connection:
            connection.execute("UPDATE full_texts SET position = ? WHERE paper_id = ?", (position, paper_id))

    def count(self) -> int:
        return self.db.read("SELECT count(*) FROM full_texts")[0][0]

    def offline(self, paper_id: str) -> str:
        """What of the paper reads offline, in words ("full text v2, PDF"), or "" (one lookup
        of each primary key, and a stat of the PDF: cheap enough for every paper the detail
        pane shows). A PDF moved or deleted since it was saved is not said."""
        import os

        ((text, pdf, path),) = self.db.read(
            "SELECT (SELECT version FROM full_texts WHERE paper_id = ?), "
            "(SELECT version FROM downloads WHERE paper_id = ?), "
            "(SELECT path FROM downloads WHERE paper_id = ?)",
            (paper_id, paper_id, paper_id),
        )
        kept = [f"full text v{text}" if text else "full text" if text is not None else ""]
        kept.append(f"PDF v{pdf} (P shows it)" if pdf and os.path.isfile(path) else "")
        return ", ".join(part for part in kept if part)


class Downloads:
    """Where each paper's PDF was saved (`d`, the reading queue), so `o` opens that copy."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def saved(self, paper_id: str, version: int, path: str) -> None:
        with self.db.transaction("download") as connection:
            connection.execute(
                "INSERT OR REPLACE INTO downloads (paper_id, version, path, saved_at) VALUES (?, ?, ?, ?)",
                (paper_id, version, path, now()),
            )

    def copy_of(self, paper_id: str, version: int) -> str | None:
        """The saved PDF of that version, while it is still where it was saved."""
        import os

        rows = self.db.read("SELECT version, path FROM downloads WHERE paper_id = ?", (paper_id,))
        if rows and rows[0][0] >= version and os.path.isfile(rows[0][1]):
            return rows[0][1]
        return None
