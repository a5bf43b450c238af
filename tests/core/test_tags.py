"""Tags and saved searches in the headless Reader: counts kept exact, undo, the library's truth."""

from __future__ import annotations

import pytest

from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import load_config, update_config
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.matching.query import QueryError
from arxiv_tui.core.matching.views import SAVED_PREFIX, TAG_PREFIX
from arxiv_tui.core.session.reader import Reader
from tests.conftest import FIXTURES

QUANT_PH = FIXTURES / "rss-quant-ph-2025-04-28.xml"


def open_reader(home) -> Reader:
    paths = Paths.under(home)
    update_config(paths.config_file, {("categories",): ["quant-ph"], ("feed", "retention_days"): 36500})
    config, _ = load_config(paths.config_file)
    reader = Reader.open(paths, config, feeds=[QUANT_PH])
    reader.refreshing.start()
    reader.refresh(reader.apply, visit=False)
    reader.apply(reader.open_newest())
    return reader


def tag_view(reader: Reader, tag: str) -> tuple[int, int] | None:
    return next(((v.count, v.unread) for v in reader.viewing.views() if v.key == TAG_PREFIX + tag), None)


def test_tag_counts_follow_tags_and_read_marks_and_undo_puts_a_removed_tag_back(home):
    reader = open_reader(home)
    first, second = reader.viewing.papers[0], reader.viewing.papers[1]
    said = reader.marking.set_tags(first, ["to cite", " to cite ", "thesis"])
    assert said == f"Tags of {first.id}: +to cite, +thesis"
    reader.marking.set_tags(second, ["to cite"])
    assert tag_view(reader, "to cite") == (2, 2) and tag_view(reader, "thesis") == (1, 1)
    reader.marking.set_read([first])
    assert tag_view(reader, "to cite") == (2, 1) and tag_view(reader, "thesis") == (1, 0)
    assert reader.marking.set_tags(first, ["thesis"]) == f"Tags of {first.id}: -to cite"
    assert tag_view(reader, "to cite") == (1, 1)
    assert reader.marking.undo() == f"Tags of {first.id} back: to cite, thesis"
    assert reader.marking.of(first.id).tags == ("to cite", "thesis") and tag_view(reader, "to cite") == (2, 1)
    reader.marking.set_tags(second, [])
    reader.marking.set_tags(first, [])
    assert (
        tag_view(reader, "to cite") is None and reader.marking.tags() == []
    )  # a tag no paper carries is gone
    reader.marking.undo()
    assert reader.close() is None
    library = open_library(Paths.under(home).library_file)
    assert library.marks.tag_summary() == [("thesis", 1, 0), ("to cite", 1, 0)]
    library.close()


def test_a_tag_view_lists_tagged_papers_from_any_listing_and_a_new_start_counts_them(home):
    reader = open_reader(home)
    paper = reader.viewing.papers[5]
    reader.marking.set_tags(paper, ["reading group"])
    reader.close()
    again = open_reader(home)
    assert tag_view(again, "reading group") == (1, 1)
    again.viewing.set_view(TAG_PREFIX + "reading group")
    assert again.viewing.rows() == []  # rows are read from the library by a worker; until then none
    again.show_tagged("reading group", *again.find.tagged("reading group"))
    assert [row.paper.id for row in again.viewing.rows()] == [paper.id]
    again.marking.set_tags(paper, ["reading group", "later"])
    assert again.marking.of(paper.id).tags == ("reading group", "later")
    again.marking.set_read([paper])
    assert tag_view(again, "reading group") == (1, 0) and tag_view(again, "later") == (1, 0)
    again.close()


# --- saved searches ---------------------------------------------------------------------------------


def saved_view(reader: Reader, name: str) -> tuple[int, int] | None:
    return next(((v.count, v.unread) for v in reader.viewing.views() if v.key == SAVED_PREFIX + name), None)


