"""The keyword editor (K): the selection stays where the user worked, nothing is lost by one key."""

from __future__ import annotations

import re

from textual.widgets import OptionList, Static

from arxiv_tui.core.config import load_config
from arxiv_tui.tui.screens.keywords import KeywordsScreen
from tests.tui.conftest import SIZE, said, settle

INCLUDE = ("entanglement", "qubit*", "quantum error correction")


def selected(app) -> str:
    entries = app.screen.query_one("#entries", OptionList)
    return entries.get_option_at_index(entries.highlighted).prompt.plain


def feedback(app) -> str:
    return str(app.screen.query_one("#term-feedback", Static).render())


async def test_typing_a_keyword_right_after_k_adds_it_and_removes_nothing(app_factory, home):
    """K used to open on the entries, where `d` of "diffusion" deleted the highlighted keyword,
    `i` switched lists and Enter added "sion". Every key typed now goes into the box."""
    app = app_factory(include=INCLUDE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("K", *"diffusionx", "backspace", "enter")  # backspace edits the box
        assert app.screen.lists["include"] == [*INCLUDE, "diffusion"]
        await pilot.press("down", *"dexi", "enter")  # typed in the entries: into the box as well
        assert app.screen.lists["include"] == [*INCLUDE, "diffusion", "dexi"]
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert load_config(home / "config.toml")[0].include == (*INCLUDE, "diffusion", "dexi")


async def test_the_footer_under_k_shows_the_editors_keys_where_the_focus_is(app_factory):
    app = app_factory(include=INCLUDE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("K")

        def footer() -> set[str]:
            return {binding.description for _, binding, enabled, _ in app.screen.active_bindings.values()
                    if enabled and binding.show}  # fmt: skip

        assert {"Next list", "Entries", "Save", "Close"} <= footer() and "Delete" not in footer()
        assert not {"Keep", "Skip", "PDF"} & footer()  # not the reader's
        await pilot.press("down")
        assert {"Edit", "Delete", "Undo"} <= footer() and "Entries" not in footer()


async def test_tab_picks_the_list_and_an_unknown_category_is_refused_with_a_suggestion(app_factory):
    app = app_factory(include=INCLUDE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("K", "tab", *"survey", "enter")
        assert app.screen.lists["exclude"] == ["survey"]
        await pilot.press("tab", "tab", *"cs.Cl", "enter")  # category, mistyped
        assert app.screen.lists["category"] == ["quant-ph"]
        assert "did you mean cs.CL" in feedback(app)
        await pilot.press("ctrl+u", *"quant-ph.atom", "enter")
        assert "not an arXiv category" in feedback(app) and app.screen.lists["category"] == ["quant-ph"]


async def test_the_selection_stays_on_the_entry_just_edited_so_delete_removes_that_one(app_factory):
    app = app_factory(include=INCLUDE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("K", "down", "down", "down")  # the entries, their third
        assert "quantum error correction" in selected(app)
        await pilot.press("enter", *" code", "enter")
        await settle(pilot)
        assert "quantum error correction code" in selected(app)
        await pilot.press("down", "delete")
        assert app.screen.lists["include"] == ["entanglement", "qubit*"]
        assert "qubit*" in selected(app)  # the neighbour, not the first entry


async def test_a_deleted_entry_is_said_and_comes_back_with_ctrl_z_where_it_was(app_factory):
    app = app_factory(include=INCLUDE)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("K", "down", "down", "delete")
        assert "qubit*" not in app.screen.lists["include"]
        assert "Deleted include 'qubit*' · ctrl+z puts it back" in feedback(app)
        assert any("Deleted include 'qubit*'" in note.message for note in said(app))
        await pilot.press("ctrl+z")
        assert app.screen.lists["include"] == list(INCLUDE) and "qubit*" in selected(app)


async def test_esc_with_unsaved_changes_asks_first_and_keeps_the_file(app_factory, home):
    app = app_factory(include=INCLUDE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("K", *"photon*", "enter", "escape")
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
        await pilot.press("K", "tab", *"entanglement", "enter")  # a new exclude, not saved yet
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
