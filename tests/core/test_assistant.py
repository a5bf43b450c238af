"""The assistant without a terminal: what is sent (the paper and the prompt, nothing of the
user's), the consent before a server other than this machine, the answers kept by what was
asked and shown across versions, and questions kept with the paper as real turns."""

from __future__ import annotations

import dataclasses
import json
import socket

import pytest
from werkzeug import Request, Response

from arxiv_tui.core.assistant.assistant import Assistant, NotAllowed
from arxiv_tui.core.assistant.prompts import ABSTRACT, SUMMARY, TLDR
from arxiv_tui.core.config.assistant import AssistantSettings
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.opening import open_library
from tests.core.conftest import first_listed


@pytest.fixture
def library(demo_library: Library) -> Library:
    return demo_library


def answering(text: str):
    """A model that answers `text` as one streamed event, and records what it was asked."""
    asked: list[dict] = []

    def handler(request: Request) -> Response:
        asked.append(json.loads(request.get_data()))
        event = json.dumps({"choices": [{"delta": {"content": text}}]})
        return Response(f"data: {event}\n\ndata: [DONE]\n\n", content_type="text/event-stream")

    return handler, asked


def run(assistant: Assistant, job) -> str:
    return "".join(piece.text for piece in assistant.ask(job))


def test_a_summary_is_kept_by_version_and_a_newer_version_says_so(httpserver, library):
    handler, asked = answering("## Problem\nSpeech.")
    httpserver.expect_request("/v1/chat/completions").respond_with_handler(handler)
    assistant = Assistant(AssistantSettings(model="qwen3:8b", base_url=httpserver.url_for("/v1")), library)
    paper = first_listed(library)
    job = assistant.summary(paper, None)
    assert assistant.consent_question([job]) is None  # this machine: nothing to ask
    assert run(assistant, job) == "## Problem\nSpeech." and len(asked) == 1
    assert assistant.kept(job) is not None and assistant.shown(paper, SUMMARY).note == ""

    newer = dataclasses.replace(paper, version=paper.version + 2)
    shown = assistant.shown(newer, SUMMARY)
    assert shown.answer.text == "## Problem\nSpeech."  # still shown, offline too
    assert shown.note == f"summary of v{paper.version}; v{newer.version} is out"
    assert assistant.kept(assistant.summary(newer, None)) is None  # v3 is asked afresh

    other_model = Assistant(assistant.settings.replace(model="llama3.1"), library)
    assert other_model.shown(paper, SUMMARY).note == "summary by qwen3:8b; you now use llama3.1"
    assert other_model.kept(other_model.summary(paper, None)) is None


def test_only_the_paper_and_the_prompt_are_sent_never_the_users_note(httpserver, library):
    handler, asked = answering("It does things.")
    httpserver.expect_request("/v1/chat/completions").respond_with_handler(handler)
    paper = first_listed(library)
    library.marks.set_note(paper.id, "my secret plan for a rival paper")
    assistant = Assistant(AssistantSettings(model="m", base_url=httpserver.url_for("/v1")), library)
    run(assistant, assistant.tldr(paper))
    sent = json.dumps(asked[0])
    assert paper.title in sent and paper.abstract[:80] in sent
    assert "secret plan" not in sent and asked[0]["model"] == "m"


