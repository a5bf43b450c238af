"""The library's SQLite database: connections, schema and its migrations, transactions, errors.

One file (WAL), one connection per thread (sqlite3 connections are not shared across threads),
a 10 s busy timeout so two readers and a `digest` wait for each other instead of failing, and
synchronous=FULL: a committed star survives a power cut, not only a kill -9.

SQL is only ever written here and in the library modules, with parameters for every value; no
text from a user or a feed is put into SQL (search queries are turned into FTS5 syntax by
query.py, which quotes every word, and passed as a parameter too).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from arxiv_tui.core.base.errors import StateError

SCHEMA_VERSION = 3
BUSY_SECONDS = 10.0

# Paper rowids carry their first listing date: (date ordinal << 20) + n. FTS5 walks rowids in
# order for free, so "newest first" costs nothing at a year's scale.
ROWID_SHIFT = 20

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE papers (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,              -- the bare arXiv id: 2411.17712, hep-th/0601001
    version INTEGER NOT NULL,             -- the newest version seen
    title TEXT NOT NULL,
    authors TEXT NOT NULL,                -- a JSON array of names
    abstract BLOB NOT NULL,               -- zlib-compressed UTF-8 (a third of the library's size)
    categories TEXT NOT NULL,             -- space-separated, primary first
    comments TEXT NOT NULL DEFAULT '',
    journal_ref TEXT NOT NULL DEFAULT '',
    doi TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',   -- the API's time for the newest version
    first_listed TEXT                     -- the date of the first listing that announced it
);

CREATE TABLE versions (
    paper INTEGER NOT NULL REFERENCES papers(rowid) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    listed TEXT,                          -- the listing that announced this version
    PRIMARY KEY (paper, version)
) WITHOUT ROWID;

CREATE TABLE listings (
    date TEXT PRIMARY KEY,
    categories TEXT NOT NULL DEFAULT '',  -- what was asked for
    source TEXT NOT NULL DEFAULT '',
    fetched_at TEXT NOT NULL DEFAULT '',
    complete INTEGER NOT NULL DEFAULT 1,  -- 0: the download was cut short
    announced INTEGER NOT NULL DEFAULT 0, -- 0: a day without an announcement
    content_key TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE announcements (
    listing TEXT NOT NULL REFERENCES listings(date) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    paper INTEGER NOT NULL REFERENCES papers(rowid),
    kind TEXT NOT NULL,                   -- new, cross, replace, replace-cross
    version INTEGER NOT NULL,
    PRIMARY KEY (listing, position)
) WITHOUT ROWID;
CREATE INDEX announcements_by_paper ON announcements(paper);

CREATE TABLE match_cache (                -- keyword hits of a listing, so a start need not match
    listing TEXT PRIMARY KEY REFERENCES listings(date) ON DELETE CASCADE,
    keywords TEXT NOT NULL,
    hits TEXT NOT NULL                    -- JSON: paper id -> include terms hit
) WITHOUT ROWID;

-- What the user made. Keyed by arXiv id, so a mark outlives the paper's listing.
CREATE TABLE reads (paper_id TEXT PRIMARY KEY, read_at TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE stars (paper_id TEXT PRIMARY KEY, starred_at TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE notes (paper_id TEXT PRIMARY KEY, note TEXT NOT NULL, updated_at TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE tags (
    paper_id TEXT NOT NULL,
    tag TEXT NOT NULL,
    tagged_at TEXT NOT NULL,
    PRIMARY KEY (paper_id, tag)
) WITHOUT ROWID;
CREATE INDEX tags_by_tag ON tags(tag);
CREATE TABLE saved_searches (
    name TEXT PRIMARY KEY,
    query TEXT NOT NULL,
    saved_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE scholar_cache (               -- Semantic Scholar's answers, kept for offline use
    key TEXT PRIMARY KEY,                   -- "paper:<arXiv id>" or "count:<arXiv id>"
    fetched_at TEXT NOT NULL,
    body TEXT NOT NULL                      -- JSON, as we cleaned it
) WITHOUT ROWID;

-- Full-text search. Contentless: the text lives in papers/notes/tags, the index only here.
CREATE VIRTUAL TABLE search USING fts5(
    title, authors, abstract, comments, ids, categories, notes, tags,
    content='', tokenize='unicode61 remove_diacritics 2'
);
"""

