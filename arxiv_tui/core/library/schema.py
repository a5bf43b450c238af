"""The library's schema: made for a new file, migrated forward for an older one, and checked at
every open. What we did not make is removed (a trigger or a view could run on our writes or
stand in for a table); a table of ours that is missing is made again, empty, and said; a file
that is an SQLite database but not a library of ours is refused and left as it is.
"""

from __future__ import annotations

import sqlite3

from arxiv_tui.core.base.errors import StateError
from arxiv_tui.core.library import search as index
from arxiv_tui.core.library.db import SCHEMA_VERSION, Database

INBOX = """
CREATE TABLE inbox (                      -- what reached the user; undecided while it is unread
    paper_id TEXT PRIMARY KEY,
    entered_at TEXT NOT NULL,               -- when it (last) entered
    day TEXT NOT NULL,                      -- the listing it came with, or the day it came
    reasons TEXT NOT NULL,                  -- JSON: why (keyword:…, author:…, search:…, version:…)
    version INTEGER NOT NULL DEFAULT 0,     -- the version that brought it
    mailed_at TEXT                          -- NULL: not printed by digest --new-only yet
) WITHOUT ROWID;
CREATE INDEX inbox_by_day ON inbox(day, entered_at);
CREATE INDEX inbox_unmailed ON inbox(mailed_at);
CREATE TABLE alerts (                      -- what each alert last looked for: a check a day, or a week
    kind TEXT NOT NULL,
    key TEXT NOT NULL,                      -- the author, the starred id...
    checked_at TEXT NOT NULL,
    seen TEXT NOT NULL DEFAULT '',          -- JSON: what that check found, to tell the new from it
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
"""

RANKING = """
CREATE TABLE decisions (                  -- what ranking learns from (core/ranking), in order
    seq INTEGER PRIMARY KEY,
    paper_id TEXT NOT NULL,
    kind TEXT NOT NULL,                     -- keep, skip, all read, read, opened, unstar (marks.py)
    made_at TEXT NOT NULL
);
CREATE TABLE ranker (                     -- the model learned from them: one row a feature bucket
    bucket INTEGER PRIMARY KEY,
    weight REAL NOT NULL,
    squares REAL NOT NULL                   -- its squared gradients so far (AdaGrad's step size)
) WITHOUT ROWID;
"""

FULL_TEXTS = """
CREATE TABLE full_texts (                 -- arXiv's HTML of a paper as read (core/fulltext), for offline
    paper_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,               -- the version it is the text of
    fetched_at TEXT NOT NULL,
    body BLOB NOT NULL,                     -- the Document as JSON, zlib-compressed
    position INTEGER NOT NULL DEFAULT 0     -- the block the reader last had at the top
);
CREATE TABLE downloads (                  -- where `d` saved a paper's PDF: `o` opens that copy
    paper_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    path TEXT NOT NULL,
    saved_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE VIRTUAL TABLE full_text_search USING fts5(  -- `body:` searches; a row's rowid is its paper's
    body, content='', tokenize='unicode61 remove_diacritics 2'
);
"""

ASSISTANT = """
CREATE TABLE assistant_answers (          -- what the user's model said of a paper (core/assistant)
    paper_id TEXT NOT NULL,
    task TEXT NOT NULL,                     -- tldr, summary
    version INTEGER NOT NULL,               -- the version it was asked of
    model TEXT NOT NULL,
    host TEXT NOT NULL,                     -- where it was asked: the server's host, or the command
    prompt_version INTEGER NOT NULL,
    input_hash TEXT NOT NULL,               -- of everything sent: a different input is a new answer
    source TEXT NOT NULL,                   -- what the model read: the full text, or the abstract
    answer TEXT NOT NULL,
    made_at TEXT NOT NULL,
    PRIMARY KEY (paper_id, task, version, model, host, prompt_version, input_hash)
) WITHOUT ROWID;
CREATE TABLE assistant_chats (            -- questions about a paper and the model's answers
    paper_id TEXT NOT NULL,
    turn INTEGER NOT NULL,                  -- 0, 1, 2...: a question, then its answer
    role TEXT NOT NULL,                     -- user, assistant
    content TEXT NOT NULL,
    version INTEGER NOT NULL,               -- the paper's version when it was said
    model TEXT NOT NULL,
    made_at TEXT NOT NULL,
    PRIMARY KEY (paper_id, turn)
) WITHOUT ROWID;
"""

SCHEMA = (
    """
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
    saved_at TEXT NOT NULL,
    alert INTEGER NOT NULL DEFAULT 0        -- 1: its new matches in each listing enter the Inbox
) WITHOUT ROWID;
CREATE TABLE scholar_cache (               -- Semantic Scholar's answers, kept for offline use
    key TEXT PRIMARY KEY,                   -- "paper:<arXiv id>" or "count:<arXiv id>"
    fetched_at TEXT NOT NULL,
    body TEXT NOT NULL                      -- JSON, as we cleaned it
) WITHOUT ROWID;

"""
    + INBOX
    + RANKING
    + FULL_TEXTS
    + ASSISTANT
    + """
-- Full-text search. Contentless: the text lives in papers/notes/tags, the index only here.
CREATE VIRTUAL TABLE search USING fts5(
    title, authors, abstract, comments, ids, categories, notes, tags,
    content='', tokenize='unicode61 remove_diacritics 2'
);
"""
)

