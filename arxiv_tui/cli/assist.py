"""`arxiv-tui summarize ID`, `arxiv-tui ask ID "question"` and `digest --tldr`: the assistant
without the reader. Answers stream to stdout; the reader's kept answers are printed at once
(offline too) and what is asked here is kept for it. A server other than this machine is asked
about on the terminal, naming the host and the size, or needs `--yes` (a cron job's mail)."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import TYPE_CHECKING

from arxiv_tui.cli.shell import EXIT_NOTHING, EXIT_OK, EXIT_USAGE
from arxiv_tui.cli.shell import error as _error
from arxiv_tui.core.base.errors import ArxivTuiError

if TYPE_CHECKING:
    import argparse

    from arxiv_tui.core.assistant.assistant import Assistant, Job
    from arxiv_tui.core.fulltext.document import Document
    from arxiv_tui.core.models import Paper
    from arxiv_tui.core.output.digest import Item
    from arxiv_tui.core.session.reader import Reader

SETUP = (
    'no [assistant] in config.toml (for Ollama on this machine: base_url = "http://localhost:11434/v1", '
    'model = "qwen3:8b")'
)


def _assistant(reader: Reader) -> Assistant | None:
    settings = reader.config.assistant
    if settings is None:
        _error(SETUP)
        return None
    from arxiv_tui.core.assistant.assistant import Assistant

    return Assistant(settings, reader.library)


def _paper(reader: Reader, wanted: str, offline: bool) -> Paper | None:
    """The paper the library has, or (online) arXiv's record of it, then kept in the library."""
    from arxiv_tui.cli.read import paper_wanted

    found = paper_wanted(wanted)
    if found is None:
        return None
    paper_id, _version = found
    paper = reader.library.paper(paper_id)
    if paper is None and not offline:
        explorer = reader.explorer
        search = explorer.start(paper_id)
        papers, _ = explorer.fetch(search)
        paper = next((each for each in papers if each.id == paper_id), None)
        if paper is None and search.problem:
            _error(search.problem)
    if paper is None:
        _error(f"{paper_id} is not in the library" + ("" if offline else ", nor on arXiv"))
    return paper


def _assistant_and_paper(args: argparse.Namespace, reader: Reader) -> tuple[Assistant, Paper] | int:
    """The assistant and the paper asked about, or the exit code that says why not."""
    assistant = _assistant(reader)
    if assistant is None:
        return EXIT_USAGE
    paper = _paper(reader, args.paper, args.offline)
    return EXIT_NOTHING if paper is None else (assistant, paper)


def _document(reader: Reader, paper: Paper, offline: bool) -> Document | None:
    from arxiv_tui.core.sources.full_text import document_or_why_not

    document, why_not = document_or_why_not(
        reader.config, reader.library.full_texts, paper.id, paper.version, offline=offline
    )
    if why_not:
        _error(f"{why_not}; the abstract is read instead")
    return document


def agreed(assistant: Assistant, jobs: list[Job], yes: bool) -> bool:
    """Whether `jobs` may be sent: to this machine, with --yes, or after a yes typed here."""
    question = assistant.consent_question(jobs)
    if question is None:
        return True
    if not yes and not sys.stdin.isatty():
        _error(f"{question} Not sent: pass --yes to send without being asked")
        return False
    if not yes:
        print(f"arxiv-tui: {question} [y/N] ", end="", file=sys.stderr, flush=True)
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            _error("nothing was sent")
            return False
    assistant.consent()
    return True


def _stream(assistant: Assistant, job: Job) -> int:
    from arxiv_tui.core.sources.model_stream import ANSWER

    try:
        for piece in assistant.ask(job):
            if piece.kind == ANSWER:
                sys.stdout.write(piece.text)
                sys.stdout.flush()
    except ArxivTuiError as error:
        print()
        _error(str(error))
        return EXIT_NOTHING
    print()
    return EXIT_OK


def summarize(args: argparse.Namespace, reader: Reader) -> int:
    found = _assistant_and_paper(args, reader)
    if isinstance(found, int):
        return found
    assistant, paper = found
    from arxiv_tui.core.assistant.prompts import SUMMARY

    shown = assistant.shown(paper, SUMMARY)
    if args.offline or (shown is not None and not shown.note and not args.again):
        if shown is None:
            _error(f"offline, and no summary of {paper.id} is kept")
            return EXIT_NOTHING
        answer = shown.answer
        what = shown.note or "summary"
        _error(f"kept: {what}, by {answer.asked.model}, {answer.made_at[:10]} (--again asks anew)")
        print(answer.text)
        return EXIT_OK
    job = assistant.summary(paper, _document(reader, paper, args.offline))
    return _stream(assistant, job) if agreed(assistant, [job], args.yes) else EXIT_NOTHING


def ask(args: argparse.Namespace, reader: Reader) -> int:
    """With a question: its answer, the conversation kept; without: the conversation so far, as
    Markdown (to keep it elsewhere)."""
    found = _assistant_and_paper(args, reader)
    if isinstance(found, int):
        return found
    assistant, paper = found
    question = " ".join(" ".join(args.question).split())
    if not question:
        print(conversation_markdown(paper, assistant), end="")
        return EXIT_OK
    if args.offline:
        _error("offline: nothing is asked (without a question, ask prints the conversation so far)")
        return EXIT_NOTHING
    job = assistant.question(paper, _document(reader, paper, args.offline), question)
    return _stream(assistant, job) if agreed(assistant, [job], args.yes) else EXIT_NOTHING


def conversation_markdown(paper: Paper, assistant: Assistant) -> str:
    """The questions asked of a paper and the model's answers: the questions escaped (they are
    text), the answers as the model wrote them, each under its turn."""
    from arxiv_tui.core.output.digest import escape_markdown

    lines = [f"# Questions about {escape_markdown(paper.title)} ({paper.id})", ""]
    for turn in assistant.chat(paper.id):
        if turn.role == "user":
            lines += [f"## {escape_markdown(turn.content)}", ""]
        else:
            lines += [f"*{turn.model}, {turn.made_at[:10]}, of v{turn.version}:*", "", turn.content, ""]
    return "\n".join(lines) + "\n"


def with_tldrs(args: argparse.Namespace, reader: Reader, items: list[Item]) -> list[Item]:
    """`digest --tldr`: each paper with its TL;DR, kept ones at once, the rest asked for (online,
    agreed to) one paper at a time; a failure ends the asking and the digest goes out anyway."""
    assistant = _assistant(reader)
    if assistant is None:
        return items
    kept = assistant.tldrs([item.paper for item in items])
    missing = [reader.whole(item.paper) for item in items if item.paper.id not in kept]
    jobs = [] if args.offline else [assistant.tldr(paper) for paper in missing]
    if jobs and agreed(assistant, jobs, args.yes):
        done, failure = assistant.ask_each(jobs, lambda: False, lambda job, done: None)
        if failure:
            _error(f"TL;DR {done + 1} of {len(jobs)}: {failure}; the rest go without")
        kept = assistant.tldrs([item.paper for item in items])
    return [replace(item, tldr=kept[item.paper.id].text) if item.paper.id in kept else item for item in items]
