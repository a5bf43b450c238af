"""Pictures in the terminal: a downloaded PDF's pages (P) and a full text's figure (v), drawn in
half-cell blocks (deterministic: the tests' terminal answers no graphics query), a page at a
time; the protocols chosen by config fall back without a crash when the terminal says nothing."""

from __future__ import annotations

import io

import pytest

from tests.conftest import FIXTURES
from tests.tui.conftest import SIZE, make_app, messages, settle, wait_for

PAGE = (FIXTURES / "fulltext" / "fulltext-sample.html").read_bytes()


def picture(colour: str, size=(120, 80)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def three_page_pdf(path) -> str:
    """A real PDF of three one-colour pages, written by Pillow (no PDF is committed)."""
    from PIL import Image

    red, green, blue = (Image.new("RGB", (200, 280), colour) for colour in ("red", "green", "blue"))
    red.save(path, "PDF", save_all=True, append_images=[green, blue])
    return str(path)


def drawn_colours(screen) -> set[tuple[int, int, int]]:
    """The colours the picture's half cells are drawn in (upper halves and lower)."""
    from textual_image.widget import HalfcellImage

    (widget,) = screen.query(HalfcellImage)
    lines = widget.render_lines(widget.region.reset_offset)  # what the widget draws now
    styles = [segment.style for line in lines for segment in line if segment.style and segment.text.strip()]
    colours = [colour for style in styles for colour in (style.color, style.bgcolor) if colour is not None]
    return {tuple(colour.get_truecolor()) for colour in colours}


async def test_p_shows_the_downloaded_pdf_a_page_at_a_time_in_blocks(home, tmp_path):
    from arxiv_tui.tui.screens.picture import PictureScreen

    app = make_app(home, offline=True, settings={("ui", "images"): "blocks"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.screen.current_paper
        await pilot.press("P")
        await wait_for(pilot, lambda: any("No downloaded PDF" in m for m in messages(app)), "said: none")
        app.reader.library.downloads.saved(paper.id, paper.version, three_page_pdf(tmp_path / "p.pdf"))
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(app.screen, PictureScreen), "the pages are shown")
        screen = app.screen
        await wait_for(pilot, lambda: screen.shown == 0, "the first page is drawn")
        assert screen.pages == 3
        await pilot.press("space")
        await wait_for(pilot, lambda: screen.shown == 1, "the second page is drawn")
        await pilot.press("space", "space")  # past the end: stays on the last page
        await wait_for(pilot, lambda: screen.shown == 2, "the last page is drawn")
        await pilot.press("backspace")
        await wait_for(pilot, lambda: screen.shown == 1, "back a page")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, PictureScreen), "back to the list")


async def test_a_file_that_is_no_pdf_is_said_and_nothing_opens(home, tmp_path):
    from arxiv_tui.tui.screens.picture import PictureScreen

    app = make_app(home, offline=True, settings={("ui", "images"): "blocks"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.screen.current_paper
        fake = tmp_path / "fake.pdf"
        fake.write_bytes(b"<html>not a pdf</html>")
        app.reader.library.downloads.saved(paper.id, paper.version, str(fake))
        await pilot.press("P")
        await wait_for(pilot, lambda: any("cannot be read as a PDF" in m for m in messages(app)), "said why")
        assert not isinstance(app.screen, PictureScreen)


async def v_on_the_figure(pilot, httpserver, figure: bytes) -> None:
    """T on the paper under the cursor (our LaTeXML page served), its figure scrolled to the top,
    `v`, with `figure` served as its picture (curve.png)."""
    from arxiv_tui.tui.screens.full_text import FullTextScreen

    app = pilot.app
    await settle(pilot)
    paper = app.screen.current_paper
    base = f"/html/{paper.id}v{paper.version}"
    httpserver.expect_request(base).respond_with_data(PAGE, content_type="text/html")
    httpserver.expect_request(f"{base}/curve.png").respond_with_data(figure, content_type="image/png")
    await pilot.press("T")
    await wait_for(pilot, lambda: isinstance(app.screen, FullTextScreen), "the full text")
    reading = app.screen
    figure_at = next(n for n, block in enumerate(reading.document.blocks) if block.image == "curve.png")
    reading.scroller.show_at_top(reading.blocks[figure_at])
    await pilot.pause()
    await pilot.press("v")


@pytest.mark.parametrize("mode", ["blocks", "kitty", "sixel", "auto"])
async def test_v_shows_the_figure_on_screen_in_the_configured_way(home, httpserver, mode):
    from arxiv_tui.tui.screens.picture import PictureScreen

    settings = {("source", "html_url"): httpserver.url_for("/html"), ("ui", "images"): mode}
    app = make_app(home, settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await v_on_the_figure(pilot, httpserver, picture("red"))
        await wait_for(pilot, lambda: isinstance(app.screen, PictureScreen), "the figure is shown")
        await wait_for(pilot, lambda: app.screen.shown == 0, "drawn: no crash, whatever the terminal")
        if mode == "blocks":
            assert drawn_colours(app.screen) == {(255, 0, 0)}  # the figure's red, in half cells


async def test_a_figure_that_is_no_picture_is_said(home, httpserver):
    from arxiv_tui.tui.screens.picture import PictureScreen

    settings = {("source", "html_url"): httpserver.url_for("/html"), ("ui", "images"): "blocks"}
    app = make_app(home, settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await v_on_the_figure(pilot, httpserver, b"<script>x</script>")
        said_why = lambda: any("not a picture that can be shown" in m for m in messages(app))  # noqa: E731
        await wait_for(pilot, said_why, "said why")
        assert isinstance(app.screen, PictureScreen) and app.screen.shown == -1


@pytest.mark.parametrize(
    ("environ", "drawn"),
    [
        ({"TERM": "xterm-kitty"}, "kitty"),
        ({"TERM": "xterm-kitty", "TMUX": "/tmp/tmux-0/default,1,0"}, "blocks"),  # tmux passes neither on
        ({"TERM_PROGRAM": "WezTerm", "TERM": "xterm-256color"}, "sixel"),
        ({"TERM": "foot"}, "sixel"),
        ({"TERM": "xterm-256color"}, "blocks"),  # nothing says more: what every terminal shows
        ({}, "blocks"),
    ],
)
def test_auto_draws_what_the_environment_says_the_terminal_shows(environ, drawn):
    from arxiv_tui.tui.screens.picture import drawing_mode

    assert drawing_mode("auto", environ) == drawn
    assert drawing_mode("sixel", environ) == "sixel"  # a mode chosen in the config is kept
