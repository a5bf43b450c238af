"""The assistant, without a terminal: what to ask for a paper, whether the user must first say
yes, what was said before (and whether it still answers what would be asked now), and the
asking itself, kept in the library when it completes. The reader and the `summarize`, `ask` and
`digest --tldr` commands all use this.

Nothing leaves the machine for a server other than this one before `consent` is given: each
session asks once, naming the host and the size. Only the paper and the fixed prompt are sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from arxiv_tui.core.assistant import prompts
from arxiv_tui.core.assistant.answers import Answer, Answers, Asked, Turn
from arxiv_tui.core.assistant.prompts import CHAT, SUMMARY, TLDR, Prompt
from arxiv_tui.core.base.errors import ArxivTuiError
from arxiv_tui.core.base.text import counted, safe_message

if TYPE_CHECKING:
    from arxiv_tui.core.config.assistant import AssistantSettings
    from arxiv_tui.core.fulltext.document import Document
    from arxiv_tui.core.library.library import Library
    from arxiv_tui.core.models import Paper
    from arxiv_tui.core.sources.model_client import ModelClient
    from arxiv_tui.core.sources.model_stream import Piece

NAMES = {TLDR: "TL;DR", SUMMARY: "summary", CHAT: "answer"}


class NotAllowed(ArxivTuiError):
    """Asked to send to a server the user has not said yes to."""


class Job(NamedTuple):
    """One thing to ask, ready to go: of which paper, keyed how, what is sent."""

    paper: Paper
    asked: Asked
    prompt: Prompt
    question: str = ""  # a question about the paper (CHAT)


class Shown(NamedTuple):
    """An answer kept before, and what it is not (empty: it answers what would be asked now)."""

    answer: Answer
    note: str


class Assistant:
    def __init__(self, settings: AssistantSettings, library: Library, client: ModelClient | None = None):
        self.settings = settings
        self.answers = Answers(library)
        self._client = client
        self.consented = settings.is_local  # a loopback server needs no yes

    @property
    def client(self) -> ModelClient:
        if self._client is None:
            from arxiv_tui.core.sources.model_client import ModelClient  # with the first question

            self._client = ModelClient(self.settings)
        return self._client

    # --- what to ask -------------------------------------------------------------------------------

    def _job(self, paper: Paper, task: str, prompt: Prompt, question: str = "") -> Job:
        settings = self.settings
        asked = Asked(
            paper.id,
            task,
            paper.version,
            settings.model,
            settings.host,
            prompts.PROMPT_VERSION,
            prompt.input_hash,
        )
        return Job(paper, asked, prompt, question)

    def tldr(self, paper: Paper) -> Job:
        return self._job(paper, TLDR, prompts.tldr(paper, self.settings.language))

    def summary(self, paper: Paper, document: Document | None) -> Job:
        settings = self.settings
        prompt = prompts.summary(paper, document, settings.language, settings.max_input_tokens)
        return self._job(paper, SUMMARY, prompt)

    def question(self, paper: Paper, document: Document | None, question: str) -> Job:
        settings = self.settings
        turns = [(turn.role, turn.content) for turn in self.answers.chat(paper.id)]
        prompt = prompts.chat(paper, document, settings.language, settings.max_input_tokens, turns, question)
        return self._job(paper, CHAT, prompt, question)

    def consent_question(self, jobs: Sequence[Job]) -> str | None:
        """What to ask the user before `jobs` are sent; None when nothing need be asked."""
        if self.consented or not jobs:
            return None
        tokens = sum(job.prompt.tokens for job in jobs)
        if len(jobs) == 1:
            paper = jobs[0].paper
            what = f"{jobs[0].prompt.read(self.settings.max_input_tokens)} of {paper.id}v{paper.version}"
        else:
            what = f"the titles and abstracts of {counted(len(jobs), 'paper')}"
        return f"~{tokens:,} tokens ({what}) to {self.settings.host}: send?"

    def consent(self) -> None:
        """The user said yes: this session sends to the configured host without asking again."""
        self.consented = True

    # --- what was said -----------------------------------------------------------------------------

    def kept(self, job: Job) -> Answer | None:
        """The answer to exactly this question, when it was asked before."""
        return self.answers.exact(job.asked)

    def shown(self, paper: Paper, task: str) -> Shown | None:
        """The newest answer kept for the paper, and how it differs from what would be asked now."""
        answer = self.answers.latest(paper.id, task)
        if answer is None:
            return None
        asked, name = answer.asked, NAMES[task]
        if asked.version < paper.version:
            note = f"{name} of v{asked.version}; v{paper.version} is out"
        elif (asked.model, asked.host) != (self.settings.model, self.settings.host):
            now_using = self.settings.model or self.settings.host
            note = f"{name} by {asked.model or asked.host}; you now use {now_using}"
        elif asked.prompt_version != prompts.PROMPT_VERSION:
            note = f"{name} from an earlier prompt"
        else:
            note = ""
        return Shown(answer, note)

    def tldrs(self, papers: Sequence[Paper]) -> dict[str, Answer]:
        return self.answers.latest_of([paper.id for paper in papers], TLDR)

    def chat(self, paper_id: str) -> list[Turn]:
        return self.answers.chat(paper_id)

    # --- asking ------------------------------------------------------------------------------------

    def ask(self, job: Job) -> Iterator[Piece]:
        """The answer as it streams; kept in the library once it is complete. NotAllowed before
        consent to a server other than this machine; FetchError when the model fails."""
        if not self.consented:
            raise NotAllowed(f"not sent: {self.settings.host} has not been agreed to")
        from arxiv_tui.core.sources.model_stream import ANSWER

        said: list[str] = []
        for piece in self.client.stream(job.prompt.messages):
            if piece.kind == ANSWER:
                said.append(piece.text)
            yield piece
        text = "".join(said).strip()
        if not text:
            return
        if job.asked.task == CHAT:
            pairs = [("user", job.question), ("assistant", text)]
            self.answers.add_turns(job.paper.id, job.paper.version, self.settings.model, pairs)
        else:
            self.answers.keep(job.asked, job.prompt.read(self.settings.max_input_tokens), text)

    def ask_each(
        self, jobs: Sequence[Job], stopped: Callable[[], bool], answered: Callable[[Job, int], object]
    ) -> tuple[int, str]:
        """Each job asked in turn, its answer kept (a view's TL;DRs); `answered(job, n)` after
        the nth, and no more once `stopped()` or the model fails. How many were answered, and
        the failure in words ("" when none)."""
        for number, job in enumerate(jobs):
            if stopped():
                return number, ""
            try:
                for _ in self.ask(job):
                    pass
            except ArxivTuiError as error:
                return number, safe_message(error, 300)
            answered(job, number + 1)
        return len(jobs), ""

    def cancel(self) -> None:
        """End the answer in flight (from another thread: the reader's Esc)."""
        if self._client is not None:
            self._client.cancel()
