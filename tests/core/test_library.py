"""The SQLite library: listings and papers kept whole, the user's marks, search, retention, damage."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sqlite3
import unicodedata
from collections.abc import Iterator

import pytest

from arxiv_tui.core.base.errors import StateError
from arxiv_tui.core.incoming.listings import listing_from
from arxiv_tui.core.library.db import marker_for
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.library.upkeep import check_and_back_up, prune
from arxiv_tui.core.matching.query import QueryError, parse_query, tokens
from arxiv_tui.core.models import REPLACE, Listing
from arxiv_tui.core.sources.parse import parse_feed
from tests.conftest import demo_listing_bytes, fixture_bytes

MON = dt.date(2025, 4, 28)


def real_listing(name: str = "rss-quant-ph-2025-04-28.xml") -> Listing:
    listing = listing_from(parse_feed(fixture_bytes(name), name), name)
    assert listing is not None
    return listing


@pytest.fixture
def library(tmp_path) -> Iterator[Library]:
    library = open_library(tmp_path / "library.sqlite3", tmp_path / "library-backup.sqlite3")
    yield library
    library.close()


@pytest.fixture(scope="module")
def demo() -> Listing:
    listing = listing_from(parse_feed(demo_listing_bytes(), "demo"), "demo")
    assert listing is not None
    return listing


# --- listings and papers ----------------------------------------------------------------------------


def test_a_listing_comes_back_exactly_as_it_was_announced(library, demo):
    assert library.store_listing(demo, ["cs", "math"])
    assert library.listing(demo.date).papers == demo.papers  # every field, in order
    assert library.newest_date() == demo.date
    assert library.counts()["papers"] == 1504


def test_the_same_announcement_again_changes_nothing(library):
    listing = real_listing()
    library.store_listing(listing)
    before = library.db.read("SELECT count(*), max(rowid) FROM papers")
    library.store_listing(dataclasses.replace(listing, fetched_at="later"))
    assert library.db.read("SELECT count(*), max(rowid) FROM papers") == before


def test_a_listing_cut_short_never_replaces_a_complete_one_but_a_complete_one_replaces_it(library):
    listing = real_listing()
    cut = Listing(MON, listing.papers[:10], complete=False)
    assert library.store_listing(cut)
    assert len(library.listing(MON).papers) == 10 and not library.listing(MON).complete
    assert library.store_listing(listing)
    assert len(library.listing(MON).papers) == 81
    assert not library.store_listing(cut)
    assert len(library.listing(MON).papers) == 81


def test_a_paper_announced_again_is_one_row_with_its_newest_metadata(library):
    listing = real_listing()
    library.store_listing(listing)
    paper = listing.papers[0]
    newer = dataclasses.replace(paper, version=2, title="Revised title", announce_type=REPLACE)
    later = dt.date(2025, 5, 5)
    library.store_listing(Listing(later, (newer,)))
    assert library.counts()["papers"] == 81
    assert library.paper(paper.id).title == "Revised title"
    assert library.listing(later).papers[0].version == 2
    assert library.listing(MON).papers[0].version == 1  # as Monday announced it
    assert [found.id for found in library.search("revised").papers] == [paper.id]
    assert library.search("ti:self adjoint").papers == []  # the old title left the index


def test_papers_seen_again_without_comments_keep_the_comments_they_had(library):
    api = parse_feed(fixture_bytes("api-idlist-astro-ph-0601001-2026-05-11.xml")).papers[0]
    library.store_papers([api])
    assert api.comments
    library.store_listing(Listing(MON, (dataclasses.replace(api, comments="", listing_date=MON),)))
    assert library.paper(api.id).comments == api.comments


def test_papers_listed_again_take_corrections_made_without_a_new_version_and_keep_the_rest(library):
    listing = real_listing()
    library.store_listing(listing)
    first, second, third, *unchanged = listing.papers[:10]
    before = [library.paper(paper.id) for paper in unchanged]
    corrected = (
        dataclasses.replace(first, abstract="A corrected abstract about tensor networks."),
        dataclasses.replace(second, doi="10.1000/corrected", authors=(*second.authors, "A. Newcomer")),
        dataclasses.replace(third, title="", abstract=""),  # a copy lacking fields keeps them
    )
    library.store_listing(Listing(dt.date(2025, 4, 29), (*corrected, *unchanged)))  # cross-listed
    assert library.paper(first.id).abstract == "A corrected abstract about tensor networks."
    assert [found.id for found in library.search("tensor networks corrected").papers] == [first.id]
    assert library.paper(second.id).doi == "10.1000/corrected"
    assert library.paper(second.id).authors[-1] == "A. Newcomer"
    assert (library.paper(third.id).title, library.paper(third.id).abstract) == (third.title, third.abstract)
    assert [library.paper(paper.id) for paper in unchanged] == before


def test_days_without_an_announcement_are_remembered_and_never_shown_as_listings(library):
    library.store_listing(real_listing())
    library.note_no_announcement(dt.date(2025, 4, 29))
    assert library.listing(dt.date(2025, 4, 29)) is None
    assert library.newest_date() == MON
    assert dt.date(2025, 4, 29) in library.listing_dates(with_papers=False)


def test_older_and_newer_listings(library):
    first = real_listing()
    later = Listing(dt.date(2025, 5, 2), first.papers[:5])
    library.store_listing(first)
    library.store_listing(later)
    assert library.newest_date(before=later.date) == MON
    assert library.next_date(MON) == later.date and library.next_date(later.date) is None
    assert library.complete_dates([MON, dt.date(2025, 4, 30)]) == {MON}


# --- marks -------------------------------------------------------------------------------------------


def test_marks_live_apart_unstarring_keeps_the_note_and_tags(library):
    listing = real_listing()
    library.store_listing(listing)
    paper = listing.papers[2]
    library.star([paper])
    library.marks.set_note(paper.id, "read with the group")
    library.marks.add_tag([paper.id], "reading group")
    library.marks.set_read([paper.id])
    marks = library.marks.of([paper.id])[paper.id]
    assert (
        marks.starred
        and marks.read
        and marks.note == "read with the group"
        and marks.tags == ("reading group",)
    )
    library.marks.unstar([paper.id])
    marks = library.marks.of([paper.id])[paper.id]
    assert not marks.starred and marks.note == "read with the group" and marks.tags == ("reading group",)


def test_stars_are_newest_first_and_keep_their_paper(library):
    listing = real_listing()
    for paper in listing.papers[:3]:
        library.star([paper])
    assert [paper.id for paper, _ in library.starred()] == [paper.id for paper in listing.papers[2::-1]]
    assert [paper.id for paper in library.starred_rows()] == [paper.id for paper in listing.papers[2::-1]]
    assert library.starred_rows()[0].partial and not library.starred()[0][0].partial


def test_a_star_on_a_paper_from_outside_any_listing_keeps_the_paper(library):
    paper = parse_feed(fixture_bytes("api-idlist-2104.12255v1-2026-04-12.xml")).papers[0]
    library.star([paper])
    assert library.paper(paper.id).title == "0"
    assert [found.id for found in library.search(paper.id).papers] == [paper.id]


def test_notes_and_tags_are_searchable_and_follow_every_change(library):
    listing = real_listing()
    library.store_listing(listing)
    one, two = listing.papers[0].id, listing.papers[1].id
    library.marks.set_note(one, "ask Maria about this")
    library.marks.add_tag([one, two], "thesis ch. 3")
    assert [p.id for p in library.search("note:maria").papers] == [one]
    assert {p.id for p in library.search('tag:"thesis ch"').papers} == {one, two}
    library.marks.set_note(one, "")
    library.marks.remove_tag([two], "thesis ch. 3")
    assert library.search("note:maria").papers == []
    assert [p.id for p in library.search("tag:thesis").papers] == [one]
    assert library.marks.tag_counts() == [("thesis ch. 3", 1)]
    library.db.connection.execute("INSERT INTO search (search, rank) VALUES ('integrity-check', 0)")


def test_a_tag_is_kept_as_one_clean_line():
    from arxiv_tui.core.models import clean_tag

    assert clean_tag("  reading\n group ; x \x1b[31m") == "reading group x [31m"
    assert clean_tag(";;;") == ""


# --- search --------------------------------------------------------------------------------------------


@pytest.fixture
def demo_library(library, demo) -> Library:
    library.store_listing(demo)
    return library


@pytest.mark.parametrize(
    ("typed", "check"),
    [
        ("diffusion model", lambda p: p.has("diffusion") and p.has("model")),
        ('"black hole"', lambda p: re.search(r"\bblack holes?\b", " ".join(p.word_list))),
        ("quantum -error", lambda p: p.has("quantum") and not p.has("error")),
        ("speech OR voice", lambda p: p.has("speech") or p.has("voice")),
        ("ti:quantum*", lambda p: "quantum" in p.paper.title.lower()),
        ("cat:cs.CL", lambda p: "cs.CL" in p.paper.categories),
        ("cat:math", lambda p: any(c == "math" or c.startswith("math.") for c in p.paper.categories)),
    ],
)
def test_search_finds_what_the_query_says_and_nothing_else(demo_library, demo, typed, check):
    found = demo_library.search(typed, limit=2000)
    assert found.papers
    by_id = {paper.id: paper for paper in demo.papers}

    class Seen:
        """A paper as the index sees it: its words (accents dropped, as FTS5 drops them)."""

        def __init__(self, paper):
            self.paper = paper
            fields = (paper.title, " ".join(paper.authors), paper.abstract, paper.comments, paper.journal_ref)
            text = " ".join((*fields, paper.doi, paper.id))
            bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
            self.word_list = tokens(bare)
            self.words = set(self.word_list)

        def has(self, word: str) -> bool:
            """The word as a search finds it: whole, or with its plural."""
            return bool({word, word + "s", word + "es"} & self.words)

    assert all(check(Seen(by_id[paper.id])) for paper in found.papers)
    assert found.total == len(found.papers)


def test_cat_math_does_not_find_math_physics_alone(demo_library):
    found = demo_library.search("cat:math", limit=2000).papers
    assert found and not any(paper.categories == ("math-ph",) for paper in found)


def test_accents_and_tex_do_not_matter_for_authors(demo_library, demo):
    accented = next(paper for paper in demo.papers if any("é" in name for name in paper.authors))
    name = next(name for name in accented.authors if "é" in name)
    surname = name.split()[-1]
    plain = surname.replace("é", "e")
    tex = surname.replace("é", "\\'e")
    for typed in (f"au:{surname}", f"au:{plain}", f"au:{tex}"):
        assert accented.id in {paper.id for paper in demo_library.search(typed).papers}, typed


def test_an_arxiv_id_or_link_finds_that_paper(demo_library, demo):
    paper = demo.papers[100]
    for typed in (
        paper.id,
        f"{paper.id}v{paper.version}",
        f"https://arxiv.org/abs/{paper.id}",
        f"arXiv:{paper.id}",
    ):
        assert [found.id for found in demo_library.search(typed).papers] == [paper.id]


def test_newest_first_by_default_and_ranked_on_request(library):
    listing = real_listing()
    library.store_listing(listing)
    later = dataclasses.replace(listing.papers[40], id="2505.00001")
    library.store_listing(Listing(dt.date(2025, 5, 1), (later,)))
    newest = library.search("quantum")
    assert newest.papers[0].id == "2505.00001"  # the newest listing first
    ranked = library.search("entanglement", ranked=True)
    titled = [p for p in ranked.papers if "entangle" in p.title.lower()]
    assert titled and ranked.papers[0].id == titled[0].id  # a title hit ranks above abstract hits


def test_counts_are_capped_and_say_so(library, monkeypatch):
    from arxiv_tui.core.library import search

    library.store_listing(real_listing())
    monkeypatch.setattr(search, "COUNT_LIMIT", 10)
    found = library.search("quantum", limit=5)
    assert len(found.papers) == 5 and found.more and found.count_text == "10+"


def test_a_search_in_steps_gives_its_first_rows_then_the_same_answer_whole(library):
    library.store_listing(real_listing())
    whole = library.search("quantum", limit=40)
    first, rest = library.search_in_steps("quantum", limit=40, first=10)
    assert len(first.papers) == 10 and not first.complete and rest.complete
    assert first.total == rest.total == whole.total  # the count is known from the first step
    assert [p.id for p in rest.papers] == [p.id for p in whole.papers]
    assert all(a is b for a, b in zip(first.papers, rest.papers[:10], strict=True))  # the rows shown stay
    (few,) = library.search_in_steps("quantum", limit=40, first=len(whole.papers))  # no rest: one step
    assert few.complete and [p.id for p in few.papers] == [p.id for p in whole.papers]


@pytest.mark.parametrize(
    "typed", ["-survey", "(unclosed", "x*" if False else "a*", "'; DROP TABLE stars; --"]
)
def test_a_bad_query_is_a_message_and_the_library_is_untouched(demo_library, typed):
    demo_library.star([demo_library.listing(demo_library.newest_date()).papers[0]])
    try:
        demo_library.search(typed)
    except QueryError as error:
        assert str(error)
    assert demo_library.marks.star_count() == 1


# --- retention ---------------------------------------------------------------------------------------


def test_old_listings_are_pruned_but_stars_notes_tags_and_reads_never(library):
    old = real_listing()
    library.store_listing(old)
    starred, noted, tagged, read, plain = old.papers[:5]
    library.star([starred])
    library.marks.set_note(noted.id, "keep me")
    library.marks.add_tag([tagged.id], "keep")
    library.marks.set_read([read.id])
    recent = Listing(dt.date(2026, 11, 30), (dataclasses.replace(old.papers[10], listing_date=None),))
    library.store_listing(recent)
    assert prune(library, 365, dt.date(2026, 12, 1)) == 1
    assert library.listing(MON) is None and library.listing(recent.date) is not None
    for kept in (starred, noted, tagged):
        assert library.paper(kept.id) is not None
    assert library.paper(plain.id) is None and library.paper(read.id) is None
    assert library.marks.of([read.id])[read.id].read  # the mark itself is never pruned
    assert (
        library.search("note:keep").papers
        and not library.search(plain.title.split()[0] + " " + plain.id).papers
    )
    library.db.connection.execute("INSERT INTO search (search, rank) VALUES ('integrity-check', 0)")


def test_retention_zero_keeps_everything_and_the_newest_listing_is_always_kept(library):
    library.store_listing(real_listing())
    assert prune(library, 0, dt.date(2030, 1, 1)) == 0
    assert prune(library, 1, dt.date(2030, 1, 1)) == 0  # the only, so the newest: kept
    assert library.listing(MON) is not None


# --- the file itself ------------------------------------------------------------------------------------


def test_a_library_from_a_newer_version_is_left_alone(tmp_path):
    path = tmp_path / "library.sqlite3"
    open_library(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA user_version = 99")
    before = path.read_bytes()
    with pytest.raises(StateError, match="newer arxiv-tui"):
        open_library(path)
    assert path.read_bytes() == before


def damage(path) -> None:
    """Overwrite the middle of the file (its b-tree pages), as a failing disk would."""
    data = bytearray(path.read_bytes())
    data[4096 : len(data) - 4096] = b"\xde\xad" * ((len(data) - 8192) // 2)
    path.write_bytes(bytes(data))


def test_a_damaged_library_is_moved_aside_and_the_backup_restored_with_what_could_be_read(tmp_path):
    path, backup = tmp_path / "library.sqlite3", tmp_path / "library-backup.sqlite3"
    library = open_library(path, backup)
    listing = real_listing()
    library.store_listing(listing)
    library.star([listing.papers[0]])
    assert check_and_back_up(library, backup, dt.date(2026, 12, 1)) == []
    library.star([listing.papers[1]])  # after the backup
    library.db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    library.close()
    damage(path)
    again = open_library(path, backup)
    notice = " ".join(again.notices)
    assert "was damaged" in notice and "backup of" in notice
    assert any(name.startswith("library.sqlite3.damaged-") for name in (p.name for p in tmp_path.iterdir()))
    assert listing.papers[0].id in {paper.id for paper, _ in again.starred()}
    assert again.listing(MON) is not None
    again.close()


def test_a_damaged_library_without_a_backup_starts_afresh_and_says_what_was_lost(tmp_path):
    path = tmp_path / "library.sqlite3"
    library = open_library(path, tmp_path / "none.sqlite3")
    library.store_listing(real_listing())
    library.db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    library.close()
    path.write_bytes(b"this is not a database at all" * 200)
    again = open_library(path, tmp_path / "none.sqlite3")
    notice = " ".join(again.notices)
    assert "no usable backup" in notice and "could not be read" in notice
    assert again.counts()["papers"] == 0
    again.close()


def test_the_daily_check_backs_up_once_a_day_and_a_failed_check_asks_for_a_restart(tmp_path, monkeypatch):
    path, backup = tmp_path / "library.sqlite3", tmp_path / "library-backup.sqlite3"
    library = open_library(path, backup)
    library.store_listing(real_listing())
    assert check_and_back_up(library, backup, dt.date(2026, 12, 1)) == []
    copy = Library(backup)
    assert copy.counts()["papers"] == 81
    copy.close()
    stamp = backup.stat().st_mtime_ns
    assert check_and_back_up(library, backup, dt.date(2026, 12, 1)) == []
    assert backup.stat().st_mtime_ns == stamp  # once a day

    class Broken:
        def __init__(self, real):
            self.real = real

        def execute(self, sql, *args):
            if "quick_check" in sql:
                raise sqlite3.DatabaseError("database disk image is malformed")
            return self.real.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self.real, name)

    real_connect = library.db.connect
    monkeypatch.setattr(library.db, "connect", lambda: Broken(real_connect()))
    messages = check_and_back_up(library, backup, dt.date(2026, 12, 2))
    assert messages and "damaged" in messages[0] and "start it again" in messages[0]
    assert marker_for(path).exists()
    library.close()
    monkeypatch.undo()
    again = open_library(path, backup)
    assert "was damaged" in " ".join(again.notices) and again.counts()["papers"] == 81
    assert not marker_for(path).exists()
    again.close()


def test_a_search_finds_plurals_as_a_keyword_does(demo_library, demo):
    """One language, one rule: 'black hole' finds 'black holes', ti:model every title's 'models'."""
    holes = {p.id for p in demo.papers if re.search(r"\bblack holes\b", (p.title + " " + p.abstract).lower())}
    found = {paper.id for paper in demo_library.search('"black hole"', limit=2000).papers}
    assert holes and holes <= found
    models = {p.id for p in demo.papers if re.search(r"\bmodels?\b", p.title.lower())}
    titled = {paper.id for paper in demo_library.search("ti:model", limit=2000).papers}
    assert len(models) > 50 and titled == models  # "modelling" is another word: not found


