"""The assistant in the reader, against a model served on 127.0.0.1: absent, it is nowhere; `E`
streams a summary into the detail pane and keeps it; a server elsewhere is asked about first
and gets nothing before yes; Esc stops an answer; `B` a view's TL;DRs; `C` questions kept."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
import threading

import pytest
from werkzeug import Request, Response

from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import update_config
from arxiv_tui.tui.screens.assistant import ChatScreen, ConsentScreen
from arxiv_tui.tui.screens.help import HelpScreen, keys_table
from arxiv_tui.tui.widgets.paper_detail import PaperDetail
from tests.tui.conftest import SIZE, make_app, messages, settle, wait_for

SUMMARY = "## Problem\nQubits decohere.\n\n## Method\nA [surface code](https://evil.example) [bold]x[/bold]."


def help_text(screen: HelpScreen) -> str:
    """The keys table the help screen shows, as text."""
    from rich.console import Console

    console = Console(width=120, record=True, file=io.StringIO())
    console.print(keys_table(screen.keymap, screen.assistant))
    return console.export_text()


def pane(app) -> str:
    """The detail pane as drawn: every wrapped line, the model's words included."""
    detail = app.screen.query_one(PaperDetail)
    return "\n".join(strip.text for strip in detail._lines)


class Model:
    """An OpenAI-compatible model: streams `answer` word by word (`pause` between words, or
    until `release` is set), and records what it was asked."""

    def __init__(self, answer: str = SUMMARY, pause: float = 0.0) -> None:
        self.answer, self.pause = answer, pause
        self.asked: list[dict] = []
        self.release = threading.Event()
        self.release.set()

    def __call__(self, request: Request) -> Response:
        self.asked.append(json.loads(request.get_data()))

        def events():
            for word in self.answer.split(" "):
                self.release.wait(20)
                yield f"data: {json.dumps({'choices': [{'delta': {'content': word + ' '}}]})}\n\n"
            yield "data: [DONE]\n\n"

        return Response(events(), content_type="text/event-stream")


def with_model(home, httpserver, model: Model, base_url: str | None = None) -> None:
    make_app(home)
    httpserver.expect_request("/v1/chat/completions").respond_with_handler(model)
    update_config(
        Paths.under(home).config_file,
        {("assistant", "base_url"): base_url or httpserver.url_for("/v1"), ("assistant", "model"): "m"},
    )


async def test_without_an_assistant_table_its_keys_do_nothing_and_are_listed_nowhere(home):
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = pane(app)
        for key in ("E", "B", "C"):
            await pilot.press(key)
        await settle(pilot)
        assert pane(app) == before and not isinstance(app.screen, ChatScreen)
        assert app.screen.check_action("summarize", ()) is False
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert "Your model" not in help_text(help_screen)
        assert not any(
            "your model" in command.title.lower() for command in app.get_system_commands(app.screen)
        )


async def test_e_streams_the_summary_into_the_pane_and_keeps_it_for_the_next_start(home, httpserver):
    model = Model()
    with_model(home, httpserver, model)
    app = make_app(home, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.screen.current_paper
        await pilot.press("E")
        await wait_for(
            pilot, lambda: "Summary by m, of v1's abstract" in pane(app), "the summary kept and shown"
        )
        shown = pane(app)
        assert "Qubits decohere." in shown
        assert "surface code (https://evil.example) [bold]x[/bold]" in shown  # a link as text, markup as text
        sent = json.dumps(model.asked[0])
        assert paper.title in sent and "## Problem" in sent  # the paper and the fixed prompt
        assert any("your model" in command.title.lower() for command in app.get_system_commands(app.screen))
        await pilot.press("question_mark")
        assert "Your model's summary of the full text" in help_text(app.screen)
    again = make_app(home, offline=True)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: "Qubits decohere." in pane(again), "the kept summary shown offline")
        await pilot.press("E")
        await wait_for(pilot, lambda: any("E again" in text for text in messages(again)), "told it is kept")
    assert len(model.asked) == 1  # shown from the library, not asked again


