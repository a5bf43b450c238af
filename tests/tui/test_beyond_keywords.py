"""Issue 6 in the reader: For you, followed authors, code only, notes, export and download."""

from __future__ import annotations

from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import update_config
from arxiv_tui.core.matching.views import FOR_YOU, FoldRow
from arxiv_tui.core.session.marking import SKIP
from arxiv_tui.tui.screens.dialogs import ExportScreen, NoteScreen
from arxiv_tui.tui.screens.keywords import KeywordsScreen
from arxiv_tui.tui.widgets.paper_detail import PaperDetail
from tests.conftest import FIXTURES
from tests.core.test_digest import parse_bibtex
from tests.tui.conftest import (
    SIZE,
    detail_text,
    list_rows,
    make_app,
    said,
    save_export,
    saved,
    settle,
    status_text,
    wait_for,
)

API_PAGE = FIXTURES / "api-query-cat-cs.AI-OR-cs.LG-max50-2026-07-13.xml"
PDF = b"%PDF-1.4\n" + b"x" * 300_000 + b"\n%%EOF\n"


async def test_for_you_ranks_by_what_was_kept_and_skipped_undecided_first_and_says_why(home):
    app = make_app(home, include=("quantum",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = [row.paper for row in app.reader.viewing.rows()]
        entangled = [paper for paper in rows if "entanglement" in paper.title.lower()]
        others = [paper for paper in rows if "entangle" not in (paper.title + paper.abstract).lower()]
        for paper in entangled[:2]:
            app.reader.marking.set_starred(paper, True)  # kept
        app.reader.marking.set_read(others[:6], decision=SKIP)  # skipped with x
        assert app.reader.writer.wait_idle(10)
        await pilot.press("S")
        assert app.reader.viewing.sort == FOR_YOU
        await wait_for(pilot, lambda: not app.reader.viewing.unranked(app.reader.viewing.rows()), "ranked")
        await settle(pilot)
        assert "sorted: for you" in status_text(app) and "ranking" not in status_text(app)
        viewing, is_read = app.reader.viewing, app.reader.marking.is_read
        ranked = viewing.rows()
        decided = [is_read(row.paper.id) for row in ranked]
        assert decided == sorted(decided) and any(decided)  # the decided ones last
        undecided = [viewing.scores[row.paper.id] for row in ranked if not is_read(row.paper.id)]
        assert undecided == sorted(undecided, reverse=True) and undecided[0] > undecided[-1]
        unseen = [paper.id for paper in entangled[2:]]
        places = [row.paper.id for row in ranked]
        assert all(places.index(paper_id) < len(undecided) / 2 for paper_id in unseen)  # like the kept ones
        first = app.reader.find.rank_of(app.reader.whole(ranked[0].paper))
        assert first is not None and first.decisions == 8
        said = " ".join(detail_text(app).split())
        assert f"For you {first.chance:.0%} · {first.reason()}" in said
        assert first.reason().startswith("+ ")
        for _ in range(4):  # announced order comes back after the other sorts
            await pilot.press("S")
        assert app.reader.viewing.sort == "announced"


async def test_hide_below_folds_the_expected_skips_under_one_row_and_hides_nothing_for_good(home):
    app = make_app(home, include=("quantum",), settings={("ui", "hide_below"): 0.5})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        viewing, marking = app.reader.viewing, app.reader.marking
        rows = [row.paper for row in viewing.rows()]
        inbox_before = next(view.count for view in viewing.views() if view.key == "inbox")
        entangled = [paper for paper in rows if "entangle" in paper.title.lower()]
        others = [paper for paper in rows if "entangle" not in (paper.title + paper.abstract).lower()]
        for paper in entangled[:3]:
            marking.set_starred(paper, True)
        marking.set_read(others[:12], decision=SKIP)
        assert app.reader.writer.wait_idle(10)
        await pilot.press("S")
        await wait_for(pilot, lambda: not viewing.unranked(viewing.rows()), "ranked")
        await settle(pilot)
        shown = app.screen.papers.rows
        folds = [index for index, row in enumerate(shown) if isinstance(row, FoldRow)]
        assert len(folds) == 1
        fold = shown[folds[0]]
        assert fold.folded and all(not marking.is_read(row.paper.id) for row in fold.folded)
        assert all(marking.is_read(row.paper.id) for row in shown[folds[0] + 1 :])  # decided last
        said = f"{len(fold.folded):,} papers the model expects you to skip — Enter to show"
        assert said in list_rows(app)[folds[0]]
        assert len(shown) + len(fold.folded) - 1 == len(viewing.rows())  # one row for them all
        inbox_now = next(view.count for view in viewing.views() if view.key == "inbox")
        undecided = [row for row in viewing.rows() if not marking.is_read(row.paper.id)]
        assert inbox_now == len(undecided) < inbox_before  # the folded are still in the Inbox
        app.screen.papers.move_to(folds[0])
        await settle(pilot)
        assert "folded here" in " ".join(detail_text(app).split())
        for key in ("s", "x", "M"):  # no paper under the cursor: nothing happens to any
            await pilot.press(key)
        assert all(not marking.is_read(row.paper.id) for row in fold.folded)
        assert not marking.selected
        await pilot.press("enter")
        await settle(pilot)
        assert not any(isinstance(row, FoldRow) for row in app.screen.papers.rows)
        assert app.screen.papers.cursor_row.paper.id == fold.folded[0].paper.id
        assert len(app.screen.papers.rows) == len(viewing.rows())


async def test_a_followed_author_is_in_matched_and_has_a_view(home):
    app = make_app(home, include=("nothing matches this",))
    update_config(Paths.under(home).config_file, {("keywords", "authors"): ["Christoph Simon"]})
    app = make_app(home, include=("nothing matches this",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = list_rows(app)
        assert rows and all("@Christoph Simon" in row for row in rows)
        assert "Followed authors 1/1" in str(app.screen.query_one("#views").render())
        assert "Followed    Christoph Simon" in detail_text(app)


async def test_authors_are_edited_in_the_keyword_editor(home):
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("K")
        assert isinstance(app.screen, KeywordsScreen)
        await pilot.press("tab", "tab", *"Youssef Kora", "enter", "ctrl+s")  # the authors list
        await settle(pilot)
        assert app.reader.config.authors == ("Youssef Kora",)
        assert 'authors = ["Youssef Kora"]' in Paths.under(home).config_file.read_text()


async def test_code_only_shows_papers_with_a_code_link(home):
    app = make_app(home, feeds=(API_PAGE,), include=("learning", "model*"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = len(app.reader.viewing.rows())
        await pilot.press("c")
        rows = list_rows(app)
        assert 0 < len(rows) < before and all(" ◆ " in row for row in rows)
        assert "with code only" in status_text(app)
        assert "Code        https://github.com/" in detail_text(app)


async def test_a_note_stars_the_paper_is_searchable_and_survives_a_restart(home):
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.reader.viewing.rows()[0].paper
        await pilot.press("N")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"read for the group meeting", "ctrl+s")
        assert "Note        read for the group meeting" in detail_text(app)
        await pilot.press("slash", *"note:group note:meeting")
        await settle(pilot)
        assert [row.paper.id for row in app.reader.viewing.rows()] == [paper.id]
    library = saved(home)
    marks = library.marks.of([paper.id])[paper.id]
    assert marks.starred and marks.note == "read for the group meeting"
    assert [found.id for found in library.search("note:meeting").papers] == [paper.id]
    library.close()


async def test_a_note_is_markdown_of_any_length_shown_rendered_and_escape_keeps_it(home):
    app = make_app(home)
    note = "## Method\n\nThey use **beam search**:\n\n- width 4\n- no length penalty\n\n" + "long " * 2_000
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.reader.viewing.rows()[0].paper
        await pilot.press("N")
        app.screen.query_one("#note-input").load_text(note)  # pasted: 10,000 characters and more
        await pilot.press("escape")  # keeps it: what was typed is never thrown away by a key
        await settle(pilot)
        shown = " ".join(detail_text(app).split())
        assert "Note ## Method … (in full below)" in shown
        pane = app.screen.query_one(PaperDetail)
        drawn = " ".join("".join(strip.text for strip in pane._lines).split())
        assert "They use beam search:" in drawn and "**" not in drawn  # rendered, not raw
        assert "• width 4" in drawn
        await pilot.press("N", "ctrl+s")  # opened and kept unchanged: nothing written
        await settle(pilot)
    library = saved(home)
    kept = library.marks.of([paper.id])[paper.id].note
    assert kept.startswith("## Method\n\nThey use **beam search**:\n\n- width 4") and len(kept) > 10_000
    library.close()


async def test_export_of_the_view_as_bibtex_a_parser_reads(home, tmp_path):
    app = make_app(home)
    target = tmp_path / "out" / "today.bib"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = len(app.reader.viewing.rows())
        await pilot.press("e")
        assert isinstance(app.screen, ExportScreen)
        path = app.screen.query_one("#export-path")
        assert path.value.endswith(".bib")
        await save_export(pilot, path, target)
    entries = parse_bibtex(target.read_text())
    assert len(entries) == shown and all(entry["ENTRYTYPE"] == "misc" for entry in entries)


async def test_an_export_never_replaces_a_file_unasked_and_follows_the_typed_extension(home, tmp_path):
    app = make_app(home)
    existing = tmp_path / "mine.md"
    existing.write_text("my own notes\n")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.reader.viewing.rows()[0].paper
        app.reader.marking.set_starred(paper, True)
        app.reader.marking.set_note(paper, "for the reading group")
        await pilot.press("3", "e")  # the first keyword's view
        path = app.screen.query_one("#export-path")
        assert "arxiv-entanglement-2025-04-28.bib" in path.value  # the view and the listing's date
        path.value = str(existing)
        path.focus()
        await pilot.press("enter")
        assert isinstance(app.screen, ExportScreen)  # asked, not written
        assert "exists" in str(app.screen.query_one("#export-problem").render())
        assert existing.read_text() == "my own notes\n"
        await pilot.press("enter")  # the second enter replaces it
        await settle(pilot)
    text = existing.read_text()
    assert text.startswith("# ") and "for the reading group" in text  # Markdown, as typed: .md
    assert "Starred" in text


async def test_download_saves_the_pdf_and_a_failure_leaves_nothing(home, httpserver, tmp_path):
    folder = tmp_path / "pdfs"
    make_app(home)  # writes the test config first
    update_config(
        Paths.under(home).config_file,
        {("source", "pdf_url"): httpserver.url_for("/pdf"), ("download", "folder"): str(folder)},
    )
    httpserver.expect_request("/pdf/2504.17837v1").respond_with_data(PDF, content_type="application/pdf")
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.current_paper.id == "2504.17837"
        await pilot.press("d")
        await settle(pilot)
        saved = list(folder.iterdir())
        assert len(saved) == 1 and saved[0].name.startswith("2504.17837v1 Statistical noise")
        assert saved[0].read_bytes() == PDF
        assert any("Saved" in n.message for n in said(app))
        await pilot.press("j", "d")  # no answer for this one: 404
        await settle(pilot)
        assert len(list(folder.iterdir())) == 1
        assert any("Download failed" in n.message and "HTTP" in n.message for n in said(app))
