"""A search of the library as it is typed: its first rows are shown before the rest, and the
rest arriving never moves the reader. The search's second step is held back by a gate, so the
tests see the screen between the two steps without depending on timing."""

from __future__ import annotations

import threading

import pytest
from textual.screen import Screen

from arxiv_tui.core.matching.views import TITLE
from arxiv_tui.core.session.finding import Finding
from arxiv_tui.tui.widgets import search_bar
from arxiv_tui.tui.widgets.search_bar import SearchBar
from tests.tui.conftest import SIZE, detail_text, settle, shown_rows, status_text, wait_for

FIRST = 5  # fewer than the listing's papers matching "quantum"


class Gate:
    def __init__(self) -> None:
        self.opened = threading.Event()
        self.holding: list[str] = []  # the searches whose first rows were posted and whose rest waits


@pytest.fixture
def gate(monkeypatch) -> Gate:
    """Each search of the library stops after its first rows until the gate is opened."""
    gate = Gate()
    in_steps = Finding.in_library

    def held(self, text, **options):
        for step, answer in enumerate(in_steps(self, text, **options)):
            if step == 1:
                gate.holding.append(text)
                assert gate.opened.wait(30), "the test never let the rest of the answer through"
            yield answer

    monkeypatch.setattr(Finding, "in_library", held)
    monkeypatch.setattr(search_bar, "FIRST_ROWS", FIRST)
    return gate


async def test_the_first_rows_come_first_and_the_rest_leaves_the_cursor_and_the_paper(app_factory, gate):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("F", *"quantum")
        await wait_for(pilot, lambda: "search all: quantum:" in status_text(app), "the first rows shown")
        first = [row.paper.id for row in shown_rows(app)]
        assert len(first) == FIRST
        await pilot.press("enter", "j", "j")  # reading the first rows while the rest is found
        papers = app.screen.papers
        reading, shown = papers.highlighted_id, detail_text(app)
        assert reading == first[2]

        gate.opened.set()
        await wait_for(pilot, lambda: len(shown_rows(app)) > FIRST, "the rest of the answer shown")
        whole = [row.paper.id for row in shown_rows(app)]
        assert whole[:FIRST] == first and len(set(whole)) == len(whole)
        assert papers.highlighted_id == reading and papers.cursor == 2 and detail_text(app) == shown
        assert f"3/{len(whole)} " in status_text(app)
        await pilot.press("G")  # the end of the list is the end of the whole answer
        assert papers.highlighted_id == whole[-1]


async def test_a_search_sorted_otherwise_shows_only_the_whole_answer(app_factory, gate):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        while app.reader.viewing.sort != TITLE:
            await pilot.press("S")
        await pilot.press("F", *"quantum")
        await wait_for(pilot, lambda: "quantum" in gate.holding, "the first rows of 'quantum' posted")
        await pilot.pause()
        assert "search all: quantum" not in status_text(app)  # the first by date are not the first by title

        gate.opened.set()
        await wait_for(pilot, lambda: "search all: quantum:" in status_text(app), "the whole answer shown")
        titles = [row.paper.title.casefold() for row in shown_rows(app)]
        assert len(titles) > FIRST and titles == sorted(titles)


async def test_typing_a_search_lays_nothing_out_and_a_long_one_keeps_its_end_in_view(
    app_factory, monkeypatch
):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("F", *"zzq")  # nothing matches: every answer from here on is the same
        bar = app.screen.query_one(SearchBar)
        await wait_for(pilot, lambda: bar.answered == "zzq", "the first answer shown")
        layouts: list[Screen] = []
        lay_out = Screen._refresh_layout

        def counted(screen: Screen, *args, **options) -> None:
            layouts.append(screen)
            lay_out(screen, *args, **options)

        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        typed = "zzq" + "x" * 97 + "END"
        await pilot.press(*typed[3:])
        await wait_for(pilot, lambda: bar.answered == typed, "the last answer shown")
        assert layouts == []  # each key repainted the bar; it laid out no screen (10-20 ms each)
        assert bar.value == typed and bar.scroll_x > 0
        assert "xxxEND" in "".join(segment.text for segment in bar.render_line(0))
