"""The keyword editor (K): the selection stays where the user worked, nothing is lost by one key."""

from __future__ import annotations

import re

from textual.widgets import OptionList, Static

from arxiv_tui.core.config import load_config
from arxiv_tui.tui.screens.keywords import KeywordsScreen
from tests.tui.conftest import SIZE, settle

INCLUDE = ("entanglement", "qubit*", "quantum error correction")


def selected(app) -> str:
    entries = app.screen.query_one("#entries", OptionList)
    return entries.get_option_at_index(entries.highlighted).prompt.plain


def feedback(app) -> str:
    return str(app.screen.query_one("#term-feedback", Static).render())


async def test_the_selection_stays_on_the_entry_just_edited_so_d_deletes_that_one(app_factory):
    app = app_factory(include=INCLUDE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("K", "j", "j")  # j/k move in the editor
        assert "quantum error correction" in selected(app)
        await pilot.press("e", *" code", "enter")
        await settle(pilot)
        assert "quantum error correction code" in selected(app)
        await pilot.press("d")
        assert app.screen.lists["include"] == ["entanglement", "qubit*"]
        assert "qubit*" in selected(app)  # the neighbour, not the first entry


async def test_a_deleted_entry_comes_back_with_z_where_it_was(app_factory):
    app = app_factory(include=INCLUDE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("K", "j", "d")
        assert "qubit*" not in app.screen.lists["include"] and "z puts it back" in feedback(app)
        await pilot.press("z")
        assert app.screen.lists["include"] == list(INCLUDE) and "qubit*" in selected(app)


async def test_esc_with_unsaved_changes_asks_first_and_keeps_the_file(app_factory, home):
    app = app_factory(include=INCLUDE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("K", "i", *"photon*", "enter", "escape")
        assert isinstance(app.screen, KeywordsScreen) and "unsaved changes" in feedback(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, KeywordsScreen)
    assert load_config(home / "config.toml")[0].include == INCLUDE
    app2 = app_factory(include=INCLUDE)
    async with app2.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("K", "escape")  # nothing changed: closes at once
        assert not isinstance(app2.screen, KeywordsScreen)


async def test_an_include_count_is_the_count_its_view_shows(app_factory, home):
    app = app_factory(include=("quantum",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = next(v for v in app.reader.viewing.views() if v.key == "keyword:quantum")
        await pilot.press("K", "x", *"entanglement", "enter")  # a new exclude, not saved yet
        await settle(pilot)
        shown = str(app.screen.query_one("#entries", OptionList).get_option_at_index(0).prompt)
        assert shown.startswith("include  quantum")
        counted = int(re.search(r"\((\d+) papers\)", shown).group(1))  # as the editor shows it
        excluded = [p for p in app.reader.viewing.papers if "entangle" in (p.title + p.abstract).lower()]
        assert counted < view.count and excluded  # the unsaved exclude already counts
        await pilot.press("ctrl+s")
        await settle(pilot)
        view = next(v for v in app.reader.viewing.views() if v.key == "keyword:quantum")
        assert view.count == counted
