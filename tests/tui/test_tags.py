"""Collections as a user meets them: `t` tags, a view per tag and per saved search, completion, undo."""

from __future__ import annotations

import csv

import rispy
from textual.widgets import Input, Select

from arxiv_tui.core.matching.views import SAVED_PREFIX, TAG_PREFIX
from arxiv_tui.tui.screens.dialogs import ExportScreen, NameScreen
from arxiv_tui.tui.screens.tags import TagScreen, split_tags
from arxiv_tui.tui.widgets.view_tabs import ViewTabs
from tests.tui.conftest import (
    SIZE,
    detail_text,
    list_rows,
    messages,
    said,
    save_export,
    saved,
    settle,
    status_text,
    wait_for,
)


def tabs_text(app) -> str:
    return str(app.screen.query_one(ViewTabs).render())


async def tag_current(pilot, app, typed: str) -> None:
    await pilot.press("t")
    assert isinstance(app.screen, TagScreen)
    field = app.screen.query_one("#tags-input", Input)
    field.value = typed
    await pilot.press("enter")
    await settle(pilot)


async def test_a_tag_becomes_a_view_with_its_counts_and_survives_a_restart(app_factory, home):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = app.reader.viewing.rows()
        first, second = rows[0].paper, rows[1].paper
        await tag_current(pilot, app, "reading group, to cite")
        assert app.reader.marking.of(first.id).tags == ("reading group", "to cite")
        assert "reading group, to cite" in detail_text(app)
        assert "#reading group #to cite" in list_rows(app)[0]
        await pilot.press("x")  # read, on to the next
        await tag_current(pilot, app, "reading group")
        counts = {view.key: (view.count, view.unread) for view in app.reader.viewing.views()}
        assert counts[TAG_PREFIX + "reading group"] == (2, 1) and counts[TAG_PREFIX + "to cite"] == (1, 0)
        assert not app.reader.marking.is_starred(first.id)  # a tag is not a star
        app.screen.show_view(TAG_PREFIX + "reading group")
        await settle(pilot)
        assert "#reading group" in tabs_text(app)
        shown = list_rows(app)
        assert len(shown) == 2  # newest tagging first
        assert second.title[:30] in shown[0] and first.title[:30] in shown[1]
        assert app.reader.writer.wait_idle(10)
    library = saved(home)
    assert library.marks.tag_summary() == [("reading group", 2, 1), ("to cite", 1, 0)]
    assert [paper.id for paper in library.tagged_rows("reading group")] == [second.id, first.id]
    assert {paper.id for paper in library.search("tag:reading").papers} == {first.id, second.id}
    assert [paper.id for paper in library.search('tag:"to cite"').papers] == [first.id]
    library.close()
    again = app_factory()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.reader.marking.of(first.id).tags == ("reading group", "to cite")
        assert any(view.label == "#to cite" and view.count == 1 for view in again.reader.viewing.views())


async def test_removing_a_tag_takes_the_paper_out_of_its_view_and_z_puts_it_back(app_factory, home):
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        paper = app.reader.viewing.rows()[0].paper
        await tag_current(pilot, app, "thesis ch. 3")
        app.screen.show_view(TAG_PREFIX + "thesis ch. 3")
        await settle(pilot)
        assert len(list_rows(app)) == 1
        await tag_current(pilot, app, "")  # every tag removed
        assert list_rows(app) == [] and app.reader.marking.of(paper.id).tags == ()
        assert not any(view.key == TAG_PREFIX + "thesis ch. 3" for view in app.reader.viewing.views())
        assert any("-thesis ch. 3" in str(n.message) for n in said(app))
        await pilot.press("z")
        await settle(pilot)
        assert app.reader.marking.of(paper.id).tags == ("thesis ch. 3",)
        assert len(list_rows(app)) == 1
        assert app.reader.writer.wait_idle(10)
    library = saved(home)
    assert library.marks.of([paper.id])[paper.id].tags == ("thesis ch. 3",)
    library.close()


