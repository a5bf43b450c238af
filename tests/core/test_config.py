"""config.toml: defaults, strict validation, comment-preserving writes, untouched bad files."""

from __future__ import annotations

import os

import pytest

from arxiv_tui.core.base import storage
from arxiv_tui.core.base.errors import ConfigError, StateError
from arxiv_tui.core.config import DEFAULT_CONFIG_TEXT, Config, load_config, update_config


def test_first_run_creates_a_commented_default_file(home):
    path = home / "config.toml"
    config, warnings = load_config(path)
    assert path.read_text() == DEFAULT_CONFIG_TEXT
    assert config == Config()
    assert config.categories == ()  # nobody else's: the first start's setup asks for them
    assert warnings == []


def test_every_key_is_optional(home):
    path = home / "config.toml"
    path.write_text('categories = ["hep-th"]\n[keywords]\ninclude = ["black hole*"]\n')
    config, _ = load_config(path)
    assert config.categories == ("hep-th",)
    assert config.include == ("black hole*",)
    assert config.exclude == () and config.include_replacements is False
    assert config.rss_url == "https://rss.arxiv.org/rss"


def test_unknown_keys_warn_but_load(home):
    path = home / "config.toml"
    path.write_text('colour = "blue"\n[keywords]\ninclude = ["x"]\nincluded = ["typo"]\n')
    config, warnings = load_config(path)
    assert config.include == ("x",)
    assert any("colour" in w for w in warnings) and any("keywords.included" in w for w in warnings)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("categories = [\n", "not valid TOML"),
        ('categories = "cs.CL"', "categories: must be a list of strings"),
        ('categories = ["cs CL"]', "categories: 'cs CL' is not an arXiv category"),
        ("[keywords]\ninclude = ['/[bad/']", "keywords.include: keyword '/[bad/' is not a valid regular"),
        ("[feed]\ninclude_replacements = 'yes'", "feed.include_replacements: must be true or false"),
        ("[feed]\nretention_days = -1", "feed.retention_days"),
        ("[source]\nrss_url = 'file:///etc/passwd'", "source.rss_url: must be an http"),
        ("keywords = 3", "[keywords] must be a table"),
    ],
)
def test_invalid_file_names_file_key_and_problem_and_is_left_untouched(home, text, named):
    path = home / "config.toml"
    path.write_text(text)
    before = path.read_bytes()
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in str(caught.value)
    assert named in str(caught.value)
    assert path.read_bytes() == before


def test_update_keeps_comments_order_and_other_keys(home):
    path = home / "config.toml"
    path.write_text(
        "# my reading list\n"
        'categories = ["cs.CL"]  # speech only\n'
        '\n[keywords]\n# the ones I care about\ninclude = ["tts"]\nexclude = []\n'
        '\n[ui]\ntheme = "nord"\n'
    )
    update_config(path, {("keywords", "include"): ["tts", "voice*"], ("keywords", "exclude"): ["singing"]})
    text = path.read_text()
    assert "# my reading list" in text and "# speech only" in text and "# the ones I care about" in text
    assert text.index("categories") < text.index("[keywords]") < text.index("[ui]")
    config, _ = load_config(path)
    assert config.include == ("tts", "voice*") and config.exclude == ("singing",)
    assert config.theme == "nord"


def test_update_refuses_invalid_values_and_broken_files(home):
    path = home / "config.toml"
    path.write_text('[keywords]\ninclude = ["tts"]\n')
    before = path.read_bytes()
    with pytest.raises(ConfigError):
        update_config(path, {("keywords", "include"): ["/(/"]})
    assert path.read_bytes() == before
    path.write_text("include = [\n")
    with pytest.raises(ConfigError, match="not rewritten"):
        update_config(path, {("keywords", "include"): ["x"]})
    assert path.read_text() == "include = [\n"


def test_a_failed_write_leaves_the_old_file_whole(home, monkeypatch):
    path = home / "config.toml"
    path.write_text('[keywords]\ninclude = ["tts"]\n')

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "fsync", broken_fsync)
    with pytest.raises(StateError, match="No space left on device"):
        update_config(path, {("keywords", "include"): ["voice"]})
    assert path.read_text() == '[keywords]\ninclude = ["tts"]\n'
    assert [p.name for p in home.iterdir()] == ["config.toml"]  # no temp file left behind
    assert not any(name.endswith(".tmp") for name in os.listdir(home))