@pytest.fixture
def remote_host(monkeypatch):
    """models.example, resolved to this machine: a server that is not loopback by its name."""
    resolve = socket.getaddrinfo

    def to_loopback(host, *args, **kwargs):
        return resolve("127.0.0.1" if host == "models.example" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", to_loopback)


def test_a_server_elsewhere_is_asked_about_and_nothing_goes_before_yes(httpserver, library, remote_host):
    handler, asked = answering("Short.")
    httpserver.expect_request("/v1/chat/completions").respond_with_handler(handler)
    settings = AssistantSettings(model="m", base_url=f"http://models.example:{httpserver.port}/v1")
    assistant = Assistant(settings, library)
    paper = first_listed(library)
    job = assistant.tldr(paper)
    question = assistant.consent_question([job])
    assert (
        question
        == f"~{job.prompt.tokens:,} tokens (abstract of {paper.id}v{paper.version}) to models.example: send?"
    )
    with pytest.raises(NotAllowed):
        run(assistant, job)
    assert httpserver.log == [] and asked == []
    assistant.consent()
    assert run(assistant, job) == "Short."
    assert httpserver.log[0][0].headers["Host"].startswith("models.example")
    assert assistant.consent_question([assistant.tldr(paper)]) is None  # once a session


def test_a_view_of_papers_is_asked_about_once_with_its_total(library, remote_host):
    assistant = Assistant(AssistantSettings(model="m", base_url="https://models.example/v1"), library)
    listing = library.newest_listing()
    jobs = [assistant.tldr(paper) for paper in listing.papers[:40]]
    total = sum(job.prompt.tokens for job in jobs)
    question = assistant.consent_question(jobs)
    assert question == f"~{total:,} tokens (the titles and abstracts of 40 papers) to models.example: send?"


def test_questions_are_real_turns_with_the_paper_once_kept_and_found_by_search(httpserver, library):
    handlers = [answering("It uses a conformer encoder."), answering("Yes, on LibriSpeech.")]
    httpserver.expect_ordered_request("/v1/chat/completions").respond_with_handler(handlers[0][0])
    httpserver.expect_ordered_request("/v1/chat/completions").respond_with_handler(handlers[1][0])
    assistant = Assistant(AssistantSettings(model="m", base_url=httpserver.url_for("/v1")), library)
    paper = first_listed(library)
    run(assistant, assistant.question(paper, None, "What encoder?"))
    run(assistant, assistant.question(paper, None, "Is it evaluated?"))
    second = handlers[1][1][0]["messages"]
    assert [message["role"] for message in second] == ["system", "user", "assistant", "user"]
    assert [message["content"] for message in second[1:]] == [
        "What encoder?",
        "It uses a conformer encoder.",
        "Is it evaluated?",
    ]
    assert sum(paper.abstract[:80] in message["content"] for message in second) == 1  # the paper once
    assert [turn.content for turn in assistant.chat(paper.id)][-1] == "Yes, on LibriSpeech."
    assert paper.id in [found.id for found in library.search("conformer").papers]


def test_answers_and_questions_survive_a_restart(httpserver, library, tmp_path):
    handler, _ = answering("One line.")
    httpserver.expect_request("/v1/chat/completions").respond_with_handler(handler)
    settings = AssistantSettings(model="m", base_url=httpserver.url_for("/v1"))
    paper = first_listed(library)
    assistant = Assistant(settings, library)
    run(assistant, assistant.tldr(paper))
    run(assistant, assistant.question(paper, None, "Why?"))
    library.close()
    again = open_library(tmp_path / "library.sqlite3", tmp_path / "library-backup.sqlite3")
    try:
        reopened = Assistant(settings, again)
        assert reopened.tldrs([paper])[paper.id].text == "One line."
        assert reopened.tldrs([paper])[paper.id].source == ABSTRACT
        assert [turn.role for turn in reopened.chat(paper.id)] == ["user", "assistant"]
        assert reopened.shown(paper, TLDR).note == ""
    finally:
        again.close()


def test_a_failed_answer_keeps_nothing(httpserver, library):
    httpserver.expect_request("/v1/chat/completions").respond_with_data("busy", status=503)
    assistant = Assistant(AssistantSettings(model="m", base_url=httpserver.url_for("/v1")), library)
    paper = first_listed(library)
    with pytest.raises(Exception, match="503"):
        run(assistant, assistant.question(paper, None, "Why?"))
    assert assistant.chat(paper.id) == [] and assistant.shown(paper, TLDR) is None


def test_a_command_is_asked_about_as_a_server_elsewhere_is_and_answers_in_the_language_set(library):
    import sys

    script = "import sys; sys.stdout.write(sys.stdin.read()[:400])"
    settings = AssistantSettings(command=(sys.executable, "-c", script), language="Deutsch")
    assistant = Assistant(settings, library)
    paper = first_listed(library)
    job = assistant.tldr(paper)
    assert assistant.consent_question([job]).endswith(f"to the command {sys.executable}: send?")
    assistant.consent()
    said = run(assistant, job)
    assert "Answer in Deutsch" in said  # the prompt went in on stdin, and came back
    assert assistant.tldrs([paper])[paper.id].asked.host == f"the command {sys.executable}"


def test_a_full_text_longer_than_max_input_tokens_is_cut_and_the_summary_says_so(httpserver, library):
    from arxiv_tui.core.fulltext.latexml import read_latexml
    from tests.conftest import FIXTURES

    document = read_latexml((FIXTURES / "fulltext" / "fulltext-sample.html").read_bytes())
    handler, asked = answering("Short.")
    httpserver.expect_request("/v1/chat/completions").respond_with_handler(handler)
    settings = AssistantSettings(model="m", base_url=httpserver.url_for("/v1"), max_input_tokens=500)
    assistant = Assistant(settings, library)
    paper = first_listed(library)
    job = assistant.summary(paper, document)
    run(assistant, job)
    paper_text = asked[0]["messages"][1]["content"]
    assert len(paper_text) <= 500 * 4 + 60 and paper_text.endswith("[The rest of the paper is left out.]")
    assert assistant.shown(paper, SUMMARY).answer.source == "full text (its first ~500 tokens)"
    whole = Assistant(AssistantSettings(model="m", base_url=httpserver.url_for("/v1")), library)
    assert not whole.summary(paper, document).prompt.cut  # 12,000 tokens: the whole paper goes
