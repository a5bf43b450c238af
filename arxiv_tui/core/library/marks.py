"""What the user made of papers: read marks, stars (with their time), notes and tags.

Each is its own table keyed by arXiv id, so they live independently: unstarring keeps the
note, a read mark outlives the paper's listing. Notes and tags are searchable, so changing
them updates the search index in the same transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from arxiv_tui.core.base.clock import now
from arxiv_tui.core.library import search as index
from arxiv_tui.core.library.db import Database
from arxiv_tui.core.models import PaperMarks, clean_note, clean_tag

# Decisions, what ranking learns from (core/ranking): kind -> (a keep?, how much it says). A read
# without a star is a skip: said with a key (x, r), fully; by opening the paper full-size or
# dwelling on it, by half; by marking a whole view read (A), by a third. Opening its PDF or page is
# half a keep, an unstar half a skip.
KEEP, SKIP, ALL_READ, READ, OPENED, UNSTAR = "keep", "skip", "all read", "read", "opened", "unstar"
DECISIONS = {
    KEEP: (True, 1.0),
    SKIP: (False, 1.0),
    ALL_READ: (False, 0.3),
    READ: (False, 0.5),
    OPENED: (True, 0.5),
    UNSTAR: (False, 0.5),
}


def _chunks(items: Sequence[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _marks(count: int) -> str:
    return ",".join("?" * count)


class Marks:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- reading -------------------------------------------------------------------------------

    def of(self, paper_ids: Iterable[str]) -> dict[str, PaperMarks]:
        """The marks of each of `paper_ids` that has any (absent: none)."""
        wanted = list(dict.fromkeys(paper_ids))
        read: set[str] = set()
        stars = self.starred_among(wanted)
        notes: dict[str, str] = {}
        tags: dict[str, list[str]] = {}
        for chunk in _chunks(wanted):
            holes = _marks(len(chunk))
            read.update(
                row[0]
                for row in self.db.read(f"SELECT paper_id FROM reads WHERE paper_id IN ({holes})", chunk)
            )
            notes.update(self.db.read(f"SELECT paper_id, note FROM notes WHERE paper_id IN ({holes})", chunk))
            for paper_id, tag in self.db.read(
                f"SELECT paper_id, tag FROM tags WHERE paper_id IN ({holes}) ORDER BY tagged_at", chunk
            ):
                tags.setdefault(paper_id, []).append(tag)
        return {
            paper_id: PaperMarks(
                paper_id in read,
                stars.get(paper_id, ""),
                notes.get(paper_id, ""),
                tuple(tags.get(paper_id, ())),
            )
            for paper_id in wanted
            if paper_id in read or paper_id in stars or paper_id in notes or paper_id in tags
        }

    def stars(self, limit: int | None = None) -> list[tuple[str, str]]:
        """(paper id, starred at), newest star first."""
        sql = "SELECT paper_id, starred_at FROM stars ORDER BY starred_at DESC"
        return self.db.read(sql + (" LIMIT ?" if limit else ""), (limit,) if limit else ())

    def star_versions(self) -> dict[str, tuple[int, tuple[str, ...]] | None]:
        """Each star's version and categories as the library has its paper (None: no paper)."""
        rows = self.db.read(
            "SELECT s.paper_id, p.version, p.categories FROM stars s LEFT JOIN papers p ON p.id = s.paper_id"
        )
        return {
            paper_id: (version, tuple(categories.split())) if version else None
            for paper_id, version, categories in rows
        }

    def starred_among(self, paper_ids: Iterable[str]) -> dict[str, str]:
        """When each of `paper_ids` that is starred was starred (a refetch looks up a listing's
        replacements here: it read all 50,000 stars to find a few)."""
        found: dict[str, str] = {}
        for chunk in _chunks(list(dict.fromkeys(paper_ids))):
            sql = f"SELECT paper_id, starred_at FROM stars WHERE paper_id IN ({_marks(len(chunk))})"
            found.update(self.db.read(sql, chunk))
        return found

    def star_count(self) -> int:
        return self.db.read("SELECT count(*) FROM stars")[0][0]

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag and how many papers carry it, by name."""
        return self.db.read("SELECT tag, count(*) FROM tags GROUP BY tag ORDER BY tag COLLATE NOCASE")

    def tag_summary(self) -> list[tuple[str, int, int]]:
        """Every tag with how many papers carry it and how many of those are unread, by name."""
        return self.db.read(
            "SELECT t.tag, count(*), count(*) - count(r.paper_id) FROM tags t "
            "LEFT JOIN reads r ON r.paper_id = t.paper_id GROUP BY t.tag ORDER BY t.tag COLLATE NOCASE"
        )

    def tagged(self, tag: str) -> list[str]:
        return [
            row[0]
            for row in self.db.read("SELECT paper_id FROM tags WHERE tag = ? ORDER BY tagged_at DESC", (tag,))
        ]

    def noted(self) -> list[tuple[str, str, str]]:
        return self.db.read("SELECT paper_id, note, updated_at FROM notes ORDER BY updated_at DESC")

    def all_reads(self) -> list[tuple[str, str]]:
        return self.db.read("SELECT paper_id, read_at FROM reads")

    # --- changing ------------------------------------------------------------------------------
    # Each is one transaction; `at` is the time to record (now by default, kept from a file on import).

    def set_read(
        self, paper_ids: Sequence[str], read: bool = True, at: str | None = None, decision: str = ""
    ) -> None:
        """`decision`: the kind logged for ranking (a skip, all read...), in the same transaction."""
        with self.db.transaction() as connection:
            if read:
                insert_reads(connection, [(paper_id, at or now()) for paper_id in paper_ids])
                log_decisions(connection, paper_ids, decision, at or now())
            else:
                for chunk in _chunks(list(paper_ids)):
                    connection.execute(f"DELETE FROM reads WHERE paper_id IN ({_marks(len(chunk))})", chunk)

    def star_ids(self, paper_ids: Sequence[str], at: str | None = None) -> None:
        """Star papers already in the library (the Library stores a new paper first)."""
        with self.db.transaction() as connection:
            insert_stars(connection, [(paper_id, at or now()) for paper_id in paper_ids])

    def unstar(self, paper_ids: Sequence[str], decision: str = "") -> None:
        """Remove stars; notes and tags stay (nothing the user wrote goes with a star)."""
        with self.db.transaction() as connection:
            log_decisions(connection, paper_ids, decision, now())
            for chunk in _chunks(list(paper_ids)):
                connection.execute(f"DELETE FROM stars WHERE paper_id IN ({_marks(len(chunk))})", chunk)

    def set_note(self, paper_id: str, note: str, at: str | None = None) -> None:
        """Set (or, with an empty note, remove) a paper's note."""
        with self.db.transaction() as connection:
            put_note(connection, paper_id, note, at or now())

    def add_tag(self, paper_ids: Sequence[str], tag: str, at: str | None = None) -> str:
        """Tag papers; returns the tag as kept (cleaned), or "" when nothing was left of it."""
        tag = clean_tag(tag)
        if tag:
            with self.db.transaction() as connection:
                put_tags(connection, [(paper_id, tag, at or now()) for paper_id in paper_ids])
        return tag

    def set_tags(self, paper_id: str, tags: Sequence[str], at: str | None = None) -> None:
        """Give a paper exactly these tags (clean ones), in one transaction; a kept tag keeps its time."""
        with self.db.transaction() as connection:
            rows = connection.execute("SELECT tag FROM tags WHERE paper_id = ?", (paper_id,))
            before = {row[0] for row in rows}
            with index.reindexed(connection, index.paper_rowid(connection, paper_id)):
                for tag in before - set(tags):
                    connection.execute("DELETE FROM tags WHERE paper_id = ? AND tag = ?", (paper_id, tag))
                for tag in tags:
                    if tag not in before:
                        connection.execute(
                            "INSERT OR IGNORE INTO tags (paper_id, tag, tagged_at) VALUES (?, ?, ?)",
                            (paper_id, tag, at or now()),
                        )

    def remove_tag(self, paper_ids: Sequence[str], tag: str) -> None:
        with self.db.transaction() as connection:
            for paper_id in paper_ids:
                with index.reindexed(connection, index.paper_rowid(connection, paper_id)):
                    connection.execute("DELETE FROM tags WHERE paper_id = ? AND tag = ?", (paper_id, tag))


