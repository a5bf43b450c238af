"""T: a paper's full text in the reader, from arXiv's HTML served on 127.0.0.1."""

from __future__ import annotations

from tests.conftest import FIXTURES
from tests.tui.conftest import SIZE, make_app, said, settle, wait_for

SAMPLE = FIXTURES / "fulltext" / "fulltext-sample.html"


def shown_text(screen) -> list[str]:
    return [piece.text.plain for piece in screen.pieces]


def screen_lines(screen) -> list[str]:
    """The lines the reading view draws now."""
    view = screen.scroller
    return [view.render_line(y).text for y in range(view.size.height)]


def reading_app(home, httpserver):
    return make_app(home, settings={("source", "html_url"): httpserver.url_for("/html")})


async def at_the_introduction(pilot):
    """Our LaTeXML paper kept as the full text of the paper under the cursor, opened with T (from
    the library) at the introduction's first paragraph, which cites [1] and [2]; the screen."""
    from arxiv_tui.core.fulltext.latexml import read_latexml
    from arxiv_tui.tui.screens.full_text import FullTextScreen

    app = pilot.app
    paper = app.screen.current_paper
    app.reader.library.full_texts.keep(paper.id, paper.version, read_latexml(SAMPLE.read_bytes()))
    await pilot.press("T")
    await wait_for(pilot, lambda: isinstance(app.screen, FullTextScreen), "the kept text is shown")
    reading = app.screen
    await settle(pilot)
    blocks = reading.document.blocks
    first = next(n for n, block in enumerate(blocks) if block.text.startswith("Speech synthesis"))
    reading.scroller.show_at_top(reading.blocks[first])
    await pilot.pause()
    return reading


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
        assert screen_lines(screen)[0].strip() == texts[0]
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert screen.section == 1 and screen_lines(screen)[0].strip() == "2 Method"  # at the top
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


async def test_a_full_text_read_once_opens_offline_where_the_reader_left_it(home, httpserver):
    from arxiv_tui.tui.screens.full_text import FullTextScreen

    app = reading_app(home, httpserver)
    async with app.run_test(size=(80, 24)) as pilot:
        paper = await press_t(pilot, httpserver, response_data=SAMPLE.read_bytes(), content_type="text/html")
        await wait_for(pilot, lambda: isinstance(app.screen, FullTextScreen), "the full text is shown")
        screen = app.screen
        await settle(pilot)
        screen.scroller.show_at_top(screen.blocks[8])
        await pilot.pause()
        left_at = screen.on_screen().start
        assert left_at > 0
        await pilot.press("escape")
        kept = lambda: app.reader.library.full_texts.load(paper.id).position == left_at  # noqa: E731
        await wait_for(pilot, kept, "the place is kept")
    offline = make_app(home, offline=True)
    async with offline.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("F", *paper.id, "enter")  # read, it left the Inbox: found in the library
        await wait_for(pilot, lambda: offline.screen.current_paper.id == paper.id, "the paper is found")
        await pilot.press("T")  # nothing serves the page now: it comes from the library
        await wait_for(pilot, lambda: isinstance(offline.screen, FullTextScreen), "the kept text is shown")
        await settle(pilot)
        assert offline.screen.on_screen().start == left_at


async def test_c_goes_to_a_cited_reference_b_comes_back_and_enter_opens_the_cited_paper(home):
    from arxiv_tui.tui.screens.full_text import FullTextScreen, PickScreen
    from arxiv_tui.tui.widgets.search_bar import LIBRARY

    app = make_app(home, offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        reading = await at_the_introduction(pilot)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, PickScreen), "what is cited here is listed")
        assert app.screen.heading.startswith("Cited here")
        assert [option.plain[:3] for option in app.screen.options][:2] == ["[1]", "[2]"]
        top = reading.scroller.scroll_y
        await pilot.press("enter")  # [1]: Vaswani et al., arXiv:1706.03762
        await wait_for(pilot, lambda: app.screen is reading, "back in the text")
        assert reading.current.label == "[1]" and reading.scroller.current == reading.references["bib.bib1"]
        assert any(line.strip().startswith("[1] A. Vaswani") for line in screen_lines(reading))  # in view
        assert reading.scroller.scroll_y > top  # at the references, further down
        await pilot.press("b")
        await pilot.pause()
        assert reading.scroller.scroll_y == top and not reading.returns
        await pilot.press("c", "enter")
        await wait_for(pilot, lambda: app.screen is reading and reading.returns, "at the reference again")
        await pilot.press("enter")  # opens the cited paper in the reader (offline: the library searched)
        await wait_for(pilot, lambda: not isinstance(app.screen, FullTextScreen), "back in the reader")
        assert app.screen.search.mode == LIBRARY and app.screen.search.value == "1706.03762"


async def test_a_hostile_page_reaches_the_screen_as_plain_text(home, httpserver):
    from arxiv_tui.tui.screens.full_text import FullTextScreen

    page = (
        '<html><body><article class="ltx_document"><h1 class="ltx_title ltx_title_document">'
        "[bold red]Loud[/] \x1b[31mred\x1b[0m \u202eevil</h1>"
        '<section id="S1"><h2 class="ltx_title ltx_title_section">1 [link=javascript:alert(1)]x[/link]</h2>'
        '<p class="ltx_p">Plain [i]words[/i] and $x$.</p></section></article></body></html>'
    )
    app = reading_app(home, httpserver)
    async with app.run_test(size=(80, 24)) as pilot:
        await press_t(pilot, httpserver, response_data=page, content_type="text/html")
        await wait_for(pilot, lambda: isinstance(app.screen, FullTextScreen), "the page is shown")
        await settle(pilot)
        lines = [line.strip() for line in screen_lines(app.screen) if line.strip()]
        assert lines[:3] == ["[bold red]Loud[/] [31mred[0m evil", "1 [link=javascript:alert(1)]x[/link]",
                             "Plain [i]words[/i] and $x$."]  # fmt: skip
        assert all(ch.isprintable() for line in lines for ch in line)  # no escape, no bidi override


async def test_n_quotes_the_passage_on_screen_in_the_note_with_its_section(home):
    from arxiv_tui.tui.screens.dialogs import NoteScreen
    from arxiv_tui.tui.screens.full_text import PickScreen

    app = make_app(home, offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        paper = app.screen.current_paper
        app.reader.marking.set_note(paper, "Read for Tuesday.")
        reading = await at_the_introduction(pilot)
        await pilot.press("n")  # several passages on screen: which one
        await wait_for(pilot, lambda: isinstance(app.screen, PickScreen), "the passages on screen")
        assert app.screen.options[0].plain.startswith("Speech synthesis")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteScreen), "the note editor")
        await pilot.press("escape")  # kept as it stands: the note and the quote below it
        await wait_for(pilot, lambda: app.screen is reading, "back in the text")
        note = app.reader.marking.of(paper.id).note
        assert note.startswith("Read for Tuesday.\n\n> Speech synthesis")
        assert "\\[1, 2\\]" in note  # the paper's brackets stay text in the Markdown
        assert note.endswith(f">\n> — {paper.id}, 1 Introduction")
        assert app.reader.marking.is_starred(paper.id)  # a note keeps its paper, as N does
