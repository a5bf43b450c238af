"""Rough edges of daily use, each as a user meets it: ctrl+c, the full-size view, R with nothing
new, quitting while a PDF downloads, picks that stay visible, paging the abstract back, keys
typed fast after `/`."""

from __future__ import annotations

import re
import threading

from werkzeug import Request, Response

from arxiv_tui.tui.widgets.paper_detail import PaperDetail
from tests.conftest import fixture_bytes
from tests.tui.conftest import SIZE, make_app, said, settle, status_text, wait_for


async def test_ctrl_c_says_how_to_quit_in_plain_words(home):
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        told = [note.message for note in said(app) if "quit" in note.message]
        assert told == ["Press q to quit arxiv-tui"] and app.is_running


async def test_n_and_p_in_the_full_size_view_read_the_papers_they_open(home):
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = app.screen.current_paper
        await pilot.press("enter", "n")
        second = app.screen.current_paper
        assert first is not None and second is not None and second.id != first.id
        assert app.screen.has_class("-reading")
        assert app.reader.marking.is_read(first.id) and app.reader.marking.is_read(second.id)


async def test_r_with_nothing_new_says_the_listing_is_up_to_date(home, httpserver):
    httpserver.expect_request("/rss/quant-ph").respond_with_data(
        fixture_bytes("rss-quant-ph-2025-04-28.xml"), content_type="application/rss+xml"
    )
    app = make_app(home, feeds=(), settings={("source", "rss_url"): httpserver.url_for("/rss")})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert any(
            "Up to date: the listing of Mon 28 Apr is still the newest" in m.message for m in said(app)
        )


async def test_quitting_while_a_pdf_downloads_asks_once_then_quits(home, httpserver, tmp_path):
    release, asked = threading.Event(), threading.Event()

    def slow_pdf(request: Request) -> Response:
        asked.set()
        release.wait(20)
        return Response(b"%PDF-1.4 tiny", content_type="application/pdf")

    httpserver.expect_request(re.compile(r"/pdf/.*")).respond_with_handler(slow_pdf)
    folder = tmp_path / "pdfs"
    settings = {("source", "pdf_url"): httpserver.url_for("/pdf"), ("download", "folder"): str(folder)}
    app = make_app(home, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await wait_for(pilot, asked.is_set, "the download has started")
        await pilot.press("q")
        warned = lambda: any("1 download not finished: q again quits" in note.message for note in said(app))  # noqa: E731
        await wait_for(pilot, warned, "the first q warns of the download")
        assert app.is_running
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running, "the second q quits")
        release.set()
    assert not folder.exists() or not any(folder.iterdir())  # a download that did not finish: no file


async def test_picked_papers_stay_said_in_the_status_line_until_esc(home):
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("M", "M", "j", "j")
        assert "2 picked: s r t o d e act on them · esc: none" in status_text(app)
        await pilot.press("escape")
        assert "picked" not in status_text(app)


async def test_minus_pages_the_abstract_back_up(home):
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        detail = app.screen.query_one(PaperDetail)
        await pilot.press("space")
        down = detail.scroll_offset.y
        await pilot.press("minus")
        assert down > 0 and detail.scroll_offset.y < down


def test_the_demo_keeps_downloads_and_exports_in_its_throwaway_home():
    import shutil

    from arxiv_tui.cli.main import demo_home
    from arxiv_tui.core.config import load_config
    from arxiv_tui.tui.paper_actions import download_folder, export_folder

    home = demo_home()
    try:
        config, _ = load_config(home / "config.toml")
        assert download_folder(config).is_relative_to(home) and export_folder(config).is_relative_to(home)
    finally:
        shutil.rmtree(home)


async def test_keys_typed_right_after_slash_go_into_the_search_not_to_the_list(home):
    from textual import events

    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        starred = app.reader.marking.session.star_count
        for key in ["slash", *"qubits"]:  # queued at once, as a fast typist's (or a paste's) keys come
            app.post_message(events.Key(key, "/" if key == "slash" else key))
        await settle(pilot)
        assert app.screen.search.value == "qubits"
        assert app.reader.marking.session.star_count == starred  # the `s` starred nothing
        await pilot.press(*"/F")  # in the box they are text, not commands
        assert app.screen.search.value == "qubits/F" and app.screen.search.mode == "view"


async def test_arrows_page_keys_home_and_end_move_the_cursor_not_only_the_scroll(home):
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:  # a list longer than its pane: it scrolls
        await settle(pilot)
        papers = app.screen.papers
        assert len(papers.rows) > papers.size.height
        await pilot.press("down", "down")
        assert papers.cursor == 2
        await pilot.press("end")
        assert papers.cursor == len(papers.rows) - 1 and f"{len(papers.rows)}/" in status_text(app)
        await pilot.press("home", "pagedown")
        assert papers.cursor > 2
        await pilot.press("up")
        assert papers.cursor > 1


async def test_keys_typed_after_q_open_nothing_as_the_reader_closes(home, monkeypatch):
    """`quest` typed where a search box was expected: q quits, and e must not open the export
    dialog while the screens close (it failed there, and the reader ended with a traceback).
    The closing is held open here, as a slow terminal holds it."""
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(app, "exit", lambda *args, **kwargs: None)
        await pilot.press(*"quest")
        await settle(pilot)
        assert app.quitting and app.screen is app.screen_stack[0]  # no dialog opened
