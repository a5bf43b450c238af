"""The morning's triage in keys: one key a decision, undo, where am I, every terminal size."""

from __future__ import annotations

from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import load_config
from arxiv_tui.tui.widgets.paper_detail import PaperDetail
from arxiv_tui.tui.widgets.paper_list import PaperList
from tests.tui.conftest import SIZE, detail_text, list_rows, make_app, said, saved, settle, status_text


def cursor(app) -> int:
    return app.screen.query_one(PaperList).cursor


async def test_keep_and_skip_decide_in_one_key_and_move_to_the_next_unread(app_factory, home):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = app.reader.viewing.rows()
        await pilot.press("f")  # keep: starred, read, on to the next
        assert app.reader.marking.is_starred(rows[0].paper.id) and app.reader.marking.is_read(
            rows[0].paper.id
        )
        assert cursor(app) == 1
        await pilot.press("x")  # skip: read, not starred, on to the next
        assert app.reader.marking.is_read(rows[1].paper.id) and not app.reader.marking.is_starred(
            rows[1].paper.id
        )
        assert cursor(app) == 2 and rows[2].paper.title in detail_text(app)
        assert f"3/{len(rows)} · {len(rows) - 2} undecided" in status_text(app)  # the Inbox's word
        assert app.reader.writer.wait_idle(10)
        library = saved(home)
        marks = library.marks.of([rows[0].paper.id, rows[1].paper.id])
        assert marks[rows[0].paper.id].starred and marks[rows[1].paper.id].read
        library.close()


