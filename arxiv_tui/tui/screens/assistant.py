"""The assistant's screens, imported when first used: the question before anything is sent to a
server other than this machine, and `C`'s conversation about a paper (kept with it: the
library has every question and answer, found by search as notes are)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, NamedTuple, Protocol

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from arxiv_tui.core.base.errors import ArxivTuiError
from arxiv_tui.core.base.text import safe_message, strip_control
from arxiv_tui.core.sources.model_stream import REASONING

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.app import App

    from arxiv_tui.core.assistant.answers import Turn
    from arxiv_tui.core.assistant.assistant import Assistant, Job
    from arxiv_tui.core.fulltext.document import Document
    from arxiv_tui.core.models import Paper

QUESTION_LIMIT = 4_000  # characters of one question
REDRAW_SECONDS = 0.1  # an answer being streamed is redrawn at most this often


class Streaming(NamedTuple):
    """An answer as far as it has come."""

    text: str = ""
    thinking: int = 0  # characters of reasoning so far (not shown: the answer is)
    failure: str = ""  # why it ended early ("cancelled": Esc)


class _Redraws:
    """A stream's text drawn on the UI thread at most every REDRAW_SECONDS, and the last of a
    burst too: a model that pauses after a burst (thinking, a slow network) is not shown behind
    what it has said. Nothing is drawn once the stream is over (its end is drawn by its owner)."""

    def __init__(self, app: App, show: Callable[[Streaming], object]) -> None:
        self.app, self.show = app, show
        self.latest = Streaming()
        self.due = False  # a drawing is scheduled
        self.drawn_at = 0.0
        self.over = False

    def offer(self, streaming: Streaming) -> None:
        """In the worker: what has come so far."""
        self.latest = streaming
        if not self.due:
            self.due = True
            wait = self.drawn_at + REDRAW_SECONDS - time.monotonic()
            if wait > 0:
                self.app.call_from_thread(self.app.set_timer, wait, self._draw)
            else:
                self.app.call_from_thread(self._draw)

    def _draw(self) -> None:
        self.due = False
        self.drawn_at = time.monotonic()
        if not self.over:
            self.show(self.latest)


def follow(app: App, assistant: Assistant, job: Job, show: Callable[[Streaming], object]) -> Streaming:
    """In a worker: `job` asked, what has come shown (`show`, on the UI thread) at most every
    REDRAW_SECONDS; all that came, in the end, with why it stopped if it did not finish."""
    worker = get_current_worker()
    redraws = _Redraws(app, show)
    text, thinking, failure = "", 0, ""
    try:
        for piece in assistant.ask(job):
            if worker.is_cancelled:
                failure = "cancelled"
                break
            if piece.kind == REASONING:
                thinking += len(piece.text)
            else:
                text += piece.text
            redraws.offer(Streaming(text, thinking))
    except ArxivTuiError as error:
        failure = safe_message(error, 300)
    finally:
        redraws.over = True
    return Streaming(text, thinking, failure)


class Host(Protocol):
    """What the conversation needs of the reader screen (reader/assisting.py)."""

    @property
    def assistant(self) -> Assistant: ...

    def prepare(
        self, paper: Paper, make: Callable[[Document | None], Job], then: Callable[[Job], object]
    ) -> None: ...

    def with_consent(self, jobs: list[Job], go: Callable[[], object]) -> None: ...


class ConsentScreen(ModalScreen[bool]):
    """ "~9,800 tokens (full text of 2501.11120v1) to api.openai.com: send?" y sends (and the
    session does not ask again), n or Esc sends nothing."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "Send", id="consent-yes"),
        Binding("n,escape", "answer(False)", "Do not send", id="consent-no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Send to your model?", style="bold"), classes="dialog-title")
            yield Static(Text(self.question))
            yield Static(
                "Only the paper and a fixed prompt go: never your notes, stars, keywords or library.\n"
                "y: send (not asked again until you quit) · n or Esc: send nothing",
                classes="dialog-help",
            )

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def turn_view(role: str, content: str) -> RenderableType:
    """One turn: the user's question as text, the model's answer as Markdown with links as text."""
    if role == "user":
        return Text.assemble(("\nYou  ", "bold cyan"), content)
    from rich.markdown import Markdown

    return Group(Text("\nModel", style="bold green"), Markdown(content, hyperlinks=False))


