"""The reader driven with Pilot as a user would: keys in, screen and library out."""

from __future__ import annotations

import asyncio
import io
import stat

from rich.console import Console
from textual.geometry import Region
from textual.widgets import Static

from arxiv_tui.core.config import load_config
from arxiv_tui.core.matching import user_regex
from arxiv_tui.core.matching.views import STARRED
from arxiv_tui.tui.screens.help import HelpScreen, keys_table
from arxiv_tui.tui.screens.keywords import KeywordsScreen
from arxiv_tui.tui.widgets.paper_detail import PaperDetail
from arxiv_tui.tui.widgets.paper_list import PaperList
from tests.conftest import FIXTURES
from tests.tui.conftest import (
    SIZE,
    detail_text,
    list_rows,
    make_app,
    press_until,
    said,
    saved,
    settle,
    shown_rows,
    status_text,
    wait_for,
)


async def test_opens_on_the_listing_with_counts_and_detail_follows_the_cursor(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        status = status_text(app)
        assert "New listings for Mon 28 Apr 2025" in status
        assert f"{len(app.reader.viewing.filtered.matched)} matched of 81 announced" in status
        rows = app.reader.viewing.rows()
        assert rows and rows[0].paper.title in detail_text(app)
        await pilot.press("j")
        assert rows[1].paper.title in detail_text(app)
        await pilot.press("k")
        assert rows[0].paper.title in detail_text(app)
        await pilot.press("G")
        assert rows[-1].paper.title in detail_text(app)


async def test_passing_over_papers_never_reads_them_but_r_and_enter_do(app_factory, home):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = app.reader.viewing.rows()
        await pilot.press("j", "j", "k", "k", "v", "V")  # skimming: shown, moved over, switched
        assert not any(app.reader.marking.is_read(row.paper.id) for row in rows)
        await pilot.press("r")
        assert app.reader.marking.is_read(rows[0].paper.id)
        await pilot.press("r")
        assert not app.reader.marking.is_read(rows[0].paper.id)  # and it stays unread when shown again
        await pilot.press("j", "k")
        assert not app.reader.marking.is_read(rows[0].paper.id)
        await pilot.press("j", "enter")  # read at full size
        assert app.reader.marking.is_read(rows[1].paper.id) and app.screen.has_class("-reading")
        assert not app.screen.query_one("#papers").display
        await pilot.press("escape")
        assert not app.screen.has_class("-reading") and app.screen.query_one("#papers").display
        assert app.reader.writer.wait_idle(10)
        library = saved(home)
        marks = library.marks.of([rows[0].paper.id, rows[1].paper.id])
        assert rows[0].paper.id not in marks and marks[rows[1].paper.id].read
        library.close()


async def test_a_paper_shown_long_enough_becomes_read_when_asked_for(home):
    app = make_app(home, settings={("ui", "mark_read_after_seconds"): 0.05})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first, second = (row.paper for row in app.reader.viewing.rows()[:2])
        # the dwell timer, waited on by its effect
        await wait_for(pilot, lambda: app.reader.marking.is_read(first.id), "the first paper read")
        await pilot.press("j", "k", "j")
        await wait_for(pilot, lambda: app.reader.marking.is_read(second.id), "the second paper read")
        assert not app.screen.query_one("#papers").row_text(1).plain.startswith("●")  # no unread dot


async def test_star_survives_a_restart(app_factory, home):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "s")
        starred = app.reader.viewing.rows()[1].paper
        assert "★" in list_rows(app)[1]
    again = app_factory(feeds=(), offline=True)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.reader.marking.is_starred(starred.id)
        await press_until(pilot, "v", lambda: again.reader.viewing.view == STARRED, "the Starred view")
        await settle(pilot)
        assert [row.paper.id for row in again.reader.viewing.rows()] == [starred.id]
        assert starred.title in detail_text(again)
        assert "offline" in status_text(again)


async def test_q_quits_and_what_was_just_starred_is_kept(app_factory, home):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s", "q")
        for _ in range(100):  # the exit's messages, each awaited (not a time limit)
            if not app.is_running:
                break
            await pilot.pause()
        assert not app.is_running, "q did not quit"
        starred = app.reader.viewing.rows()[0].paper
    again = app_factory(feeds=(), offline=True)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.reader.marking.is_starred(starred.id)


async def test_o_opens_the_pdf_through_the_browser_variable(app_factory, tmp_path, monkeypatch):
    record = tmp_path / "opened.txt"
    script = tmp_path / "fake-browser"
    script.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{record}"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("BROWSER", str(script))
    import webbrowser

    monkeypatch.setattr(webbrowser, "_tryorder", None)  # let webbrowser read $BROWSER afresh
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.reader.viewing.rows()[0].paper
        await pilot.press("o")
        for _ in range(100):
            if record.exists():
                break
            await asyncio.sleep(0.05)
        assert record.read_text() == f"https://arxiv.org/pdf/{paper.id}"


