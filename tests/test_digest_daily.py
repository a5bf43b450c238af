"""`digest` as a daily e-mail's replacement: --new-only, --output-dir, --group in every format."""

from __future__ import annotations

import json
import re

import pytest

from arxiv_tui.cli.main import main
from arxiv_tui.cli.shell import EXIT_EXISTS, EXIT_NOTHING_NEW, EXIT_OK, EXIT_STALE
from arxiv_tui.core.config import update_config
from tests.arxiv_server import RSS_TYPE
from tests.conftest import FIXTURES

LISTING = FIXTURES / "rss-quant-ph-2025-04-28.xml"
HOLIDAY = FIXTURES / "rss-physics-empty-holiday-2025-12-31.xml"


@pytest.fixture
def daily(home, httpserver):
    """A home reading quant-ph from a loopback server; the test says what the server answers."""
    update_config(
        home / "config.toml",
        {
            ("categories",): ["quant-ph"],
            ("keywords", "include"): ["entanglement", "qubit*"],
            ("source", "rss_url"): httpserver.url_for("/rss"),
            ("feed", "retention_days"): 36500,  # the recorded listings are from 2025
            ("feed", "catch_up_listings"): 0,
        },
    )
    return home


def serve(httpserver, path=None, status=200):
    httpserver.clear()
    body = path.read_bytes() if path else b"Service Unavailable"
    httpserver.expect_request("/rss/quant-ph").respond_with_data(body, status=status, content_type=RSS_TYPE)


def test_new_only_prints_a_listing_once_and_says_why_it_prints_nothing(daily, httpserver, capsys):
    args = ["digest", "--home", str(daily), "--new-only"]
    serve(httpserver, LISTING)
    assert main(args) == EXIT_OK
    assert capsys.readouterr().out.startswith("# arXiv digest: Mon 28 Apr 2025")
    assert main(args) == EXIT_NOTHING_NEW  # the same listing again: printed already
    captured = capsys.readouterr()
    assert captured.out == "" and "printed already" in captured.err
    serve(httpserver, HOLIDAY)
    assert main(args) == EXIT_NOTHING_NEW  # a holiday: not yesterday's list again
    captured = capsys.readouterr()
    assert captured.out == "" and "announced nothing" in captured.err
    serve(httpserver, status=503)
    assert main(args) == EXIT_STALE  # the fetch failed: nothing, and a status of its own
    captured = capsys.readouterr()
    assert captured.out == "" and "could not be fetched" in captured.err
    assert main([*args, "--offline"]) == EXIT_STALE


def test_a_failed_first_fetch_is_stale_even_with_nothing_printed_before(daily, httpserver, capsys):
    serve(httpserver, LISTING)
    assert main(["digest", "--home", str(daily)]) == EXIT_OK  # the library has it; --new-only never ran
    capsys.readouterr()
    serve(httpserver, status=503)
    assert main(["digest", "--home", str(daily), "--new-only"]) == EXIT_STALE
    assert capsys.readouterr().out == ""


def test_output_dir_writes_one_dated_file_a_day_and_never_replaces_another(
    daily, httpserver, tmp_path, capsys
):
    serve(httpserver, LISTING)
    out = tmp_path / "digests"
    args = ["digest", "--home", str(daily), "--output-dir", str(out)]
    assert main(args) == EXIT_OK
    written = out / "arxiv-2025-04-28.md"
    assert written.read_text().startswith("# arXiv digest: Mon 28 Apr 2025")
    assert capsys.readouterr().out == ""  # written, not printed
    assert main(args) == EXIT_OK  # the same digest again: the same file, nothing to refuse
    assert main([*args, "--format", "json"]) == EXIT_OK
    assert json.loads((out / "arxiv-2025-04-28.json").read_text())
    assert main([*args, "--format", "csv"]) == EXIT_OK
    assert (out / "arxiv-2025-04-28.csv").read_bytes().startswith("\ufeffid,".encode())  # Excel reads UTF-8
    assert main([*args, "--format", "csv"]) == EXIT_OK  # the same file again: nothing to refuse
    update_config(daily / "config.toml", {("keywords", "include"): ["qubit*"]})
    assert main(args) == EXIT_EXISTS  # a different digest: the file is not replaced, said apart
    assert main(["digest", "--home", str(daily), "--offline", "--date", "2020-01-02"]) == 1  # nothing to show
    assert "not replaced" in capsys.readouterr().err
    assert "entanglement" in written.read_text()
    assert main([*args, "--force"]) == EXIT_OK
    assert "entanglement" not in written.read_text().split("**Excluded")[0]