class ChatScreen(ModalScreen[None]):
    """Questions about one paper: the conversation so far, and a line to ask the next. Enter asks
    (after the consent question, for a server elsewhere); Esc stops an answer, or closes. A
    question whose answer fails stays in the line, to ask again."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape", "stop_or_close", "Close", id="chat-close", priority=True)]

    def __init__(self, paper: Paper, host: Host) -> None:
        super().__init__()
        self.paper = paper
        self.host = host
        self.answering = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog chat-dialog"):
            yield Static(Text(f"Ask about: {self.paper.title}", style="bold"), classes="dialog-title")
            yield VerticalScroll(id="chat-turns")
            yield Static(id="chat-answer")
            yield Input(
                placeholder="Your question (Enter asks)", id="chat-question", max_length=QUESTION_LIMIT
            )
            settings = self.host.assistant.settings
            yield Static(
                f"To {settings.model or settings.host} at {settings.host} · the paper once, then the turns · "
                "kept with the paper, found by search · Esc: stop, or close",
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        self.show_turns(self.host.assistant.chat(self.paper.id))
        self.query_one(Input).focus()

    def show_turns(self, turns: list[Turn]) -> None:
        box = self.query_one("#chat-turns", VerticalScroll)
        box.remove_children()
        if not turns:
            box.mount(Static(Text("No questions asked of this paper yet.", style="dim")))
        box.mount_all(Static(turn_view(turn.role, turn.content)) for turn in turns)
        box.scroll_end(animate=False)

    @on(Input.Submitted, "#chat-question")
    def asked(self, event: Input.Submitted) -> None:
        question = " ".join(strip_control(event.value).split())
        if not question or self.answering:
            return
        host, paper = self.host, self.paper
        self.answering = True
        self.query_one("#chat-answer", Static).update(Text("Reading the paper…", style="dim"))
        host.prepare(paper, lambda document: host.assistant.question(paper, document, question), self.ready)

    def ready(self, job: Job) -> None:
        def go() -> None:
            self.query_one("#chat-answer", Static).update(turn_view("user", job.question))
            self.stream(job)

        self.host.with_consent([job], go)
        if self.host.assistant.consent_question([job]) is not None:
            self.answering = False  # asked, not yet answered: a no leaves the question to edit

    def stream(self, job: Job) -> None:
        self.answering = True
        assistant = self.host.assistant

        def ask() -> None:
            done = follow(self.app, assistant, job, lambda so_far: self.streamed(job.question, so_far.text))
            self.app.call_from_thread(self.ended, done.failure)

        self.run_worker(ask, thread=True, group="assistant-chat", exclusive=True, exit_on_error=False)

    def streamed(self, question: str, text: str) -> None:
        self.query_one("#chat-answer", Static).update(
            Group(turn_view("user", question), turn_view("assistant", text or "…"))
        )

    def ended(self, failure: str) -> None:
        self.answering = False
        answer = self.query_one("#chat-answer", Static)
        answer.update("")
        turns = self.host.assistant.chat(self.paper.id)
        if failure:
            said = "Stopped" if failure == "cancelled" else f"The model failed: {failure}"
            answer.update(Text(said + " (the question is kept in the line)", style="italic"))
        else:
            self.query_one(Input).value = ""
        self.show_turns(turns)

    def action_stop_or_close(self) -> None:
        """Esc: stop the question being asked (read or answered), or else close."""
        if not self.answering:
            self.dismiss(None)
            return
        self.host.assistant.cancel()
        answering = False
        for worker in self.app.workers:
            if worker.group in ("assistant-chat", "assistant-prepare") and worker.is_running:
                worker.cancel()
                answering = answering or worker.group == "assistant-chat"
        if not answering:  # the paper was still being read: nothing was sent
            self.ended("cancelled")