# Forward migrations: MIGRATIONS[n] takes a database at version n to n + 1.
MIGRATIONS: dict[int, str] = {
    1: "CREATE TABLE saved_searches (name TEXT PRIMARY KEY, query TEXT NOT NULL, saved_at TEXT NOT NULL) "
    "WITHOUT ROWID;",
    2: "CREATE TABLE scholar_cache (key TEXT PRIMARY KEY, fetched_at TEXT NOT NULL, body TEXT NOT NULL) "
    "WITHOUT ROWID;",
}


class LibraryDamaged(StateError):
    """The database file is damaged (SQLite says so); recovery moves it aside."""


def is_damage(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return isinstance(error, sqlite3.DatabaseError) and (
        "malformed" in text or "not a database" in text or "corrupt" in text
    )


def explain(path: Path, error: sqlite3.Error, doing: str = "save to") -> StateError:
    """A database error as the user should read it, naming the file."""
    text = str(error)
    lowered = text.lower()
    if is_damage(error):
        return LibraryDamaged(f"{path} is damaged ({text})")
    if "full" in lowered:
        reason = "No space left on device"
    elif "disk i/o error" in lowered:
        reason = "the disk refused the write (disk I/O error: is it full, or failing?)"
    elif "readonly" in lowered or "read-only" in lowered:
        reason = "the folder or file is read-only"
    elif "locked" in lowered or "busy" in lowered:
        reason = f"another arxiv-tui kept it locked for over {BUSY_SECONDS:g} s"
    elif "unable to open" in lowered:
        reason = "it cannot be opened (does its folder exist and can it be written?)"
    else:
        reason = text
    return StateError(f"could not {doing} {path}: {reason}")


class Database:
    """The library file, with one configured connection per thread."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._guard = threading.Lock()

    def connect(self) -> sqlite3.Connection:
        """A new connection with the library's settings (the caller owns it)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                self.path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False
            )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA foreign_keys=ON")
        except OSError as error:
            raise StateError(f"could not open {self.path}: {error.strerror or error}") from error
        except sqlite3.Error as error:
            raise explain(self.path, error, "open") from error
        return connection

    @property
    def connection(self) -> sqlite3.Connection:
        """This thread's connection."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self.connect()
            with self._guard:
                self._all.append(connection)
        return connection

    def close(self) -> None:
        with self._guard:
            connections, self._all = self._all, []
        for connection in connections:
            with contextlib.suppress(sqlite3.Error):
                connection.close()
        self._local = threading.local()

    @contextlib.contextmanager
    def transaction(self, doing: str = "save to") -> Iterator[sqlite3.Connection]:
        """One atomic change: everything inside commits together, or nothing does.

        Any database error becomes a StateError naming the file and the reason (disk full, a
        read-only folder, damage), after the transaction is rolled back.
        """
        connection = self.connection
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise explain(self.path, error, doing) from error
        try:
            yield connection
            connection.execute("COMMIT")
        except BaseException as error:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error):
                raise explain(self.path, error, doing) from error
            raise

    def read(self, sql: str, parameters: tuple | list = ()) -> list[tuple]:
        """Rows of one query, with errors explained."""
        try:
            return self.connection.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            raise explain(self.path, error, "read") from error

    def prepare(self) -> list[str]:
        """Create the schema or migrate it forward; what was done, in words."""
        try:
            version = self.connection.execute("PRAGMA user_version").fetchone()[0]
            tables = self.connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.Error as error:
            raise explain(self.path, error, "open") from error
        if version > SCHEMA_VERSION:
            raise StateError(
                f"{self.path} was written by a newer arxiv-tui (library version {version}); "
                "update arxiv-tui to read it (the file was left as it is)"
            )
        if version == SCHEMA_VERSION:
            return []
        with self.transaction("set up") as connection:
            if tables == 0 and version == 0:
                for statement in _statements(SCHEMA):
                    connection.execute(statement)
                done: list[str] = []  # a new library needs no word
            else:
                done = []
                for step in range(version, SCHEMA_VERSION):
                    for statement in _statements(MIGRATIONS[step]):
                        connection.execute(statement)
                    done.append(f"upgraded the library from version {step} to {step + 1}")
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
        return done


def _statements(script: str) -> list[str]:
    """A script's statements, for running one by one inside an open transaction
    (executescript would commit first)."""
    statements, current = [], []
    for line in script.splitlines():
        code = line.split("--", 1)[0]
        current.append(code)
        if code.rstrip().endswith(";") and sqlite3.complete_statement("\n".join(current)):
            statements.append("\n".join(current).strip())
            current = []
    return [statement for statement in statements if statement]


def rowid_base(ordinal: int) -> int:
    return ordinal << ROWID_SHIFT
