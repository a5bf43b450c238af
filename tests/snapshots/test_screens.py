"""SVG snapshots of each screen at a fixed size, on a recorded listing, in an isolated home.

Nothing on these screens depends on the clock: dates come from the listing itself.
Update after an intended change with: pytest tests/snapshots --snapshot-update
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.tui.conftest import SIZE, make_app, press_until, settle


@pytest.fixture(autouse=True)
def _cursor_does_not_blink(monkeypatch):
    """A blinking cursor would be drawn or not depending on when the picture is taken."""
    made = Input.__init__

    def steady(self, *arguments, **options):
        made(self, *arguments, **options)
        self.set_reactive(Input.cursor_blink, False)

    monkeypatch.setattr(Input, "__init__", steady)


@pytest.fixture
def app(home):
    return make_app(home)


async def wait(pilot) -> None:
    await settle(pilot)


def test_main_view(app, snap_compare):
    assert snap_compare(app, terminal_size=SIZE, run_before=wait)


def test_keyword_view(app, snap_compare):
    async def keyword_view(pilot):
        await settle(pilot)
        await pilot.press("3", "j")  # the first keyword's view

    assert snap_compare(app, terminal_size=SIZE, run_before=keyword_view)


def test_starred_view(app, snap_compare):
    async def starred(pilot):
        await settle(pilot)
        await pilot.press("s", "j", "j", "s")
        await press_until(pilot, "v", lambda: pilot.app.reader.viewing.view == "starred", "the Starred view")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=starred)


def test_keyword_editor(app, snap_compare):
    async def editor(pilot):
        await settle(pilot)
        await pilot.press("K", *"photon*")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=editor)


def test_help_screen(app, snap_compare):
    async def help_screen(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=help_screen)


def test_main_view_at_80x24(app, snap_compare):
    """The list above the paper, the abstract on screen, `? Help` in the footer."""
    assert snap_compare(app, terminal_size=(80, 24), run_before=wait)


def test_main_view_at_120x40_with_two_line_rows(app, snap_compare):
    async def two_lines(pilot):
        await settle(pilot)
        await pilot.press("L", "x", "f")

    assert snap_compare(app, terminal_size=(120, 40), run_before=two_lines)


def test_a_paper_full_size_at_80x24(app, snap_compare):
    async def full_size(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=full_size)


def test_a_full_text_at_80x24_at_a_cited_reference(home, snap_compare):
    """Our LaTeXML paper, kept in the library, read offline: c, then the first reference cited."""
    from arxiv_tui.core.fulltext.latexml import read_latexml
    from arxiv_tui.tui.screens.full_text import FullTextScreen, PickScreen
    from tests.conftest import FIXTURES
    from tests.tui.conftest import wait_for

    app = make_app(home, offline=True)

    async def at_the_reference(pilot):
        await settle(pilot)
        paper = app.screen.current_paper
        document = read_latexml((FIXTURES / "fulltext" / "fulltext-sample.html").read_bytes())
        app.reader.library.full_texts.keep(paper.id, paper.version, document)
        await pilot.press("T")
        await wait_for(pilot, lambda: isinstance(app.screen, FullTextScreen), "the full text")
        await settle(pilot)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, PickScreen), "the references cited")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FullTextScreen), "back in the text")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=at_the_reference)


def test_a_pdf_page_in_half_cell_blocks_at_80x24(home, tmp_path, snap_compare):
    """A PDF made here (a red page with a blue band), its first page drawn in coloured half cells."""
    from PIL import Image, ImageDraw

    from arxiv_tui.tui.screens.picture import PictureScreen
    from tests.tui.conftest import wait_for

    page = Image.new("RGB", (200, 280), "red")
    ImageDraw.Draw(page).rectangle((0, 100, 200, 160), fill="blue")
    page.save(tmp_path / "page.pdf", "PDF")
    app = make_app(home, offline=True, settings={("ui", "images"): "blocks"})

    async def the_page(pilot):
        await settle(pilot)
        paper = app.screen.current_paper
        app.reader.library.downloads.saved(paper.id, paper.version, str(tmp_path / "page.pdf"))
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(app.screen, PictureScreen), "the page")
        await wait_for(pilot, lambda: app.screen.shown == 0, "drawn")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=the_page)


def test_the_models_tldr_and_summary_in_the_detail_pane(home, snap_compare):
    """Kept answers (nothing is asked: the server named is never contacted), shown with the
    paper: the TL;DR near the top, the summary's Markdown after the links, its link as text."""
    from arxiv_tui.core.assistant.answers import Answers, Asked

    settings = {("assistant", "base_url"): "http://127.0.0.1:9/v1", ("assistant", "model"): "qwen3:8b"}
    app = make_app(home, offline=True, settings=settings)

    async def summarised(pilot):
        await settle(pilot)
        paper = app.screen.current_paper
        answers = Answers(app.reader.library)
        for task, text in (
            ("tldr", "It shows a bound on entanglement that [bold]holds[/bold] for qubits."),
            (
                "summary",
                "## Problem\nA bound.\n\n## Method\nA [proof](https://example.org).\n\n"
                "## Limits\n- Qubits only",
            ),
        ):
            answers.keep(
                Asked(paper.id, task, paper.version, "qwen3:8b", "127.0.0.1", 1, "x"), "abstract", text
            )
        app.screen.redraw_current()
        await pilot.press("tab", "end")  # the detail pane, at its end
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=summarised)
