"""Damage anywhere, at any time, and files that are not what they should be: the library recovers
what it can, says what it did, and never trusts or overwrites what it did not make."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import time
from pathlib import Path

import pytest

from arxiv_tui.core.base.errors import StateError
from arxiv_tui.core.library.db import LibraryRecovered, marker_for
from arxiv_tui.core.library.inbox import Entry
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.library.recovery import move_aside
from arxiv_tui.core.library.upkeep import check_and_back_up
from arxiv_tui.core.library.writer import MarkWriter
from tests.core.test_library import MON, real_listing

PAGE = 4096


def made(folder: Path) -> tuple[Path, Path, list[str]]:
    """A library with a listing and two stars, backed up after the first star: (library, backup,
    the two starred ids)."""
    path, backup = folder / "library.sqlite3", folder / "library-backup.sqlite3"
    library = open_library(path, backup)
    listing = real_listing()
    library.store_listing(listing)
    first, second = listing.papers[0], listing.papers[1]
    library.star([first])
    assert check_and_back_up(library, backup, dt.date(2026, 12, 1)) == []
    library.star([second])  # after the backup: only the damaged file holds it
    library.inbox.add([Entry(listing.papers[2].id, listing.date, ("keyword:qubit",))])  # and this
    library.db.read("PRAGMA wal_checkpoint(TRUNCATE)")
    library.close()
    return path, backup, [first.id, second.id]


def root_page(path: Path, table: str) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]


def damage_page(path: Path, page: int) -> None:
    """Garbage over one page of the file, as a failing disk sector would leave it."""
    data = bytearray(path.read_bytes())
    data[(page - 1) * PAGE : page * PAGE] = b"\xba\xad" * (PAGE // 2)
    path.write_bytes(bytes(data))


def stars_of(library: Library) -> set[str]:
    return {paper_id for paper_id, _ in library.marks.stars()}


def test_damage_found_on_a_read_mid_session_is_recovered_in_place(tmp_path):
    path, backup, starred = made(tmp_path)
    library = open_library(path, backup)
    told: list[str] = []
    library.on_notice = told.append
    library.db.drop_connections()  # nothing of the file is cached: the next read meets the disk
    damage_page(path, root_page(path, "announcements"))
    listing = library.listing(MON)  # the read that meets the damage: recovered, then read again
    assert listing is not None and len(listing.papers) == 81
    assert told and "was damaged" in told[0] and "backup of" in told[0]
    assert library.notices[-1] == told[0]
    assert stars_of(library) == set(starred)  # the star made after the backup was merged back
    assert [entry.paper_id for _, entry in library.inbox.undecided()] == [real_listing().papers[2].id]
    assert any(p.name.startswith("library.sqlite3.damaged-") for p in tmp_path.iterdir())
    assert not marker_for(path).exists()
    library.close()


def test_damage_found_by_a_write_mid_session_is_recovered_and_the_write_made(tmp_path):
    path, backup, _ = made(tmp_path)
    library = open_library(path, backup)
    told: list[str] = []
    library.on_notice = told.append
    errors: list[StateError] = []
    writer = MarkWriter(library, errors.append)
    library.db.drop_connections()
    damage_page(path, root_page(path, "reads"))
    paper = real_listing().papers[5]
    writer.put(lambda lib: lib.marks.set_read([paper.id]))
    assert writer.wait_idle(30)
    writer.close()
    assert told and "was damaged" in told[0]
    assert errors == []  # written on the recovered library: nothing the user must do
    assert paper.id in library.marks.of([paper.id]) and library.marks.of([paper.id])[paper.id].read
    library.close()


def test_a_table_root_damaged_is_found_by_the_first_read_of_it_and_nothing_raw_escapes(tmp_path):
    path, backup, starred = made(tmp_path)
    damage_page(path, root_page(path, "stars"))
    library = open_library(path, backup)  # the open itself reads other tables
    try:
        found = stars_of(library)  # no sqlite3.DatabaseError: the same recovery, then the stars
    except LibraryRecovered:
        pytest.fail("a read is read again after a recovery")
    assert starred[0] in found
    assert "was damaged" in " ".join(library.notices)
    library.close()


def test_two_damage_events_in_one_second_keep_both_damaged_copies(tmp_path):
    path = tmp_path / "library.sqlite3"
    path.write_bytes(b"first damaged copy")
    first = move_aside(path)
    path.write_bytes(b"second damaged copy")
    second = move_aside(path)
    assert first != second
    assert first.read_bytes() == b"first damaged copy" and second.read_bytes() == b"second damaged copy"


@pytest.mark.parametrize("folder", ["a%20b", "what?", "#hash", "with spaces", "100%"])
def test_a_folder_name_sqlite_would_misread_in_a_uri_keeps_the_backup_usable(tmp_path, folder):
    home = tmp_path / folder
    home.mkdir()
    path, backup, starred = made(home)
    path.write_bytes(b"not a database at all" * 300)
    library = open_library(path, backup)
    assert "backup of" in " ".join(library.notices)  # the backup was read as sound
    assert starred[0] in stars_of(library)
    library.close()


def test_a_library_that_is_a_link_stays_a_link_and_its_file_is_recovered(tmp_path):
    real_home = tmp_path / "synced"
    real_home.mkdir()
    real, backup, starred = made(real_home)
    link = tmp_path / "library.sqlite3"
    link.symlink_to(real)
    real.write_bytes(b"not a database at all" * 300)
    library = open_library(link, backup)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert starred[0] in stars_of(library)
    assert any(p.name.startswith("library.sqlite3.damaged-") for p in real_home.iterdir())
    library.close()


def test_a_library_from_a_newer_version_in_rollback_mode_is_left_byte_for_byte(tmp_path):
    path = tmp_path / "library.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.execute("CREATE TABLE future (x)")
        connection.execute("PRAGMA user_version = 99")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(StateError, match="newer arxiv-tui"):
        open_library(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library.sqlite3"]  # no -wal, no -shm


def test_a_folder_or_a_pipe_where_the_library_should_be_is_named_as_such(tmp_path):
    folder = tmp_path / "library.sqlite3"
    folder.mkdir()
    with pytest.raises(StateError, match="is a folder"):
        open_library(folder)
    pipe = tmp_path / "pipe.sqlite3"
    os.mkfifo(pipe)
    started = time.monotonic()
    with pytest.raises(StateError, match="named pipe"):
        open_library(pipe)
    assert time.monotonic() - started < 5  # refused, not waited on


def test_a_missing_table_is_made_again_and_said_and_a_missing_index_rebuilt(tmp_path):
    path, _, starred = made(tmp_path)
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE tags")
        connection.execute("DROP TABLE search")
    library = open_library(path)
    said = " ".join(library.notices)
    assert "'tags' was missing" in said and "search index was missing" in said
    library.marks.add_tag([starred[0]], "rebuilt")
    assert library.marks.tagged("rebuilt") == [starred[0]]
    assert library.search(real_listing().papers[0].title).papers  # the index was rebuilt
    library.close()


def test_an_sqlite_file_that_is_not_a_library_is_refused_and_left_as_it_is(tmp_path):
    path = tmp_path / "library.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (amount)")
        connection.execute("INSERT INTO invoices VALUES (12)")
    before = path.read_bytes()
    with pytest.raises(StateError, match="not an arxiv-tui library"):
        open_library(path)
    assert path.read_bytes() == before


def test_a_trigger_or_a_view_we_did_not_make_is_removed_before_it_can_run(tmp_path):
    path, _, starred = made(tmp_path)
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TRIGGER forget AFTER INSERT ON reads BEGIN DELETE FROM stars; END")
        connection.execute("DROP TABLE notes")
        connection.execute("CREATE VIEW notes AS SELECT paper_id, 'x' AS note, '' AS updated_at FROM stars")
    library = open_library(path)
    said = " ".join(library.notices)
    assert "removed a trigger" in said and "removed a view" in said and "'notes' was missing" in said
    library.marks.set_read([starred[0]])  # the trigger would have deleted every star
    assert stars_of(library) == set(starred)
    library.marks.set_note(starred[0], "mine")
    assert library.marks.noted()[0][:2] == (starred[0], "mine")
    with sqlite3.connect(path) as connection:
        kinds = {row[0] for row in connection.execute("SELECT type FROM sqlite_master")}
        assert "trigger" not in kinds and "view" not in kinds
    library.close()


def test_library_export_gets_out_what_can_be_read_of_a_damaged_library(tmp_path, capsys):
    from arxiv_tui.cli.main import main

    path, _, starred = made(tmp_path)
    damage_page(path, root_page(path, "reads"))  # export reads it after the stars
    out = tmp_path / "export.json"
    assert main(["--home", str(tmp_path), "library", "export", str(out)]) == 0
    document = json.loads(out.read_text())
    assert {star["id"] for star in document["stars"]} == set(starred)
    assert "was damaged" in capsys.readouterr().err
