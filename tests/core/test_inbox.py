"""The Inbox in the headless Reader and the library: a matched paper stays until decided, across
restarts; a decided one does not come back when announced again, unless it is a new version of a
star; the library is never closed under a running statement."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

from arxiv_tui.core.base.errors import StateError
from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import load_config, update_config
from arxiv_tui.core.library.inbox import Entry
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.matching import reasons
from arxiv_tui.core.matching.views import INBOX, KEYWORD_PREFIX
from arxiv_tui.core.models import REPLACE
from arxiv_tui.core.session.arrivals import entries_of, explained
from arxiv_tui.core.session.reader import Reader
from tests.conftest import FIXTURES

QUANT_PH = FIXTURES / "rss-quant-ph-2025-04-28.xml"
MON = dt.date(2025, 4, 28)
COUNTING = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) SELECT count(*) FROM n"
)


def open_reader(home, include=("qubit*", "entanglement")) -> Reader:
    paths = Paths.under(home)
    update_config(
        paths.config_file,
        {
            ("categories",): ["quant-ph"],
            ("keywords", "include"): list(include),
            ("feed", "retention_days"): 36500,
        },
    )
    reader = Reader.open(paths, load_config(paths.config_file)[0], feeds=[QUANT_PH])
    reader.apply(reader.open_newest())
    return reader


def fetched(reader: Reader) -> list:
    """Refresh from the feed file; the events it reported."""
    events: list = []

    def report(event) -> None:
        events.append(event)
        reader.apply(event)

    reader.refreshing.start()
    reader.refresh(report, visit=False)
    return events


def inbox_ids(reader: Reader) -> list[str]:
    reader.viewing.set_view(INBOX)
    return [row.paper.id for row in reader.viewing.rows() if not reader.marking.is_read(row.paper.id)]


def test_a_matched_paper_stays_in_the_inbox_until_it_is_decided_across_restarts(home):
    reader = open_reader(home)
    assert reader.viewing.view == INBOX and inbox_ids(reader) == []
    events = fetched(reader)
    matched = [row.paper.id for row in reader.viewing.filtered.matched]
    assert matched and inbox_ids(reader) == matched
    entered = [event for event in events if type(event).__name__ == "InboxGrew"]
    assert entered and entered[0].entered == len(matched)
    inbox = next(view for view in reader.viewing.views() if view.key == INBOX)
    assert inbox.count == len(matched) and inbox.today == len(matched)  # all came with the newest listing
    papers = {row.paper.id: row.paper for row in reader.viewing.rows()}
    reader.marking.set_starred(papers[matched[0]], True)  # kept
    reader.marking.set_read([papers[matched[1]]])  # skipped
    assert reader.close() is None

    again = open_reader(home)
    assert inbox_ids(again) == matched[2:]  # the decided two are out, nothing else is
    fetched(again)  # the same listing announced again: nothing comes back, nothing enters twice
    assert inbox_ids(again) == matched[2:]
    paper = again.library.paper(matched[1])
    assert paper is not None
    again.marking.set_read([paper], False)  # marked unread (in All, say): undecided again
    assert again.close() is None
    third = open_reader(home)
    assert matched[1] in inbox_ids(third)
    third.close()


def test_the_last_view_and_paper_come_back_at_the_next_start(home):
    reader = open_reader(home)
    fetched(reader)
    reader.viewing.set_view(KEYWORD_PREFIX + "entanglement")
    paper = reader.viewing.rows()[2].paper
    reader.place = paper.id  # the front end's cursor
    reader.viewing.open_from_here("similar")  # a passing view is not where the next start opens
    assert reader.close() is None
    opened = open_reader(home)
    assert opened.viewing.view == KEYWORD_PREFIX + "entanglement"
    assert opened.library.meta("ui.last_paper") == paper.id
    opened.close()
    update_config(Paths.under(home).config_file, {("keywords", "include"): ["qubit*"]})  # the keyword went
    fewer = open_reader(home, include=("qubit*",))
    assert fewer.viewing.view == INBOX
    fewer.close()


def test_a_new_version_of_a_star_comes_back_unread_and_says_why(home):
    reader = open_reader(home)
    fetched(reader)
    listing = reader.viewing.listing
    assert listing is not None
    replaced = [paper for paper in listing.papers if paper.is_replacement]
    starred_before, starred_today, not_starred = replaced[0], replaced[1], replaced[2]
    library = reader.library
    library.star([starred_before], at="2025-04-01T09:00:00")  # starred its older version
    library.star([starred_today], at="2025-04-28T10:00:00")  # starred from this very listing
    library.marks.set_read([starred_before.id, starred_today.id])
    loaded = reader.prepare(listing)
    entries = entries_of(loaded, dict(library.marks.stars()))
    assert [e.paper_id for e in entries if e.again] == [starred_before.id]
    assert not_starred.id not in {e.paper_id for e in entries if e.again}
    assert reader.arrivals.let_in(loaded) == 1  # matched papers were in already: only the star
    assert not library.marks.of([starred_before.id])[starred_before.id].read  # unread again: undecided
    entry = next(entry for _, entry in library.inbox.undecided() if entry.paper_id == starred_before.id)
    assert entry.reasons == (f"version:{starred_before.version}",)
    why = explained(starred_before, entry, None, ())
    assert [reasons.said(reason) for reason in why.also] == [f"v{starred_before.version} of your star"]
    assert reader.arrivals.let_in(loaded) == 0  # the same version again: nothing
    reader.close()


def test_a_paper_read_before_it_arrives_does_not_enter_and_reasons_are_kept_bounded(tmp_path):
    library = open_library(tmp_path / "library.sqlite3")
    from arxiv_tui.core.incoming.listings import listing_from
    from arxiv_tui.core.sources.parse import parse_feed

    listing = listing_from(parse_feed(QUANT_PH.read_bytes(), "feed"), "feed")
    assert listing is not None
    library.store_listing(listing)
    first, second = listing.papers[0], listing.papers[1]
    library.marks.set_read([first.id])
    entered = library.inbox.add([Entry(first.id, MON, ("keyword:a",)), Entry(second.id, MON, ("keyword:b",))])
    assert [entry.paper_id for entry in entered] == [second.id]
    newer = dataclasses.replace(second, version=second.version + 1, announce_type=REPLACE)
    library.inbox.add(
        [Entry(newer.id, MON, tuple(f"keyword:{n}" for n in range(50)), newer.version, again=True)]
    )
    ((_, entry),) = library.inbox.undecided()
    assert len(entry.reasons) == 20 and entry.reasons[:2] == (
        "keyword:0",
        "keyword:1",
    )  # newest first, bounded
    library.close()


def test_closing_the_library_under_a_running_read_never_crashes_the_process(tmp_path):
    """A hangup closes the library while a worker reads: the worker gets a StateError, not a crash."""
    library = open_library(tmp_path / "library.sqlite3")
    failures: list[BaseException] = []
    started = threading.Event()

    def keep_reading() -> None:
        try:
            while True:
                library.db.read(COUNTING)
                started.set()
        except BaseException as error:  # what ended it is the point
            failures.append(error)

    worker = threading.Thread(target=keep_reading)
    worker.start()
    assert started.wait(10)
    library.close()
    worker.join(10)
    assert not worker.is_alive() and len(failures) == 1 and isinstance(failures[0], StateError)
    assert "was closed" in str(failures[0])


def test_a_saved_search_marked_as_an_alert_lets_its_matches_in_a_listing_into_the_inbox(home):
    reader = open_reader(home, include=("nothing matches this",))
    library = reader.library
    library.saved.save("teleport", "teleportation", alert=True)
    library.saved.save("plain", "entanglement")  # a view only: not an alert
    fetched(reader)
    listing = reader.viewing.listing
    assert listing is not None
    new = [paper.id for paper in listing.papers if not paper.is_replacement]
    wanted = library.matching("teleportation", new)
    inbox = {paper.id: entry for paper, entry in library.inbox.undecided()}
    assert wanted and set(inbox) == wanted  # the alert's matches, and nothing of the plain search
    assert all(entry.reasons == ("search:teleport",) for entry in inbox.values())
    entry = next(iter(inbox.values()))
    why = explained(library.paper(entry.paper_id), entry, None, ())
    assert [reasons.said(reason) for reason in why.also] == ["saved search /teleport"]
    reader.close()


def test_a_new_listing_shown_is_in_the_inbox_at_once_not_only_once_stored(home):
    from arxiv_tui.core.session.events import Fetched

    reader = open_reader(home)
    events: list = []
    reader.refreshing.start()
    reader.refresh(events.append, visit=False)  # events kept, none shown yet
    fetched_now = next(event for event in events if isinstance(event, Fetched))
    reader.apply(fetched_now)  # the listing is on screen; the Inbox is not read again yet
    assert reader.viewing.view == INBOX
    matched = [row.paper.id for row in fetched_now.loaded.filtered.matched]
    assert [row.paper.id for row in reader.viewing.rows()] == matched
    assert reader.viewing.inbox_view().count == len(matched)
    listing = fetched_now.loaded.listing
    papers = tuple(dataclasses.replace(p, id="24" + p.id[2:], listing_date=None) for p in listing.papers)
    older = dataclasses.replace(listing, date=MON - dt.timedelta(days=7), papers=papers)
    reader.show(reader.prepare(older))  # an older listing looked at with <: its papers do not arrive
    assert reader.viewing.inbox_view().count == len(matched)
    reader.close()


def test_a_paper_decided_meanwhile_keeps_its_place_when_the_inbox_is_read_again():
    from arxiv_tui.core.models import Paper
    from arxiv_tui.core.session.session_marks import SessionMarks

    def row(paper_id: str, day: dt.date) -> tuple[Paper, Entry]:
        return Paper(paper_id, 1, paper_id, (), "", ()), Entry(paper_id, day, ("keyword:x",))

    session = SessionMarks(writer=None)  # nothing is written here
    a, b, c = row("a", MON), row("b", MON), row("c", MON)
    session.show_inbox([a, b, c])
    older, newer = row("d", MON - dt.timedelta(days=3)), row("e", MON)
    session.show_inbox([b, c, older, newer])  # `a` was decided meanwhile: the library leaves it out
    assert [paper.id for paper in session.inbox_rows] == ["a", "b", "c", "e", "d"]


def test_a_start_on_the_inbox_reads_its_top_first_and_the_rest_and_the_listing_after(home):
    reader = open_reader(home)
    fetched(reader)
    undecided = len(reader.library.inbox.undecided())
    reader.close()
    paths = Paths.under(home)
    again = Reader.open(paths, load_config(paths.config_file)[0], feeds=[QUANT_PH])  # a start, not opened
    opened = again.open_newest(inbox_first=5)
    assert opened.loaded is None and opened.listing_later  # the Inbox alone, first
    assert len(opened.inbox) == 5 and opened.inbox_counts == (undecided, undecided)  # its top, counted
    again.apply(opened)
    assert again.viewing.view == INBOX and len(again.viewing.rows()) == 5
    assert again.viewing.inbox_view().count == undecided  # the tab says all of it
    assert again.apply(again.arrivals.grew(0)) == []  # the rest, after the first frame: nothing said
    assert len(again.viewing.rows()) == undecided == again.viewing.inbox_view().count
    assert again.title().startswith("Listing of Mon 28 Apr 2025")  # not "No listing yet"
    loaded = again.read_newest()
    assert loaded is not None and loaded.listing.date == MON
    again.arrivals.remember_place(KEYWORD_PREFIX + "qubit*", "")
    again.writer.wait_idle(10)
    assert again.open_newest(inbox_first=5).loaded is not None  # a keyword view needs its listing now
    again.close()


def test_a_keyword_added_brings_today_s_new_matches_into_the_inbox_for_good(home):
    reader = open_reader(home, include=("entanglement",))
    fetched(reader)
    before = {paper.id for paper in reader.marking.session.inbox_rows}
    reader.apply_keywords(["entanglement", "qubit*"], [], ["quant-ph"], [])
    now = {paper.id for paper in reader.marking.session.inbox_rows}
    added = now - before
    papers = reader.library.papers(added).values()
    assert added and all("qubit*" in reader.viewing.explain(paper).terms for paper in papers)
    assert reader.writer.wait_idle(10)
    assert added <= {paper.id for paper, _ in reader.library.inbox.undecided()}  # kept: a restart has them
    reader.close()
