"""The first start on an empty home: categories picked by name, keywords counted, nobody else's."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, OptionList, Static

from arxiv_tui.cli.main import main
from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import load_config, update_config
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


async def type_into(pilot, box: str, text: str) -> None:
    """Click into a box of the setup (`#terms`, `#exclude`) and type."""
    pilot.app.screen.query_one(box, Input).focus()
    await pilot.press(*text)


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
        await type_into(pilot, "#terms", "speech synthesis, LLM*")
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
        await type_into(pilot, "#terms", "/(unclosed/")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SetupScreen) and "at least one category" in text_of(app, "#chosen")
        app.screen.chosen.append("quant-ph")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SetupScreen)  # the regex is not valid
        await wait_for(
            pilot, lambda: "not a valid regular expression" in text_of(app, "#counts"), "the counts"
        )


async def test_skipping_asks_first_and_writes_no_categories_of_ours(home):
    app = first_run_app(home)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)  # the first Esc asks
        assert "Esc again skips" in text_of(app, "#chosen")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, SetupScreen)
        assert app.reader.config.include == () and app.reader.config.categories == ()
        assert any("No categories yet" in str(n.message) for n in said(app))
    config, _ = load_config(Paths.under(home).config_file)
    assert config.categories == ()  # nobody else's: the setup comes back at the next start


async def test_tab_goes_box_to_box_so_keywords_typed_after_tab_land_in_the_keyword_box(home):
    app = first_run_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"sound", "enter", "tab", *"speech synthesis", "tab", *"survey")
        assert app.screen.query_one("#terms", Input).value == "speech synthesis"
        assert app.screen.query_one("#exclude", Input).value == "survey"
        assert app.screen.query_one("#find", Input).value == ""
        assert "cs.SD (Sound)" in text_of(app, "#chosen")


async def test_counts_are_what_the_reader_will_show(home):
    """cs.CL on 28 Nov has one 'speech synthesis' paper, a replacement: hidden, so counted 0;
    an excluded word takes its papers out of the counts as it will out of the reader."""
    app = first_run_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"cs.CL", "enter")
        await type_into(pilot, "#terms", "speech synthesis, translation")
        await wait_for_counts(pilot, app)
        await wait_for(pilot, lambda: "translation 3" in text_of(app, "#counts"), "the counts")
        assert "speech synthesis 0" in text_of(app, "#counts")
        await type_into(pilot, "#exclude", "machine translation")
        await wait_for(pilot, lambda: "translation 3" not in text_of(app, "#counts"), "the new counts")
        assert "translation" in text_of(app, "#counts")


async def test_the_chosen_alerts_and_excluded_words_are_saved(home):
    app = first_run_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"cs.CL", "enter")
        await type_into(pilot, "#exclude", "survey")
        app.screen.query_one("#alert_citations", Checkbox).value = False
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, SetupScreen)
    config, _ = load_config(Paths.under(home).config_file)
    assert config.exclude == ("survey",)
    assert (config.alert_authors, config.alert_versions, config.alert_citations) == (True, True, False)


def test_the_default_config_has_nobody_s_keywords(home):
    config, _ = load_config(Paths.under(home).config_file)
    assert config.include == () and config.exclude == ()


def test_only_an_empty_home_gets_the_setup(home, demo_feed_file, monkeypatch):
    seen = []
    monkeypatch.setattr(ArxivApp, "run", lambda self: seen.append(self.first_run))
    monkeypatch.setattr("arxiv_tui.cli.main.terminal_can_show_the_reader", lambda: True)  # no tty here
    main(["--home", str(home), "--offline"])
    main(["--home", str(home), "--offline"])  # config.toml exists now, but no categories: again
    update_config(Paths.under(home).config_file, {("categories",): ["cs.CL"]})
    main(["--home", str(home), "--offline"])
    main(["--demo"])
    assert seen == [True, True, False, False]


def test_keywords_split_on_commas_but_not_inside_a_regex():
    assert split_terms("speech synthesis, LLM* ,, /a,b/ , x") == ["speech synthesis", "LLM*", "/a,b/", "x"]
    assert split_terms("  ") == []