# Forward migrations: MIGRATIONS[n] takes a database at version n to n + 1.
MIGRATIONS: dict[int, str] = {
    1: "CREATE TABLE saved_searches (name TEXT PRIMARY KEY, query TEXT NOT NULL, saved_at TEXT NOT NULL) "
    "WITHOUT ROWID;",
    2: "CREATE TABLE scholar_cache (key TEXT PRIMARY KEY, fetched_at TEXT NOT NULL, body TEXT NOT NULL) "
    "WITHOUT ROWID;",
    3: INBOX,
    4: "ALTER TABLE saved_searches ADD COLUMN alert INTEGER NOT NULL DEFAULT 0;",
    5: RANKING,
    6: FULL_TEXTS,
    7: ASSISTANT,
}

# FTS5 keeps the index of `search` and `full_text_search` in tables of its own.
FTS_SHADOWS = tuple(
    f"{table}_{part}"
    for table in ("search", "full_text_search")
    for part in ("data", "idx", "docsize", "config")
)


def statements(script: str) -> list[str]:
    """A script's statements, for running one by one inside an open transaction
    (executescript would commit first)."""
    found, current = [], []
    for line in script.splitlines():
        code = line.split("--", 1)[0]
        current.append(code)
        if code.rstrip().endswith(";") and sqlite3.complete_statement("\n".join(current)):
            found.append("\n".join(current).strip())
            current = []
    return [statement for statement in found if statement]


def _ours() -> dict[str, tuple[str, str]]:
    """Every table and index the schema makes: name -> (type, its CREATE statement)."""
    made: dict[str, tuple[str, str]] = {}
    for statement in statements(SCHEMA):
        words = statement.replace("(", " ").split()
        kind = "index" if words[1] == "INDEX" else "table"
        name = words[2] if kind == "index" else words[words.index("TABLE") + 1]
        made[name] = (kind, statement)
    return made


OURS = _ours()


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def prepare(db: Database) -> list[str]:
    """Create the schema, migrate it forward, or check it and repair it; what was done, in words.

    StateError (and nothing changed) for a database that is not ours. A file of a newer version
    never gets this far: the connection refuses it before changing a byte (db.py)."""
    with db.reading("open") as connection:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        present = connection.execute("SELECT type, name FROM sqlite_master").fetchall()
    names = {name for _, name in present}
    if version == 0 and names:  # the connection refuses it first (db.py): nothing is changed
        raise StateError(db.not_ours_message(sorted(names)))
    if version == SCHEMA_VERSION and not _foreign(present) and set(OURS) <= names:
        return []  # every start: one read of the schema, no write
    done: list[str] = []
    with db.transaction("set up") as connection:
        if version == 0:
            for statement in statements(SCHEMA):
                connection.execute(statement)
        else:
            for step in range(version, SCHEMA_VERSION):
                for statement in statements(MIGRATIONS[step]):
                    connection.execute(statement)
                done.append(f"upgraded the library from version {step} to {step + 1}")
            done += [f"{db.path}: {what}" for what in _repair(connection, present)]
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
    return done


def _foreign(present: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What we did not make and will not keep: triggers, views, indexes not ours, and anything
    standing under the name of one of our tables."""
    return [
        (kind, name)
        for kind, name in present
        if not (name.startswith("sqlite_") or name in FTS_SHADOWS)
        and (
            kind in ("trigger", "view")
            or (kind == "index" and name not in OURS)
            or (name in OURS and OURS[name][0] != kind)
        )
    ]


def _repair(connection: sqlite3.Connection, present: list[tuple[str, str]]) -> list[str]:
    """Remove what we did not make; make again, empty, the tables of ours that are missing."""
    done: list[str] = []
    for kind, name in _foreign(present):
        connection.execute(f"DROP {kind.upper()} IF EXISTS {_quoted(name)}")
        done.append(f"removed a {kind} arxiv-tui does not make ({name!r}): it could run on its writes")
    held = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
    for name, (kind, statement) in OURS.items():
        if name not in held:
            connection.execute(statement)
            if kind == "table":
                done.append(f"its table {name!r} was missing and was made again, empty")
    if "search" not in held:
        _reindex(connection)
        done.append("its search index was missing and was built again")
    if index.BODIES not in held:
        index.reindex_bodies(connection)
        done.append("its index of full texts was missing and was built again")
    return done


def _reindex(connection: sqlite3.Connection) -> None:
    """The search index written again from the papers, notes and tags."""
    connection.execute("INSERT INTO search (search) VALUES ('delete-all')")
    rowids = [row[0] for row in connection.execute("SELECT rowid FROM papers")]
    for start in range(0, len(rowids), 2000):
        index.add(connection, rowids[start : start + 2000])
