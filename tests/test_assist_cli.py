"""`summarize`, `ask` and `digest --tldr` without the reader, against a model on 127.0.0.1:
answers streamed to stdout and kept, the consent on a server elsewhere, the conversation as
Markdown, and each paper's TL;DR in the daily digest."""

from __future__ import annotations

import json
import socket

import pytest
from werkzeug import Request, Response

from arxiv_tui.cli.main import main
from arxiv_tui.cli.shell import EXIT_NOTHING, EXIT_OK, EXIT_USAGE
from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import update_config
from arxiv_tui.core.library.opening import open_library

PAPER = "2411.17794"  # in the demo listing


class Model:
    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.asked: list[dict] = []

    def __call__(self, request: Request) -> Response:
        self.asked.append(json.loads(request.get_data()))
        chunks = [
            f"data: {json.dumps({'choices': [{'delta': {'content': w + ' '}}]})}\n\n"
            for w in self.answer.split()
        ]
        return Response([*chunks, "data: [DONE]\n\n"], content_type="text/event-stream")


@pytest.fixture
def assisted(home, httpserver, demo_feed_file, capsys):
    """A home holding the demo listing, with [assistant] at a model served here."""
    update_config(Paths.under(home).config_file, {("feed", "retention_days"): 0})
    assert (
        main(["digest", "--home", str(home), "--feed", str(demo_feed_file), "--all", "--limit", "1"])
        == EXIT_OK
    )
    capsys.readouterr()
    update_config(
        Paths.under(home).config_file,
        {
            ("source", "html_url"): httpserver.url_for("/html"),  # no HTML here: the abstract is read
            ("assistant", "base_url"): httpserver.url_for("/v1"),
            ("assistant", "model"): "m",
        },
    )
    return home


def serve(httpserver, answer: str) -> Model:
    model = Model(answer)
    httpserver.expect_request("/v1/chat/completions").respond_with_handler(model)
    return model


def test_summarize_streams_the_answer_keeps_it_and_prints_it_kept_the_next_time(assisted, httpserver, capsys):
    model = serve(httpserver, "## Problem\nObjects.")
    assert main(["summarize", "--home", str(assisted), PAPER]) == EXIT_OK
    assert capsys.readouterr().out == "## Problem Objects. \n"
    assert main(["summarize", "--home", str(assisted), "--offline", PAPER]) == EXIT_OK
    printed = capsys.readouterr()
    assert printed.out == "## Problem Objects.\n" and "kept: summary, by m" in printed.err
    assert len(model.asked) == 1
    assert main(["summarize", "--home", str(assisted), "--again", PAPER]) == EXIT_OK
    assert len(model.asked) == 2


def test_a_server_elsewhere_is_not_sent_to_from_a_pipe_without_yes(assisted, httpserver, capsys, monkeypatch):
    resolve = socket.getaddrinfo
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, *a, **k: resolve("127.0.0.1" if host == "models.example" else host, *a, **k),
    )
    update_config(
        Paths.under(assisted).config_file,
        {("assistant", "base_url"): f"http://models.example:{httpserver.port}/v1"},
    )
    model = serve(httpserver, "Sent.")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["summarize", "--home", str(assisted), PAPER]) == EXIT_NOTHING
    err = capsys.readouterr().err
    assert f"of {PAPER}v1) to models.example: send? Not sent: pass --yes" in err and model.asked == []
    assert main(["summarize", "--home", str(assisted), "--yes", PAPER]) == EXIT_OK
    assert capsys.readouterr().out == "Sent. \n" and len(model.asked) == 1


def test_ask_keeps_the_conversation_and_prints_it_as_markdown(assisted, httpserver, capsys):
    serve(httpserver, "Nine hundred images.")
    assert main(["ask", "--home", str(assisted), PAPER, "How *many* images?"]) == EXIT_OK
    assert capsys.readouterr().out == "Nine hundred images. \n"
    assert main(["ask", "--home", str(assisted), "--offline", PAPER]) == EXIT_OK
    out = capsys.readouterr().out
    assert "## How \\*many\\* images?" in out and "Nine hundred images." in out
    library = open_library(Paths.under(assisted).library_file)
    try:
        assert PAPER in {paper.id for paper in library.search("hundred").papers}
    finally:
        library.close()


def test_digest_tldr_gives_each_paper_its_line_and_asks_only_for_the_missing(assisted, httpserver, capsys):
    model = serve(httpserver, "It tests *objects* [x](http://e.example).")
    home = str(assisted)
    assert main(["digest", "--home", home, "--all", "--limit", "3", "--tldr"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.count("**TL;DR:** It tests \\*objects\\* \\[x\\](http://e.example).") == 3
    assert len(model.asked) == 3
    assert main(["digest", "--home", home, "--all", "--limit", "3", "--tldr", "--format", "json"]) == EXIT_OK
    papers = json.loads(capsys.readouterr().out)
    assert [paper["tldr"] for paper in papers] == ["It tests *objects* [x](http://e.example)."] * 3
    assert len(model.asked) == 3  # kept: not asked again


def test_without_an_assistant_table_the_commands_say_how_to_set_one_up(home, capsys):
    assert main(["summarize", "--home", str(home), PAPER]) == EXIT_USAGE
    assert "no [assistant] in config.toml" in capsys.readouterr().err


def test_the_daily_new_only_mail_carries_each_new_papers_tldr(assisted, httpserver, demo_feed_file, capsys):
    serve(httpserver, "One line.")
    home = str(assisted)
    update_config(Paths.under(assisted).config_file, {("keywords", "include"): ["sign language", "speech"]})
    assert (
        main(
            ["digest", "--home", home, "--feed", str(demo_feed_file), "--new-only", "--tldr", "--limit", "2"]
        )
        == EXIT_OK
    )
    out = capsys.readouterr().out
    assert out.count("**TL;DR:** One line.") == 2 == out.count("### ")
