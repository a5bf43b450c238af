"""Beyond today's list: all of arXiv (`O`, recorded answers on a loopback server), more like this (`m`)."""

from __future__ import annotations

import pytest
from werkzeug import Request, Response

from arxiv_tui.core.incoming.explore import ArxivSearch, to_search_query
from arxiv_tui.core.matching.query import QueryError
from arxiv_tui.core.matching.views import ARXIV, SIMILAR
from arxiv_tui.core.sources import arxiv
from tests.arxiv_server import ATOM_TYPE
from tests.conftest import fixture_bytes
from tests.tui.conftest import SIZE, detail_text, list_rows, make_app, said, saved, settle, status_text

FIRST_PAGE = "api-query-all-testing-start0-max100-2026-04-12.xml"  # 100 papers of 214,881
SECOND_PAGE = "api-query-cat-cs.AI-OR-cs.LG-max50-2026-07-13.xml"  # 50 other papers


@pytest.fixture(autouse=True)
def quick_api(monkeypatch):
    monkeypatch.setattr(arxiv, "MIN_INTERVAL_SECONDS", 0.01)


class RecordedArxiv:
    """The first page, then another, then nothing; an id; HTTP 400 for a bad one."""

    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []

    def __call__(self, request: Request) -> Response:
        args = dict(request.args)
        self.requests.append(args)
        if args.get("id_list") == "2104.12255":
            return Response(fixture_bytes("api-idlist-2104.12255v1-2026-04-12.xml"), content_type=ATOM_TYPE)
        if args.get("id_list"):
            return Response(fixture_bytes("api-error-http400-idlist-abc-2026-04-12.xml"), status=400)
        start = int(args.get("start", "0"))
        name = {0: FIRST_PAGE, 100: SECOND_PAGE}.get(
            start, "api-idlist-0000.0000-zero-results-2026-04-12.xml"
        )
        return Response(fixture_bytes(name), content_type=ATOM_TYPE)


def explore_app(home, httpserver, **options):
    api = RecordedArxiv()
    httpserver.expect_request("/api/query").respond_with_handler(api)
    app = make_app(home, settings={("source", "api_url"): httpserver.url_for("/api/query")}, **options)
    return app, api


async def ask_arxiv(pilot, text: str) -> None:
    await pilot.press("O", *text, "enter")
    await settle(pilot)


async def test_a_search_of_all_arxiv_is_a_view_paged_as_you_scroll_and_kept(home, httpserver):
    app, api = explore_app(home, httpserver)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("O", *"testing")
        assert api.requests == []  # nothing is sent while typing
        await pilot.press("enter")
        await settle(pilot)
        assert api.requests[0]["search_query"] == "all:testing"
        assert api.requests[0]["sortBy"] == "submittedDate" and api.requests[0]["start"] == "0"
        assert app.reader.viewing.view == ARXIV and len(list_rows(app)) == 100
        assert "all of arXiv: testing: 100 of 214,881 · more as you scroll" in status_text(app)
        first = app.reader.viewing.rows()[0].paper
        await pilot.press("s")  # starred straight from arXiv's answer
        await pilot.press("G")  # near the end: the next page is asked for
        await settle(pilot)
        assert api.requests[1]["start"] == "100" and len(list_rows(app)) == 150
        await pilot.press("G")
        await settle(pilot)
        assert len(api.requests) == 3 and len(list_rows(app)) == 150  # an empty page: no more
        assert "more as you scroll" not in status_text(app)
        await pilot.press("escape", "escape")  # back to the day's listing
        assert app.reader.viewing.view != ARXIV
        assert app.reader.writer.wait_idle(10)
    library = saved(home)
    assert library.paper(first.id) is not None and library.marks.of([first.id])[first.id].starred
    assert len(library.papers(paper.id for paper in app.reader.explorer.search.papers)) == 150  # kept
    library.close()


async def test_an_arxiv_id_or_link_opens_that_paper(home, httpserver):
    app, api = explore_app(home, httpserver)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask_arxiv(pilot, "https://arxiv.org/abs/2104.12255v1")
        assert api.requests[-1]["id_list"] == "2104.12255"
        rows = app.reader.viewing.rows()
        assert [row.paper.id for row in rows] == ["2104.12255"] and rows[0].paper.title == "0"
        assert "arXiv id 2104.12255: found" in status_text(app)