class GatedModel(Model):
    """Streams its answer in parts: the first at once, each next one once its gate is set."""

    def __init__(self, *parts: str) -> None:
        super().__init__(" ".join(parts))
        self.parts = parts
        self.gates = [threading.Event() for _ in parts[1:]]

    def __call__(self, request: Request) -> Response:
        self.asked.append(json.loads(request.get_data()))

        def events():
            for number, part in enumerate(self.parts):
                if number:
                    self.gates[number - 1].wait(60)  # longer than wait_for waits
                for word in part.split(" "):
                    yield f"data: {json.dumps({'choices': [{'delta': {'content': word + ' '}}]})}\n\n"
            yield "data: [DONE]\n\n"

        return Response(events(), content_type="text/event-stream")


async def test_what_came_in_a_burst_is_shown_while_the_model_pauses(home, httpserver):
    model = GatedModel("## Problem\nQubits decohere fast.", "Then more.")
    with_model(home, httpserver, model)
    app = make_app(home, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await wait_for(pilot, lambda: "Qubits decohere fast." in pane(app), "the whole burst drawn")
        model.gates[0].set()
        await wait_for(pilot, lambda: "Then more." in pane(app), "the rest drawn")


async def test_a_streaming_summary_stays_where_the_reader_scrolled_the_pane(home, httpserver):
    lines = "\n\n".join(f"Finding {number}." for number in range(40))
    model = GatedModel(f"## Problem\n{lines}", "## Method\nStill arriving.", f"## Limits\n{lines}")
    with_model(home, httpserver, model)
    app = make_app(home, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = app.screen.query_one(PaperDetail)
        await pilot.press("E")
        await wait_for(
            pilot,
            lambda: "Finding 39." in pane(app) and detail.scroll_offset.y == detail.said_at > 0,
            "the summary's heading brought to the top of the pane",
        )
        await pilot.press("minus")  # the reader pages back up to the abstract
        await pilot.pause()
        scrolled_to = detail.scroll_offset.y
        assert scrolled_to < detail.said_at
        model.gates[0].set()
        await wait_for(pilot, lambda: "Still arriving." in pane(app), "more of the summary drawn")
        assert detail.scroll_offset.y == scrolled_to  # not pulled back to the summary
        model.gates[1].set()
        await wait_for(pilot, lambda: "Summary by m" in pane(app), "the rest streamed and kept")
        assert detail.scroll_offset.y == scrolled_to


@pytest.fixture
def remote_host(monkeypatch):
    resolve = socket.getaddrinfo
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, *args, **kwargs: resolve(
            "127.0.0.1" if host == "models.example" else host, *args, **kwargs
        ),
    )


async def test_a_server_elsewhere_gets_nothing_before_yes_and_is_asked_once(home, httpserver, remote_host):
    model = Model("Short.")
    with_model(home, httpserver, model, base_url=f"http://models.example:{httpserver.port}/v1")
    app = make_app(home, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper = app.screen.current_paper
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen), "the consent question")
        question = app.screen.question
        assert question.endswith(f"(abstract of {paper.id}v{paper.version}) to models.example: send?")
        await pilot.press("n")
        await settle(pilot)
        assert model.asked == [] and "Nothing was sent." in messages(app)
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen), "asked again after a no")
        await pilot.press("y")
        await wait_for(pilot, lambda: "Short." in pane(app), "sent after yes")
        await pilot.press("j", "E")
        await wait_for(pilot, lambda: len(model.asked) == 2, "the next paper sent without asking")
        assert not isinstance(app.screen, ConsentScreen)


