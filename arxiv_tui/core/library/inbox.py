"""The Inbox: every paper that reached the user (a keyword, a followed author, an alert), kept
until they decide it, whatever listing or day it came with, across restarts.

Deciding is reading: a star, a skip (x), A and r all mark a paper read, and a paper of the
Inbox is undecided exactly while it is unread, so the two can never disagree; marking it
unread puts it back. A paper enters once: announced again (a cross-list, a replacement) it
stays as it is, decided or not, unless the entry comes `again` (a new version of a star: it
is then unread again). A paper the user had already read does not enter. `digest --new-only`
prints the entries not printed yet, paper by paper (`mailed_at`).

Beside it, what each alert last looked for and found (the `alerts` table, AlertState): when
followed authors were last asked about, which versions of the stars were seen, how many papers
cited each watched paper. A check reads it to ask only for what is new, and writes it back in
the transaction that lets the new papers in, so an interrupted check is simply done again.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from arxiv_tui.core.base.clock import moment, now
from arxiv_tui.core.base.text import json_value
from arxiv_tui.core.library import search as index
from arxiv_tui.core.library.db import Database
from arxiv_tui.core.models import Paper

REASONS_KEPT = 20  # reasons kept for one paper (the first ones)
UNDECIDED = "NOT EXISTS (SELECT 1 FROM reads r WHERE r.paper_id = i.paper_id)"  # of `inbox i`


class Entry(NamedTuple):
    """Why and when a paper entered. Reasons read "keyword:diffusion", "author:Harwath",
    "version:3" (of a star), "cites:2411.17712" (a star it cites), "search:name"."""

    paper_id: str
    day: dt.date
    reasons: tuple[str, ...]
    version: int = 0
    again: bool = False  # enters even when decided before (unread again): a new version of a star

    def merged(self, reasons: Sequence[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.reasons, *reasons]))[:REASONS_KEPT]  # the newest first


def _chunks(items: Sequence[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


@functools.lru_cache(maxsize=4096)  # an Inbox of 5,000 papers holds a few dozen distinct texts
def _reasons(text: str) -> tuple[str, ...]:
    try:
        found = json_value(text)
    except ValueError:
        return ()
    return tuple(reason for reason in found if isinstance(reason, str)) if isinstance(found, list) else ()


class Inbox:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- entering ---------------------------------------------------------------------------

    def add(self, entries: Sequence[Entry]) -> list[Entry]:
        """Let `entries` in (one transaction); the ones that entered, new or again."""
        if not entries:
            return []
        with self.db.transaction() as connection:
            return add_in(connection, entries)

    # --- reading ----------------------------------------------------------------------------

    def undecided(self, first: int = -1) -> list[tuple[Paper, Entry]]:
        """The papers waiting for a decision, as list rows, newest day first, each day in the
        order its papers came (`first`: only so many, from the top)."""
        with self.db.reading() as connection:
            rows = connection.execute(
                "SELECT p.rowid, i.paper_id, i.day, i.reasons, i.version FROM inbox i "
                f"JOIN papers p ON p.id = i.paper_id WHERE {UNDECIDED} "
                "ORDER BY i.day DESC, i.entered_at, p.rowid LIMIT ?",
                (first,),
            ).fetchall()
            days = {day: dt.date.fromisoformat(day) for day in {row[2] for row in rows}}
            dated = {rowid: days[day] for rowid, _, day, _, _ in rows}  # by the day it entered with
            papers = index.light_papers(connection, [row[0] for row in rows], dated)
        by_id = {
            paper_id: Entry(paper_id, days[day], _reasons(reasons), version)
            for _, paper_id, day, reasons, version in rows
        }
        return [(paper, by_id[paper.id]) for paper in papers if paper.id in by_id]

    def counts(self, today: dt.date) -> tuple[int, int]:
        """(papers undecided, of them arrived with `today`'s listing or on that day)."""
        undecided, of_today = self.db.read(
            f"SELECT count(*), coalesce(sum(day >= ?), 0) FROM inbox i WHERE {UNDECIDED}",
            (today.isoformat(),),
        )[0]
        return undecided, of_today

    def unmailed(self) -> list[Entry]:
        """What entered since the last digest --new-only, decided or not, oldest day first."""
        rows = self.db.read(
            "SELECT paper_id, day, reasons, version FROM inbox WHERE mailed_at IS NULL "
            "ORDER BY day, entered_at, paper_id"
        )
        return [
            Entry(pid, dt.date.fromisoformat(day), _reasons(reasons), version)
            for pid, day, reasons, version in rows
        ]

    # --- the digest ------------------------------------------------------------------------------

    def mark_mailed(self, paper_ids: Sequence[str], at: str | None = None) -> None:
        """These entries were printed by `digest --new-only`: the next run leaves them out."""
        ids = list(dict.fromkeys(paper_ids))
        with self.db.transaction() as connection:
            for chunk in _chunks(ids):
                holes = ",".join("?" * len(chunk))
                sql = f"UPDATE inbox SET mailed_at = ? WHERE mailed_at IS NULL AND paper_id IN ({holes})"
                connection.execute(sql, [at or now(), *chunk])


def merged(entries: Sequence[Entry]) -> list[Entry]:
    """One entry a paper, with every reason it came for (a keyword and a saved search, say)."""
    by_id: dict[str, Entry] = {}
    for entry in entries:
        held = by_id.get(entry.paper_id)
        by_id[entry.paper_id] = entry if held is None else Entry(
            held.paper_id, held.day, held.merged(entry.reasons), max(held.version, entry.version),
            held.again or entry.again,
        )  # fmt: skip
    return list(by_id.values())


def add_in(connection: sqlite3.Connection, entries: Sequence[Entry]) -> list[Entry]:
    """`Inbox.add` inside the caller's transaction (a refresh stores a listing and lets its papers
    in at once)."""
    entries = merged(entries)
    ids = [entry.paper_id for entry in entries]
    held: dict[str, tuple[str, int]] = {}
    read: set[str] = set()
    for chunk in _chunks(ids):
        holes = ",".join("?" * len(chunk))
        for paper_id, reasons, version in connection.execute(
            f"SELECT paper_id, reasons, version FROM inbox WHERE paper_id IN ({holes})", chunk
        ):
            held[paper_id] = (reasons, version)
        read.update(
            row[0]
            for row in connection.execute(f"SELECT paper_id FROM reads WHERE paper_id IN ({holes})", chunk)
        )
    entered: list[Entry] = []
    at = now()
    for entry in entries:
        before = held.get(entry.paper_id)
        if before is None:
            if entry.paper_id in read and not entry.again:
                continue  # decided before it could enter
            connection.execute(
                "INSERT INTO inbox (paper_id, entered_at, day, reasons, version) VALUES (?, ?, ?, ?, ?)",
                (entry.paper_id, at, entry.day.isoformat(), json.dumps(list(entry.reasons)), entry.version),
            )
            held[entry.paper_id] = (json.dumps(list(entry.reasons)), entry.version)
        elif entry.again and entry.version > before[1]:  # a newer version of a star: undecided again
            reasons = entry.merged(_reasons(before[0]))
            connection.execute(
                "UPDATE inbox SET entered_at = ?, day = ?, reasons = ?, version = ?, mailed_at = NULL "
                "WHERE paper_id = ?",
                (at, entry.day.isoformat(), json.dumps(list(reasons)), entry.version, entry.paper_id),
            )
            held[entry.paper_id] = (json.dumps(list(reasons)), entry.version)
            entry = entry._replace(reasons=reasons)
        else:
            continue
        if entry.again:
            connection.execute("DELETE FROM reads WHERE paper_id = ?", (entry.paper_id,))
        entered.append(entry)
    return entered


# --- what the alerts saw ----------------------------------------------------------------------


class Checked(NamedTuple):
    at: dt.datetime
    seen: Any  # what the check found, as it stored it (JSON)


class AlertState:
    def __init__(self, db: Database) -> None:
        self.db = db

    def of(self, kind: str) -> dict[str, Checked]:
        """Every key of one alert kind, with when it was checked and what was seen."""
        found = {}
        for key, at, seen in self.db.read("SELECT key, checked_at, seen FROM alerts WHERE kind = ?", (kind,)):
            when = moment(at)
            if when is None:
                continue  # an unreadable time: as if never checked
            try:
                value = json_value(seen) if seen else None
            except ValueError:
                value = None
            found[key] = Checked(when, value)
        return found


def put_in(
    connection: sqlite3.Connection, kind: str, rows: Sequence[tuple[str, Any]], at: dt.datetime
) -> None:
    """Record `rows` (key, what was seen) of `kind` as checked `at`, in the caller's transaction."""
    connection.executemany(
        "INSERT OR REPLACE INTO alerts (kind, key, checked_at, seen) VALUES (?, ?, ?, ?)",
        [(kind, key, at.isoformat(), json.dumps(seen)) for key, seen in rows],
    )