def test_the_demo_config_is_the_file_update_config_would_write(home):
    from arxiv_tui.cli.main import DEMO_KEYWORDS
    from arxiv_tui.core.config import default_text_with

    update_config(home / "config.toml", DEMO_KEYWORDS)
    written = load_config(home / "config.toml")[0]
    (home / "demo.toml").write_text(default_text_with(DEMO_KEYWORDS))
    assert load_config(home / "demo.toml")[0] == written
    assert written.categories == tuple(DEMO_KEYWORDS[("categories",)]) and written.exclude == ("survey",)


def test_an_unknown_category_in_the_file_is_a_warning_naming_the_key_and_the_nearest_codes(tmp_path):
    """arXiv answers one unknown archive with HTTP 400 for the whole combined request."""
    path = tmp_path / "config.toml"
    path.write_text('categories = ["cs.CL", "cs.Sd", "quant-phy"]\n')
    config, warnings = load_config(path)
    assert config.categories == ("cs.CL", "cs.Sd", "quant-phy")  # kept as written: a warning, not a refusal
    assert any("categories: 'cs.Sd' is not an arXiv category: did you mean cs.SD?" in w for w in warnings)
    assert any("'quant-phy'" in w and "quant-ph" in w for w in warnings)
    assert not any("cs.CL" in w for w in warnings)


@pytest.mark.parametrize("value", ["1", "-0.1", "true", '"0.1"', "nan"])
def test_hide_below_must_be_a_chance_and_the_error_names_the_file_and_the_key(tmp_path, value):
    path = tmp_path / "config.toml"
    path.write_text(f"[ui]\nhide_below = {value}\n")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert str(path) in str(raised.value) and "ui.hide_below" in str(raised.value)


def test_hide_below_is_off_by_default_and_read_when_set(tmp_path):
    path = tmp_path / "config.toml"
    assert load_config(path)[0].hide_below == 0
    path.write_text("[ui]\nhide_below = 0.15\n")
    assert load_config(path)[0].hide_below == pytest.approx(0.15)


def test_no_assistant_table_means_no_assistant_and_the_default_file_leaves_it_off(home):
    config, _ = load_config(home / "config.toml")
    assert config.assistant is None
    assert "# [assistant]" in DEFAULT_CONFIG_TEXT  # shown, commented out


def test_an_assistant_on_this_machine_is_local_and_one_elsewhere_is_not(home):
    path = home / "config.toml"
    path.write_text('[assistant]\nbase_url = "http://localhost:11434/v1"\nmodel = "qwen3:8b"\n')
    config, _ = load_config(path)
    assert config.assistant is not None and config.assistant.is_local and config.assistant.host == "localhost"
    path.write_text(
        '[assistant]\nbase_url = "https://api.openai.com/v1"\nmodel = "gpt-4o"\n'
        'api_key_env = "OPENAI_API_KEY"\n'
    )
    config, _ = load_config(path)
    assert config.assistant is not None and not config.assistant.is_local
    assert config.assistant.api_key_env == "OPENAI_API_KEY"


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ('model = "m"', "needs base_url"),
        ('base_url = "http://localhost:11434/v1"', "needs model"),
        ('base_url = "file:///etc/passwd"\nmodel = "m"', "must be an http"),
        ('base_url = "http://x.example/v1"\nmodel = "m"\napi_key_env = "K"', "plain http to x.example"),
        (
            'base_url = "https://x.example/v1"\nmodel = "m"\napi_key_env = "sk-123"',
            "api_key_env must be the name",
        ),
        ('command = "llm \\"unclosed"', "command cannot be split"),
        ('command = "llm"\nbase_url = "https://x.example/v1"', "not both"),
        ('base_url = "https://x.example/v1"\nmodel = "m"\nmax_input_tokens = 10', "max_input_tokens must be"),
    ],
)
def test_a_bad_assistant_table_names_the_file_and_the_problem(home, table, named):
    path = home / "config.toml"
    path.write_text(f"[assistant]\n{table}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert (
        str(path) in str(caught.value) and "[assistant]" in str(caught.value) and named in str(caught.value)
    )