async def test_an_error_from_arxiv_is_said_and_the_reader_keeps_running(home, httpserver):
    app, _ = explore_app(home, httpserver)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await ask_arxiv(pilot, "1234.99999")
        assert "✗ arXiv: arXiv API error: incorrect id format for abc" in status_text(app)
        assert any("arXiv search:" in str(n.message) for n in said(app))
        await pilot.press("escape", "escape", "j")
        assert app.reader.viewing.view != ARXIV and app.screen.papers.cursor == 1


async def test_a_search_arxiv_cannot_take_is_named_and_never_sent(home, httpserver):
    app, api = explore_app(home, httpserver)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask_arxiv(pilot, "NOT survey")
        assert api.requests == [] and "exclusions alone" in status_text(app)
        await pilot.press(*(["backspace"] * 10), *"xx:y", "enter")
        await settle(pilot)
        assert api.requests == [] and "arXiv has no field xx:" in status_text(app)


async def test_offline_says_an_arxiv_search_needs_the_network(home, httpserver):
    app, api = explore_app(home, httpserver, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask_arxiv(pilot, "testing")
        assert api.requests == [] and "offline: searching all of arXiv needs the network" in status_text(app)


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("speech synthesis", "all:speech AND all:synthesis"),
        ('au:Harwath ti:"speech synthesis"', 'au:Harwath AND ti:"speech synthesis"'),
        (
            "cat:cs.CL AND (tts OR vocoder) -survey",
            "cat:cs.CL AND ( all:tts OR all:vocoder ) ANDNOT all:survey",
        ),
        ("diffusion NOT image", "all:diffusion ANDNOT all:image"),
        ('ti:"unclosed', 'ti:"unclosed"'),
        ("ti:a&b=c", "ti:abc"),  # nothing of the URL's syntax gets through
    ],
)
def test_what_is_typed_is_rewritten_in_arxivs_syntax(typed, sent):
    assert to_search_query(typed) == sent


@pytest.mark.parametrize("typed", ["", "NOT x", "-x", "x OR", "(x", "x )", "foo:bar", "AND x"])
def test_what_arxiv_cannot_take_is_refused_with_a_reason(typed):
    with pytest.raises(QueryError):
        ArxivSearch.of(typed)


# --- more like this -----------------------------------------------------------------------------------


async def test_m_shows_the_papers_most_like_this_one_and_esc_comes_back(home, httpserver):
    app, api = explore_app(home, httpserver)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        paper = app.reader.viewing.rows()[2].paper
        await pilot.press("m")
        await settle(pilot)
        assert app.reader.viewing.view == SIMILAR and api.requests == []  # offline: the library alone
        rows = app.reader.viewing.rows()
        assert rows and paper.id not in {row.paper.id for row in rows}
        assert "like: " in status_text(app) and "esc: back" in status_text(app)
        await pilot.press("escape")
        assert app.reader.viewing.view == "inbox" and app.screen.papers.highlighted_id == paper.id


@pytest.mark.parametrize("key", ["F", "O"])
async def test_esc_from_a_search_goes_back_to_the_view_and_the_paper_it_started_from(home, httpserver, key):
    app, _ = explore_app(home, httpserver)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3", "j", "j")  # a keyword's view, on its third paper
        view, paper = app.reader.viewing.view, app.screen.current_paper
        assert view.startswith("keyword:") and paper is not None
        await pilot.press(key, *"quantum", "enter")
        await settle(pilot)
        assert app.reader.viewing.view in ("search", ARXIV)
        await pilot.press("escape")
        await settle(pilot)
        assert app.reader.viewing.view == view
        assert app.screen.current_paper is not None and app.screen.current_paper.id == paper.id


async def test_a_paper_from_all_of_arxiv_says_when_it_was_submitted_not_new_and_no_keyword(home, httpserver):
    app, _ = explore_app(home, httpserver)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await ask_arxiv(pilot, "testing")
        paper = app.screen.current_paper
        assert paper is not None and paper.listing_date is None and paper.published
        shown = detail_text(app)
        assert f"submitted {paper.published[:10]}" in shown
        assert "no keyword" not in shown and " new " not in shown.splitlines()[2]