def test_a_saved_search_is_a_view_with_counts_and_survives_a_restart(home):
    reader = open_reader(home)
    assert reader.saved_views.save("  qubits\n", "qubit*") == "qubits"
    reader.apply(reader.open_newest())  # what a start reads: the saved searches come with it
    reader.show_saved(*reader.find.saved())
    count, unread = saved_view(reader, "qubits")
    assert count > 0 and unread == count
    labels = [view.label for view in reader.viewing.views()]
    assert labels.index("/qubits") == labels.index("All") - 1  # with the library's views, before All
    reader.viewing.set_view(SAVED_PREFIX + "qubits")
    rows = reader.viewing.rows()
    assert len(rows) == count and all(
        "qubit" in (r.paper.title + reader.whole(r.paper).abstract).lower() for r in rows
    )
    reader.marking.set_read([rows[0].paper])
    assert saved_view(reader, "qubits") == (count, count - 1)
    reader.close()
    again = open_reader(home)
    assert again.saved_views.queries == {"qubits": "qubit*"}
    again.show_saved(*again.find.saved())
    assert saved_view(again, "qubits") == (count, count - 1)
    again.close()


def test_deleting_a_saved_search_is_undone_by_z_and_a_bad_query_is_never_saved(home):
    reader = open_reader(home)
    with pytest.raises(QueryError):
        reader.saved_views.save("broken", "(unclosed")
    with pytest.raises(ValueError):
        reader.saved_views.save("  ", "qubit")
    reader.saved_views.save("qubits", "qubit*")
    reader.show_saved(*reader.find.saved())
    reader.viewing.set_view(SAVED_PREFIX + "qubits")
    assert reader.delete_saved("qubits") == "Deleted the saved search 'qubits' (qubit*)"
    assert reader.viewing.view != SAVED_PREFIX + "qubits" and saved_view(reader, "qubits") is None
    assert reader.marking.undo() == "Saved search 'qubits' back"
    assert saved_view(reader, "qubits")[0] > 0
    reader.close()
    library = open_library(Paths.under(home).library_file)
    assert library.saved.all() == [("qubits", "qubit*")]
    library.close()


def test_a_library_of_version_1_is_upgraded_to_the_newest_and_keeps_everything(tmp_path):
    path = tmp_path / "old.sqlite3"
    library = open_library(path)
    library.marks.set_read(["2504.17837"])
    library.db.connection.execute("DROP TABLE saved_searches")  # what version 2 and 3 added
    library.db.connection.execute("DROP TABLE scholar_cache")
    added = ("inbox", "alerts", "decisions", "ranker", "full_texts", "full_text_search", "downloads")
    for table in (*added, "assistant_answers", "assistant_chats"):
        library.db.connection.execute(f"DROP TABLE {table}")
    library.db.connection.execute("PRAGMA user_version = 1")
    library.close()
    upgraded = open_library(path)
    assert upgraded.marks.of(["2504.17837"])["2504.17837"].read
    upgraded.saved.save("x", "qubit", alert=True)
    assert upgraded.saved.all() == [("x", "qubit")] and upgraded.saved.alerts() == [("x", "qubit")]  # v5
    assert upgraded.db.read("SELECT count(*) FROM scholar_cache") == [(0,)]
    assert upgraded.db.read("SELECT count(*) FROM inbox") == [(0,)]
    assert upgraded.db.read("SELECT count(*) FROM decisions") == [(0,)]  # v6
    assert upgraded.full_texts.count() == 0  # v7
    assert upgraded.db.read("SELECT count(*) FROM assistant_answers") == [(0,)]  # v8
    upgraded.close()


def test_a_saved_search_view_says_how_many_of_its_matches_are_in_the_listing_shown(home):
    paths = Paths.under(home)
    update_config(paths.config_file, {("categories",): ["quant-ph"], ("feed", "retention_days"): 36500})
    config, _ = load_config(paths.config_file)
    feeds = [QUANT_PH, FIXTURES / "atom-cs.AI-2025-08-20.xml"]  # two days; the newer one is shown
    reader = Reader.open(paths, config, feeds=feeds)
    reader.refreshing.start()
    reader.refresh(reader.apply, visit=False)
    reader.saved_views.save("learning", "learning")
    reader.show_saved(*reader.find.saved())
    view = next(view for view in reader.viewing.views() if view.key == SAVED_PREFIX + "learning")
    shown = {paper.id for paper in reader.viewing.papers}
    reader.viewing.set_view(view.key)
    in_listing = [row for row in reader.viewing.rows() if row.paper.id in shown]
    assert 0 < view.today == len(in_listing) < view.count  # some matches are from the other day
    reader.close()
