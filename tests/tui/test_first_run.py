"""The first start on an empty home: categories picked by name, keywords counted, nobody else's."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Static

from arxiv_tui.cli.main import main
from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import load_config
from arxiv_tui.core.session.reader import Reader
from arxiv_tui.tui.app import ArxivApp
from arxiv_tui.tui.screens.setup import SetupScreen, split_terms
from tests.tui.conftest import SIZE, said, settle, wait_for


def first_run_app(home) -> ArxivApp:
    paths = Paths.under(home)
    config, warnings = load_config(paths.config_file)  # what a start writes: the commented default
    return ArxivApp(Reader.open(paths, config, offline=True), warnings, first_run=True)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def wait_for_counts(pilot, app) -> None:
    """The bundled listing is read, and the counts made, in workers: wait for them (not a time)."""
    await settle(pilot)
    assert "Thu 28 Nov 2024" in text_of(app, "#counts")


async def test_an_empty_home_starts_on_setup_and_saves_what_was_chosen(home):
    app = first_run_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        await pilot.press(*"computation and language")
        found = app.screen.query_one("#categories", OptionList)
        assert found.get_option_at_index(0).id == "cs.CL"
        await pilot.press("enter")  # chooses the first found, and clears the field for the next
        assert "cs.CL (Computation and Language)" in text_of(app, "#chosen")
        assert app.screen.query_one("#find", Input).value == ""
        await pilot.press(*"cs.s", "down", "enter")  # cs.SD second, by code (cs.SC) or by papers (cs.SY)
        assert "cs.CL (Computation and Language), cs.SD (Sound)" in text_of(app, "#chosen")
        app.screen.query_one("#terms", Input).focus()
        await pilot.press(*"speech synthesis, LLM*")
        await wait_for_counts(pilot, app)
        counts = text_of(app, "#counts")
        assert "in your categories" in counts and "speech synthesis " in counts and "LLM* " in counts
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, SetupScreen)
        assert app.reader.config.include == ("speech synthesis", "LLM*")
    config, _ = load_config(Paths.under(home).config_file)
    assert config.categories == ("cs.CL", "cs.SD") and config.include == ("speech synthesis", "LLM*")
    assert "# A paper matches when" in Paths.under(home).config_file.read_text()  # comments kept


async def test_setup_needs_a_category_and_a_bad_keyword_is_named_not_saved(home):
    app = first_run_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#terms", Input).focus()
        await pilot.press(*"/(unclosed/")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SetupScreen) and "at least one category" in text_of(app, "#chosen")
        app.screen.chosen.append("quant-ph")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SetupScreen)  # the regex is not valid
        await wait_for(
            pilot, lambda: "not a valid regular expression" in text_of(app, "#counts"), "the counts"
        )


async def test_skipping_setup_starts_with_no_keywords_at_all(home):
    app = first_run_app(home)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, SetupScreen)
        assert app.reader.config.include == ()
        assert any("K adds them" in str(n.message) for n in said(app))


def test_the_default_config_has_nobody_s_keywords(home):
    config, _ = load_config(Paths.under(home).config_file)
    assert config.include == () and config.exclude == ()


def test_only_an_empty_home_gets_the_setup(home, demo_feed_file, monkeypatch):
    seen = []
    monkeypatch.setattr(ArxivApp, "run", lambda self: seen.append(self.first_run))
    monkeypatch.setattr("arxiv_tui.cli.main.terminal_can_show_the_reader", lambda: True)  # no tty here
    main(["--home", str(home), "--offline"])
    main(["--home", str(home), "--offline"])  # config.toml exists now
    main(["--demo"])
    assert seen == [True, False, False]


def test_keywords_split_on_commas_but_not_inside_a_regex():
    assert split_terms("speech synthesis, LLM* ,, /a,b/ , x") == ["speech synthesis", "LLM*", "/a,b/", "x"]
    assert split_terms("  ") == []
