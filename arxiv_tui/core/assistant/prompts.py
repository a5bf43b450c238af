"""What is sent to the model: the fixed prompts and the paper, nothing else (never notes, stars,
keywords or the library). A TL;DR reads the title and abstract; a summary and questions read
the full text when there is one, cut to `max_input_tokens`. The prompts have a version: a
changed prompt is a new answer, never an old one passed off as it."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from arxiv_tui.core.fulltext.document import Document
    from arxiv_tui.core.models import Paper

PROMPT_VERSION = 1
TLDR, SUMMARY, CHAT = "tldr", "summary", "chat"
FULL_TEXT, ABSTRACT = "full text", "abstract"
CHARS_PER_TOKEN = 4  # English prose; an estimate for the consent prompt and the cut, not a bill

_TLDR = (
    "You write the TL;DR of a research paper for a researcher skimming the day's arXiv. "
    "Answer in {language} with one plain sentence of at most 30 words: what the paper does and "
    "what it finds. No preamble, no Markdown."
)
_SUMMARY = (
    "You summarise a research paper for a researcher deciding whether to read it. Answer in "
    "{language}, in Markdown, with exactly these sections: ## Problem, ## Method, ## Results, "
    "## Limits. Be concrete (datasets, numbers, comparisons) and brief: at most 250 words. "
    "Say only what the paper says; where it does not say, write that it does not."
)
_CHAT = (
    "You answer questions about one research paper, given below, for a researcher reading it. "
    "Answer in {language}, briefly, from the paper; when the paper does not say, say so. "
    "Markdown is fine.\n\n{paper}"
)


class Prompt(NamedTuple):
    messages: list[dict[str, str]]
    source: str  # FULL_TEXT or ABSTRACT: what the model reads
    cut: bool  # the paper was longer than max_input_tokens: its end is left out

    def read(self, max_tokens: int) -> str:
        """What the model reads, in words: "abstract", "full text", or "full text (its first
        ~12,000 tokens)" when the paper was cut to fit."""
        return f"{self.source} (its first ~{max_tokens:,} tokens)" if self.cut else self.source

    @property
    def tokens(self) -> int:
        """About how many tokens it sends."""
        return sum(len(message["content"]) for message in self.messages) // CHARS_PER_TOKEN + 1

    @property
    def input_hash(self) -> str:
        """Of everything sent: the same paper, prompt and question give the same hash."""
        sent = json.dumps(self.messages, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return hashlib.sha256(sent).hexdigest()[:32]


def paper_text(paper: Paper, document: Document | None, max_tokens: int) -> tuple[str, str, bool]:
    """The paper as the model reads it: (text, FULL_TEXT or ABSTRACT, whether it was cut)."""
    head = f"Title: {paper.title}\nAuthors: {', '.join(paper.authors[:30])}\n\nAbstract: {paper.abstract}"
    if document is None:
        return head, ABSTRACT, False
    from arxiv_tui.core.fulltext.document import to_plain

    text = f"{head}\n\n{to_plain(document._replace(title='', authors=(), abstract=''))}"
    limit = max_tokens * CHARS_PER_TOKEN
    if len(text) <= limit:
        return text, FULL_TEXT, False
    return text[:limit].rsplit("\n", 1)[0] + "\n\n[The rest of the paper is left out.]", FULL_TEXT, True


def tldr(paper: Paper, language: str) -> Prompt:
    text = f"Title: {paper.title}\n\nAbstract: {paper.abstract}"
    system = _TLDR.format(language=language)
    return Prompt([{"role": "system", "content": system}, {"role": "user", "content": text}], ABSTRACT, False)


def summary(paper: Paper, document: Document | None, language: str, max_tokens: int) -> Prompt:
    text, source, cut = paper_text(paper, document, max_tokens)
    system = _SUMMARY.format(language=language)
    return Prompt([{"role": "system", "content": system}, {"role": "user", "content": text}], source, cut)


def chat(
    paper: Paper,
    document: Document | None,
    language: str,
    max_tokens: int,
    turns: list[tuple[str, str]],
    question: str,
) -> Prompt:
    """The paper once, as context, then the conversation so far as real turns, then the question."""
    text, source, cut = paper_text(paper, document, max_tokens)
    messages = [{"role": "system", "content": _CHAT.format(language=language, paper=text)}]
    messages += [{"role": role, "content": content} for role, content in turns]
    messages.append({"role": "user", "content": question})
    return Prompt(messages, source, cut)