async def test_no_browser_shows_and_copies_the_url(app_factory, monkeypatch):
    monkeypatch.setenv("BROWSER", "/nonexistent/browser")
    import webbrowser

    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.reader.viewing.rows()[0].paper
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.clipboard == f"https://arxiv.org/abs/{paper.id}"
        told = [note.message for note in said(app) if "No browser could be started" in note.message]
        assert told and "Copied to the clipboard" not in told[0]  # no claim of what may not have happened
        assert "through the terminal" in told[0] or "Copied the link" in told[0]


async def test_search_filters_incrementally_and_escape_clears(app_factory):
    app = app_factory(include=("quantum",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        total = len(app.reader.viewing.rows())
        await pilot.press("slash", *"reservoir")
        await settle(pilot)
        rows = app.reader.viewing.rows()
        assert 0 < len(rows) < total
        assert all("reservoir" in (r.paper.title + r.paper.abstract).lower() for r in rows)
        assert len(list_rows(app)) == len(rows)
        assert f"search: reservoir: {len(rows)} results" in status_text(app)
        assert f"1/{len(rows)}" in status_text(app)
        await pilot.press("escape")
        assert len(app.reader.viewing.rows()) == total


async def test_unread_only_hides_read_papers(app_factory):
    app = app_factory(include=("quantum",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        total = len(app.reader.viewing.rows())
        await pilot.press("x", "x", "x")  # three papers read, one key each
        await pilot.press("u")
        assert len(list_rows(app)) == total - 3
        assert "unread only" in status_text(app)


async def test_views_cycle_through_keywords_starred_all_and_replacements(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seen = [app.reader.viewing.view]
        for _ in range(len(app.reader.viewing.views()) - 1):
            await pilot.press("v")
            seen.append(app.reader.viewing.view)
        await settle(pilot)
        assert seen == ["inbox", "matched", "keyword:entanglement", "keyword:qubit*",
                        "keyword:quantum error correction", "starred", "all", "replacements"]  # fmt: skip
        await pilot.press("V")
        assert app.reader.viewing.view == "all"
        await pilot.press("v")
        assert all(row.paper.is_replacement for row in app.reader.viewing.rows())
        assert len(app.reader.viewing.rows()) == 31


async def test_keyword_editor_saves_preserves_comments_and_refilters(app_factory, home):
    app = app_factory()
    config_file = home / "config.toml"
    assert "# A paper matches when" in config_file.read_text()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = len(app.reader.viewing.filtered.matched)
        await pilot.press("K")
        assert isinstance(app.screen, KeywordsScreen)
        await pilot.press(*"photon*")
        await settle(pilot)
        feedback = str(app.screen.query_one("#term-feedback", Static).render())
        assert "matches" in feedback and "papers of this listing" in feedback
        await pilot.press("enter", "ctrl+s")
        assert not isinstance(app.screen, KeywordsScreen)
        assert len(app.reader.viewing.filtered.matched) > before
    config, _ = load_config(config_file)
    assert config.include[-1] == "photon*"
    assert "# A paper matches when" in config_file.read_text()


async def test_an_invalid_regex_shows_inline_and_is_not_added(app_factory, home):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("K", *"/(unclosed/", "enter")
        feedback = app.screen.query_one("#term-feedback", Static)
        assert "not a valid regular expression" in str(feedback.render())
        assert feedback.has_class("error")
        await pilot.press("escape", "ctrl+s")
    assert "/(unclosed/" not in (home / "config.toml").read_text()


async def test_help_lists_every_binding_with_its_id(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_a_network_failure_is_a_notice_not_a_crash(app_factory):
    app = app_factory(feeds=())  # rss_url points at a closed port on 127.0.0.1
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "fetch failed" in status_text(app)
        assert any(n.severity == "error" for n in said(app))
        await pilot.press("j", "s", "v")  # the keyboard still works
        assert app.is_running


async def test_hostile_feed_is_shown_literally_without_control_characters(app_factory):
    app = app_factory(feeds=(FIXTURES / "hostile-rss-synthetic.xml",), include=("speech synthesis", "TTS"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = list_rows(app)
        assert any("[bold red]x[/] and [link=file:///etc/passwd]click[/link]" in row for row in rows)
        shown = detail_text(app)
        assert "[bold red]x[/]" in shown and "Mallory [b]Evil[/b]" in shown
        assert not any(char in shown for char in "\x1b\x07\x9b\u202e")
        # a rendered line carries no ESC from the feed either
        detail = app.screen.query_one(PaperDetail)
        lines = [detail.render_line(y) for y in range(detail.size.height)]
        assert all("\x1b" not in segment.text for line in lines for segment in line)


async def test_keymap_from_config_remaps_binding_ids(home):
    from tests.tui.conftest import make_app

    make_app(home)  # writes the test config
    text = (home / "config.toml").read_text().replace("[ui.keys]\n", '[ui.keys]\nstar = "w"\n')
    (home / "config.toml").write_text(text)
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.reader.viewing.rows()[0].paper
        await pilot.press("w")
        assert app.reader.marking.is_starred(paper.id)
        await pilot.press("question_mark")  # the help shows the key as remapped
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(keys_table(app.screen.keymap))
        star_line = next(line for line in console.export_text().splitlines() if "Star / unstar" in line)
        assert star_line.split()[0] == "w"


async def test_the_chosen_theme_is_remembered(app_factory, home):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    config, _ = load_config(home / "config.toml")
    assert config.theme == "nord"
    assert "# A paper matches when" in (home / "config.toml").read_text()


async def test_older_and_newer_listings_from_the_library(app_factory):
    app = app_factory(
        feeds=(FIXTURES / "rss-quant-ph-2025-04-28.xml", FIXTURES / "atom-cs.AI-2025-08-20.xml")
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Wed 20 Aug 2025" in status_text(app)
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert "Mon 28 Apr 2025" in status_text(app) and "older listing" in status_text(app)
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert "Wed 20 Aug 2025" in status_text(app)


async def test_search_of_the_library_finds_papers_of_every_day_and_opens_them_whole(app_factory):
    app = app_factory(
        feeds=(FIXTURES / "rss-quant-ph-2025-04-28.xml", FIXTURES / "rss-cs.CL-2026-04-27-excerpt.xml")
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.reader.viewing.listing.date.year == 2026  # the newer listing is shown
        await pilot.press("F", *"quantum")
        await settle(pilot)
        rows = list_rows(app)
        assert rows and all("28 Apr" in row or "27 Apr" in row for row in rows)
        assert any("28 Apr" in row for row in rows)  # found in the older listing too
        assert "search all: quantum:" in status_text(app)
        shown = detail_text(app)
        listed = app.reader.viewing.rows()[0].paper.listing_date
        assert f"{listed:%a %d %b %Y}" in shown and len(shown) > 400  # the abstract, from the library
        await pilot.press("enter", "escape")
        assert app.reader.viewing.view != "search" and "search all" not in status_text(app)


async def test_a_search_that_cannot_run_says_why_in_the_status_line(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = len(shown_rows(app))
        await pilot.press("slash", *"(qubit")
        await settle(pilot)
        assert "✗ an opening parenthesis is not closed" in status_text(app)
        assert len(shown_rows(app)) == before and app.is_running


def test_the_views_line_keeps_the_current_view_visible_when_there_are_many():
    from arxiv_tui.tui.widgets.view_tabs import view_tabs

    labels = [(f"keyword number {n} (3)", n == 9, False) for n in range(12)]
    shown = view_tabs(labels, 80)
    assert shown.cell_len <= 80
    assert "keyword number 9 (3)" in shown.plain and shown.plain.startswith("‹ ")
    assert view_tabs(labels[:2], 80).plain == "keyword number 0 (3) │ keyword number 1 (3)"
    first = view_tabs([(label, index == 0, False) for index, (label, _, _) in enumerate(labels)], 80)
    assert first.plain.startswith("keyword number 0") and first.plain.endswith(" ›")


async def test_the_detail_pane_scrolls_exactly_when_the_paper_is_longer_than_it(app_factory):
    """At 160x48 some abstracts overflow the pane and some fit; moving between them must never
    leave a scrollbar on a paper that fits, nor make a long one unscrollable."""
    app = app_factory()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        detail = app.screen.query_one(PaperDetail)
        seen = {True: 0, False: 0}
        for _ in range(len(app.reader.viewing.rows())):
            await pilot.pause()
            lines = detail.virtual_size.height
            longer = lines > detail.scrollable_content_region.height
            seen[longer] += 1
            assert (detail.max_scroll_y > 0) == longer
            assert detail.show_vertical_scrollbar == longer
            assert detail.max_scroll_y == max(lines - detail.scrollable_content_region.height, 0)
            await pilot.press("j")
        assert seen[True] and seen[False]  # both kinds were met


async def test_the_list_shows_where_it_is_scrolled_with_a_thumb_in_its_last_column(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        papers = app.screen.query_one("#papers", PaperList)

        def thumb_lines() -> list[int]:
            strips = papers.render_lines(Region(0, 0, papers.size.width, papers.size.height))
            return [y for y, strip in enumerate(strips) if strip.text.endswith("▐")]

        assert len(papers.rows) > papers.size.height  # it scrolls
        top = thumb_lines()
        assert top and top[0] == 0
        await pilot.press("G")
        await pilot.pause()
        bottom = thumb_lines()
        assert bottom and bottom[-1] == papers.size.height - 1 and len(bottom) == len(top)


async def test_at_80x24_the_status_line_keeps_errors_and_the_way_back_over_the_title(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"(qubit OR entanglement OR quantum circuits")
        await settle(pilot)
        assert "✗ an opening parenthesis is not closed" in status_text(app)
        await pilot.press("escape", "escape", "m")  # more like this: how to get back must show
        await settle(pilot)
        said = status_text(app)
        assert "like: " in said and said.endswith("esc: back") and len(said) <= 78
        words = app.reader.viewing.similar.terms
        assert f"found by the words: {', '.join(words)}" in detail_text(app)  # not in the line: here


def test_the_status_line_drops_details_then_notes_then_the_title_before_an_error():
    from arxiv_tui.tui.widgets.status_line import DETAIL, KEEP, MUST, NOTE, Part, Status, fitted

    status = Status(
        "New listings for Thu 28 Nov 2024",
        (Part("3/166 · 165 unread", keep=KEEP), Part("166 matched of 1504 announced", keep=DETAIL),
         Part("older listing (> for newer)", "warning", NOTE),
         Part("✗ a prefix needs at least 2 letters: 'q*'", "error", MUST)),
    )  # fmt: skip
    wide = fitted(status, 200).plain
    assert all(part in wide for part in ("New listings", "165 unread", "announced", "older", "✗"))
    narrow = fitted(status, 70).plain
    assert "✗ a prefix needs at least 2 letters: 'q*'" in narrow and "3/166" in narrow
    assert "announced" not in narrow and "older" not in narrow and len(narrow) <= 70
    tight = fitted(status, 45).plain
    assert tight.startswith("✗ a prefix needs at least 2 letters: 'q*'")  # what must be said, first


async def test_a_paper_with_thirty_authors_keeps_the_abstract_on_screen_at_80x24(home, tmp_path):
    from tests.hostile import feed, item

    names = ", ".join(f"Author Number{n}" for n in range(30))
    listing = tmp_path / "many.xml"
    listing.write_bytes(
        feed(item(title="Entanglement by many hands", abstract="Entanglement " * 40, creator=names))
    )
    app = make_app(home, feeds=(listing,))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = "\n".join(
            app.screen.query_one(PaperDetail).render_line(y).text
            for y in range(app.screen.query_one(PaperDetail).region.height)
        )
        assert "Author Number0" in shown and "… +22, Author Number29" in shown
        assert "Entanglement Entanglement" in shown  # the abstract starts on screen


async def test_the_key_line_names_the_screens_keys_and_a_click_on_one_presses_it(app_factory):
    from arxiv_tui.tui.widgets.key_bar import KeyBar

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        line = bar.render().plain
        assert "? Help" in line and "s Star" in line and "q Quit" in line
        before = list_rows(app)
        star_at = line.index(" s Star")
        await pilot.click(KeyBar, offset=(star_at + 1, 0))
        await wait_for(pilot, lambda: list_rows(app)[0] != before[0], "the click on `s` starred the paper")
        assert "★" in list_rows(app)[0]
        await pilot.click(KeyBar, offset=(line.index(" ? Help") + 1, 0))
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "the click on `?` opened the help")


async def test_the_status_line_counts_a_search_only_for_the_text_its_answer_is_for(app_factory):
    from arxiv_tui.tui.screens.reader.status import status_of

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("F", *"qubit")
        await settle(pilot)
        assert "search all: qubit:" in status_text(app)
        reader = app.reader  # one more letter typed, its answer not in yet: no count is claimed for it
        pending = status_of(reader, "library", "qubits", "", (1, 5), 0, answered=False)
        said = " ".join(part.text for part in pending.parts)
        assert "searching qubits…" in said and "search all" not in said


async def test_a_regex_keyword_is_highlighted_in_the_paper_shown(home, monkeypatch):
    """A start shows the stored listing without loading `regex` (7 ms); it is loaded after the
    first frame, and the paper shown is drawn again with the keyword's hits."""
    keywords = (r"/entangle(?:d|ment)/",)
    async with make_app(home, include=keywords).run_test(size=SIZE) as pilot:
        await settle(pilot)  # the listing fetched, matched and stored
    monkeypatch.setattr(user_regex, "_loaded", False)  # as in a new process
    app = make_app(home, feeds=(), offline=True, include=keywords)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = app.screen.query_one(PaperDetail).text
        abstract_at = detail.plain.index("\n\n") + 2  # the abstract: styled only where hit
        hit = detail.plain.lower().index("entangle", abstract_at)
        styled = [(span.start, span.end) for span in detail.spans if span.end > abstract_at]
        assert any(start <= hit < end for start, end in styled)
        assert not any(start <= abstract_at < end for start, end in styled)  # not the whole abstract
