"""Everything the user made, as one plain JSON file: for backups, and for people who keep their
files in sync between machines (`arxiv-tui library export FILE` / `import FILE`).

The file holds stars with their time, notes, tags, read marks, the decisions ranking learns
from (keep, skip...: marks.py), the questions asked of the assistant with its answers, and the
metadata of every paper that has any of them, so a new machine can show them offline.
Imported decisions are learned like the ones made there; a file without them (an older export)
gives its new stars as keeps and its new read marks without a star as skips. Import merges, in
one transaction, and never replaces silently: a star or tag already there is kept; a note that
differs from the one here keeps both texts; every change is counted in the summary.

An import file comes from outside: every id, time, note and tag is checked and cleaned.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from arxiv_tui.core.base.errors import StateError
from arxiv_tui.core.base.storage import atomic_write
from arxiv_tui.core.base.text import counted, json_value, safe_message
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.marks import (
    DECISIONS,
    KEEP,
    SKIP,
    clean_note,
    clean_tag,
    insert_reads,
    insert_stars,
    log_decisions,
    now,
    put_note,
    put_tags,
    put_turns,
)
from arxiv_tui.core.library.saved import NAME_LIMIT, QUERY_LIMIT, checked, clean_name, put_search
from arxiv_tui.core.matching.query import QueryError
from arxiv_tui.core.models import Paper, is_arxiv_id, kind_of

FORMAT = "arxiv-tui library"
VERSION = 1
MAX_BYTES = 500_000_000
MAX_ENTRIES = 2_000_000
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.+\-Z]{0,30}")


@dataclass
class Summary:
    stars: int = 0
    new_stars: int = 0
    notes: int = 0
    new_notes: int = 0
    combined_notes: int = 0
    tags: int = 0
    reads: int = 0
    new_reads: int = 0
    papers: int = 0
    searches: int = 0  # saved searches
    new_searches: int = 0
    decisions: int = 0  # what ranking learns from
    new_decisions: int = 0
    conversations: int = 0  # papers with questions asked of the assistant
    new_conversations: int = 0
    skipped: list[str] = field(default_factory=list)  # what an import could not read, by where

    def exported(self, path: Path) -> str:
        saved = counted(self.searches, "saved search", "saved searches")
        talks = (
            f", {counted(self.conversations, 'conversation')} with your model" if self.conversations else ""
        )
        return (
            f"Exported to {path}: {counted(self.stars, 'star')}, {counted(self.notes, 'note')}, "
            f"{counted(self.tags, 'tag')}, {counted(self.reads, 'read mark')}, {saved}{talks} and "
            f"{counted(self.papers, 'paper')}."
        )

    def imported(self, path: Path) -> str:
        text = (
            f"Imported from {path}: {counted(self.stars, 'star')} ({self.new_stars:,} new), "
            f"{counted(self.notes, 'note')} ({self.new_notes:,} new"
        )
        if self.combined_notes:
            text += f", {self.combined_notes:,} different from yours: both texts kept"
        saved = counted(self.searches, "saved search", "saved searches")
        text += (
            f"), {counted(self.tags, 'tag')}, {counted(self.reads, 'read mark')} ({self.new_reads:,} "
            f"new), {saved} ({self.new_searches:,} new), {counted(self.new_decisions, 'decision')} "
            "for ranking to learn"
        )
        if self.conversations:
            text += f", {counted(self.new_conversations, 'new conversation')} with your model"
        text += "."
        if self.skipped:
            more = f"; and {len(self.skipped) - 3:,} more" if len(self.skipped) > 3 else ""
            text += f" Left out, as it could not be read: {'; '.join(self.skipped[:3])}{more}."
        return text


def export_library(library: Library, path: Path) -> Summary:
    marks = library.marks
    stars = marks.stars()
    notes = marks.noted()
    tags = library.db.read("SELECT paper_id, tag, tagged_at FROM tags ORDER BY tagged_at")
    reads = marks.all_reads()
    searches = library.saved.all()
    alerting = {name for name, _ in library.saved.alerts()}
    chats = library.db.read(
        "SELECT paper_id, role, content, version, model, made_at FROM assistant_chats ORDER BY paper_id, turn"
    )
    wanted = {paper_id for paper_id, _ in stars} | {row[0] for row in notes} | {row[0] for row in tags}
    wanted |= {row[0] for row in chats}
    papers = library.papers(sorted(wanted))
    decided = library.db.read("SELECT paper_id, kind, made_at FROM decisions ORDER BY seq")
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now(),
        "stars": [{"id": paper_id, "starred_at": at} for paper_id, at in stars],
        "notes": [{"id": paper_id, "note": note, "updated_at": at} for paper_id, note, at in notes],
        "tags": [{"id": paper_id, "tag": tag, "tagged_at": at} for paper_id, tag, at in tags],
        "read": [{"id": paper_id, "read_at": at} for paper_id, at in reads],
        "decisions": [{"id": paper_id, "kind": kind, "made_at": at} for paper_id, kind, at in decided],
        "saved_searches": [
            {"name": name, "query": query, "alert": name in alerting} for name, query in searches
        ],
        "conversations": [
            {
                "id": paper_id,
                "role": role,
                "content": content,
                "version": version,
                "model": model,
                "made_at": at,
            }
            for paper_id, role, content, version, model, at in chats
        ],
        "papers": {paper_id: _paper_dict(paper) for paper_id, paper in papers.items()},
    }
    atomic_write(path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    return Summary(
        stars=len(stars), notes=len(notes), tags=len(tags), reads=len(reads), papers=len(papers),
        searches=len(searches), conversations=len({row[0] for row in chats}),
    )  # fmt: skip


def _paper_dict(paper: Paper) -> dict[str, Any]:
    data = paper.to_dict()
    del data["id"], data["listing_date"], data["announce_type"]
    return data


# --- import ------------------------------------------------------------------------------------------


def _problem(path: Path, what: str) -> StateError:
    return StateError(f"{path}: {what}; nothing was imported")


def _entries(document: dict[str, Any], key: str, path: Path) -> list[tuple[str, dict[str, Any]]]:
    """(where, entry) for each table of the list `key`: where names it in a message."""
    entries = document.get(key, [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise _problem(path, f"'{key}' must be a list of tables")
    if len(entries) > MAX_ENTRIES:
        raise _problem(path, f"'{key}' has more than {counted(MAX_ENTRIES, 'entry', 'entries')}")
    return [(f"{key}[{number}]", entry) for number, entry in enumerate(entries)]


class Reading:
    """The entries of an import file, read one by one: a value of the wrong type, an id that is no
    arXiv id, a time that is no time is named in `skipped` (the entry left out, or its time taken
    as now), never stored as Python's text for it."""

    def __init__(self) -> None:
        self.skipped: list[str] = []

    def id(self, entry: dict[str, Any], where: str) -> str | None:
        value = entry.get("id")
        if is_arxiv_id(value):
            return value
        self.skipped.append(f"{where}.id is not an arXiv id ({safe_message(value, 40)!r})")
        return None

    def text(self, entry: dict[str, Any], key: str, where: str) -> str | None:
        value = entry.get(key, "")
        if isinstance(value, str):
            return value
        self.skipped.append(f"{where}.{key} must be text, not {kind_of(value)}")
        return None

    def time(self, entry: dict[str, Any], key: str, where: str) -> str:
        """The time of a mark as the file says it; now when it gives none, or no time."""
        value = entry.get(key)
        if isinstance(value, str) and _TIME.fullmatch(value):
            try:
                dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
                return value
            except ValueError:
                pass
        if value is not None:
            self.skipped.append(f"{where}.{key} is not a time ({safe_message(value, 40)!r}): now instead")
        return now()


