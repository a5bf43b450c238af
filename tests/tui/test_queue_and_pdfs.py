"""Your PDFs are yours: `d` remembers where it saved, `o` opens that copy in the PDF viewer, and
`Q` keeps a reading queue whose full texts and PDFs are fetched for offline reading (arXiv's
pages served on 127.0.0.1)."""

from __future__ import annotations

import os
import stat

from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import update_config
from arxiv_tui.tui.paper_actions import keep_offline
from arxiv_tui.tui.screens.reader.reading import QUEUE_TAG
from tests.conftest import FIXTURES
from tests.tui.conftest import SIZE, detail_text, make_app, messages, settle, wait_for

PDF = b"%PDF-1.4\n" + b"x" * 3_000 + b"\n%%EOF\n"
PAGE = (FIXTURES / "fulltext" / "fulltext-sample.html").read_bytes()


def serving(home, httpserver, tmp_path, more: dict | None = None) -> None:
    make_app(home)  # writes the test config first
    settings = {
        ("source", "pdf_url"): httpserver.url_for("/pdf"),
        ("source", "html_url"): httpserver.url_for("/html"),
        ("download", "folder"): str(tmp_path / "pdfs"),
        **(more or {}),
    }
    update_config(Paths.under(home).config_file, settings)


async def test_d_remembers_the_copy_and_o_opens_it_in_the_pdf_viewer(home, httpserver, tmp_path):
    record = tmp_path / "opened.txt"
    viewer = tmp_path / "fake-viewer"
    viewer.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{record}"\n')
    viewer.chmod(viewer.stat().st_mode | stat.S_IEXEC)
    serving(home, httpserver, tmp_path, {("ui", "pdf_viewer"): str(viewer)})
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.screen.current_paper
        httpserver.expect_request(f"/pdf/{paper.id}v{paper.version}").respond_with_data(PDF)
        await pilot.press("d")
        await wait_for(pilot, lambda: any("Saved" in text for text in messages(app)), "the PDF is saved")
        (saved,) = (tmp_path / "pdfs").iterdir()
        assert app.reader.library.downloads.copy_of(paper.id, paper.version) == str(saved)
        await pilot.press("o")
        await wait_for(pilot, record.exists, "the viewer is started")
        assert record.read_text() == str(saved)  # the copy d saved, not arxiv.org
        saved.unlink()  # moved away: o goes back to the arXiv link
        assert app.reader.library.downloads.copy_of(paper.id, paper.version) is None


async def test_q_queues_a_paper_keeps_it_for_offline_and_q_again_takes_it_out(home, httpserver, tmp_path):
    serving(home, httpserver, tmp_path)
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.screen.current_paper
        httpserver.expect_request(f"/pdf/{paper.id}v{paper.version}").respond_with_data(PDF)
        httpserver.expect_request(f"/html/{paper.id}v{paper.version}").respond_with_data(
            PAGE, content_type="text/html"
        )
        await pilot.press("Q")
        kept = lambda: any("1 full text and 1 PDF kept for offline" in text for text in messages(app))  # noqa: E731
        await wait_for(pilot, kept, "the queue's paper is kept for offline")
        library = app.reader.library
        assert QUEUE_TAG in app.reader.marking.of(paper.id).tags
        assert library.full_texts.load(paper.id) is not None
        assert library.downloads.copy_of(paper.id, paper.version) is not None
        await wait_for(
            pilot, lambda: "Offline     full text v1, PDF v1" in detail_text(app), "said on the paper"
        )
        again = keep_offline(app.reader.config, [paper], library.full_texts, library.downloads, lambda: False)
        assert again is None  # all kept already: nothing fetched, nothing said (as at each start)
        assert any(view.key == f"tag:{QUEUE_TAG}" for view in app.reader.viewing.views())  # the To read view
        await pilot.press("Q")  # out again
        assert QUEUE_TAG not in app.reader.marking.of(paper.id).tags
        await pilot.press("z")  # undone
        assert QUEUE_TAG in app.reader.marking.of(paper.id).tags
        os.remove(library.downloads.copy_of(paper.id, paper.version) or "")  # the PDF moved away
        app.screen.redraw_current()
        assert "Offline     full text v1" in detail_text(app) and "PDF v1" not in detail_text(app)


async def test_q_offline_queues_and_says_the_rest_waits_for_the_network(home):
    app = make_app(home, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.screen.current_paper
        await pilot.press("Q")
        await settle(pilot)
        assert QUEUE_TAG in app.reader.marking.of(paper.id).tags
        assert any("fetched when online" in text for text in messages(app))
        assert app.reader.library.full_texts.load(paper.id) is None