def test_group_gives_sections_in_json_and_bibtex_too(daily, httpserver, capsys):
    serve(httpserver, LISTING)
    base = ["digest", "--home", str(daily), "--group"]
    assert main([*base, "--format", "json"]) == EXIT_OK
    groups = json.loads(capsys.readouterr().out)
    assert [group["keyword"] for group in groups] == ["entanglement", "qubit*"]
    assert all("entanglement" in paper["matched"] for paper in groups[0]["papers"])
    assert main([*base, "--format", "bibtex"]) == EXIT_OK
    bib = capsys.readouterr().out
    assert "% ---- entanglement (" in bib and "% ---- qubit* (" in bib
    keys = [line.split("{", 1)[1].rstrip(",") for line in bib.splitlines() if line.startswith("@misc{")]
    assert len(keys) == len(set(keys))  # each paper once: a .bib file may not repeat a key


# --- the digest follows the Inbox: a cut-off listing's rest comes in the next run ----------------

ARXIV_ID = re.compile(r"\*\*arXiv:\*\* (\d{4}\\?\.\d{4,5})v")  # the dot escaped in Markdown


def serve_bytes(httpserver, body: bytes) -> None:
    httpserver.clear()
    httpserver.expect_request("/rss/quant-ph").respond_with_data(body, content_type=RSS_TYPE)


def cut_off(fraction: float) -> bytes:
    """The recorded listing as a download cut off after `fraction` of its bytes."""
    whole = LISTING.read_bytes()
    return whole[: int(len(whole) * fraction)]


def matched_ids(home, httpserver, capsys) -> list[str]:
    """What a plain digest of the complete listing prints, in a home of its own."""
    other = home.parent / "other-home"
    update_config(other / "config.toml", read_config_changes(home))
    serve(httpserver, LISTING)
    assert main(["digest", "--home", str(other)]) == EXIT_OK
    return ARXIV_ID.findall(capsys.readouterr().out)


def read_config_changes(home) -> dict:
    import tomllib

    config = tomllib.loads((home / "config.toml").read_text())
    return {
        ("categories",): config["categories"],
        ("keywords", "include"): config["keywords"]["include"],
        ("source", "rss_url"): config["source"]["rss_url"],
        ("feed", "retention_days"): 36500,
        ("feed", "catch_up_listings"): 0,
    }


def test_a_cut_off_listing_prints_what_arrived_and_the_next_run_exactly_the_rest(daily, httpserver, capsys):
    everything = matched_ids(daily, httpserver, capsys)
    args = ["digest", "--home", str(daily), "--new-only"]
    serve_bytes(httpserver, cut_off(0.3))
    assert main(args) == EXIT_OK
    first = capsys.readouterr()
    arrived = ARXIV_ID.findall(first.out)
    assert 0 < len(arrived) < len(everything)
    assert (
        "Incomplete:" in first.out and "the rest will follow in the next digest" in first.out
    )  # the body says it
    serve(httpserver, LISTING)  # the complete listing, the next evening
    assert main(args) == EXIT_OK
    second = capsys.readouterr().out
    rest = ARXIV_ID.findall(second)
    assert second.startswith("# arXiv digest: Mon 28 Apr 2025, continued") and "Incomplete" not in second
    assert sorted(arrived + rest) == sorted(everything)  # every matched paper exactly once
    assert main(args) == EXIT_NOTHING_NEW
    assert capsys.readouterr().out == ""


def test_a_follow_up_is_a_second_dated_file_and_the_first_is_kept(daily, httpserver, tmp_path, capsys):
    out = tmp_path / "digests"
    args = ["digest", "--home", str(daily), "--new-only", "--output-dir", str(out)]
    serve_bytes(httpserver, cut_off(0.3))
    assert main(args) == EXIT_OK
    first = (out / "arxiv-2025-04-28.md").read_text()
    serve(httpserver, LISTING)
    assert main(args) == EXIT_OK
    assert (out / "arxiv-2025-04-28.md").read_text() == first  # not rewritten
    follow_up = (out / "arxiv-2025-04-28.2.md").read_text()
    assert not set(ARXIV_ID.findall(first)) & set(ARXIV_ID.findall(follow_up))
    assert sorted(path.name for path in out.iterdir()) == ["arxiv-2025-04-28.2.md", "arxiv-2025-04-28.md"]
    capsys.readouterr()