def _read_document(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise _problem(path, "larger than any export of a library")
        document = json_value(path.read_bytes())
    except OSError as error:
        raise StateError(f"{path}: cannot be read ({error.strerror})") from error
    except ValueError as error:
        raise _problem(path, f"not valid JSON ({safe_message(error, 120)})") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _problem(path, "not an arxiv-tui library export")
    if document.get("version") != VERSION:
        raise _problem(
            path, f"written by another arxiv-tui (export version {safe_message(document.get('version'))})"
        )
    return document


def _papers(document: dict[str, Any], path: Path, reading: Reading) -> list[Paper]:
    found = document.get("papers", {})
    if not isinstance(found, dict):
        raise _problem(path, "'papers' must be a table")
    papers = []
    for paper_id, data in found.items():
        where = f"papers[{safe_message(paper_id, 40)!r}]"
        if not isinstance(data, dict):
            reading.skipped.append(f"{where} must be a table, not {kind_of(data)}")
            continue
        try:
            papers.append(Paper.from_dict({**data, "id": paper_id, "listing_date": ""}))
        except ValueError as error:
            reading.skipped.append(f"{where}: {error}")
    return papers


def import_library(library: Library, path: Path) -> Summary:
    """Merge an export into `library`; StateError naming the file when it is not one."""
    document = _read_document(path)
    reading = Reading()
    papers = _papers(document, path, reading)
    text, time = reading.text, reading.time
    stars = [
        (pid, time(e, "starred_at", at))
        for at, e in _entries(document, "stars", path)
        if (pid := reading.id(e, at))
    ]
    notes = [
        (pid, clean_note(note), time(e, "updated_at", at))
        for at, e in _entries(document, "notes", path)
        if (pid := reading.id(e, at)) and (note := text(e, "note", at)) is not None
    ]
    tags = [
        (pid, tag, time(e, "tagged_at", at))
        for at, e in _entries(document, "tags", path)
        if (pid := reading.id(e, at)) and (tag := clean_tag(text(e, "tag", at) or ""))
    ]
    reads = [
        (pid, time(e, "read_at", at))
        for at, e in _entries(document, "read", path)
        if (pid := reading.id(e, at))
    ]
    searches = [
        (name[: NAME_LIMIT * 4], query[: QUERY_LIMIT * 4], e.get("alert") is True)
        for at, e in _entries(document, "saved_searches", path)
        if (name := text(e, "name", at)) is not None and (query := text(e, "query", at)) is not None
    ]
    decisions = [
        (pid, kind, time(e, "made_at", at))
        for at, e in _entries(document, "decisions", path)
        if (pid := reading.id(e, at)) and (kind := text(e, "kind", at)) in DECISIONS
    ]
    turns = [
        (pid, role, content[:200_000], version, model[:200], time(e, "made_at", at))
        for at, e in _entries(document, "conversations", path)
        if (pid := reading.id(e, at))
        and (role := text(e, "role", at)) in ("user", "assistant")
        and (content := text(e, "content", at))
        and isinstance(version := e.get("version"), int) and 0 <= version < 1000
        and (model := text(e, "model", at)) is not None
    ]  # fmt: skip
    summary = Summary(
        stars=len(stars), notes=len(notes), tags=len(tags), reads=len(reads), papers=len(papers),
        searches=len(searches), skipped=reading.skipped, decisions=len(decisions),
        conversations=len({row[0] for row in turns}),
    )  # fmt: skip
    known = {paper.id for paper in papers}
    with library.db.transaction("import into") as connection:
        held = _ids_in(connection, sorted(known))
        library.store_papers_in(connection, [paper for paper in papers if paper.id not in held])
        in_library = (
            known | held | _ids_in(connection, [pid for pid, _ in stars] + [row[0] for row in notes + tags])
        )
        starred_before = _held(connection, "stars", [pid for pid, _ in stars])
        read_before = _held(connection, "reads", [pid for pid, _ in reads])
        before = connection.execute("SELECT count(*) FROM stars").fetchone()[0]
        insert_stars(connection, [row for row in stars if row[0] in in_library])
        summary.new_stars = connection.execute("SELECT count(*) FROM stars").fetchone()[0] - before
        for paper_id, note, at in notes:
            if not note or paper_id not in in_library:
                continue
            mine = connection.execute("SELECT note FROM notes WHERE paper_id = ?", (paper_id,)).fetchone()
            if mine is None:
                put_note(connection, paper_id, note, at)
                summary.new_notes += 1
            elif note not in mine[0]:
                put_note(connection, paper_id, f"{mine[0]}\n(imported from {path.name}) {note}", now())
                summary.combined_notes += 1
        put_tags(connection, [row for row in tags if row[0] in in_library])
        before = connection.execute("SELECT count(*) FROM reads").fetchone()[0]
        insert_reads(connection, reads)
        summary.new_reads = connection.execute("SELECT count(*) FROM reads").fetchone()[0] - before
        summary.new_searches = _merge_searches(connection, searches)
        if "decisions" not in document:  # an older export: its new marks say what was decided
            decisions = _decided_by_marks(connection, stars, reads, starred_before, read_before)
        summary.new_decisions = _merge_decisions(connection, decisions)
        summary.new_conversations = _merge_conversations(connection, turns)
    return summary


def _merge_conversations(connection: sqlite3.Connection, turns: list[tuple]) -> int:
    """A paper's questions and answers, for each paper that has none here (one that has its own
    keeps them: two conversations are not interleaved); how many papers gained one."""
    by_paper: dict[str, list[tuple]] = {}
    for paper_id, *turn in turns:
        by_paper.setdefault(paper_id, []).append(tuple(turn))
    held = _held(connection, "assistant_chats", list(by_paper))
    for paper_id, rows in by_paper.items():
        if paper_id not in held:
            put_turns(connection, paper_id, rows)
    return len(set(by_paper) - held)


def _held(connection: Any, table: str, paper_ids: list[str], column: str = "paper_id") -> set[str]:
    """Which of `paper_ids` have a row in `table` (stars, reads; papers by `id`)."""
    found: set[str] = set()
    unique = list(dict.fromkeys(paper_ids))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        query = f"SELECT {column} FROM {table} WHERE {column} IN ({','.join('?' * len(chunk))})"
        found.update(row[0] for row in connection.execute(query, chunk))
    return found


def _decided_by_marks(
    connection: sqlite3.Connection,
    stars: list[tuple[str, str]],
    reads: list[tuple[str, str]],
    starred_before: set[str],
    read_before: set[str],
) -> list[tuple[str, str, str]]:
    """The decisions an export without them implies: a star new here is a keep; a read mark new
    here, on a paper not starred, a skip."""
    starred_now = _held(connection, "stars", [paper_id for paper_id, _ in stars + reads])
    keeps = [(pid, KEEP, at) for pid, at in stars if pid in starred_now and pid not in starred_before]
    skips = [(pid, SKIP, at) for pid, at in reads if pid not in read_before and pid not in starred_now]
    return keeps + skips


def _merge_decisions(connection: sqlite3.Connection, decisions: list[tuple[str, str, str]]) -> int:
    """Decisions not held yet (the same paper, kind and time), logged in the file's order."""
    held = set(connection.execute("SELECT paper_id, kind, made_at FROM decisions").fetchall())
    fresh = [row for row in dict.fromkeys(decisions) if row not in held]
    for paper_id, kind, at in fresh:
        log_decisions(connection, [paper_id], kind, at)
    return len(fresh)


def _merge_searches(connection: sqlite3.Connection, searches: list[tuple[str, str, bool]]) -> int:
    """Saved searches not held yet; one whose name is taken by another query comes in renamed."""
    held = dict(connection.execute("SELECT name, query FROM saved_searches").fetchall())
    added = 0
    for name, query, alert in searches:
        try:
            name, query = checked(name, query)
        except (QueryError, ValueError):
            continue  # no name, or a query this version cannot run: left out
        if query in held.values():
            continue
        if name in held:
            name = clean_name(f"{name} (imported)")
        put_search(connection, name, query, now(), alert)
        held[name] = query
        added += 1
    return added


def _ids_in(connection: Any, paper_ids: list[str]) -> set[str]:
    return _held(connection, "papers", paper_ids, column="id")
