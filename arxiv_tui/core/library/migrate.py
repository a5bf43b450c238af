"""The files of earlier versions moved into the library: state.json (or the older state.toml) and
archive/*.json, in one transaction.

Only after the transaction commits are the files renamed (state.json.migrated,
archive.migrated/), never deleted. A migration killed before its commit leaves the library as
it was and the files in place, so the next start does it again; killed after the commit and
before the renames, the next start imports again, which changes nothing (every step merges:
a star already there keeps its time, a note already there is kept) and then renames. Files an
older version writes after a downgrade are merged the same way.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from arxiv_tui.core.base.clock import now
from arxiv_tui.core.base.errors import ArxivTuiError
from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.base.schedule import date_problem
from arxiv_tui.core.base.text import counted, json_value, safe_message
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.marks import insert_reads, insert_stars, put_note
from arxiv_tui.core.models import Listing, Paper, is_arxiv_id, kind_of

LEGACY_STATE = "state.toml"


@dataclass
class Imported:
    stars: int = 0
    notes: int = 0
    reads: int = 0
    listings: int = 0
    papers: int = 0
    kept_as: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def message(self) -> str:
        found = (
            f"{counted(self.stars, 'star')} ({self.notes:,} with notes), {counted(self.reads, 'read mark')}, "
            f"{self.listings:,} archived listings ({counted(self.papers, 'paper')})"
        )
        text = f"Moved the files of the earlier version into the library: {found}"
        if self.kept_as:
            text += f"; the old files were kept as {', '.join(self.kept_as)}"
        return text + "."


def pending(paths: Paths) -> bool:
    """Whether there are files of an earlier version to move in."""
    state = paths.state_file
    return state.exists() or state.with_name(LEGACY_STATE).exists() or _archive_files(paths.archive_dir) != []


def _archive_files(folder: Path) -> list[Path]:
    try:
        return sorted(path for path in folder.glob("????-??-??.json") if path.is_file())
    except OSError:
        return []


def _read_state(path: Path, problems: list[str]) -> dict[str, Any]:
    """The old state file's content; a file that cannot be read is reported and left alone."""
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8")) if path.suffix == ".toml" else json_value(raw)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, UnicodeDecodeError, RecursionError) as error:
        problems.append(f"{path} could not be read ({safe_message(error, 200)}); it was left as it is")
        return {}
    if not isinstance(data, dict):
        problems.append(f"{path} does not hold a state table; it was left as it is")
        return {}
    return data


def _stars(data: dict[str, Any], problems: list[str]) -> list[tuple[Paper, str, str]]:
    """(paper, starred at, note) for each readable star of an old state file; what cannot be read
    is named in `problems` (never kept as Python's text for it: a null note is no note "None")."""
    starred = data.get("starred", {})
    found = []
    for paper_id, entry in starred.items() if isinstance(starred, dict) else ():
        where = f"starred paper {safe_message(paper_id, 40)}"
        if not isinstance(entry, dict) or not isinstance(entry.get("paper"), dict):
            problems.append(f"{where} could not be read (not a table); skipped")
            continue
        try:
            paper = Paper.from_dict({**entry["paper"], "id": paper_id})
        except ValueError as error:
            problems.append(f"{where} could not be read ({error}); skipped")
            continue
        at, note = entry.get("starred_at"), entry.get("note", "")
        if not isinstance(note, str):
            problems.append(f"{where}: its note is {kind_of(note)}, not text; the star is kept without it")
            note = ""
        found.append((paper, at[:40] if isinstance(at, str) and at else now(), note))
    return found


def _listing(path: Path, problems: list[str]) -> Listing | None:
    try:
        data = json_value(path.read_bytes())
        return Listing(
            date=dt.date.fromisoformat(data["date"]),
            papers=tuple(Paper.from_dict(item) for item in data["papers"] if isinstance(item, dict)),
            source=str(data.get("source", "")),
            fetched_at=str(data.get("fetched_at", "")),
            complete=bool(data.get("complete", True)),
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        problems.append(f"{path} could not be read ({safe_message(error, 200)}); skipped")
        return None


def migrate(
    paths: Paths, library: Library, progress: Callable[[int, int], None] = lambda done, total: None
) -> Imported | None:
    """Move an earlier version's files into `library`; None when there were none."""
    if not pending(paths):
        return None
    report = Imported()
    state_path = paths.state_file if paths.state_file.exists() else paths.state_file.with_name(LEGACY_STATE)
    state = _read_state(state_path, report.problems)
    stars = _stars(state, report.problems)
    listed = state.get("read", [])
    reads = [item for item in listed if is_arxiv_id(item)] if isinstance(listed, list) else []
    files = _archive_files(paths.archive_dir)
    when = now()
    with library.db.transaction("move the old files into") as connection:
        for done, path in enumerate(files, 1):
            listing = _listing(path, report.problems)
            if listing is not None and library.store_listing_in(connection, listing):
                report.listings += 1
                report.papers += len(listing.papers)
            progress(done, len(files))
        library.store_papers_in(connection, [paper for paper, _, _ in stars])
        insert_stars(connection, [(paper.id, at) for paper, at, _ in stars])
        for paper, at, note in stars:
            held = connection.execute("SELECT 1 FROM notes WHERE paper_id = ?", (paper.id,)).fetchone()
            if note.strip() and held is None:
                put_note(connection, paper.id, note, at)
        insert_reads(connection, [(paper_id, when) for paper_id in reads])
        if not _remember_last_seen(connection, state.get("last_seen_listing")):
            report.problems.append(
                f"{state_path}: the last listing seen, {safe_message(state.get('last_seen_listing'), 40)!r}, "
                "cannot be right; it was not carried over"
            )
        connection.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('migrated_from_files', ?)", (when,)
        )
    report.stars = len(stars)
    report.notes = sum(1 for _, _, note in stars if note.strip())
    report.reads = len(reads)
    for old in (paths.state_file, paths.state_file.with_name(LEGACY_STATE), paths.archive_dir):
        kept = _retire(old)
        if kept:
            report.kept_as.append(kept)
    return report


def bring_in(paths: Paths, library: Library, progress: Callable[[int, int], None] | None) -> None:
    """`migrate` as a start runs it: what it did kept in `library.notices`; on failure the
    library is closed and the error raised."""
    try:
        report = migrate(paths, library, progress or (lambda done, total: None))
    except ArxivTuiError:
        library.close()
        raise
    if report is not None:
        library.notices += [report.message(), *report.problems]


def _remember_last_seen(connection: Any, value: object) -> bool:
    """Carry the old file's last listing seen over; False when it holds one that cannot be right."""
    if not value:
        return True
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return False
    if date_problem(day):
        return False
    row = connection.execute("SELECT value FROM meta WHERE key = 'last_seen'").fetchone()
    if row is None or row[0] < day.isoformat():
        connection.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('last_seen', ?)", (day.isoformat(),)
        )
    return True


def _retire(path: Path) -> str:
    """Rename an old file or folder to NAME.migrated (NAME.migrated-2... if that is taken)."""
    if not path.exists():
        return ""
    target = path.with_name(path.name + ".migrated")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}.migrated-{number}")
    try:
        os.rename(path, target)
    except OSError:
        return ""
    return target.name
