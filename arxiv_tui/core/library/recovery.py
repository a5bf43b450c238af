"""Recovery from damage, wherever it is found: at open, by the daily check (upkeep.py), or on any
read or write while the app runs (db.py). The damaged file is moved aside (never deleted, never
over another copy), the backup restored, and every star, note, tag, read mark, saved search and
listing that can still be read from the damaged file merged back (`salvage`); the user is told
what was done and what, if anything, is lost. A library that is a symbolic link stays one: the
file it points to is what is moved and restored.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
from pathlib import Path

from arxiv_tui.core.base.errors import StateError
from arxiv_tui.core.base.storage import _fsync_dir
from arxiv_tui.core.library.db import explain, uri
from arxiv_tui.core.library.library import Library

SIDE_FILES = ("", "-wal", "-shm")


def healthy(path: Path) -> bool:
    """Whether SQLite's quick_check passes on the file at `path` (read-only)."""
    try:
        connection = sqlite3.connect(uri(path, read_only=True), uri=True)
        try:
            return connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            connection.close()
    except sqlite3.Error:
        return False


def move_aside(path: Path) -> Path:
    """Rename the damaged file (and its journal files) to a name no other file has: two damage
    events in one second keep both copies. The new name, beside the old."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for number in range(1, 1000):
        aside = path.with_name(f"{path.name}.damaged-{stamp}" + (f"-{number}" if number > 1 else ""))
        if not any(Path(str(aside) + suffix).exists() for suffix in SIDE_FILES):
            break
    else:
        raise StateError(f"{path} is damaged, and a thousand damaged copies of it are already beside it")
    for suffix in SIDE_FILES:
        source = Path(str(path) + suffix)
        if source.exists():
            try:
                source.rename(Path(str(aside) + suffix))
            except OSError as error:
                raise StateError(
                    f"{path} is damaged and could not be moved aside: {error.strerror}"
                ) from error
    return aside


def copy_whole(source: Path, target: Path) -> None:
    temp = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(source, temp)
    with open(temp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temp, target)
    _fsync_dir(target.parent)


def salvage(damaged: Path, library: Library) -> tuple[list[str], list[str]]:
    """Merge what can be read of `damaged` into `library`: (what was recovered, what was not)."""
    saved: list[str] = []
    lost: list[str] = []
    try:
        source = sqlite3.connect(uri(damaged, read_only=True), uri=True)
        source.execute("PRAGMA trusted_schema=OFF")
    except sqlite3.Error:
        return saved, ["the whole file"]
    try:
        for name, copy in (
            ("papers you marked", lambda source, into: _papers(source, into, damaged)),
            ("stars", _stars),
            ("notes", _notes),
            ("tags", _tags),
            ("read marks", _reads),
            ("saved searches", _saved_searches),
            ("listings", lambda _, into: _listings(damaged, into)),
            ("Inbox entries", _inbox),
        ):
            try:
                count = copy(source, library)
            except (sqlite3.Error, StateError, ValueError, TypeError):
                lost.append(name)
                continue
            if count:
                saved.append(f"{count:,} {name}")
    finally:
        source.close()
    return saved, lost


def _marked_ids(source: sqlite3.Connection) -> list[str]:
    rows = source.execute(
        "SELECT paper_id FROM stars UNION SELECT paper_id FROM notes UNION SELECT paper_id FROM tags"
    )
    return [row[0] for row in rows]


def _papers(source: sqlite3.Connection, library: Library, damaged: Path) -> int:
    """The papers of stars, notes and tags that the restored library lacks."""
    wanted = [paper_id for paper_id in _marked_ids(source) if library.paper(paper_id) is None]
    reader = Library(damaged, read_only=True)
    try:
        papers = list(reader.papers(wanted).values()) if wanted else []
    finally:
        reader.close()
    if papers:
        library.store_papers(papers)
    return len(papers)


def _stars(source: sqlite3.Connection, library: Library) -> int:
    rows = source.execute("SELECT paper_id, starred_at FROM stars").fetchall()
    held = {paper_id for paper_id, _ in library.marks.stars()}
    new = [(paper_id, at) for paper_id, at in rows if paper_id not in held and library.paper(paper_id)]
    for paper_id, at in new:
        library.marks.star_ids([paper_id], at)
    return len(new)


def _notes(source: sqlite3.Connection, library: Library) -> int:
    held = {paper_id: updated for paper_id, _, updated in library.marks.noted()}
    count = 0
    for paper_id, note, updated in source.execute("SELECT paper_id, note, updated_at FROM notes"):
        if paper_id not in held or updated > held[paper_id]:
            library.marks.set_note(paper_id, note, updated)
            count += 1
    return count


def _tags(source: sqlite3.Connection, library: Library) -> int:
    count = 0
    held = library.marks.of(row[0] for row in source.execute("SELECT DISTINCT paper_id FROM tags"))
    for paper_id, tag, at in source.execute("SELECT paper_id, tag, tagged_at FROM tags"):
        if tag not in held.get(paper_id, _NONE).tags:
            library.marks.add_tag([paper_id], tag, at)
            count += 1
    return count


def _saved_searches(source: sqlite3.Connection, library: Library) -> int:
    if not source.execute("SELECT 1 FROM sqlite_master WHERE name = 'saved_searches'").fetchone():
        return 0  # a library from before saved searches
    held = dict(library.saved.all())
    rows = source.execute("SELECT name, query, saved_at FROM saved_searches").fetchall()
    new = [(name, query, at) for name, query, at in rows if name not in held]
    from arxiv_tui.core.matching.query import QueryError  # (a start opens the library without it)

    count = 0
    for name, query, at in new:
        with contextlib.suppress(QueryError, ValueError):  # a query this version cannot run
            library.saved.save(name, query, at)
            count += 1
    return count


def _inbox(source: sqlite3.Connection, library: Library) -> int:
    """The Inbox's entries the restored library lacks (its undecided papers, what was mailed)."""
    if not source.execute("SELECT 1 FROM sqlite_master WHERE name = 'inbox'").fetchone():
        return 0  # a library from before the Inbox
    columns = "paper_id, entered_at, day, reasons, version, mailed_at"
    rows = source.execute(f"SELECT {columns} FROM inbox").fetchall()
    with library.db.transaction() as connection:
        before = connection.total_changes
        connection.executemany(f"INSERT OR IGNORE INTO inbox ({columns}) VALUES (?, ?, ?, ?, ?, ?)", rows)
        return connection.total_changes - before


def _reads(source: sqlite3.Connection, library: Library) -> int:
    rows = source.execute("SELECT paper_id, read_at FROM reads").fetchall()
    held = {paper_id for paper_id, _ in library.marks.all_reads()}
    new = [paper_id for paper_id, _ in rows if paper_id not in held]
    library.marks.set_read(new)
    return len(new)


def _listings(damaged: Path, library: Library) -> int:
    """Listings the restored library lacks, read one by one from the damaged file."""
    held = set(library.listing_dates())
    reader = Library(damaged, read_only=True)
    count = 0
    try:
        for day in reader.listing_dates():
            if day in held:
                continue
            try:
                listing = reader.listing(day)
            except StateError:
                continue
            if listing is not None and library.store_listing(listing):
                count += 1
    finally:
        reader.close()
    return count


class _NoMarks:
    tags: tuple[str, ...] = ()


_NONE = _NoMarks()


__all__ = ["explain", "salvage"]