def test_pruning_keeps_the_papers_waiting_in_the_inbox(library):
    from arxiv_tui.core.library.inbox import Entry

    old = real_listing()
    library.store_listing(old)
    waiting, decided = old.papers[:2]
    library.inbox.add([Entry(p.id, MON, ("keyword:qubit",)) for p in (waiting, decided)])
    library.marks.set_read([decided.id])
    library.store_listing(
        Listing(dt.date(2026, 11, 30), (dataclasses.replace(old.papers[10], listing_date=None),))
    )
    assert prune(library, 365, dt.date(2026, 12, 1)) == 1
    assert library.paper(waiting.id) is not None and library.paper(decided.id) is None
    assert [paper.id for paper, _ in library.inbox.undecided()] == [waiting.id]  # still before the user


def test_a_worker_a_keystroke_leaves_no_connection_open_behind_it(tmp_path):
    """Every search as you type runs in a thread of its own; a connection kept for each thread
    held a page cache and three file descriptors until the reader closed (a long session ran
    out of them). Threads borrow a connection and give it back."""
    import os
    import threading

    library = open_library(tmp_path / "library.sqlite3")
    library.store_listing(real_listing())
    query = parse_query("qubit")

    def search() -> None:
        assert library.search(query).total > 0
        library.marks.of(["2504.18045"])

    def open_files() -> int:
        return len(os.listdir("/proc/self/fd"))

    search()
    before = open_files()
    for _ in range(60):  # one thread a keystroke, as the search bar's workers
        thread = threading.Thread(target=search)
        thread.start()
        thread.join()
    assert open_files() <= before + 3  # at most a connection more, not sixty
    with library.db.transaction() as connection:  # a read inside a change sees the change
        connection.execute("INSERT INTO meta (key, value) VALUES ('probe', '1')")
        assert library.meta("probe") == "1"
    library.close()
