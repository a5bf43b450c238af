"""The user's library: every paper seen and every listing, in one SQLite file (see db.py).

Papers are stored once per arXiv id with the newest version's metadata; a listing is its date,
what was asked for, whether it arrived whole, and which papers it announced as what (new,
cross-list, replacement) in which version. Read marks, stars, notes and tags are in marks.py;
the search index (search.py) is updated in the same transaction as what it indexes.

Start-up cost does not grow with the library: opening reads the schema version; loading a
listing reads that day's rows through an index.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from arxiv_tui.core.base.clock import now
from arxiv_tui.core.base.schedule import date_problem
from arxiv_tui.core.base.text import json_value, safe_message
from arxiv_tui.core.library import papers as paper_rows
from arxiv_tui.core.library import search as index
from arxiv_tui.core.library.db import Database
from arxiv_tui.core.library.inbox import AlertState, Inbox
from arxiv_tui.core.library.marks import Marks, insert_stars, log_decisions
from arxiv_tui.core.library.saved import SavedSearches
from arxiv_tui.core.models import Listing, Paper

if TYPE_CHECKING:
    from arxiv_tui.core.library.similar import Similar
    from arxiv_tui.core.matching.query import Query


class Library:
    """Papers, listings and the user's marks (`marks`), over one Database."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        """`read_only`: a damaged copy being salvaged. Open a library with opening.open_library."""
        self.path = Path(path)
        self.db = Database(self.path, read_only)
        self.marks = Marks(self.db)
        self.saved = SavedSearches(self.db)
        self.inbox = Inbox(self.db)
        self.alert_state = AlertState(self.db)
        self.full_texts = paper_rows.FullTexts(self.db)
        self.downloads = paper_rows.Downloads(self.db)
        self.notices: list[str] = []  # what opening had to do or repair, for the user
        self.on_notice: Callable[[str], object] = lambda text: None  # told what a recovery did

    def close(self) -> None:
        self.db.close()

    # --- what needs papers and marks together ---------------------------------------------------

    def star(self, papers: Sequence[Paper], at: str | None = None, decision: str = "") -> None:
        """Star papers, keeping each in the library (a star outlives its listing); `decision`: the
        kind logged for ranking (a keep; none when an undo puts a star back)."""
        when = at or now()
        with self.db.transaction() as connection:
            paper_rows.store(connection, papers, None)
            insert_stars(connection, [(paper.id, when) for paper in papers])
            log_decisions(connection, [paper.id for paper in papers], decision, now())

    def newest_listing(self) -> Listing | None:
        """The newest listing with papers (what a start shows before any network)."""
        day = self.newest_date()
        return self.listing(day) if day is not None else None

    def starred(self, limit: int | None = None) -> list[tuple[Paper, str]]:
        """Starred papers (whole) with their star time, newest star first."""
        stars = self.marks.stars(limit)
        papers = self.papers(paper_id for paper_id, _ in stars)
        return [(papers[paper_id], at) for paper_id, at in stars if paper_id in papers]

    def starred_rows(self) -> list[Paper]:
        """Every starred paper as a list row (no abstract), newest star first: cheap for 50,000."""
        return self._rows("FROM stars s JOIN papers p ON p.id = s.paper_id ORDER BY s.starred_at DESC")

    def _rows(self, tail: str, parameters: tuple = ()) -> list[Paper]:
        """The papers `SELECT ... {tail}` selects (from `papers p`), as list rows, in its order."""
        with self.db.reading() as connection:
            return index.selected_papers(connection, f"SELECT {index.LIGHT_COLUMNS} {tail}", parameters)

    def matching(self, query: Query | str, paper_ids: Sequence[str]) -> set[str]:
        """Which of `paper_ids` match a search (QueryError when it cannot run)."""
        from arxiv_tui.core.matching.query import parse_query

        parsed = parse_query(query) if isinstance(query, str) else query
        with self.db.reading("search") as connection:
            return index.ids_matching(connection, parsed, paper_ids)

    def like(self, paper: Paper) -> Similar:
        """The library's papers most like `paper` ("more like this")."""
        from arxiv_tui.core.library.similar import like

        with self.db.reading("search") as connection:
            return like(connection, paper)

    def tagged(self, tag: str) -> list[Paper]:
        """The papers carrying `tag` (whole), newest tagging first."""
        ids = self.marks.tagged(tag)
        papers = self.papers(ids)
        return [papers[paper_id] for paper_id in ids if paper_id in papers]

    def tagged_rows(self, tag: str) -> list[Paper]:
        """The papers carrying `tag` as list rows (no abstract), newest tagging first."""
        return self._rows(
            "FROM tags t JOIN papers p ON p.id = t.paper_id WHERE t.tag = ? ORDER BY t.tagged_at DESC",
            (tag,),
        )

    def search(
        self, query: Query | str, *, ranked: bool = False, limit: int = 500, tag: str | None = None
    ) -> index.SearchResult:
        """Papers of the whole library matching `query` (see query.py), or only those tagged
        `tag`; QueryError when it cannot run."""
        *_, whole = self.search_in_steps(query, ranked=ranked, limit=limit, tag=tag)
        return whole

    def search_in_steps(
        self,
        query: Query | str,
        *,
        ranked: bool = False,
        limit: int = 500,
        tag: str | None = None,
        first: int | None = None,
    ) -> Iterator[index.SearchResult]:
        """`search`, with its first `first` rows found first (see index.run)."""
        from arxiv_tui.core.matching.query import QueryError, parse_query

        parsed = parse_query(query) if isinstance(query, str) else query
        with self.db.reading("search") as connection:
            try:
                yield from index.run(connection, parsed, ranked=ranked, limit=limit, tag=tag, first=first)
            except sqlite3.OperationalError as error:  # FTS5 refused it after all: say so, do not crash
                raise QueryError(f"this search cannot be run ({error})") from error

    # --- papers (papers.py) ------------------------------------------------------------------

    def store_papers_in(
        self, connection: sqlite3.Connection, papers: Sequence[Paper], day: dt.date | None = None
    ) -> dict[str, int]:
        """Insert or update `papers` (one transaction is the caller's); their rowids by id."""
        return paper_rows.store(connection, papers, day)

    def store_papers(self, papers: Sequence[Paper]) -> None:
        """Keep papers that came from outside a listing (a search of arXiv, a star, an import)."""
        with self.db.transaction() as connection:
            paper_rows.store(connection, papers, None)

    def paper(self, paper_id: str) -> Paper | None:
        found = self.db.read(f"SELECT {paper_rows.PAPER_COLUMNS} FROM papers WHERE id = ?", (paper_id,))
        return paper_rows.paper_from_row(found[0]) if found else None

    def papers(self, paper_ids: Iterable[str]) -> dict[str, Paper]:
        with self.db.reading() as connection:
            found = paper_rows.existing(connection, list(paper_ids))
        return {paper_id: paper_rows.paper_from_row(row) for paper_id, row in found.items()}

    # --- listings -------------------------------------------------------------------------------

    def store_listing(self, listing: Listing, categories: Sequence[str] = ()) -> bool:
        """Keep a listing and its papers. A listing cut short never replaces a complete one
        (False); the same announcement fetched again changes nothing."""
        if listing.is_empty:
            return False
        with self.db.transaction() as connection:
            return self.store_listing_in(connection, listing, categories)

    def store_listing_in(
        self, connection: sqlite3.Connection, listing: Listing, categories: Sequence[str] = ()
    ) -> bool:
        """`store_listing` inside the caller's transaction (a migration stores many in one)."""
        date = listing.date.isoformat()
        key = listing.content_key
        held = connection.execute(
            "SELECT complete, content_key FROM listings WHERE date = ?", (date,)
        ).fetchone()
        if held is not None and held[1] == key:
            return True
        if (held is not None and held[0] and not listing.complete) or listing.is_empty:
            return False
        rowids = paper_rows.store(connection, listing.papers, listing.date)
        connection.execute(
            "INSERT OR REPLACE INTO listings (date, categories, source, fetched_at, complete, announced, "
            "content_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                date,
                " ".join(categories),
                listing.source,
                listing.fetched_at,
                int(listing.complete),
                len(listing.papers),
                key,
            ),
        )
        connection.execute("DELETE FROM announcements WHERE listing = ?", (date,))
        connection.executemany(
            "INSERT INTO announcements (listing, position, paper, kind, version) VALUES (?, ?, ?, ?, ?)",
            [
                (date, position, rowids[paper.id], paper.announce_type, paper.version)
                for position, paper in enumerate(listing.papers)
            ],
        )
        connection.execute("DELETE FROM match_cache WHERE listing = ?", (date,))
        return True

    def note_no_announcement(self, day: dt.date, categories: Sequence[str] = ()) -> None:
        """Remember that `day` had no announcement (weekend, holiday), unless it has papers."""
        with self.db.transaction() as connection:
            connection.execute(
                "INSERT OR IGNORE INTO listings (date, categories, complete, announced) VALUES (?, ?, 1, 0)",
                (day.isoformat(), " ".join(categories)),
            )

    def listing(self, day: dt.date) -> Listing | None:
        """The listing of `day` as it was announced, or None when there is none with papers."""
        meta = self.db.read(
            "SELECT source, fetched_at, complete FROM listings WHERE date = ? AND announced > 0",
            (day.isoformat(),),
        )
        if not meta:
            return None
        found = self.db.read(
            f"SELECT {paper_rows.JOINED_COLUMNS}, a.kind, a.version "
            "FROM announcements a JOIN papers p ON p.rowid = a.paper WHERE a.listing = ? ORDER BY a.position",
            (day.isoformat(),),
        )
        papers = tuple(paper_rows.paper_from_row(row[:12], row[12], row[13], day) for row in found)
        source, fetched_at, complete = meta[0]
        return Listing(day, papers, source=source, fetched_at=fetched_at, complete=bool(complete))

    def listing_dates(self, *, with_papers: bool = True) -> list[dt.date]:
        """Every stored listing date, oldest first (a few hundred a year)."""
        condition = "WHERE announced > 0" if with_papers else ""
        return [
            dt.date.fromisoformat(row[0])
            for row in self.db.read(f"SELECT date FROM listings {condition} ORDER BY date")
        ]

    def newest_date(self, before: dt.date | None = None) -> dt.date | None:
        """The newest listing date with papers (strictly before `before` when given)."""
        if before is None:
            rows = self.db.read("SELECT max(date) FROM listings WHERE announced > 0")
        else:
            rows = self.db.read(
                "SELECT max(date) FROM listings WHERE announced > 0 AND date < ?", (before.isoformat(),)
            )
        return dt.date.fromisoformat(rows[0][0]) if rows and rows[0][0] else None

    def holds_whole(self, day: dt.date, categories: Sequence[str]) -> bool:
        """Whether `day`'s listing of these categories is here whole (or known to be empty)."""
        rows = self.db.read(
            "SELECT 1 FROM listings WHERE date = ? AND complete = 1 AND categories = ?",
            (day.isoformat(), " ".join(categories)),
        )
        return bool(rows)

    def next_date(self, after: dt.date) -> dt.date | None:
        rows = self.db.read(
            "SELECT min(date) FROM listings WHERE announced > 0 AND date > ?", (after.isoformat(),)
        )
        return dt.date.fromisoformat(rows[0][0]) if rows and rows[0][0] else None

    def complete_dates(self, days: Iterable[dt.date]) -> set[dt.date]:
        """Which of `days` have a complete listing (a day cut short is fetched again)."""
        wanted = [day.isoformat() for day in days]
        if not wanted:
            return set()
        marks = ",".join("?" * len(wanted))
        rows = self.db.read(f"SELECT date FROM listings WHERE complete = 1 AND date IN ({marks})", wanted)
        return {dt.date.fromisoformat(row[0]) for row in rows}

    # --- keyword hits, kept so a start need not match 1,500 papers again ------------------------

    def cached_hits(self, day: dt.date, keywords: str, content_key: str) -> dict[str, list[str]] | None:
        """The keyword hits kept for the listing of `day`, if they were for these keywords and
        for the listing as it is stored now (`content_key`)."""
        rows = self.db.read(
            "SELECT m.keywords, m.hits, l.content_key FROM match_cache m "
            "JOIN listings l ON l.date = m.listing WHERE m.listing = ?",
            (day.isoformat(),),
        )
        if not rows or rows[0][0] != keywords or rows[0][2] != content_key:
            return None
        try:
            hits = json_value(rows[0][1])
        except ValueError:
            return None
        return hits if isinstance(hits, dict) else None

    def cache_hits(self, day: dt.date, keywords: str, hits: dict[str, list[str]], content_key: str) -> bool:
        """Keep a listing's keyword hits; False when that listing is not (yet) stored as such."""
        with self.db.transaction() as connection:
            stored = connection.execute(
                "SELECT content_key FROM listings WHERE date = ?", (day.isoformat(),)
            ).fetchone()
            if stored is None or stored[0] != content_key:
                return False
            connection.execute(
                "INSERT OR REPLACE INTO match_cache (listing, keywords, hits) VALUES (?, ?, ?)",
                (day.isoformat(), keywords, json.dumps(hits, ensure_ascii=False)),
            )
        return True

    # --- small facts --------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        rows = self.db.read("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self.db.transaction() as connection:
            connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @property
    def last_seen(self) -> dt.date | None:
        """The newest listing the user has been shown; a value that cannot be right is ignored."""
        value = self.meta("last_seen")
        try:
            day = dt.date.fromisoformat(value) if value else None
        except ValueError:
            return None
        return None if day is None or date_problem(day) else day

    def forget_bad_last_seen(self) -> list[str]:
        """A stored "last listing seen" that cannot be right (year 9999) is reset, with a message."""
        value = self.meta("last_seen")
        if value is None or self.last_seen is not None:
            return []
        with self.db.transaction() as connection:
            connection.execute("DELETE FROM meta WHERE key = 'last_seen'")
        return [
            f"{self.path}: the last listing seen, {safe_message(value, 40)!r}, cannot be right; it was "
            "forgotten (missed days are not fetched this time)"
        ]

    def set_last_seen(self, day: dt.date) -> None:
        if date_problem(day):
            return
        with self.db.transaction() as connection:
            row = connection.execute("SELECT value FROM meta WHERE key = 'last_seen'").fetchone()
            if row is None or _later(day, row[0]):
                connection.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('last_seen', ?)", (day.isoformat(),)
                )

    def counts(self) -> dict[str, int]:
        """How much the library holds (for `locate` and the benchmarks)."""
        names = {"papers": "papers", "listings": "listings WHERE announced > 0", "stars": "stars",
                 "notes": "notes", "tags": "tags", "reads": "reads",
                 "saved searches": "saved_searches"}  # fmt: skip
        return {name: self.db.read(f"SELECT count(*) FROM {table}")[0][0] for name, table in names.items()}


def _later(day: dt.date, stored: str) -> bool:
    try:
        held = dt.date.fromisoformat(stored)
    except ValueError:
        return True
    return bool(date_problem(held)) or day > held