def test_the_inbox_digest_prints_every_undecided_paper_once_in_sections(daily, httpserver, capsys):
    serve(httpserver, LISTING)
    assert main(["digest", "--home", str(daily)]) == EXIT_OK  # the matched papers entered the Inbox
    printed = ARXIV_ID.findall(capsys.readouterr().out)
    assert main(["digest", "--home", str(daily), "--inbox", "--offline"]) == EXIT_OK
    inbox = capsys.readouterr().out
    assert inbox.startswith("# arXiv Inbox: undecided papers, Mon 28 Apr 2025")
    assert sorted(ARXIV_ID.findall(inbox)) == sorted(printed)
    assert (
        main(["digest", "--home", str(daily), "--inbox", "--offline", "--group", "--format", "json"])
        == EXIT_OK
    )
    sections = json.loads(capsys.readouterr().out)
    assert [section["keyword"] for section in sections] == ["entanglement", "qubit*"]


def test_new_only_mails_a_followed_author_s_paper_from_beyond_the_categories_once(
    daily, httpserver, capsys, monkeypatch
):
    import datetime as dt

    from arxiv_tui.core.sources import arxiv
    from arxiv_tui.core.sources.parse import parse_feed
    from tests.arxiv_server import day_page, serve_api

    author = "Miguel P. Eckstein"  # of a cs.CV paper, while the listing read is quant-ph's
    page = parse_feed(day_page(dt.datetime.now(dt.UTC) - dt.timedelta(days=1)), "recorded")
    theirs = next(paper for paper in page.papers if author in paper.authors)
    update_config(
        daily / "config.toml",
        {("keywords", "authors"): [author], ("source", "api_url"): httpserver.url_for("/api/query")},
    )
    args = ["digest", "--home", str(daily), "--new-only"]
    assert main([*args, "--offline"]) == EXIT_STALE
    serve(httpserver, LISTING)
    api = serve_api(httpserver)
    monkeypatch.setattr(arxiv, "MIN_INTERVAL_SECONDS", 0.0)
    assert api.authors_asked == []  # offline: nothing asked
    assert main(args) == EXIT_OK
    out = capsys.readouterr().out
    assert api.authors_asked == ['au:"miguel p eckstein"'] and theirs.title in out
    assert main(args) == EXIT_NOTHING_NEW  # printed once; and asked once a day
    assert len(api.authors_asked) == 1 and theirs.title not in capsys.readouterr().out


def test_rank_orders_the_days_papers_by_what_you_kept_and_limit_keeps_the_top(daily, httpserver, capsys):
    """digest --rank: the papers like the ones kept first, decided ones last, with score and reason."""
    from arxiv_tui.core.library.marks import KEEP, SKIP
    from arxiv_tui.core.library.opening import open_library
    from arxiv_tui.core.ranking.ranker import Ranker
    from tests.core.test_ranking import NO_KEYWORDS

    serve(httpserver, LISTING)
    assert main(["digest", "--home", str(daily), "--format", "json"]) == EXIT_OK
    papers = json.loads(capsys.readouterr().out)
    library = open_library(daily / "library.sqlite3")
    day = library.papers([paper["id"] for paper in papers])
    entangled = [day[p["id"]] for p in papers if "entangle" in (p["title"] + p["abstract"]).lower()]
    others = [day[p["id"]] for p in papers if day[p["id"]] not in entangled]
    library.star(entangled[:3], decision=KEEP)
    library.marks.set_read([paper.id for paper in entangled[:3]])  # as a star in the reader does
    library.marks.set_read([paper.id for paper in others[:5]], decision=SKIP)
    Ranker(library, NO_KEYWORDS).learn_pending()  # as the reader's mark writer does
    library.close()

    args = ["digest", "--home", str(daily), "--offline", "--date", "2025-04-28", "--format", "json"]
    assert main([*args, "--rank"]) == EXIT_OK
    ranked = json.loads(capsys.readouterr().out)
    assert sorted(p["id"] for p in ranked) == sorted(p["id"] for p in papers)  # nothing left out
    decided = [p["read"] for p in ranked]
    assert decided == sorted(decided) and sum(decided) == 8  # the decided ones last
    undecided = [p for p in ranked if not p["read"]]
    scores = [p["score"] for p in undecided]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] < scores[0] < 1
    assert all(p["reason"] for p in ranked)
    unseen = {paper.id for paper in entangled[3:]}
    top = [p["id"] for p in undecided[: len(undecided) // 2]]
    assert len(unseen & set(top)) >= len(unseen) * 0.6  # like the kept ones: upper half (by chance: 0.5)

    assert main([*args, "--rank", "--limit", "5"]) == EXIT_OK
    assert [p["id"] for p in json.loads(capsys.readouterr().out)] == [p["id"] for p in ranked[:5]]
    assert (
        main(["digest", "--home", str(daily), "--offline", "--date", "2025-04-28", "--rank", "--limit", "2"])
        == 0
    )
    said = capsys.readouterr().out
    assert said.count("**For you:**") == 2 and f"{ranked[0]['score']:.0%}" in said
    with pytest.raises(SystemExit):
        main([*args, "--limit", "0"])