# --- inside a caller's transaction (migration, import, recovery share these) ------------------------


def log_decisions(connection: sqlite3.Connection, paper_ids: Sequence[str], kind: str, at: str) -> None:
    if kind:
        connection.executemany(
            "INSERT INTO decisions (paper_id, kind, made_at) VALUES (?, ?, ?)",
            [(paper_id, kind, at) for paper_id in paper_ids],
        )


def insert_reads(connection: sqlite3.Connection, rows: Sequence[tuple[str, str]]) -> None:
    connection.executemany("INSERT OR IGNORE INTO reads (paper_id, read_at) VALUES (?, ?)", rows)


def insert_stars(connection: sqlite3.Connection, rows: Sequence[tuple[str, str]]) -> None:
    connection.executemany("INSERT OR IGNORE INTO stars (paper_id, starred_at) VALUES (?, ?)", rows)


def put_note(connection: sqlite3.Connection, paper_id: str, note: str, at: str) -> None:
    note = clean_note(note)
    with index.reindexed(connection, index.paper_rowid(connection, paper_id)):
        if note:
            connection.execute(
                "INSERT OR REPLACE INTO notes (paper_id, note, updated_at) VALUES (?, ?, ?)",
                (paper_id, note, at),
            )
        else:
            connection.execute("DELETE FROM notes WHERE paper_id = ?", (paper_id,))


def put_tags(connection: sqlite3.Connection, rows: Sequence[tuple[str, str, str]]) -> None:
    """(paper id, tag, time) rows; the tags must be clean (clean_tag)."""
    for paper_id, tag, at in rows:
        with index.reindexed(connection, index.paper_rowid(connection, paper_id)):
            connection.execute(
                "INSERT OR IGNORE INTO tags (paper_id, tag, tagged_at) VALUES (?, ?, ?)", (paper_id, tag, at)
            )


def put_turns(
    connection: sqlite3.Connection, paper_id: str, turns: Sequence[tuple[str, str, int, str, str]]
) -> None:
    """Questions asked of the assistant and its answers (role, content, version, model, time),
    after the paper's conversation so far, indexed with the paper (found as notes are)."""
    first = connection.execute(
        "SELECT coalesce(max(turn) + 1, 0) FROM assistant_chats WHERE paper_id = ?", (paper_id,)
    ).fetchone()[0]
    with index.reindexed(connection, index.paper_rowid(connection, paper_id)):
        connection.executemany(
            "INSERT INTO assistant_chats (paper_id, turn, role, content, version, model, made_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(paper_id, first + number, *turn) for number, turn in enumerate(turns)],
        )
