"""The command line as a user runs it: digest, search, library, locate, --home, exit codes."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys

import pytest

from arxiv_tui.cli.main import main
from arxiv_tui.core.library.opening import open_library
from tests.conftest import FIXTURES


def test_digest_without_keywords_says_how_to_get_papers(home, demo_feed_file, capsys):
    assert main(["digest", "--feed", str(demo_feed_file), "--home", str(home), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == []
    config = home / "config.toml"
    assert f"no keywords set: add some to [keywords] include in {config}, or pass --all" in captured.err


def test_digest_of_the_real_listing(home, demo_feed_file, capsys):
    from arxiv_tui.cli.main import DEMO_KEYWORDS
    from arxiv_tui.core.config import default_text_with

    (home / "config.toml").write_text(default_text_with(DEMO_KEYWORDS))
    assert main(["digest", "--feed", str(demo_feed_file), "--home", str(home)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# arXiv digest: Thu 28 Nov 2024\n")
    assert "of 1504 announced" in out
    assert "- **Keywords:** `large language model*`, `LLM`, `diffusion`, `quantum error correction`," in out
    assert "- **Excluded:** `survey`" in out
    assert (home / "config.toml").exists() and (home / "library.sqlite3").exists()
    library = open_library(home / "library.sqlite3")
    assert len(library.listing(dt.date(2024, 11, 28)).papers) == 1504
    library.close()


def test_digest_json_all_and_then_offline_from_the_library(home, demo_feed_file, capsys):
    assert (
        main(["digest", "--feed", str(demo_feed_file), "--home", str(home), "--format", "json", "--all"]) == 0
    )
    papers = json.loads(capsys.readouterr().out)
    assert len(papers) == 1504
    assert main(["digest", "--offline", "--home", str(home), "--format", "json", "--all"]) == 0
    assert json.loads(capsys.readouterr().out) == papers
    assert main(["digest", "--home", str(home), "--date", "2024-11-28", "--format", "bibtex", "--all"]) == 0
    assert capsys.readouterr().out.count("@misc{") == 1504


def test_home_from_environment(home, demo_feed_file, monkeypatch, capsys):
    monkeypatch.setenv("ARXIV_TUI_HOME", str(home))
    assert main(["locate"]) == 0
    out = capsys.readouterr().out
    assert f"config:  {home / 'config.toml'}" in out
    assert f"library: {home / 'library.sqlite3'}" in out
    assert (
        f"backup:  {home / 'library-backup.sqlite3'}" in out and f"log:     {home / 'arxiv-tui.log'}" in out
    )


def test_default_locations_come_from_platformdirs(isolated_home, capsys):
    assert main(["locate"]) == 0
    out = capsys.readouterr().out
    assert str(isolated_home / ".config" / "arxiv-tui" / "config.toml") in out
    assert str(isolated_home / ".local" / "share" / "arxiv-tui" / "library.sqlite3") in out


def test_invalid_config_exits_2_and_names_file_and_key(home, capsys):
    (home / "config.toml").write_text('[keywords]\ninclude = ["/(/"]\n')
    assert main(["digest", "--offline", "--home", str(home)]) == 2
    err = capsys.readouterr().err
    assert str(home / "config.toml") in err and "keywords.include" in err
    assert (home / "config.toml").read_text() == '[keywords]\ninclude = ["/(/"]\n'


def test_nothing_to_show_exits_1(home, capsys):
    assert main(["digest", "--offline", "--home", str(home)]) == 1
    assert "library is empty" in capsys.readouterr().err


def test_an_empty_day_exits_0_and_says_so(home, capsys):
    feed = FIXTURES / "rss-physics-empty-holiday-2025-12-31.xml"
    assert main(["digest", "--feed", str(feed), "--home", str(home)]) == 0
    captured = capsys.readouterr()
    assert "No announcement" in captured.out


def test_starred_digest_carries_the_star_time_note_and_tags(home, demo_feed_file, capsys):
    main(["digest", "--feed", str(demo_feed_file), "--home", str(home)])
    capsys.readouterr()
    library = open_library(home / "library.sqlite3")
    paper = library.listing(dt.date(2024, 11, 28)).papers[3]
    library.star([paper])
    library.marks.set_note(paper.id, "for the reading group")
    library.marks.add_tag([paper.id], "to cite")
    library.close()
    assert main(["digest", "--starred", "--home", str(home), "--format", "json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["id"] == paper.id and entry["starred"] is True and entry["starred_at"]
    assert entry["note"] == "for the reading group" and entry["tags"] == ["to cite"]
    assert main(["digest", "--starred", "--home", str(home)]) == 0
    out = capsys.readouterr().out
    assert "**Note:** for the reading group" in out and "**Tags:** to cite" in out
    assert main(["digest", "--starred", "--home", str(home), "--format", "bibtex"]) == 0
    [entry] = bibtex_entries(capsys.readouterr().out)
    assert entry["note"] == "for the reading group" and entry["keywords"] == "to cite"


def bibtex_entries(text: str) -> list[dict]:
    import bibtexparser

    return bibtexparser.loads(text).entries


def test_bad_usage_exits_2():
    result = subprocess.run(
        [sys.executable, "-m", "arxiv_tui", "digest", "--format", "pdf"], capture_output=True, text=True
    )
    assert result.returncode == 2 and "invalid choice" in result.stderr


@pytest.mark.parametrize("fmt", ["markdown", "json", "bibtex"])
def test_demo_digest_runs_offline_in_a_throwaway_home(fmt, isolated_home):
    result = subprocess.run(
        [sys.executable, "-m", "arxiv_tui", "--demo", "digest", "--format", fmt],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert not (isolated_home / ".config" / "arxiv-tui").exists()  # the user's home is untouched


def test_digest_since_back_fills_missed_days_through_the_api(home, httpserver, monkeypatch, capsys):
    from arxiv_tui.core.config import update_config
    from arxiv_tui.core.sources import arxiv
    from tests.arxiv_server import RSS_TYPE, serve_api

    monkeypatch.setattr(arxiv, "MIN_INTERVAL_SECONDS", 0.01)
    httpserver.expect_request("/rss/cs.AI").respond_with_data(
        (FIXTURES / "rss-quant-ph-2025-04-28.xml").read_bytes(), content_type=RSS_TYPE
    )
    api = serve_api(httpserver)
    update_config(
        home / "config.toml",
        {
            ("categories",): ["cs.AI"],
            ("keywords", "include"): ["language model*", "quantum"],
            ("source", "rss_url"): httpserver.url_for("/rss"),
            ("source", "api_url"): httpserver.url_for("/api/query"),
            ("feed", "retention_days"): 36500,  # the recorded listings are from 2025
        },
    )
    args = ["digest", "--home", str(home), "--since", "2025-04-24", "--format", "json"]
    assert main(args) == 0
    captured = capsys.readouterr()
    papers = json.loads(captured.out)
    assert {paper["listing_date"] for paper in papers} == {"2025-04-24", "2025-04-25", "2025-04-28"}
    assert "catching up: day 2 of 2" in captured.err
    assert len(api.windows) == 2
    # Everything is kept now: the same digest offline needs no network and gives the same papers.
    assert main([*args, "--offline"]) == 0
    assert json.loads(capsys.readouterr().out) == papers
    assert main(["digest", "--home", str(home), "--since", "2025-04-24", "--offline"]) == 0
    assert capsys.readouterr().out.startswith("# arXiv digest: Thu 24 Apr to Mon 28 Apr 2025\n")


def test_grouped_digest_has_a_section_for_followed_authors(home, capsys):
    from arxiv_tui.core.config import update_config

    update_config(
        home / "config.toml",
        {("keywords", "include"): ["entanglement"], ("keywords", "authors"): ["Christoph Simon"]},
    )
    feed = str(FIXTURES / "rss-quant-ph-2025-04-28.xml")
    assert main(["digest", "--feed", feed, "--home", str(home), "--group"]) == 0
    out = capsys.readouterr().out
    assert "## entanglement (" in out
    followed = out.split("## Followed authors (")[1]
    assert "Youssef Kora, Christoph Simon" in followed and "**Followed:** Christoph Simon" in followed
    assert main(["digest", "--feed", feed, "--home", str(home), "--format", "json"]) == 0
    papers = json.loads(capsys.readouterr().out)
    assert any(paper["followed_authors"] == ["Christoph Simon"] for paper in papers)


# --- search -------------------------------------------------------------------------------------


@pytest.fixture
def filled(home, demo_feed_file, capsys):
    """A home whose library holds the real 1,504-paper listing."""
    assert main(["digest", "--feed", str(demo_feed_file), "--home", str(home)]) == 0
    capsys.readouterr()
    return home


def test_search_prints_the_library_s_matches_in_every_format(filled, capsys):
    assert main(["search", "--home", str(filled), '"black hole"', "merger*", "--format", "json"]) == 0
    papers = json.loads(capsys.readouterr().out)
    assert papers and all("black hole" in (p["title"] + " " + p["abstract"]).lower() for p in papers)
    assert main(["search", "--home", str(filled), "au:Zhang", "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# arXiv search: au:Zhang") and out.count("\n### ") == 3
    assert main(["search", "--home", str(filled), "cat:hep-th", "--rank", "--format", "bibtex"]) == 0
    assert bibtex_entries(capsys.readouterr().out)


def test_search_by_id_finds_that_paper(filled, capsys):
    assert (
        main(["search", "--home", str(filled), "https://arxiv.org/abs/2411.17712v1", "--format", "json"]) == 0
    )
    [paper] = json.loads(capsys.readouterr().out)
    assert paper["id"] == "2411.17712"


def test_a_search_that_cannot_run_is_a_usage_error_and_no_match_exits_1(filled, capsys):
    assert main(["search", "--home", str(filled), "(unclosed"]) == 2
    assert "not closed" in capsys.readouterr().err
    assert main(["search", "--home", str(filled), "NOT", "survey"]) == 2
    assert main(["search", "--home", str(filled), "xyzzyplugh"]) == 1
    assert "nothing in your library matches" in capsys.readouterr().err


# --- library export / import -----------------------------------------------------------------------------


def test_library_export_and_import_between_two_homes(filled, tmp_path, capsys):
    library = open_library(filled / "library.sqlite3")
    paper = library.listing(dt.date(2024, 11, 28)).papers[0]
    library.star([paper])
    library.marks.set_note(paper.id, "remember this one")
    library.close()
    exported = tmp_path / "mine.json"
    assert main(["library", "--home", str(filled), "export", str(exported)]) == 0
    assert "1 star, 1 note" in capsys.readouterr().out
    assert main(["library", "--home", str(filled), "export", str(exported)]) == 2  # never overwrites unasked
    assert "exists" in capsys.readouterr().err
    other = tmp_path / "laptop"
    other.mkdir()
    assert main(["library", "--home", str(other), "import", str(exported)]) == 0
    assert "1 star (1 new)" in capsys.readouterr().out
    assert main(["digest", "--starred", "--home", str(other), "--format", "json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["id"] == paper.id and entry["note"] == "remember this one" and entry["abstract"]


def test_importing_a_file_that_is_not_an_export_says_so(home, tmp_path, capsys):
    odd = tmp_path / "odd.json"
    odd.write_text("[1, 2, 3]")
    assert main(["library", "--home", str(home), "import", str(odd)]) == 1
    assert "not an arxiv-tui library export" in capsys.readouterr().err


# --- a home of the released version -------------------------------------------------------------------


def test_a_released_home_is_moved_into_the_library_and_said_so(tmp_path, capsys):
    home = tmp_path / "home"
    shutil.copytree(FIXTURES / "home-0.1.0", home)
    assert main(["digest", "--starred", "--home", str(home), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "Moved the files of the earlier version into the library: 4 stars (2 with notes)" in captured.err
    assert len(json.loads(captured.out)) == 4
    assert (home / "state.json.migrated").exists() and not (home / "state.json").exists()


def test_help_says_the_commands_never_start_the_reader(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "never start it" in capsys.readouterr().out


def test_the_command_line_knows_every_digest_format():
    from arxiv_tui.cli import arguments
    from arxiv_tui.core.output import formats

    assert arguments.FORMATS == formats.FORMATS == tuple(formats.EXTENSIONS)


def test_digest_and_search_by_tag(home, demo_feed_file, capsys):
    at_home = ["--home", str(home), "--format", "json"]
    assert main(["digest", "--feed", str(demo_feed_file), *at_home, "--all"]) == 0
    ids = [paper["id"] for paper in json.loads(capsys.readouterr().out)][:3]
    library = open_library(home / "library.sqlite3")
    library.marks.add_tag(ids[:2], "reading group")
    library.marks.add_tag(ids[2:], "reading group extra")  # a longer tag holding the name is another tag
    library.close()
    assert main(["digest", "--home", str(home), "--tag", "reading group", "--format", "json"]) == 0
    tagged = json.loads(capsys.readouterr().out)
    assert {paper["id"] for paper in tagged} == set(ids[:2])
    assert all(paper["tags"] == ["reading group"] for paper in tagged)
    assert main(["digest", "--home", str(home), "--tag", "nope"]) == 1
    known = "(your tags: reading group, reading group extra)"
    assert f"no paper is tagged 'nope' {known}" in capsys.readouterr().err
    assert main(["search", "--home", str(home), "--tag", "reading group", "--format", "json"]) == 0
    assert {paper["id"] for paper in json.loads(capsys.readouterr().out)} == set(ids[:2])
    title_word = tagged[0]["title"].split()[0]
    assert main(["search", title_word, *at_home, "--tag", "reading group"]) == 0
    found = {paper["id"] for paper in json.loads(capsys.readouterr().out)}
    assert tagged[0]["id"] in found and found <= set(ids[:2])  # the query, within the tag
    assert main(["search", "--home", str(home)]) == 2
    assert "give a query, or --tag NAME" in capsys.readouterr().err


def test_digest_of_a_saved_search_prints_its_matches_in_the_listing(home, demo_feed_file, capsys):
    at_home = ["--home", str(home), "--format", "json"]
    assert main(["digest", "--feed", str(demo_feed_file), *at_home, "--all"]) == 0
    every = json.loads(capsys.readouterr().out)
    library = open_library(home / "library.sqlite3")
    library.saved.save("black holes", 'ti:"black hole"')
    library.close()
    assert main(["digest", "--feed", str(demo_feed_file), *at_home, "--search", "black holes"]) == 0
    found = json.loads(capsys.readouterr().out)
    phrase = re.compile(r"\bblack\W+hole(?:e?s)?\b", re.IGNORECASE)  # whole words, and their plural
    expected = [paper["id"] for paper in every if phrase.search(paper["title"])]
    assert expected and [paper["id"] for paper in found] == expected
    assert main(["digest", "--offline", "--home", str(home), "--search", "black holes"]) == 0
    said = capsys.readouterr().out
    assert "saved search 'black holes': ti:\"black hole\"" in said  # the Markdown says which
    assert main(["digest", "--home", str(home), "--offline", "--search", "nope"]) == 2
    assert "no saved search is named 'nope' (yours: black holes)" in capsys.readouterr().err


def test_a_search_within_a_tag_finds_every_tagged_match(home, demo_feed_file, capsys):
    at_home = ["--home", str(home), "--format", "json"]
    assert main(["digest", "--feed", str(demo_feed_file), *at_home, "--all"]) == 0
    every = json.loads(capsys.readouterr().out)
    # the first listed have the lowest rowids: a newest-first search reaches them last
    oldest = [paper["id"] for paper in every if "model" in paper["title"].lower().split()][:2]
    library = open_library(home / "library.sqlite3")
    library.marks.add_tag(oldest, "mine")
    library.close()
    assert main(["search", "model", *at_home, "--tag", "mine", "--limit", "1"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1  # the limit still holds
    assert main(["search", "model", *at_home, "--tag", "mine", "--rank"]) == 0
    assert {paper["id"] for paper in json.loads(capsys.readouterr().out)} == set(oldest)


def test_search_takes_excluded_words_as_its_help_writes_them_and_says_what_limit_cut(
    home, demo_feed_file, capsys
):
    at_home = ["--home", str(home), "--format", "json"]
    assert main(["digest", "--feed", str(demo_feed_file), *at_home, "--all"]) == 0
    capsys.readouterr()
    assert main(["search", "speech", "-survey", *at_home, "--limit", "500"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found and not any("survey" in (p["title"] + p["abstract"]).lower() for p in found)
    assert main(["search", "-survey", "speech", *at_home, "--limit", "500"]) == 0  # the order does not matter
    assert json.loads(capsys.readouterr().out) == found
    assert main(["search", "model", *at_home, "--limit", "5"]) == 0
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)) == 5
    assert re.search(r"5 of [\d,]+ papers shown \(--limit N shows more\)", captured.err)


def test_global_options_are_taken_after_any_command(home, demo_feed_file, tmp_path, capsys):
    assert main(["digest", "--feed", str(demo_feed_file), "--all", "--home", str(home)]) == 0
    assert main(["locate", "--home", str(home)]) == 0
    assert str(home) in capsys.readouterr().out
    exported = tmp_path / "mine.json"
    assert main(["library", "export", str(exported), "--home", str(home)]) == 0
    assert main(["library", "import", str(exported), "--home", str(home), "--offline"]) == 0
    with pytest.raises(SystemExit):
        main(["digest", "--bogus", "--home", str(home)])
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


@pytest.mark.parametrize(
    "words",
    [
        [],
        ["--offline"],
        ["--home", "/x", "--offline"],
        ["--home=/x", "--demo"],
        ["--feed", "a.xml", "--feed=b.xml", "--home", "h", "--home", "k"],
        ["--off"],  # an abbreviation: argparse's, as before
        ["--home"],
        ["--home", "--offline"],
        ["nonsense"],
        ["--offline", "digest", "--all"],
    ],
)
def test_the_reader_s_options_read_the_same_with_or_without_the_full_parser(words, capsys):
    """A start reads its options without building every command's parser; what it reads (or
    the error it stops with) is the parser's."""
    from arxiv_tui.cli.arguments import build_parser, parse_arguments

    def outcome(read):
        try:
            return vars(read())
        except SystemExit as stop:
            return stop.code, capsys.readouterr().err

    assert outcome(lambda: parse_arguments(words)) == outcome(lambda: build_parser().parse_args(words))
