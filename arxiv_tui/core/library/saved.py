"""Saved searches: a library query kept under a name. Each is a view in the reader, and
`digest --search NAME` prints its matches in a listing (an alert on a query, for cron). One
marked as an alert lets its matches in each new listing into the Inbox (arrivals.py)."""

from __future__ import annotations

import sqlite3

from arxiv_tui.core.base.clock import now
from arxiv_tui.core.base.text import strip_control
from arxiv_tui.core.library.db import Database

NAME_LIMIT = 60
QUERY_LIMIT = 1000


def clean_name(name: str) -> str:
    """A name as kept: one line, at most 60 characters."""
    return " ".join(strip_control(name).split())[:NAME_LIMIT]


def checked(name: str, query: str) -> tuple[str, str]:
    """The name and query as kept (one line each, capped); ValueError without a name, QueryError
    for a query that cannot be searched."""
    name, query = clean_name(name), " ".join(strip_control(query).split())[:QUERY_LIMIT]
    if not name:
        raise ValueError("a saved search needs a name")
    from arxiv_tui.core.matching.query import parse_query  # a start reads saved searches, never checks them

    parse_query(query)
    return name, query


def put_search(connection: sqlite3.Connection, name: str, query: str, at: str, alert: bool = False) -> None:
    """Inside a caller's transaction; `name` and `query` as `checked` returns them."""
    connection.execute(
        "INSERT OR REPLACE INTO saved_searches (name, query, saved_at, alert) VALUES (?, ?, ?, ?)",
        (name, query, at, int(alert)),
    )


class SavedSearches:
    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> list[tuple[str, str]]:
        """(name, query) of every saved search, by name."""
        return self.db.read("SELECT name, query FROM saved_searches ORDER BY name COLLATE NOCASE")

    def alerts(self) -> list[tuple[str, str]]:
        """(name, query) of the saved searches marked as alerts."""
        return self.db.read("SELECT name, query FROM saved_searches WHERE alert ORDER BY name COLLATE NOCASE")

    def query_of(self, name: str) -> str | None:
        rows = self.db.read("SELECT query FROM saved_searches WHERE name = ?", (name,))
        return rows[0][0] if rows else None

    def save(self, name: str, query: str, at: str | None = None, alert: bool = False) -> str:
        """Keep `query` under `name` (replacing a search of that name); the name as kept.
        A query that cannot be searched raises QueryError and nothing is saved."""
        name, query = checked(name, query)
        with self.db.transaction() as connection:
            put_search(connection, name, query, at or now(), alert)
        return name

    def delete(self, name: str) -> None:
        with self.db.transaction() as connection:
            connection.execute("DELETE FROM saved_searches WHERE name = ?", (name,))