async def test_n_and_p_go_to_unread_papers_only_wrapping_around_the_view(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = app.reader.viewing.rows()
        app.reader.marking.set_read([rows[1].paper, rows[2].paper])
        await pilot.press("n")
        assert cursor(app) == 3  # over the two read ones
        await pilot.press("p")
        assert cursor(app) == 0
        await pilot.press("p")  # wraps to the bottom
        assert cursor(app) == len(rows) - 1
        app.reader.marking.set_read([row.paper for row in rows])
        await pilot.press("n")
        assert cursor(app) == len(rows) - 1  # nothing unread: it stays, and says so


async def test_marking_the_whole_view_read_is_one_key_and_undone_by_z(app_factory, home):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")  # Matched (in the Inbox, A asks first: test_inbox.py)
        rows = app.reader.viewing.rows()
        app.reader.marking.set_read([rows[0].paper])  # read before: must stay read after the undo
        await pilot.press("A")
        assert all(app.reader.marking.is_read(row.paper.id) for row in rows)
        assert all(not line.startswith("●") for line in list_rows(app))
        await pilot.press("z")
        assert app.reader.marking.is_read(rows[0].paper.id)
        assert not any(app.reader.marking.is_read(row.paper.id) for row in rows[1:])
        assert app.reader.writer.wait_idle(10)
        library = saved(home)
        assert list(library.marks.of(row.paper.id for row in rows)) == [rows[0].paper.id]
        library.close()


async def test_unstarring_keeps_the_note_and_z_brings_the_star_back_with_its_time(app_factory, home):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.reader.viewing.rows()[0].paper
        app.reader.marking.set_starred(paper, True)
        app.reader.marking.set_note(paper, "read section 3")
        first_star = app.reader.marking.of(paper.id).starred_at
        await pilot.press("s")  # unstar
        assert not app.reader.marking.is_starred(paper.id)
        assert app.reader.marking.of(paper.id).note == "read section 3"
        await pilot.press("z")
        assert app.reader.marking.of(paper.id).starred_at == first_star
        await pilot.press("z")  # nothing more to undo: says so, changes nothing
        assert app.reader.marking.is_starred(paper.id)
        assert app.reader.writer.wait_idle(10)
        library = saved(home)
        marks = library.marks.of([paper.id])[paper.id]
        assert marks.starred_at == first_star and marks.note == "read section 3"
        library.close()


async def test_number_keys_jump_to_views_and_the_cursor_stays_on_its_paper(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        views = app.reader.viewing.views()
        all_number = next(n for n, view in enumerate(views, 1) if view.key == "all")
        await pilot.press("j", "j")
        paper = app.reader.viewing.rows()[2].paper
        await pilot.press(str(all_number))
        assert app.reader.viewing.view == "all"
        assert app.screen.query_one(PaperList).highlighted_id == paper.id  # still on it
        await pilot.press("1")
        assert app.reader.viewing.view == views[0].key
        assert app.screen.query_one(PaperList).highlighted_id == paper.id


async def test_an_empty_search_says_no_results_and_esc_keeps_the_paper(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j")
        paper = app.reader.viewing.rows()[1].paper
        await pilot.press("slash", *"zzzqqqxxx")
        await settle(pilot)
        assert "search: zzzqqqxxx: no results" in status_text(app)
        assert "0 papers" in status_text(app)
        await pilot.press("escape")
        assert app.screen.query_one(PaperList).highlighted_id == paper.id


async def test_at_80x24_the_panes_stack_and_the_abstract_is_on_screen(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.has_class("-stacked")
        papers, detail = app.screen.query_one(PaperList), app.screen.query_one(PaperDetail)
        assert papers.region.bottom <= detail.region.y  # the list above the paper
        assert papers.region.width >= 78 and detail.region.width >= 78
        paper = app.reader.viewing.rows()[0].paper
        shown = "\n".join(detail.render_line(y).text for y in range(detail.region.height))
        assert paper.abstract.split()[0] in shown  # the abstract starts on screen
        assert not papers.show_horizontal_scrollbar
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        assert not app.screen.has_class("-stacked")
        assert papers.region.y == detail.region.y  # side by side again


async def test_space_pages_the_abstract_and_j_scrolls_it_when_it_has_focus(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        detail = app.screen.query_one(PaperDetail)
        assert detail.max_scroll_y > 0  # at 80x24 the paper is longer than its pane
        await pilot.press("space")
        assert detail.scroll_y > 0 and cursor(app) == 0  # paged; the list did not move
        await pilot.press("shift+space")
        assert detail.scroll_y == 0
        detail.focus()
        await pilot.press("j")
        assert detail.scroll_y == 1 and cursor(app) == 0


async def test_two_line_rows_show_the_authors_under_the_title(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        paper = app.reader.viewing.rows()[0].paper
        await pilot.press("L")
        assert papers.two_lines and papers.virtual_size.height == 2 * len(papers.rows)
        first, second = papers.texts(0)
        assert paper.title in first.whole.plain and paper.authors[0] in second.plain
        await pilot.press("j")
        assert papers.highlighted_id == app.reader.viewing.rows()[1].paper.id
        await pilot.press("L")
        assert not papers.two_lines and papers.virtual_size.height == len(papers.rows)


async def test_copying_the_id_and_the_bibtex_entry(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.reader.viewing.rows()[0].paper
        await pilot.press("i")
        assert app.clipboard == f"{paper.id}v{paper.version}"
        await pilot.press("b")
        assert app.clipboard.startswith("@misc{") and paper.id in app.clipboard
        await settle(pilot)


def test_the_old_read_on_view_setting_is_named_with_what_replaced_it(home):
    paths = Paths.under(home)
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text("[ui]\nmark_read_on_view = true\n", encoding="utf-8")
    config, warnings = load_config(paths.config_file)
    assert config.mark_read_after_seconds == 0
    assert any("mark_read_on_view" in w and "mark_read_after_seconds" in w for w in warnings)
    paths.config_file.write_text("[ui]\nmark_read_on_view = false\n", encoding="utf-8")
    assert load_config(paths.config_file)[1] == []  # the same as now: nothing to say


async def test_config_warnings_are_shown_inside_the_reader(home):
    app = make_app(home, settings={("ui", "mark_read_on_view"): True})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert any("mark_read_on_view" in str(n.message) for n in said(app))


async def test_help_is_first_in_the_footer_at_80_columns(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer_keys = [binding.key for (_, binding, enabled, tooltip) in app.screen.active_bindings.values()
                       if binding.show]  # fmt: skip
        assert footer_keys[0] == "question_mark" and "q" in footer_keys


async def test_the_cursor_stays_on_its_paper_across_older_and_newer_listings(app_factory, tmp_path):
    """Two listings announcing the same papers (the next day's as a copy of the recorded one)."""
    from tests.tui.conftest import QUANT_PH

    next_day = tmp_path / "rss-quant-ph-2025-04-29.xml"
    next_day.write_bytes(QUANT_PH.read_bytes().replace(b"Mon, 28 Apr 2025", b"Tue, 29 Apr 2025"))
    app = app_factory(feeds=(QUANT_PH, next_day))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.reader.viewing.listing.date.day == 29
        await pilot.press("j", "j", "j")
        paper = app.screen.papers.highlighted_id
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert app.reader.viewing.listing.date.day == 28 and app.screen.papers.highlighted_id == paper
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert app.reader.viewing.listing.date.day == 29 and app.screen.papers.highlighted_id == paper


async def test_a_remapped_key_works_and_one_taken_from_another_command_is_warned_of(home):
    app = make_app(home, settings={("ui", "keys"): {"star": "s,asterisk", "nope": "x"}})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.screen.current_paper
        await pilot.press("asterisk")
        assert paper is not None and app.reader.marking.is_starred(paper.id)
        assert any("'nope': no command has this binding id" in note.message for note in said(app))
    from arxiv_tui.core.base.paths import Paths
    from arxiv_tui.core.config import update_config

    update_config(Paths.under(home).config_file, {("ui", "keys"): {"star": "s,w"}})
    clash = make_app(home)
    async with clash.run_test(size=SIZE) as pilot:
        await settle(pilot)
        warned = [note.message for note in said(clash) if "gives w to star / unstar" in note.message]
        assert warned and "citations (who cites it)" in warned[0]


async def test_a_row_shortens_its_title_before_it_hides_a_tag_or_a_followed_author(home):
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        rows = app.reader.viewing.rows()
        longest = max(range(len(rows)), key=lambda index: len(rows[index].paper.title))
        assert len(rows[longest].paper.title) > 80
        papers.move_to(longest)
        await pilot.press("t", *"thesis ch. 3", "enter")
        await settle(pilot)
        shown = papers.render_line(papers.cursor - papers.scroll_offset.y).text
        assert "#thesis ch. 3" in shown and len(shown) <= 80
        assert rows[longest].paper.title[:20] in shown  # the title is shortened, not gone
