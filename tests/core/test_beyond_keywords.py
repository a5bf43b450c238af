"""Issue 6 on real fixture papers: code and venue badges, followed authors, For-you ranking,
PDF downloads, and exports a BibTeX parser reads."""

from __future__ import annotations

import dataclasses
import functools
import time

import pytest
from werkzeug import Response

from arxiv_tui.core.base.errors import ConfigError, FetchError
from arxiv_tui.core.config import load_config
from arxiv_tui.core.matching.badges import badges, find_code_url, find_venue
from arxiv_tui.core.matching.match import Matcher
from arxiv_tui.core.matching.relevance import Score, rank, words
from arxiv_tui.core.sources.download import download, pdf_file_name
from arxiv_tui.core.sources.parse import parse_feed
from tests.conftest import demo_listing_bytes, fixture_bytes


@functools.cache
def api_papers():
    return {
        p.id: p for p in parse_feed(fixture_bytes("api-query-cat-cs.AI-OR-cs.LG-max50-2026-07-13.xml")).papers
    }


@functools.cache
def demo_papers():
    return parse_feed(demo_listing_bytes()).papers


# --- code and venue ------------------------------------------------------------------------------


def test_code_badge_on_abstracts_with_a_github_link_and_not_on_others():
    papers = api_papers()
    assert (
        badges(papers["2607.09417"]).code_url == "https://github.com/hiinnnii/BAH-Challenge-ECCV2026_SVF-CR"
    )
    assert badges(papers["2607.09443"]).code_url == "https://github.com/AnilOsmanTur/MetaPrompt-ReID"
    without = papers["2607.09662"]  # the EEG dream paper: no link anywhere
    assert "github" not in without.abstract.lower() and not badges(without).has_code
    with_code = [p for p in papers.values() if badges(p).has_code]
    assert all("github.com" in p.abstract + p.comments for p in with_code)


def test_promised_code_is_told_apart_from_a_link():
    promised = [p for p in demo_papers() if badges(p).code_promised]
    assert promised and all(not badges(p).has_code for p in promised)
    assert any("will be" in p.abstract.lower() and "code" in p.abstract.lower() for p in promised)


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("Code: huggingface.co/org/model.", "https://huggingface.co/org/model"),
        ("see https://zenodo.org/records/1 for data", "https://zenodo.org/records/1"),
        ("Project page: https://example.org/demo", "https://example.org/demo"),
        ("https://someone.github.io/paper", "https://someone.github.io/paper"),
        ("published by https://doi.org/10.1/abc", ""),
    ],
)
def test_code_links_are_recognised_by_host_or_by_what_precedes_them(text, url):
    assert find_code_url(text) == url


@pytest.mark.parametrize(
    ("comments", "venue", "status"),
    [
        ("Accepted to ICASSP 2026", "ICASSP 2026", "accepted"),
        ("Interspeech 2025", "Interspeech 2025", ""),
        ("NeurIPS 2025 workshop on efficient reasoning", "NeurIPS 2025 workshop", ""),
        (
            "10 pages, 1 figure. Accepted at the EMM-QA 2026 Workshop, ICML 2026 (N",
            "ICML 2026 workshop",
            "accepted",
        ),
        ("Accepted by the ACM SIGSOFT International Symposium (ISSTA 2020)", "ISSTA 2020", "accepted"),
        (
            "(v0), Submitted to IEEE International Workshop on X (AIST 2020)",
            "AIST 2020 workshop",
            "submitted",
        ),
        ("12 pages, 6 figures", "", ""),
    ],
)
def test_venue_from_real_comments(comments, venue, status):
    assert find_venue(comments) == (venue, status)


def test_pages_and_figures_from_comments():
    found = badges(api_papers()["2607.09474"])  # "25 pages, 7 figures. ProofCouncil ..."
    assert (found.pages, found.figures) == (25, 7)


# --- authors to follow ---------------------------------------------------------------------------


def test_followed_authors_match_whatever_the_accents_and_tex():
    paper = dataclasses.replace(demo_papers()[0], authors=("Jörg Söhler", "Yi-Jen Shih", "David Harwath"))
    for written in (
        "Söhler",
        "Sohler",
        'S\\"ohler',
        "sohler",
        "Jorg Sohler",
        "Harwath",
        "Yi-Jen Shih",
        "Yi Jen Shih",
    ):
        assert Matcher([], [], [written]).followed(paper) == (written,), written
    assert Matcher([], [], ["Shih Yi"]).followed(paper) == ()  # words in order
    assert Matcher([], [], ["Harwat"]).followed(paper) == ()  # whole words


def test_a_followed_author_is_matched_whatever_the_keywords_say():
    paper = next(p for p in demo_papers() if "survey" in p.abstract.lower())
    author = paper.authors[-1]
    matcher = Matcher(["survey"], ["survey"], [author])  # the keyword is also excluded
    result = matcher.match(paper)
    assert result is not None and result.authors == (author,)
    assert Matcher(["survey"], ["survey"]).match(paper) is None