async def test_the_tag_being_typed_is_completed_from_the_tags_in_use(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await tag_current(pilot, app, "reading group")
        await pilot.press("j", "t")
        await pilot.press(*"to cite, rea")
        field = app.screen.query_one("#tags-input", Input)
        # the suggester answers in a worker: the completion shows in the box, faded
        await wait_for(pilot, lambda: "to cite, reading group" in field.render_line(0).text, "the completion")
        await pilot.press("right", "enter")
        await settle(pilot)
        assert app.reader.marking.of(app.reader.viewing.rows()[1].paper.id).tags == (
            "to cite",
            "reading group",
        )


async def test_escape_leaves_the_tags_as_they_were(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await tag_current(pilot, app, "keep me")
        await pilot.press("t")
        app.screen.query_one("#tags-input", Input).value = ""
        await pilot.press("escape")
        await settle(pilot)
        assert app.reader.marking.of(app.reader.viewing.rows()[0].paper.id).tags == ("keep me",)
        assert "1/" in status_text(app)


async def test_a_tag_view_exports_as_ris_with_its_tags(app_factory, tmp_path):
    app = app_factory()
    target = tmp_path / "reading-group.ris"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await tag_current(pilot, app, "reading group")
        await pilot.press("j")
        await tag_current(pilot, app, "reading group, to cite")
        app.screen.show_view(TAG_PREFIX + "reading group")
        await settle(pilot)
        await pilot.press("e")
        path = app.screen.query_one("#export-path", Input)
        assert "arxiv-reading-group-" in path.value  # the tag's view names the file
        await save_export(pilot, path, target)
    records = rispy.loads(target.read_text())
    assert len(records) == 2
    assert [record["keywords"] for record in records] == [["reading group", "to cite"], ["reading group"]]


def test_tags_are_split_on_commas_cleaned_and_kept_once():
    assert split_tags(" reading  group, to cite,,reading group , ; x") == ["reading group", "to cite", "x"]
    assert split_tags("") == [] and split_tags(" , ") == []


# --- saved searches ---------------------------------------------------------------------------------


async def test_a_library_search_saved_with_ctrl_s_becomes_a_view_and_d_twice_deletes_it(app_factory, home):
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("F", *"teleportation")
        await settle(pilot)
        found = len(list_rows(app))
        assert found > 0
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, NameScreen)
        name = app.screen.query_one("#name-input", Input)
        assert name.value == "teleportation"  # the query is the suggested name
        name.value = "teleport"
        await pilot.press("enter")
        await settle(pilot)
        assert app.reader.viewing.view == SAVED_PREFIX + "teleport" and "/teleport" in tabs_text(app)
        assert len(list_rows(app)) == found and f"1/{found}" in status_text(app)
        assert not app.screen.search.display  # the bar is closed: the view is the search now
        await pilot.press("D")
        assert app.reader.saved_views.queries == {"teleport": "teleportation"}  # one D only asks
        assert any("D again deletes" in str(n.message) for n in said(app))
        await pilot.press("D")
        assert app.reader.saved_views.queries == {} and app.reader.viewing.view != SAVED_PREFIX + "teleport"
        await pilot.press("z")
        await settle(pilot)
        assert app.reader.saved_views.queries == {"teleport": "teleportation"}
        assert app.reader.writer.wait_idle(10)
    library = saved(home)
    assert library.saved.all() == [("teleport", "teleportation")]
    library.close()
    again = app_factory()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        views = {view.key: view for view in again.reader.viewing.views()}
        assert views[SAVED_PREFIX + "teleport"].count == found  # counted at start, in a worker


async def test_ctrl_s_without_a_search_says_how(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        assert not isinstance(app.screen, NameScreen)
        assert any("Type a search first" in str(n.message) for n in said(app))


# --- several papers at once -------------------------------------------------------------------------


async def test_m_picks_papers_and_s_r_t_e_act_on_all_of_them(app_factory, home, tmp_path):
    app = app_factory()
    target = tmp_path / "picked.csv"
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        rows = [row.paper for row in app.reader.viewing.rows()]
        await pilot.press("M", "j", "M", "M")  # the first, third and fourth
        picked = [rows[0], rows[2], rows[3]]
        assert list(app.reader.marking.selected) == [paper.id for paper in picked]
        shown = list_rows(app)
        assert [row.startswith("✓") for row in shown[:5]] == [True, False, True, True, False]
        await pilot.press("s")
        assert all(app.reader.marking.is_starred(paper.id) for paper in picked)
        assert not app.reader.marking.is_starred(rows[1].id)
        await pilot.press("s")  # all starred: unstarred, one undo for all
        assert not any(app.reader.marking.is_starred(paper.id) for paper in picked)
        await pilot.press("z")
        assert all(app.reader.marking.is_starred(paper.id) for paper in picked)
        await pilot.press("t")
        app.screen.query_one("#tags-input", Input).value = "batch"
        await pilot.press("enter")
        await settle(pilot)
        assert all(app.reader.marking.of(paper.id).tags == ("batch",) for paper in picked)
        await pilot.press("e")
        path = app.screen.query_one("#export-path", Input)
        assert "arxiv-picked-" in path.value and "(3 papers)" in str(
            app.screen.query_one("#scope-view").label
        )
        await save_export(pilot, path, target)
        await pilot.press("escape")  # none picked any more
        assert app.reader.marking.selected == {} and not list_rows(app)[0].startswith("✓")
        assert app.reader.writer.wait_idle(10)
    import csv

    assert target.read_bytes().startswith("\ufeff".encode())  # a file for Excel: UTF-8 said by its BOM
    exported = list(csv.DictReader(target.open(newline="", encoding="utf-8-sig")))
    assert [row["id"] for row in exported] == [f"arXiv:{paper.id}" for paper in picked]
    assert all(row["tags"] == "batch" and row["starred"] == "yes" for row in exported)


async def test_ctrl_v_picks_every_paper_from_the_last_picked_to_the_cursor(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        rows = [row.paper.id for row in app.reader.viewing.rows()]
        await pilot.press("ctrl+v")
        assert app.reader.marking.selected == {} and any(
            "Pick a first paper" in str(n.message) for n in said(app)
        )
        await pilot.press("j", "M", "j", "j", "ctrl+v")  # the second (M moves on), then up to the fifth
        assert list(app.reader.marking.selected) == rows[1:5]
        assert [row.startswith("✓") for row in list_rows(app)[:6]] == [False, True, True, True, True, False]


def test_every_tab_says_what_is_left_to_decide_in_one_form_and_a_finished_one_is_ticked():
    from arxiv_tui.core.matching.views import View
    from arxiv_tui.tui.widgets.view_tabs import finished, tab_label

    assert tab_label(View("saved:asr", "/asr", 34, 34, 26)) == "/asr 34/34 · 26 today"
    assert tab_label(View("saved:asr", "/asr", 13, 5, 13)) == "/asr 5/13 · 13 today"
    assert tab_label(View("saved:asr", "/asr", 9, 9, 0)) == "/asr 9/9"  # none today: nothing said
    before, after = View("keyword:LLM*", "LLM*", 59, 59), View("keyword:LLM*", "LLM*", 59, 0)
    assert tab_label(before) != tab_label(after) == "LLM* 59 ✓"  # A can be seen to have been done
    assert finished(after) and not finished(before) and not finished(View("followed", "Followed", 0, 0))
    assert tab_label(View("inbox", "Inbox", 158, 158, 50, inbox=True)) == "Inbox 158 · 50 today"
    assert tab_label(View("inbox", "Inbox", 0, 0, 0, inbox=True)) == "Inbox ✓"


async def test_a_tag_exports_from_any_view_by_choosing_it_in_the_dialog(app_factory, tmp_path):
    app = app_factory()
    target = tmp_path / "cite.csv"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await tag_current(pilot, app, "to cite")
        tagged = app.reader.viewing.rows()[0].paper
        await pilot.press("j")
        await tag_current(pilot, app, "reading group")
        await pilot.press("e")  # from Matched, not from the tag's view
        dialog = app.screen
        assert isinstance(dialog, ExportScreen) and dialog.scope == "view"
        dialog.query_one("#export-tag", Select).value = "to cite"
        await pilot.pause()
        assert dialog.scope == "tag"  # choosing a tag means exporting it
        path = dialog.query_one("#export-path", Input)
        assert "arxiv-to-cite-" in path.value
        await save_export(pilot, path, target)
    rows = list(csv.DictReader(target.open(newline="", encoding="utf-8-sig")))
    assert [row["id"] for row in rows] == [f"arXiv:{tagged.id}"]
    assert "to cite" in rows[0]["tags"]


async def test_a_saved_search_can_be_an_alert_and_its_undo_keeps_it_one(app_factory, home):
    from textual.widgets import Checkbox

    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("F", *"teleportation", "ctrl+s")
        assert isinstance(app.screen, NameScreen)
        app.screen.query_one("#name-alert", Checkbox).value = True
        await pilot.press("enter")
        await settle(pilot)
        assert any("an alert: its matches in each new listing enter the Inbox" in m for m in messages(app))
        await pilot.press("D", "D", "z")  # deleted, and brought back
        assert app.reader.writer.wait_idle(10)
    library = saved(home)
    assert library.saved.alerts() == [("teleportation", "teleportation")]
    library.close()
