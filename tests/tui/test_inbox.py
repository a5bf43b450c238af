"""The Inbox in the reader: every undecided paper of a catch-up is there after a restart, with the
last view and paper; A in it asks (all, or the cursor's day) and is undone by z."""

from __future__ import annotations

import datetime as dt

import pytest

from arxiv_tui.core.matching.views import INBOX
from arxiv_tui.core.sources import arxiv
from tests.arxiv_server import serve_api
from tests.tui.conftest import SIZE, list_rows, said, settle, status_text
from tests.tui.test_catch_up import reader

MON = dt.date(2025, 4, 28)


@pytest.fixture(autouse=True)
def quick_api(monkeypatch):
    monkeypatch.setattr(arxiv, "MIN_INTERVAL_SECONDS", 0.01)


def inbox_tab(app) -> str:
    views = str(app.screen.query_one("#views").render())
    return views.split(" │ ")[0]


async def test_after_a_catch_up_and_a_restart_every_undecided_paper_is_in_the_inbox(home, httpserver):
    serve_api(httpserver)
    app = reader(home, httpserver)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        reader_ = app.reader
        assert reader_.viewing.view == INBOX
        rows = reader_.viewing.rows()
        days = {row.paper.listing_date for row in rows}
        assert days == {dt.date(2025, 4, 24), dt.date(2025, 4, 25), MON}  # the missed days are in it
        assert [row.paper.listing_date for row in rows] == sorted(
            (row.paper.listing_date for row in rows), reverse=True
        )  # grouped by day, newest first, each row dated
        assert all(row[3:9] in ("24 Apr", "25 Apr", "28 Apr") for row in list_rows(app))
        of_monday = sum(1 for row in rows if row.paper.listing_date == MON)
        assert inbox_tab(app) == f"Inbox {len(rows)} · {of_monday} today"
        assert "undecided" in status_text(app) and "entered the Inbox" not in str(said(app))  # it is shown
        await pilot.press("x", "f")  # one skipped, one kept: both decided
        decided = {rows[0].paper.id, rows[1].paper.id}
        await pilot.press("3", "j", "j")  # the first keyword's view, its third paper
        view, paper = reader_.viewing.view, app.screen.current_paper
        assert view.startswith("keyword:") and paper is not None
        undecided = {row.paper.id for row in rows} - decided

    again = reader(home, httpserver, last_visit=None)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.reader.viewing.view == view  # where the last session stopped
        assert again.screen.current_paper is not None and again.screen.current_paper.id == paper.id
        await pilot.press("escape")  # Esc, like 1, goes to the Inbox
        assert again.reader.viewing.view == INBOX
        assert {row.paper.id for row in again.reader.viewing.rows()} == undecided
        assert inbox_tab(again) == f"Inbox {len(undecided)} · {of_monday - 2} today"


async def test_a_in_the_inbox_decides_the_cursors_day_or_all_of_it_and_z_undoes(home, httpserver):
    serve_api(httpserver)
    app = reader(home, httpserver)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        rows = app.reader.viewing.rows()
        monday = [row.paper.id for row in rows if row.paper.listing_date == MON]
        is_read = app.reader.marking.is_read
        await pilot.press("A")
        await pilot.press("escape")  # asked first: Esc decides nothing
        assert not any(is_read(row.paper.id) for row in rows)
        await pilot.press("A", "d")  # the cursor is on Monday's first paper: Monday alone
        assert all(is_read(paper_id) for paper_id in monday)
        assert not any(is_read(row.paper.id) for row in rows if row.paper.id not in monday)
        left = len(rows) - len(monday)
        assert (
            f"Decided {len(monday)} papers of Mon 28 Apr (marked read), {left} left" in said(app)[-1].message
        )
        assert inbox_tab(app) == f"Inbox {left}"
        await pilot.press("z")
        assert not any(is_read(row.paper.id) for row in rows)
        await pilot.press("A", "a")
        assert all(is_read(row.paper.id) for row in rows)
        assert inbox_tab(app) == "Inbox ✓"


async def test_a_followed_author_s_paper_from_anywhere_on_arxiv_says_why_it_is_there(home, httpserver):
    from arxiv_tui.core.base.paths import Paths
    from arxiv_tui.core.config import update_config
    from arxiv_tui.core.sources.parse import parse_feed
    from tests.arxiv_server import day_page
    from tests.tui.conftest import detail_text, press_until, wait_for

    author = "Miguel P. Eckstein"  # of a cs.CV paper: not in quant-ph, the categories read
    page = parse_feed(day_page(dt.datetime.now(dt.UTC) - dt.timedelta(days=1)), "recorded")
    theirs = next(paper.id for paper in page.papers if author in paper.authors)
    update_config(Paths.under(home).config_file, {("keywords", "authors"): [author]})
    api = serve_api(httpserver)
    app = reader(home, httpserver)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: theirs in {r.paper.id for r in app.reader.viewing.rows()}, "the alert")
        assert api.authors_asked == ['au:"miguel p eckstein"']
        await pilot.press("home")  # it came today: at the top of the Inbox
        await press_until(pilot, "j", lambda: app.screen.current_paper.id == theirs, "the paper", most=400)
        assert any(line.split() == ["Followed", *author.split()] for line in detail_text(app).splitlines())
        assert f"@{author}" in list_rows(app)[app.screen.query_one("#papers").cursor]
        from arxiv_tui.core.matching.views import FOLLOWED

        app.screen.show_view(FOLLOWED)  # the view of followed authors has it too, not the listing's alone
        assert theirs in {row.paper.id for row in app.reader.viewing.rows()}
        assert next(v for v in app.reader.viewing.views() if v.key == FOLLOWED).count >= 1
    again = reader(home, httpserver, last_visit=None)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert theirs in {row.paper.id for row in again.reader.viewing.rows()}  # kept, undecided
        assert len(api.authors_asked) == 1  # asked once a day, not at each start
