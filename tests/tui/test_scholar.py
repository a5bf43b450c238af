"""Semantic Scholar in the reader (`w`, `W`), against recorded answers on a loopback server."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from arxiv_tui.core.matching.views import CITATIONS, CITED, INBOX
from arxiv_tui.core.sources import scholar
from arxiv_tui.tui import browser, paper_actions
from arxiv_tui.tui.screens.elsewhere import ElsewhereScreen
from tests.scholar_server import FakeScholar, serve_scholar
from tests.tui.conftest import (
    SIZE,
    detail_text,
    list_rows,
    make_app,
    press_until,
    said,
    saved,
    settle,
    status_text,
)


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    monkeypatch.setattr(scholar, "MIN_INTERVAL_SECONDS", 0.0)


def scholar_app(home, httpserver, fake: FakeScholar | None = None, settings=None, **options):
    fake = serve_scholar(httpserver, fake)
    base = httpserver.url_for("/").rstrip("/")
    return make_app(home, settings={("source", "s2_url"): base, **(settings or {})}, **options), fake


async def test_w_shows_who_cites_the_paper_then_its_references_and_esc_comes_back(home, httpserver):
    app, fake = scholar_app(home, httpserver)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.reader.viewing.rows()[0].paper
        await pilot.press("w")
        await settle(pilot)
        assert app.reader.viewing.view == CITED and len(list_rows(app)) == 60  # the citing papers on arXiv
        assert "cited by " in status_text(app) and "60/100 on arXiv" in status_text(app)
        citing = app.reader.viewing.rows()[0].paper
        await pilot.press("s")  # a citing paper starred, from Semantic Scholar's record
        await pilot.press("w")  # its references: none of the 14 recorded is on arXiv
        assert "references of " in status_text(app) and "0/14 on arXiv" in status_text(app)
        await pilot.press("escape")
        assert app.reader.viewing.view == INBOX and app.screen.papers.highlighted_id == paper.id
        shown = " ".join(detail_text(app).split())
        assert "Citations 10,059 (530 influential), by Semantic Scholar" in shown
        assert "TLDR If the meaning of the words" in shown
        assert app.reader.writer.wait_idle(10)
    library = saved(home)
    assert library.marks.of([citing.id])[citing.id].starred and library.paper(citing.id) is not None
    library.close()
    asked = len(fake.requests)
    offline, _ = scholar_app(home, httpserver, offline=True)
    async with offline.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert offline.reader.viewing.view == CITED and len(list_rows(offline)) == 60  # from the library
        assert len(fake.requests) == asked


async def test_counts_for_a_view_in_one_batch_then_a_sort_by_citations(home, httpserver):
    app, fake = scholar_app(home, httpserver, FakeScholar(every_id=True))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        shown = len(app.reader.viewing.rows())
        await pilot.press("W")
        await settle(pilot)
        assert [path for _, path, _ in fake.requests] == ["/graph/v1/paper/batch"]
        assert any(f"Citation counts for {shown} papers" in str(n.message) for n in said(app))
        await press_until(pilot, "S", lambda: app.reader.viewing.sort == CITATIONS, "sorted by citations")
        await settle(pilot)
        counts = [app.reader.citations.facts[row.paper.id].citations for row in app.reader.viewing.rows()]
        assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
        assert f"  {counts[0]:,} cited" in list_rows(app)[0]  # each row says its count
        assert "sorted: citations" in status_text(app)


async def test_a_busy_or_unknown_answer_is_said_and_the_reader_keeps_running(home, httpserver):
    app, _ = scholar_app(home, httpserver, FakeScholar(busy=99))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert app.reader.viewing.view == INBOX
        assert any("Semantic Scholar is busy" in str(n.message) for n in said(app))
        await pilot.press("j")
        assert app.screen.papers.cursor == 1


def test_sorting_by_citations_is_offered_only_once_counts_are_known(home):
    app = make_app(home)
    reader = app.reader
    seen = {reader.viewing.sort}
    for _ in range(8):
        reader.viewing.cycle_sort()
        seen.add(reader.viewing.sort)
    assert CITATIONS not in seen
    reader.close()


async def test_l_lists_the_references_off_arxiv_and_enter_opens_one_by_its_doi(home, httpserver, monkeypatch):
    opened = []

    def open_url(url: str, command: str = "") -> bool:
        opened.append(browser.check_url(url))  # refused as the real one refuses
        return True

    monkeypatch.setattr(paper_actions, "open_url", open_url)
    app, _ = scholar_app(home, httpserver)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("w")  # the references: none of the 14 is on arXiv
        assert "l: the 14 others" in status_text(app)
        assert "None of the 14 references is on arXiv. l lists them" in detail_text(app)
        await pilot.press("l")
        dialog = app.screen
        assert isinstance(dialog, ElsewhereScreen) and len(dialog.papers) == 14
        listed = dialog.query_one(OptionList)
        assert "Calculating Instruments and Machines" in str(listed.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not dialog
    assert opened == ["https://doi.org/10.2307/3610576"]