def test_authors_in_config_are_checked(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[keywords]\nauthors = ["Harwath", "Yi-Jen Shih"]\n')
    config, _ = load_config(path)
    assert config.authors == ("Harwath", "Yi-Jen Shih")
    path.write_text('[keywords]\nauthors = ["---"]\n')
    with pytest.raises(ConfigError, match=r"keywords\.authors"):
        load_config(path)


# --- For you -------------------------------------------------------------------------------------


def test_papers_like_a_starred_one_rank_above_unrelated_ones():
    papers = demo_papers()
    black_holes = [p for p in papers if "black hole" in p.title.lower()]
    starred, similar = black_holes[:3], black_holes[3:]
    unrelated = [p for p in papers if "black hole" not in (p.title + p.abstract).lower()]
    scores = rank(papers, starred, {})
    order = sorted(papers, key=lambda p: scores[p.id].value, reverse=True)
    top = order[: len(similar) * 2]
    assert sum(p in similar for p in top) >= len(similar) * 0.6
    median_similar = sorted(scores[p.id].value for p in similar)[len(similar) // 2]
    assert median_similar > max(scores[p.id].value for p in unrelated[:200]) / 2
    reason = scores[similar[0].id].like
    assert reason in starred  # "like: <title of the most similar star>"


def test_the_reason_names_the_words_a_paper_shares_with_its_star():
    papers = demo_papers()
    black_holes = [p for p in papers if "black hole" in p.title.lower()]
    scores = rank(papers, black_holes[:3], {})
    score = scores[black_holes[3].id]
    assert score.like is not None and 1 <= len(score.shared) <= 3
    assert set(score.shared) <= set(words(black_holes[3])) & set(words(score.like))
    assert {"black", "hole", "holes"} & set(score.shared)
    assert f"(similarity {score.similarity:.2f}: {', '.join(score.shared)})" in score.reason()


def test_without_stars_keyword_hits_decide():
    papers = demo_papers()[:50]
    hits = {papers[7].id: 3, papers[3].id: 1}
    scores = rank(papers, [], hits)
    order = sorted(papers, key=lambda p: scores[p.id].value, reverse=True)
    assert order[:2] == [papers[7], papers[3]] and scores[papers[7].id].like is None
    assert scores[papers[7].id].reason() == "3 keyword hits decided"  # no likeness is claimed


def test_the_reason_names_what_weighed_more():
    papers = demo_papers()
    star = papers[0]
    liked = Score(0.05 + 0.4, star, 0.4, 0.05)
    assert liked.reason() == f"like your star {star.title!r} (similarity 0.40), and 1 keyword hit"
    decided = Score(0.15 + 0.01, star, 0.01, 0.15)
    assert decided.reason() == f"3 keyword hits decided; a little like your star {star.title!r}"


# --- downloads -----------------------------------------------------------------------------------

PDF = b"%PDF-1.5\n" + b"0" * 200_000 + b"\n%%EOF\n"


def test_a_pdf_is_saved_under_id_and_title_with_progress(httpserver, tmp_path):
    httpserver.expect_request("/pdf/2504.17837v1").respond_with_data(PDF, content_type="application/pdf")
    paper = next(
        p for p in parse_feed(fixture_bytes("rss-quant-ph-2025-04-28.xml")).papers if p.id == "2504.17837"
    )
    seen = []
    target = tmp_path / pdf_file_name(paper)
    assert (
        target.name
        == "2504.17837v1 Statistical noise enhances quantumness benefits in spin-network quantum reservoir"
        " computing.pdf"
    )
    download(
        httpserver.url_for("/pdf/2504.17837v1"),
        target,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert target.read_bytes() == PDF
    assert seen[-1] == (len(PDF), len(PDF)) and len(seen) >= 1
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_dropped_connection_leaves_no_partial_file(httpserver, tmp_path):
    def half_then_hang_up():
        yield PDF[:50_000]
        time.sleep(0.05)

    httpserver.expect_request("/pdf/x").respond_with_response(
        Response(
            half_then_hang_up(), headers={"Content-Length": str(len(PDF))}, content_type="application/pdf"
        )
    )
    with pytest.raises(FetchError, match="closed after 50,000 of"):
        download(httpserver.url_for("/pdf/x"), tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("status", "body", "content_type", "message"),
    [
        (404, b"no", "text/plain", "HTTP 404"),
        (200, b"<html>captcha</html>", "text/html", r"not a PDF \(text/html\)"),
    ],
)
def test_errors_leave_nothing_behind(httpserver, tmp_path, status, body, content_type, message):
    httpserver.expect_request("/pdf/y").respond_with_data(body, status=status, content_type=content_type)
    with pytest.raises(FetchError, match=message):
        download(httpserver.url_for("/pdf/y"), tmp_path / "y.pdf")
    assert list(tmp_path.iterdir()) == []


def test_only_http_links_are_downloaded(tmp_path):
    with pytest.raises(FetchError, match="only http"):
        download("file:///etc/passwd", tmp_path / "p.pdf")
