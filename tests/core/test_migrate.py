"""A home made by the released version opens in this one with everything intact, and a
migration killed half way is redone cleanly."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.migrate import migrate, pending
from arxiv_tui.core.library.opening import open_library
from tests.conftest import FIXTURES

RELEASED_HOME = FIXTURES / "home-0.1.0"
ROOT = Path(__file__).resolve().parents[2]


def released_home(tmp_path: Path) -> Paths:
    home = tmp_path / "home"
    shutil.copytree(RELEASED_HOME, home)
    return Paths.under(home)


def expected() -> dict:
    """What the released files hold, read straight from their JSON."""
    state = json.loads((RELEASED_HOME / "state.json").read_text())
    listings = {
        path.stem: json.loads(path.read_text()) for path in sorted((RELEASED_HOME / "archive").glob("*.json"))
    }
    return {"state": state, "listings": listings}


def assert_everything_is_in(library: Library) -> None:
    facts = expected()
    state = facts["state"]
    starred = {paper.id: (paper, at) for paper, at in library.starred()}
    assert set(starred) == set(state["starred"])
    for paper_id, entry in state["starred"].items():
        paper, at = starred[paper_id]
        assert at == entry["starred_at"] and paper.title == entry["paper"]["title"]
        assert library.marks.of([paper_id])[paper_id].note == entry.get("note", "")
    assert {paper_id for paper_id, _ in library.marks.all_reads()} == set(state["read"])
    assert library.last_seen == dt.date.fromisoformat(state["last_seen_listing"])
    for day, data in facts["listings"].items():
        listing = library.listing(dt.date.fromisoformat(day))
        assert listing is not None and [paper.to_dict() for paper in listing.papers] == data["papers"]


def test_a_home_made_by_the_release_opens_with_everything_intact(tmp_path):
    paths = released_home(tmp_path)
    assert pending(paths)
    library = open_library(paths.library_file, paths.backup_file)
    report = migrate(paths, library)
    assert report is not None and report.problems == []
    assert report.stars == 4 and report.notes == 2 and report.reads == 32 and report.listings == 2
    assert "4 stars (2 with notes), 32 read marks, 2 archived listings (167 papers)" in report.message()
    assert_everything_is_in(library)
    # The notes' text is searchable, as the notes always were.
    assert [paper.id for paper in library.search("note:2024").papers] == ["2504.17907"]
    assert [paper.id for paper in library.search("note:search").papers] == ["astro-ph/0601001"]
    # The old files are kept, renamed; nothing is deleted.
    names = sorted(path.name for path in paths.data_dir.iterdir())
    assert "state.json.migrated" in names and "archive.migrated" in names and "state.json" not in names
    assert len(list((paths.data_dir / "archive.migrated").glob("*.json"))) == 2
    assert not pending(paths) and migrate(paths, library) is None
    library.close()


def test_files_an_older_version_writes_again_are_merged_not_lost(tmp_path):
    paths = released_home(tmp_path)
    library = open_library(paths.library_file)
    migrate(paths, library)
    library.marks.set_note("2504.17830", "a note made in the new version")
    # The user ran the old version once more: it wrote a new state.json with one more star.
    state = json.loads((paths.data_dir / "state.json.migrated").read_text())
    extra = dict(next(iter(state["starred"].values())))
    state["starred"]["2504.18045"] = {**extra, "paper": {**extra["paper"], "title": "Another"}}
    (paths.data_dir / "state.json").write_text(json.dumps(state))
    report = migrate(paths, library)
    assert report is not None and "state.json.migrated-2" in report.kept_as
    assert "2504.18045" in {paper.id for paper, _ in library.starred()}
    assert library.marks.of(["2504.17830"])["2504.17830"].note == "a note made in the new version"
    library.close()


def test_an_unreadable_old_state_file_is_reported_and_left_alone(tmp_path):
    paths = released_home(tmp_path)
    paths.state_file.write_text("{ not json")
    library = open_library(paths.library_file)
    report = migrate(paths, library)
    assert report is not None and any("could not be read" in problem for problem in report.problems)
    assert report.listings == 2  # the archive still came in
    assert (paths.data_dir / "state.json.migrated").read_text() == "{ not json"  # kept, unchanged
    library.close()


MIGRATOR = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from arxiv_tui.core.library.library import Library
    from arxiv_tui.core.library.opening import open_library
    from arxiv_tui.core.library.migrate import migrate
    from arxiv_tui.core.base.paths import Paths

    paths = Paths.under(Path(sys.argv[1]))
    library = open_library(paths.library_file)
    print("started", flush=True)
    migrate(paths, library)
    print("done", flush=True)
    """
)


def big_released_home(tmp_path: Path, days: int = 40) -> Paths:
    """The released home with 40 archived days (copies of the real ones under other dates)."""
    paths = released_home(tmp_path)
    source = json.loads((paths.archive_dir / "2025-04-28.json").read_text())
    for n in range(days):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=n)
        copy = {**source, "date": day.isoformat()}
        copy["papers"] = [
            {**paper, "id": f"25{n:02d}.{index:05d}", "listing_date": day.isoformat()}
            for index, paper in enumerate(source["papers"])
        ]
        (paths.archive_dir / f"{day.isoformat()}.json").write_text(json.dumps(copy))
    return paths


def test_a_migration_killed_half_way_is_redone_cleanly(tmp_path):
    paths = big_released_home(tmp_path)
    rng = random.Random(20261201)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(4):
        child = subprocess.Popen(
            [sys.executable, "-c", MIGRATOR, str(paths.data_dir)], stdout=subprocess.PIPE, env=env, text=True
        )
        assert child.stdout.readline().strip() == "started"
        time.sleep(rng.uniform(0.05, 1.0))
        child.send_signal(signal.SIGKILL)
        child.communicate()
    library = open_library(paths.library_file)
    migrate(paths, library)  # whatever the kills left, this finishes it
    assert_everything_is_in(library)
    assert len(library.listing_dates()) == 42
    library.db.connection.execute("INSERT INTO search (search, rank) VALUES ('integrity-check', 0)")
    library.close()