async def test_esc_stops_a_summary_and_nothing_half_said_is_kept(home, httpserver):
    model = Model("one two three four")
    model.release.clear()  # the model says nothing until released
    with_model(home, httpserver, model)
    app = make_app(home, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await wait_for(pilot, lambda: "Esc stops it" in pane(app), "the summary under way")
        await pilot.press("escape")
        await wait_for(pilot, lambda: any("stopped" in text for text in messages(app)), "stopped")
        model.release.set()
        await settle(pilot)
        assert "Summary by" not in pane(app)


async def test_b_asks_for_each_papers_tldr_and_shows_it_in_the_pane(home, httpserver):
    model = Model("It corrects errors.")
    with_model(home, httpserver, model)
    app = make_app(home, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = len(app.reader.viewing.rows())
        await pilot.press("B")
        await wait_for(pilot, lambda: any("TL;DR of" in text for text in messages(app)), "the view's TL;DRs")
        assert len(model.asked) == rows
        assert rows > 10 and f"TL;DR 10 of {rows}… (Esc stops)" in messages(app)  # how far, on the way
        assert all("TL;DR" in asked["messages"][0]["content"] for asked in model.asked)
        await pilot.press("j")
        await wait_for(
            pilot,
            lambda: any("TL;DR" in line and "It corrects errors." in line for line in pane(app).splitlines()),
            "shown for the paper, on its line",
        )
        await pilot.press("B")
        await wait_for(
            pilot, lambda: "Every paper in the view has its TL;DR." in messages(app), "not asked twice"
        )


async def ask_in_chat(pilot, question: str):
    """C on the first paper, `question` typed and sent: the paper and the conversation's screen."""
    app = pilot.app
    await settle(pilot)
    paper = app.screen.current_paper
    await pilot.press("C")
    await wait_for(pilot, lambda: isinstance(app.screen, ChatScreen), "the conversation")
    chat = app.screen
    await pilot.press(*question, "enter")
    return paper, chat


async def test_c_asks_questions_kept_with_the_paper_and_found_by_search(home, httpserver):
    model = Model("Section 3 uses a toric code.")
    with_model(home, httpserver, model)
    app = make_app(home, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        paper, _chat = await ask_in_chat(pilot, "Which code?")
        await wait_for(pilot, lambda: not app.screen.answering and model.asked, "answered")
        await settle(pilot)
        turns = app.screen.host.assistant.chat(paper.id)
        assert [(turn.role, turn.content) for turn in turns] == [
            ("user", "Which code?"),
            ("assistant", "Section 3 uses a toric code."),
        ]
        await pilot.press("escape")
        assert not isinstance(app.screen, ChatScreen)
        assert paper.id in {found.id for found in app.reader.library.search("toric").papers}


def test_an_assistant_configured_but_unused_costs_the_start_nothing(home, httpserver):
    model = Model()
    with_model(home, httpserver, model)
    script = f"""
import asyncio, sys
from tests.tui.conftest import make_app, settle
from pathlib import Path

async def main():
    app = make_app(Path({str(home)!r}), offline=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for key in "jjkk":
            await pilot.press(key)
        await settle(pilot)
    print(sorted(name for name in sys.modules if name.endswith(("model_client", "model_stream"))))

asyncio.run(main())
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=50)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"  # no client, no stream reader imported
    assert model.asked == []  # and nothing asked


async def test_esc_stops_an_answer_in_the_conversation_and_the_question_stays_to_ask_again(home, httpserver):
    model = Model("It is answered slowly.")
    model.release.clear()
    with_model(home, httpserver, model)
    app = make_app(home, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        paper, chat = await ask_in_chat(pilot, "Why?")
        await wait_for(pilot, lambda: model.asked, "the question sent")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not chat.answering, "stopped")
        model.release.set()
        assert chat.query_one("#chat-question").value == "Why?"  # kept in the line
        assert chat.host.assistant.chat(paper.id) == []  # nothing half-said is kept
        await pilot.press("escape")
        assert not isinstance(app.screen, ChatScreen)
