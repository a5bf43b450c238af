"""Once a day, off the UI thread: SQLite's quick_check (1.2 s for a year's library, so never at
start) and, when it passes, a backup with SQLite's backup API (through a temp file and a rename,
so a backup is whole or not there); then listings older than the retention forgotten. A failed
check leaves word beside the library (recovery.py), and the next start recovers it."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from pathlib import Path

from arxiv_tui.core.base.errors import StateError
from arxiv_tui.core.base.storage import _fsync_dir
from arxiv_tui.core.library import search as index
from arxiv_tui.core.library.db import LibraryDamaged, note_damage
from arxiv_tui.core.library.inbox import UNDECIDED
from arxiv_tui.core.library.library import Library

ERROR, WARNING = "error", "warning"


def daily_upkeep(
    library: Library, backup: Path, retention_days: int | None, today: dt.date
) -> list[tuple[str, str]]:
    """The day's check, backup and pruning (`retention_days` None: no pruning); (message,
    severity) for the user."""
    found = [(text, ERROR) for text in check_and_back_up(library, backup, today)]
    if retention_days is not None and library.meta("last_prune") != today.isoformat():
        try:
            prune(library, retention_days, today)
            library.set_meta("last_prune", today.isoformat())
        except StateError as error:
            found.append((str(error), WARNING))
    return found


def check_and_back_up(library: Library, backup: Path, today: dt.date | None = None) -> list[str]:
    """Once a day: quick_check, then a backup if the library is sound. Messages for the user.

    A failed check leaves the marker, so the next start recovers; nothing is done to the file now.
    """
    today = today or dt.date.today()
    if library.meta("last_check") == today.isoformat() and backup.exists():
        return []
    connection = library.db.connect()  # its own connection: this runs beside the app's work
    try:
        try:
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.Error as error:
            verdict = str(error)
        if verdict != "ok":
            note_damage(library.path, f"quick_check: {verdict[:200]}")
            return [
                f"The library {library.path} is damaged ({verdict[:200]}). Quit arxiv-tui and start it "
                "again: the damaged file will be moved aside, the last backup restored, and what can "
                "still be read merged back."
            ]
        temp = backup.with_name(f".{backup.name}.tmp")
        try:
            target = sqlite3.connect(temp)
            try:
                connection.backup(target, pages=4096, sleep=0.005)
            finally:
                target.close()
            with open(temp, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(temp, backup)
            _fsync_dir(backup.parent)
        except (OSError, sqlite3.Error) as error:
            with contextlib.suppress(OSError):
                temp.unlink()
            detail = error.strerror if isinstance(error, OSError) else str(error)
            return [f"could not back up the library to {backup}: {detail}"]
    finally:
        connection.close()
    try:
        library.set_meta("last_check", today.isoformat())
    except LibraryDamaged as error:
        note_damage(library.path, str(error))
    except StateError as error:
        return [str(error)]
    return []


def prune(library: Library, keep_days: int, today: dt.date) -> int:
    """Forget listings older than `keep_days` (0 keeps everything; the newest is always kept),
    and the papers only they held. Stars, notes, tags and read marks are never pruned, and a
    paper with any of them, a kept full text or questions asked of it, or waiting in the
    Inbox, keeps its row. Returns how many listings were removed."""
    if keep_days <= 0:
        return 0
    cutoff = (today - dt.timedelta(days=keep_days)).isoformat()
    with library.db.transaction("prune") as connection:
        newest = connection.execute("SELECT max(date) FROM listings WHERE announced > 0").fetchone()[0]
        old = [
            row[0]
            for row in connection.execute(
                "SELECT date FROM listings WHERE date < ? AND date IS NOT ?", (cutoff, newest)
            )
        ]
        if not old:
            return 0
        marks = ",".join("?" * len(old))
        connection.execute(f"DELETE FROM listings WHERE date IN ({marks})", old)
        orphans = [
            row[0]
            for row in connection.execute(
                "SELECT p.rowid FROM papers p WHERE NOT EXISTS "
                "(SELECT 1 FROM announcements a WHERE a.paper = p.rowid) "
                "AND p.id NOT IN (SELECT paper_id FROM stars UNION SELECT paper_id FROM notes "
                "UNION SELECT paper_id FROM tags UNION SELECT paper_id FROM full_texts "
                "UNION SELECT paper_id FROM assistant_chats "
                f"UNION SELECT paper_id FROM inbox i WHERE {UNDECIDED})"
            )
        ]
        index.remove(connection, orphans)
        for start in range(0, len(orphans), 500):
            chunk = orphans[start : start + 500]
            connection.execute(f"DELETE FROM papers WHERE rowid IN ({','.join('?' * len(chunk))})", chunk)
        connection.execute("DELETE FROM inbox WHERE paper_id NOT IN (SELECT id FROM papers)")  # decided
    return len(old)
