"""T: a paper's full text in the reader, from arXiv's HTML served on 127.0.0.1."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tests.conftest import FIXTURES
from tests.tui.conftest import SIZE, make_app, said, settle, wait_for

SAMPLE = FIXTURES / "fulltext" / "fulltext-sample.html"


def shown_text(screen) -> list[str]:
    return [str(widget.render()) for widget in screen.query(Static)]


def reading_app(home, httpserver):
    return make_app(home, settings={("source", "html_url"): httpserver.url_for("/html")})


async def press_t(pilot, httpserver, **answer):
    """T on the paper under the cursor, its page answered with `answer`; the paper."""
    await settle(pilot)
    paper = pilot.app.screen.current_paper
    assert paper is not None
    httpserver.expect_request(f"/html/{paper.id}v{paper.version}").respond_with_data(**answer)
    await pilot.press("T")
    return paper


async def test_t_shows_the_full_text_and_brackets_move_by_section(home, httpserver):
    from arxiv_tui.tui.screens.full_text import FullTextScreen

    app = reading_app(home, httpserver)
    async with app.run_test(size=SIZE) as pilot:
        paper = await press_t(pilot, httpserver, response_data=SAMPLE.read_bytes(), content_type="text/html")
        await wait_for(pilot, lambda: isinstance(app.screen, FullTextScreen), "the full text is shown")
        await settle(pilot)
        screen = app.screen
        texts = shown_text(screen)
        assert texts[0] == "Listening Slowly: A Small Test Paper for a Terminal Reader"
        assert "1 Introduction" in texts and "2.1 Data" in texts
        assert any("train │ 10.5 │ 40" in text for text in texts)
        assert any(text.startswith("[1] A. Vaswani") and "arXiv:1706.03762" in text for text in texts)
        assert all(isinstance(widget.content, Text) for widget in screen.query(Static))  # never markup
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert screen.section == 1 and str(screen.headings[1].render()) == "2 Method"
        await pilot.press("left_square_bracket")
        assert screen.section == 0
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, FullTextScreen), "back to the list")
        assert app.reader.marking.is_read(paper.id)  # read, as o or Enter reads it


async def test_a_paper_without_html_is_said_with_its_pdf_and_nothing_opens(home, httpserver):
    from arxiv_tui.tui.screens.full_text import FullTextScreen

    app = reading_app(home, httpserver)
    async with app.run_test(size=SIZE) as pilot:
        paper = await press_t(pilot, httpserver, response_data="no", status=404)
        told = lambda: any("has no HTML full text" in note.message for note in said(app))  # noqa: E731
        await wait_for(pilot, told, "the user is told")
        assert any(f"/pdf/{paper.id}v{paper.version}" in note.message for note in said(app))
        assert not isinstance(app.screen, FullTextScreen) and not app.reader.marking.is_read(paper.id)
