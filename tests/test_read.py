"""`arxiv-tui read ID`: a paper's full text from arXiv's HTML (served on 127.0.0.1), as Markdown."""

from __future__ import annotations

import dataclasses

import pytest

from arxiv_tui.cli.main import main
from arxiv_tui.cli.shell import EXIT_NOTHING, EXIT_OK, EXIT_USAGE
from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import update_config
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.sources.parse import parse_feed
from tests.conftest import FIXTURES, fixture_bytes

SAMPLE = FIXTURES / "fulltext" / "fulltext-sample.html"


def serve(httpserver, path: str) -> None:
    httpserver.expect_request(path).respond_with_data(SAMPLE.read_bytes(), content_type="text/html")


@pytest.fixture
def reading(home, httpserver):
    update_config(
        Paths.under(home).config_file,
        {("source", "html_url"): httpserver.url_for("/html"), ("source", "pdf_url"): "https://arxiv.org/pdf"},
    )
    return home


def test_read_prints_the_full_text_as_markdown(reading, httpserver, capsys):
    httpserver.expect_request("/html/2501.00001v1").respond_with_data(
        SAMPLE.read_bytes(), content_type="text/html"
    )
    assert main(["read", "--home", str(reading), "2501.00001v1"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("# Listening Slowly: A Small Test Paper for a Terminal Reader\n")
    for part in (
        "## 1 Introduction",
        "### 2.1 Data",
        "| train | 10.5 | 40 |",
        "*Figure 1: The training loss",
    ):
        assert part in out
    assert "(arXiv:1706.03762)" in out and "## Footnotes" in out


def test_an_id_without_a_version_reads_the_version_the_library_knows(reading, httpserver, capsys):
    paper = parse_feed(fixture_bytes("rss-quant-ph-2025-04-28.xml")).papers[0]
    library = open_library(Paths.under(reading).library_file)
    library.store_papers([dataclasses.replace(paper, version=3)])
    library.close()
    httpserver.expect_request(f"/html/{paper.id}v3").respond_with_data(
        SAMPLE.read_bytes(), content_type="text/html"
    )
    assert main(["read", "--home", str(reading), paper.id]) == EXIT_OK
    assert capsys.readouterr().out.startswith("# Listening Slowly")


def test_no_html_and_a_failed_conversion_are_said_plainly_with_the_pdf(reading, httpserver, capsys):
    httpserver.expect_request("/html/2501.00002v1").respond_with_data("Not Found", status=404)
    assert main(["read", "--home", str(reading), "2501.00002v1"]) == EXIT_NOTHING
    said = capsys.readouterr()
    assert said.out == "" and "has no HTML full text of 2501.00002v1" in said.err
    assert "https://arxiv.org/pdf/2501.00002v1" in said.err
    failed = b"<html><body><h1>Conversion to HTML had a Fatal error and exited abruptly.</h1></body></html>"
    httpserver.expect_request("/html/2501.00003v1").respond_with_data(failed, content_type="text/html")
    assert main(["read", "--home", str(reading), "2501.00003v1"]) == EXIT_NOTHING
    said = capsys.readouterr()
    assert said.out == "" and "could not convert 2501.00003v1" in said.err


def test_read_refuses_what_is_no_arxiv_id_and_says_what_offline_means(reading, capsys):
    assert main(["read", "--home", str(reading), "../../etc/passwd"]) == EXIT_USAGE
    assert "is not an arXiv id" in capsys.readouterr().err
    assert main(["read", "--home", str(reading), "--offline", "2501.00001v1"]) == EXIT_NOTHING
    assert "--offline" in capsys.readouterr().err


def test_a_paper_of_the_library_read_once_prints_again_offline(reading, httpserver, capsys):
    paper = parse_feed(fixture_bytes("rss-quant-ph-2025-04-28.xml")).papers[0]
    library = open_library(Paths.under(reading).library_file)
    library.store_papers([paper])
    library.close()
    serve(httpserver, f"/html/{paper.id}v{paper.version}")
    assert main(["read", "--home", str(reading), paper.id]) == EXIT_OK
    online = capsys.readouterr().out
    httpserver.clear()  # arXiv is gone: only the library can answer now
    assert main(["read", "--home", str(reading), "--offline", paper.id]) == EXIT_OK
    assert capsys.readouterr().out == online


def test_plain_prints_the_same_text_without_markdown(reading, httpserver, capsys):
    serve(httpserver, "/html/2501.00001v1")
    assert main(["read", "--home", str(reading), "--plain", "2501.00001v1"]) == EXIT_OK
    plain = capsys.readouterr().out
    lines = plain.splitlines()
    assert lines[0] == "Listening Slowly: A Small Test Paper for a Terminal Reader"
    assert "2.1 Data" in lines and "| train | 10.5 | 40 |" in lines
    assert "Figure 1: The training loss over 10⁴ steps." in lines  # no emphasis signs
    assert not any(line.startswith("#") or "\\" in line or line.startswith("|---") for line in lines)
    assert (
        "- [1] A. Vaswani et al. Attention is all you need. arXiv:1706.03762, 2017. (arXiv:1706.03762)"
        in lines
    )
