"""The assistant in the reader, only with `[assistant]` configured (else its keys do nothing and
are listed nowhere): `E` the model's summary of the full text streamed into the detail pane,
`B` a TL;DR of every paper in the view, `C` questions about the paper (screens/assistant.py).
A server other than this machine is asked about first (once a session), naming the host and
the size; `Esc` stops what is being asked. Nothing of it is imported or read before the first
frame: the kept answers are looked up once it is drawn."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from arxiv_tui.core.base.text import counted
from arxiv_tui.core.models import Paper
from arxiv_tui.tui.screens.reader.base import ReaderBase
from arxiv_tui.tui.widgets.paper_detail import PaperDetail, Said

if TYPE_CHECKING:
    from collections.abc import Callable

    from arxiv_tui.core.assistant.assistant import Assistant, Job
    from arxiv_tui.core.fulltext.document import Document
    from arxiv_tui.tui.screens.assistant import Streaming

ACTIONS = ("summarize", "brief_view", "ask")
BRIEF_LIMIT = 200  # papers a TL;DR run asks about at most: the view's first, in its order


class Assisting(ReaderBase):
    _assistant: Assistant | None = None
    _ready = False  # the first frame is drawn: kept answers may be looked up
    _streams: dict[str, Streaming] | None = None  # paper id -> its summary being asked for
    _regenerate = ""  # the paper whose kept summary E was pressed on once: E again asks anew
    _following: dict[str, int] | None = None  # paper id -> where its streaming summary put the pane

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No assistant configured: its keys are not there."""
        if action in ACTIONS and self.reader.config.assistant is None:
            return False
        return super().check_action(action, parameters)

    @property
    def assistant(self) -> Assistant:
        if self._assistant is None:
            from arxiv_tui.core.assistant.assistant import Assistant

            settings = self.reader.config.assistant
            assert settings is not None  # the actions are not there without it
            self._assistant = Assistant(settings, self.reader.library)
        return self._assistant

    @property
    def streams(self) -> dict[str, Streaming]:
        if self._streams is None:
            self._streams = {}
        return self._streams

    def said_for(self, paper: Paper) -> Said | None:
        if self.reader.config.assistant is None:
            return None
        if not self._ready:  # the first frame is not held up for it
            self.call_after_refresh(self._assistant_ready)
            return None
        from arxiv_tui.core.assistant.prompts import SUMMARY, TLDR

        assistant = self.assistant
        tldr, summary = assistant.shown(paper, TLDR), assistant.shown(paper, SUMMARY)
        streaming = self.streams.get(paper.id)
        if streaming is not None:
            heading = f"Summary by {assistant.settings.model or assistant.settings.host}"
            note = streaming.failure or (
                f"(thinking: {streaming.thinking:,} characters) Esc stops it"
                if streaming.thinking and not streaming.text
                else "… Esc stops it"
            )
            return Said(tldr.answer.text if tldr else "", heading, streaming.text, note)
        if tldr is None and summary is None:
            return None
        said = Said(tldr.answer.text + (f" ({tldr.note}: B asks again)" if tldr.note else "") if tldr else "")
        if summary is not None:
            answer = summary.answer
            who = answer.asked.model or answer.asked.host
            heading = f"Summary by {who}, of v{answer.asked.version}'s {answer.source}"
            note = f"({summary.note}: E regenerates)" if summary.note else ""
            said = said._replace(heading=heading, summary=answer.text, note=note)
        return said

    def _assistant_ready(self) -> None:
        if not self._ready:
            self._ready = True
            self.redraw_current()

    # --- asking, after the user's yes when the host is not this machine ----------------------------

    def with_consent(self, jobs: list[Job], go: Callable[[], object]) -> None:
        """`go()` now when nothing need be asked, or after the user's yes to sending `jobs`."""
        question = self.assistant.consent_question(jobs)
        if question is None:
            go()
            return
        from arxiv_tui.tui.screens.assistant import ConsentScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.assistant.consent()
                go()
            else:
                self.notify("Nothing was sent.", timeout=3)

        self.app.push_screen(ConsentScreen(question), answered)

    def prepare(
        self, paper: Paper, make: Callable[[Document | None], Job], then: Callable[[Job], object]
    ) -> None:
        """In a worker: the paper's full text (kept, or fetched and kept; None when it has no HTML
        or cannot be had now), the Job `make` makes of it, then `then(job)` on the UI thread."""
        reader = self.reader

        def read() -> None:
            from arxiv_tui.core.sources.full_text import document_or_why_not

            document, _ = document_or_why_not(  # none: the abstract is read
                reader.config, reader.library.full_texts, paper.id, paper.version, offline=reader.offline
            )
            job = make(document)
            if not get_current_worker().is_cancelled:  # Esc while the paper was read: nothing asked
                self.app.call_from_thread(then, job)

        self.work(read, "assistant-prepare")

    def action_summarize(self) -> None:
        """E: the model's summary of the paper's full text (of its abstract when it has none),
        streamed into the detail pane; a kept one is shown, and E again asks anew."""
        paper = self.current_paper
        if paper is None or paper.id in self.streams:
            return
        paper = self.reader.whole(paper)
        self.prepare(paper, lambda document: self.assistant.summary(paper, document), self._summary_ready)

    def _summary_ready(self, job: Job) -> None:
        paper = job.paper
        if self.assistant.kept(job) is not None and self._regenerate != paper.id:
            self._regenerate = paper.id
            self.notify("This summary is kept: E again asks the model anew.", timeout=4)
            return
        self._regenerate = ""
        self.with_consent([job], lambda: self._stream_summary(job))

    def _stream_summary(self, job: Job) -> None:
        from arxiv_tui.tui.screens.assistant import Streaming, follow

        paper_id, assistant = job.paper.id, self.assistant
        self.streams[paper_id] = Streaming()
        self.redraw_current()
        self.following[paper_id] = -1
        self._follow_summary(paper_id)  # the summary streams from the top of the pane

        def ask() -> None:
            done = follow(self.app, assistant, job, lambda so_far: self._streamed(paper_id, so_far))
            self.app.call_from_thread(self._stream_ended, paper_id, done)

        self.work(ask, f"assistant-{paper_id}")

    def _streamed(self, paper_id: str, streaming: Streaming) -> None:
        if paper_id in self.streams:
            self.streams[paper_id] = streaming
            current = self.current_paper
            if current is not None and current.id == paper_id:
                self.redraw_current()
                self._follow_summary(paper_id)

    @property
    def following(self) -> dict[str, int]:
        if self._following is None:
            self._following = {}
        return self._following

    def _follow_summary(self, paper_id: str) -> None:
        """Bring the summary's heading to the top of the pane as its text arrives (at first the
        pane may be too short to scroll that far), until the reader scrolls the pane: then it
        stays where they put it."""
        detail, placed = self.query_one(PaperDetail), self.following.get(paper_id)
        if placed is None:
            return
        if placed >= 0 and detail.scroll_offset.y != placed:
            del self.following[paper_id]  # the reader scrolled it
        elif detail.scroll_offset.y < detail.said_at:
            detail.show_said()
            self.following[paper_id] = detail.scroll_offset.y

    def _stream_ended(self, paper_id: str, streaming: Streaming) -> None:
        self.streams.pop(paper_id, None)
        self.following.pop(paper_id, None)
        if streaming.failure:
            what = "stopped" if streaming.failure == "cancelled" else f"failed: {streaming.failure}"
            self.notify(f"The summary {what}", severity="warning", timeout=8, markup=False)
        self.redraw_current()

    def stop_asking(self) -> bool:
        """Esc: stop what the model is being asked (a summary, the view's TL;DRs); True if any."""
        if self._assistant is None:
            return False
        running = [
            worker for worker in self.workers if worker.group.startswith("assistant") and worker.is_running
        ]
        if not running and not self.streams:
            return False
        self._assistant.cancel()
        for worker in running:
            worker.cancel()
        return True

    # --- the view's TL;DRs ----------------------------------------------------------------------------

    def action_brief_view(self) -> None:
        """B: a one-line TL;DR of each paper in the view that has none yet (its title and abstract
        sent, one paper a request), shown in the detail pane as each arrives."""
        reader, assistant = self.reader, self.assistant
        rows = [row.paper for row in reader.viewing.rows()][:BRIEF_LIMIT]

        def prepare() -> None:  # each row's abstract read, and what was asked before
            jobs = [
                job for job in map(assistant.tldr, map(reader.whole, rows)) if assistant.kept(job) is None
            ]
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._brief_ready, jobs)

        self.work(prepare, "assistant-prepare")

    def _brief_ready(self, jobs: list[Job]) -> None:
        if not jobs:
            self.notify("Every paper in the view has its TL;DR.", timeout=3)
            return
        self.with_consent(jobs, lambda: self._brief(jobs))

    def _brief(self, jobs: list[Job]) -> None:
        assistant = self.assistant

        def ask() -> None:
            worker = get_current_worker()
            done, failure = assistant.ask_each(
                jobs,
                lambda: worker.is_cancelled,
                lambda job, done: self.app.call_from_thread(self._briefed, job.paper.id, done, len(jobs)),
            )
            self.app.call_from_thread(self._brief_ended, done, len(jobs), failure)

        self.notify(f"Asking for the TL;DR of {counted(len(jobs), 'paper')} (Esc stops)…", timeout=4)
        self.work(ask, "assistant-brief")

    def _briefed(self, paper_id: str, done: int, wanted: int) -> None:
        if done % 10 == 0 and done < wanted:  # a local model may take minutes: say how far it is
            self.notify(f"TL;DR {done:,} of {wanted:,}… (Esc stops)", timeout=3)
        current = self.current_paper
        if current is not None and current.id == paper_id:
            self.redraw_current()

    def _brief_ended(self, done: int, wanted: int, failure: str) -> None:
        said = f"TL;DR of {done:,} of {counted(wanted, 'paper')}"
        if failure and failure != "cancelled":
            self.notify(
                f"{said}; then the model failed: {failure}", severity="warning", timeout=10, markup=False
            )
        else:
            self.notify(said + ("; stopped" if done < wanted else ""), timeout=4)

    # --- questions --------------------------------------------------------------------------------

    def action_ask(self) -> None:
        """C: questions about the paper, a conversation kept with it (screens/assistant.py)."""
        paper = self.current_paper
        if paper is None:
            return
        from arxiv_tui.tui.screens.assistant import ChatScreen

        self.app.push_screen(ChatScreen(self.reader.whole(paper), self))
