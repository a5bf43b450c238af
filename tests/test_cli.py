"""The command line as a user runs it: digest, locate, --home, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from arxiv_tui.cli import main
from tests.conftest import FIXTURES


def test_digest_of_the_real_listing(home, demo_feed_file, capsys):
    assert main(["digest", "--feed", str(demo_feed_file), "--home", str(home)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# arXiv digest: Thu 28 Nov 2024\n")
    assert "of 1504 announced" in out
    assert "- **Keywords:** `text-to-speech`, `speech synthesis`, `TTS`, `LLM-based`, `voice`" in out
    assert (home / "config.toml").exists() and (home / "archive" / "2024-11-28.json").exists()


def test_digest_json_all_and_then_offline_from_the_archive(home, demo_feed_file, capsys):
    assert (
        main(["digest", "--feed", str(demo_feed_file), "--home", str(home), "--format", "json", "--all"]) == 0
    )
    papers = json.loads(capsys.readouterr().out)
    assert len(papers) == 1504
    assert main(["digest", "--offline", "--home", str(home), "--format", "json", "--all"]) == 0
    assert json.loads(capsys.readouterr().out) == papers
    assert main(["digest", "--home", str(home), "--date", "2024-11-28", "--format", "bibtex"]) == 0
    assert "@misc{" in capsys.readouterr().out


def test_home_from_environment(home, demo_feed_file, monkeypatch, capsys):
    monkeypatch.setenv("ARXIV_TUI_HOME", str(home))
    assert main(["locate"]) == 0
    out = capsys.readouterr().out
    assert f"config:  {home / 'config.toml'}" in out
    assert f"archive: {home / 'archive'}" in out


def test_default_locations_come_from_platformdirs(isolated_home, capsys):
    assert main(["locate"]) == 0
    out = capsys.readouterr().out
    assert str(isolated_home / ".config" / "arxiv-tui" / "config.toml") in out
    assert str(isolated_home / ".local" / "share" / "arxiv-tui" / "state.json") in out


def test_invalid_config_exits_2_and_names_file_and_key(home, capsys):
    (home / "config.toml").write_text('[keywords]\ninclude = ["/(/"]\n')
    assert main(["digest", "--offline", "--home", str(home)]) == 2
    err = capsys.readouterr().err
    assert str(home / "config.toml") in err and "keywords.include" in err
    assert (home / "config.toml").read_text() == '[keywords]\ninclude = ["/(/"]\n'


def test_nothing_to_show_exits_1(home, capsys):
    assert main(["digest", "--offline", "--home", str(home)]) == 1
    assert "archive is empty" in capsys.readouterr().err


def test_an_empty_day_exits_0_and_says_so(home, capsys):
    feed = FIXTURES / "rss-physics-empty-holiday-2025-12-31.xml"
    assert main(["digest", "--feed", str(feed), "--home", str(home)]) == 0
    captured = capsys.readouterr()
    assert "No announcement" in captured.out


def test_starred_digest(home, demo_feed_file, capsys):
    from arxiv_tui.core.archive import Archive
    from arxiv_tui.core.state import State

    main(["digest", "--feed", str(demo_feed_file), "--home", str(home)])
    capsys.readouterr()
    paper = Archive(home / "archive").latest().papers[3]
    State(home / "state.json").set_starred(paper)
    assert main(["digest", "--starred", "--home", str(home), "--format", "json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["id"] == paper.id and entry["starred"] is True


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
    from arxiv_tui.core import arxiv
    from arxiv_tui.core.config import update_config
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
    # Everything is archived now: the same digest offline needs no network and gives the same papers.
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
